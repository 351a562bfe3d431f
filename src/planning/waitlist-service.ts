import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Actor } from "../auth/types";
import { HORIZON_WEEKS } from "../domain/booking-rules";
import { timestamp, today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import type { Slot } from "../domain/schedule";
import { OccupancyGrid } from "../domain/occupancy-grid";
import { loadOccupancyInputs } from "../occupancy/repository";
import { Turns } from "../web/turns";
import type { ScheduleInput } from "./booking-check";
import * as schedules from "./schedule-repository";
import * as repo from "./waitlist-repository";
import { candidateAllocations, fundedEntryIds } from "./waitlist-funding";
import { pageOf } from "../web/pagination";

// The waiting list, by need. "Past nu" needs two answers: room — every wished slot has a free
// place on every open date from today over the booking horizon (26 weeks), the look-ahead a
// booking from today is checked over — and funding that would let the booking through
// (fundedEntryIds: the booking rules' own allocation check). Room alone is not enough.

export type EntryWithFit = repo.EntryRow & { fits: boolean; room: boolean; funded: boolean };

/** Adds the funding answer to entries that already know whether there is room; asks only about those with room. */
export async function withFunding(db: Knex, entries: (repo.EntryRow & { room: boolean })[], date: string): Promise<EntryWithFit[]> {
  const funded = await fundedEntryIds(db, entries.filter((e) => e.room), date);
  return entries.map((e) => ({ ...e, funded: funded.has(e.id), fits: e.room && funded.has(e.id) }));
}

export function fitWindow(date: string): { from: string; until: string } {
  return { from: date, until: addDays(date, HORIZON_WEEKS * 7 - 1) };
}

/**
 * Adds "fits" to each entry: one read of occupancy's rows for all their locations over the fit
 * window, and the grid asked about each entry's wished slots (grid.wishesFit, held to
 * wishesFit). Making every cell of the half year of every location first, and an index of
 * them, was tens of thousands of objects in one stretch: with the garbage collection they
 * called for, /wachtlijst's longest block (issue 11).
 */
export async function withFit(db: Knex, entries: repo.EntryRow[], date: string): Promise<EntryWithFit[]> {
  const waiting = entries.filter((e) => e.status === "wachtend");
  const locationIds = [...new Set(waiting.map((e) => e.location_id))];
  const { from, until } = fitWindow(date);
  const grid = new OccupancyGrid(await loadOccupancyInputs(db, locationIds, from, until), from, until);
  const turns = new Turns(1);
  const withRoom: (repo.EntryRow & { room: boolean })[] = [];
  for (const e of entries) {
    if (turns.due()) await turns.pass();
    withRoom.push(...withRoomOnGrid([e], grid));
  }
  return withFunding(db, withRoom, date);
}

/** "room" from a grid already counted over the fit window (fitWindow) for the entries' locations. */
export function withRoomOnGrid(entries: repo.EntryRow[], grid: OccupancyGrid): (repo.EntryRow & { room: boolean })[] {
  return entries.map((e) => ({ ...e, room: e.status === "wachtend" && grid.wishesFit(e.location_id, e.slots, e.client_id) }));
}

export const ENTRIES_PER_PAGE = 50;

export type ListFilter = { locationId: number | null; villageId: number | null; gemeentecode: string | null };

/** One page of the waiting clients across the region (narrowed by location, village or gemeente), by need, each with "fits". */
export async function waitingList(db: Knex, date: string, f: ListFilter, page = 1): Promise<{ entries: EntryWithFit[]; total: number }> {
  const filter: repo.EntryFilter = {
    status: "wachtend",
    locationIds: f.locationId === null ? undefined : [f.locationId],
    villageId: f.villageId ?? undefined,
    gemeentecode: f.gemeentecode ?? undefined,
  };
  const total = await repo.countEntries(db, filter);
  const { offset } = pageOf(page, total, ENTRIES_PER_PAGE);
  const entries = await repo.listEntries(db, filter, { limit: ENTRIES_PER_PAGE, offset });
  return { entries: await withFit(db, entries, date), total };
}

export type EntryInput = { client_id: number; location_id: number; since: string; priority: number; note: string | null; funding: repo.WaitlistFunding; slots: Slot[] };

export async function addEntry(db: Knex, clock: Clock, actor: Actor, input: EntryInput): Promise<number> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators keep the waiting list");
  const errors: Record<string, string> = {};
  if (input.slots.length === 0) errors.slots = "planning.errors.slotsRequired";
  if (input.since > today(clock)) errors.since = "planning.errors.sinceFuture";
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return db.transaction(async (trx) => {
    if (!(await trx("clients").where({ id: input.client_id }).first("id"))) throw new NotFoundError("client");
    if (!(await trx("locations").where({ id: input.location_id }).first("id"))) throw new NotFoundError("location");
    const already = await repo.listEntries(trx, { status: "wachtend", clientId: input.client_id, locationIds: [input.location_id] });
    if (already.length > 0) throw new ValidationError({ location_id: "planning.errors.alreadyWaiting" });
    const at = timestamp(clock);
    const id = await repo.insertEntry(trx, { client_id: input.client_id, location_id: input.location_id, since: input.since, priority: input.priority, note: input.note, funding: input.funding, created_at: at }, input.slots);
    await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "waitlist_entry", entityId: id, details: { ...input } });
    return id;
  });
}

/** Takes a waiting client off the list without a place ("vervallen"). */
export async function lapseEntry(db: Knex, clock: Clock, actor: Actor, id: number): Promise<void> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators keep the waiting list");
  await db.transaction(async (trx) => {
    // Locked before its status is read: a booking placing it at the same moment closes it or this does, not both.
    const entry = await repo.lockEntry(trx, id);
    if (!entry || entry.status !== "wachtend") throw new NotFoundError("waitlist entry");
    await repo.setStatus(trx, id, "vervallen", timestamp(clock));
    await recordAudit(trx, clock, { userId: actor.userId, action: "lapse", entity: "waitlist_entry", entityId: id });
  });
}

/** The schedule form's input for planning a waiting client. */
export type PlanInput = Partial<ScheduleInput> & { client_id: number; location_id: number; slots: Slot[]; waitlist_entry_id: number };

/**
 * "Inplannen": the schedule form prefilled for a waiting client — the wished slots every week
 * from today, funded as the entry says. Under an allocation: the one running dagdeel
 * allocation with the location's provider (until its end), or the choice when there are more;
 * on subsidy (or without any allocation): the provider's one subsidy contract, if it has one.
 * Nothing is booked here: it is a page (a GET that survives a reload); saving the form books
 * through bookSchedule, which closes the entry in the same transaction.
 */
export async function planInput(db: Knex, clock: Clock, actor: Actor, id: number): Promise<PlanInput> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators plan schedules");
  const entry = await repo.findEntry(db, id);
  if (!entry || entry.status !== "wachtend") throw new NotFoundError("waitlist entry");
  const date = today(clock);
  const base = { client_id: entry.client_id, location_id: entry.location_id, slots: entry.slots, waitlist_entry_id: entry.id, valid_from: date, week_parity: "elke" as const };
  // Both reads always (two queries, whatever the entry): the page asks as many for any entry.
  const [ofClient, subsidies] = await Promise.all([schedules.allocationsOfClient(db, entry.client_id), schedules.activeContractsOf(db, entry.provider_id, "subsidie")]);
  if (entry.funding === "pgb" || entry.funding === "eigen") return { ...base, funding: entry.funding };
  const allocations = entry.funding === "toewijzing" ? candidateAllocations(entry, ofClient, date) : [];
  if (allocations.length === 1) return { ...base, funding: "toewijzing", allocation_id: allocations[0].id, valid_until: allocations[0].valid_until };
  if (allocations.length > 1) return { ...base, funding: "toewijzing" };
  return { ...base, funding: "subsidie", contract_id: subsidies.length === 1 ? subsidies[0].id : null };
}
