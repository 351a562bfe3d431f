import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import {
  clientMonthGroup,
  clientMonthRows,
  locationWeekGroup,
  locationWeekRows,
  TallyOfParts,
  type ClientMonthTally,
  type LocationWeekTally,
  type PlannedDagdeel,
  type Tally,
} from "../domain/attendance";
import { mondayOfWeekParam } from "../domain/iso-week";
import { NotFoundError } from "../domain/errors";
import type { LocationSchedule } from "../domain/occupancy";
import { closuresOfProviders } from "../occupancy/repository";
import { isClosedOn } from "../domain/closures";
import { dayNumber, expandSchedule } from "../domain/schedule";
import { addToGroup } from "../domain/groups";
import { pageOrLast } from "../web/pagination";
import { Turns } from "../web/turns";
import * as overviewRepo from "./overview-repository";
import * as repo from "./repository";

// Planned against realised over a period, per client per month and per location per ISO week.
// Only dagdelen up to today count: a plan for tomorrow cannot have been realised yet, and
// counting it would make every current month look half attended.
//
// At region scale (issue 11) a page computes only what it shows: the database finds the page's
// clients (or locations), and only their schedules and rows are read. The figures of a client
// are what clientMonthTallies() gives over every planned and recorded dagdeel at the chosen
// locations: a client's every schedule and row there is read. For a page of locations, every
// client planned or recorded at them is read with all their schedules and rows at the chosen
// locations, so a dagdeel planned at two locations, or planned at one and recorded at another,
// counts as the whole computation counts it (test/http/attendance-overviews-paged.test.ts).

export type OverviewInput = { from: string; until: string; locationId: number | null };

export const CLIENTS_PER_PAGE = 50;
/**
 * Rows of a location page: 25 locations of a month's weeks, 13 of a quarter's, 3 of a year's. A location's year
 * is some ten thousand rows to count at region scale; the page stays far under 300 kB.
 */
const LOCATION_ROWS_PER_PAGE = 200;
export const LOCATIONS_PER_PAGE_MAX = 25;
/** Clients per slice of the CSV: each slice is read and counted, then written, with turns in between. */
const CSV_CLIENTS_PER_SLICE = 250;
const CSV_LOCATIONS_PER_SLICE = 5;

type Window = {
  /** The chosen locations (all in scope, or the one filtered on) in the order the whole computation took them. */
  chosen: repo.AttendanceLocation[];
  /** The last date counted: the period's end, or today when that is earlier. */
  countedUntil: string;
  w: overviewRepo.OverviewWindow;
};

async function windowOf(db: Knex, scope: Scope, input: OverviewInput, today: string): Promise<Window> {
  const locations = await repo.locationsInScope(db, scope);
  const chosen = input.locationId === null ? locations : locations.filter((l) => l.id === input.locationId);
  if (input.locationId !== null && chosen.length === 0) throw new NotFoundError("location");
  const countedUntil = input.until < today ? input.until : today;
  return { chosen, countedUntil, w: { from: input.from, until: countedUntil, locationId: input.locationId } };
}

/** Nothing to count: the period starts after today. */
const empty = (win: Window) => win.countedUntil < win.w.from;

/**
 * The planned dagdelen of these schedules at the chosen locations, by client: each schedule
 * expanded over the period minus its provider's closures (what occupancy's cells say of it;
 * test/http/attendance-overviews-paged.test.ts holds the two together). A page's clients are
 * spread over many locations: expanding their schedules costs what they plan, where occupancy's
 * grid would lay out every dagdeel of every location they visit. Schedules go in the chosen
 * order of their locations, the order in which the whole computation meets a dagdeel planned at
 * two locations (the first one counts it).
 */
async function plannedOf(db: Knex, chosen: repo.AttendanceLocation[], schedules: LocationSchedule[], from: string, until: string): Promise<Map<number, PlannedDagdeel[]>> {
  const order = new Map(chosen.map((l, i) => [l.id, i]));
  const providerOf = new Map(chosen.map((l) => [l.id, l.provider_id]));
  const kept = schedules.filter((s) => order.has(s.location_id)).sort((a, b) => order.get(a.location_id)! - order.get(b.location_id)! || a.id - b.id);
  const closures = await closuresOfProviders(db, [...new Set(kept.map((s) => providerOf.get(s.location_id)!))], from, until);
  const out = new Map<number, PlannedDagdeel[]>();
  const turns = new Turns(16);
  for (const s of kept) {
    const provider = providerOf.get(s.location_id);
    const own = closures.filter((c) => c.provider_id === provider && (c.location_id === null || c.location_id === s.location_id));
    let list = out.get(s.client_id);
    if (!list) out.set(s.client_id, (list = []));
    for (const o of expandSchedule(s, from, until, own.length === 0 ? undefined : (date, dagdeel) => isClosedOn(own, s.location_id, date, dagdeel))) {
      list.push({ client_id: s.client_id, location_id: s.location_id, date: o.date, dagdeel: o.dagdeel });
    }
    if (turns.due()) await turns.pass();
  }
  return out;
}

/**
 * The tallies of these clients' planned and recorded dagdelen at the chosen locations in the
 * period, a client at a time (TallyOfParts: the same figures as one count over all of them).
 */
async function tallied(db: Knex, win: Window, clientIds: number[], groupOf: (c: PlannedDagdeel) => string): Promise<Map<string, Tally>> {
  const { from, until } = win.w;
  const chosenIds = new Set(win.chosen.map((l) => l.id));
  const [schedules, rows] = await Promise.all([overviewRepo.schedulesOfClients(db, clientIds, from, until), overviewRepo.rowsOfClients(db, clientIds, from, until)]);
  const planned = await plannedOf(db, win.chosen, schedules, from, until);
  const parts = new TallyOfParts(groupOf);
  const turns = new Turns(8);
  for (const id of clientIds) {
    parts.add(planned.get(id) ?? [], (rows.get(id) ?? []).filter((r) => chosenIds.has(r.location_id)));
    if (turns.due()) await turns.pass();
  }
  return parts.result();
}

export type ClientOverviewRow = ClientMonthTally & { first_name: string; last_name: string; name: string };
/** A client of the page and its months; none when the client's schedule planned nothing in the period (closures). */
export type ClientOverviewGroup = { client_id: number; name: string; first_name: string; last_name: string; rows: ClientOverviewRow[] };

async function clientGroups(db: Knex, win: Window, clients: overviewRepo.OverviewClient[]): Promise<ClientOverviewGroup[]> {
  const tallies = clientMonthRows(await tallied(db, win, clients.map((c) => c.id), clientMonthGroup));
  const byClient = new Map<number, ClientMonthTally[]>();
  for (const t of tallies) addToGroup(byClient, t.client_id, t);
  return clients.map((c) => {
    const name = `${c.first_name} ${c.last_name}`.trim();
    return { client_id: c.id, name, first_name: c.first_name, last_name: c.last_name, rows: (byClient.get(c.id) ?? []).map((t) => ({ ...t, first_name: c.first_name, last_name: c.last_name, name })) };
  });
}

export type PageOf<T> = { total: number; page: number; pageSize: number; groups: T[]; countedUntil: string };

/**
 * The page asked for of what `find` lists (a page past the end: the last one), and the groups
 * `groups` makes of its rows.
 */
async function pageOfGroups<R, G>(
  win: Window,
  pageSize: number,
  requested: number | null,
  find: (limit: number, offset: number) => Promise<{ total: number; rows: R[] }>,
  groups: (rows: R[]) => Promise<G[]>,
): Promise<PageOf<G>> {
  if (empty(win)) return { total: 0, page: 1, pageSize, groups: [], countedUntil: win.countedUntil };
  const found = await pageOrLast(requested, pageSize, find);
  return { total: found.total, page: found.page, pageSize, groups: await groups(found.rows), countedUntil: win.countedUntil };
}

/** One page of clients (by name) with their months. */
export async function clientOverviewPage(db: Knex, scope: Scope, input: OverviewInput, today: string, requested: number | null): Promise<PageOf<ClientOverviewGroup>> {
  const win = await windowOf(db, scope, input, today);
  return pageOfGroups(win, CLIENTS_PER_PAGE, requested, (limit, offset) => overviewRepo.clientsOnPage(db, scope, win.w, limit, offset), (rows) => clientGroups(db, win, rows));
}

/** Every client's months for the CSV, a slice of clients at a time (by name). */
export async function* clientOverviewSlices(db: Knex, scope: Scope, input: OverviewInput, today: string): AsyncGenerator<ClientOverviewRow[]> {
  const win = await windowOf(db, scope, input, today);
  if (empty(win)) return;
  let after: { sort_key: string; id: number } | null = null;
  for (;;) {
    const clients = await overviewRepo.clientsAfter(db, scope, win.w, after, CSV_CLIENTS_PER_SLICE);
    if (clients.length === 0) return;
    yield (await clientGroups(db, win, clients)).flatMap((g) => g.rows);
    const last = clients[clients.length - 1];
    after = { sort_key: last.sort_key, id: last.id };
    if (clients.length < CSV_CLIENTS_PER_SLICE) return;
  }
}

export type LocationOverviewRow = LocationWeekTally & { location_name: string; provider_name: string; week_start: string };
export type LocationOverviewGroup = { location_id: number; location_name: string; provider_name: string; rows: LocationOverviewRow[] };

async function locationGroups(db: Knex, win: Window, locations: overviewRepo.OverviewLocation[]): Promise<LocationOverviewGroup[]> {
  const clientIds = await overviewRepo.clientsAt(db, locations.map((l) => l.id), win.w.from, win.w.until);
  const tallies = locationWeekRows(await tallied(db, win, clientIds, locationWeekGroup()));
  const onPage = new Set(locations.map((l) => l.id));
  const byLocation = new Map<number, LocationWeekTally[]>();
  for (const t of tallies) if (onPage.has(t.location_id)) addToGroup(byLocation, t.location_id, t);
  return locations.map((l) => ({
    location_id: l.id,
    location_name: l.name,
    provider_name: l.provider_name,
    rows: (byLocation.get(l.id) ?? []).map((t) => ({ ...t, location_name: l.name, provider_name: l.provider_name, week_start: mondayOfWeekParam(t.week) ?? "" })),
  }));
}

/** How many locations a page holds: as many as keep it near 200 rows of weeks, at most 25. */
export function locationsPerPage(from: string, until: string): number {
  const days = dayNumber(until) - dayNumber(from) + 1;
  const weeks = Math.ceil(days / 7) + 1;
  return Math.max(1, Math.min(LOCATIONS_PER_PAGE_MAX, Math.floor(LOCATION_ROWS_PER_PAGE / weeks)));
}

/** One page of locations (by name) with their weeks. */
export async function locationOverviewPage(db: Knex, scope: Scope, input: OverviewInput, today: string, requested: number | null): Promise<PageOf<LocationOverviewGroup>> {
  const win = await windowOf(db, scope, input, today);
  const pageSize = locationsPerPage(input.from, input.until);
  return pageOfGroups(win, pageSize, requested, (limit, offset) => overviewRepo.locationsOnPage(db, scope, win.w, limit, offset), (rows) => locationGroups(db, win, rows));
}

/** Every location's weeks for the CSV, a few locations at a time (by name). */
export async function* locationOverviewSlices(db: Knex, scope: Scope, input: OverviewInput, today: string): AsyncGenerator<LocationOverviewRow[]> {
  const win = await windowOf(db, scope, input, today);
  if (empty(win)) return;
  for (let offset = 0; ; offset += CSV_LOCATIONS_PER_SLICE) {
    const found = await overviewRepo.locationsOnPage(db, scope, win.w, CSV_LOCATIONS_PER_SLICE, offset);
    if (found.rows.length === 0) return;
    yield (await locationGroups(db, win, found.rows)).flatMap((g) => g.rows);
    if (offset + found.rows.length >= found.total) return;
  }
}
