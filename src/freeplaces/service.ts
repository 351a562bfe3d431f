import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { DAGDELEN, type Dagdeel } from "../domain/dagdeel";
import { addDays, mondayOf } from "../domain/dates";
import type { OccupancyCell } from "../domain/occupancy";
import { FULLNESS_KEYS, fullnessOf, type Fullness } from "../domain/fullness";
import { weekdayOf } from "../locations/weekdays";
import { OccupancyGrid } from "../domain/occupancy-grid";
import { giveWay, Turns } from "../web/turns";
import { loadOccupancyInputs } from "../occupancy/repository";
import { cellsInTurns } from "../occupancy/service";
import { KeptAnswers, keptAt, keyOf } from "../data-version/kept";
import * as repo from "./repository";
import { pageOf } from "../web/pagination";

// The regional free-places view: per village, weekday and dagdeel, the free places over the
// coming weeks. One query for the locations, the occupancy inputs (five queries) for all of
// them, whatever the number of locations or clients. No client is named here.

export type FreePlacesFilter = { subkind: string | null; productId: number | null; weeks: number; page?: number | null };

type State = Fullness | "past";

const PAST_KEY = "freePlaces.past";

export type VillageCell = {
  date: string;
  state: State;
  stateKey: string;
  free: number;
  /** Per location with places then, when there are more than one. */
  parts: { name: string; free: number; closed: boolean }[];
  reasons: string[];
};

/**
 * What a purchaser placing a client every week needs: the free places that are there in every
 * one of the coming weeks (see steadyOf).
 */
export type Steady = { free: number | null; state: State; stateKey: string };

export type VillageRow = { weekday: number; weekdayKey: string; dagdeel: Dagdeel; cells: VillageCell[]; steady: Steady };

export type VillageTable = {
  anchor: string;
  village: string;
  locations: repo.FreePlaceLocation[];
  rows: VillageRow[];
  totalFree: number;
  /** The steady free places per overview column, in the order of FreePlacesView.columns. */
  overview: Steady[];
  /** Shown in full on this page (its rows carry their cells), and the page it is on. */
  shown: boolean;
  page: number;
};

export type OverviewColumn = { weekday: number; weekdayKey: string; shortKey: string; dagdeel: Dagdeel; dagdeelShortKey: string };

const DAGDEEL_SHORT: Record<Dagdeel, string> = { ochtend: "freePlaces.dagdeelShort.ochtend", middag: "freePlaces.dagdeelShort.middag" };

export type FreePlacesView = {
  from: string;
  until: string;
  weeks: { monday: string }[];
  columns: OverviewColumn[];
  /** Every village, for the overview; `shown` the ones in full on this page. */
  villages: VillageTable[];
  shown: VillageTable[];
  page: number;
  pages: number;
  totalFree: number;
};

const SHUT: Steady = { free: null, state: "shut", stateKey: FULLNESS_KEYS.shut };

function villageState(open: OccupancyCell[], free: number): Fullness {
  const places = open.reduce((n, c) => n + c.places, 0);
  const booked = open.reduce((n, c) => n + c.booked, 0);
  // One overbooked location does not make the village overbooked while another has room.
  if (booked > places) return free === 0 ? "full" : "tight";
  // Nor does it take another location's room: the village reads by the places really free.
  return fullnessOf({ closed: false, places, booked: places - free });
}

function combine(cells: OccupancyCell[], names: Map<number, string>, date: string, today: string): VillageCell {
  if (date < today) return { date, state: "past", stateKey: PAST_KEY, free: 0, parts: [], reasons: [] };
  const open = cells.filter((c) => c.open);
  const free = open.reduce((n, c) => n + c.free, 0);
  // With more than one location offering this dagdeel, say how the number is made up.
  const offering = cells.filter((c) => c.places > 0);
  const parts = offering.length > 1 ? offering.map((c) => ({ name: names.get(c.location_id) ?? "", free: c.free, closed: c.closed })) : [];
  const reasons = [...new Set(cells.flatMap((c) => (c.places > 0 ? c.closureReasons : [])))];
  const state: Fullness = open.length > 0 ? villageState(open, free) : cells.some((c) => c.closed && c.places > 0) ? "closed" : "shut";
  return { date, state, stateKey: FULLNESS_KEYS[state], free, parts, reasons };
}

/**
 * Per location the least free places over the weeks it is open (a closure is not a lack of
 * room), added up over the village's locations: that many clients can come every week.
 */
function steadyOf(perWeek: OccupancyCell[][], today: string): Steady {
  const byLocation = new Map<number, OccupancyCell[]>();
  for (const list of perWeek) {
    for (const cell of list) {
      if (cell.date < today) continue;
      const own = byLocation.get(cell.location_id);
      if (own) own.push(cell);
      else byLocation.set(cell.location_id, [cell]);
    }
  }
  let free: number | null = null;
  let closed = false;
  for (const cells of byLocation.values()) {
    const open = cells.filter((c) => c.open);
    if (open.length === 0) {
      closed ||= cells.some((c) => c.closed && c.places > 0);
      continue;
    }
    free = (free ?? 0) + Math.min(...open.map((c) => c.free));
  }
  if (free === null) return closed ? { free: null, state: "closed", stateKey: FULLNESS_KEYS.closed } : SHUT;
  // Two states only, so the number itself says it all (no meaning in colour alone).
  const state: Fullness = free === 0 ? "full" : "free";
  return { free, state, stateKey: FULLNESS_KEYS[state] };
}

/** Village detail tables per page: the overview names every village, the page shows a few in full. */
export const VILLAGES_PER_PAGE = 6;

/** A few answers per database handle: a filter or two, a page or two. */
const keptFreePlaces = new KeptAnswers<FreePlacesView>(12);

/**
 * `knownVersion`: the problems version as the request read it with the session's user, if it
 * did (one query less).
 */
export async function freePlaces(db: Knex, scope: Scope, filter: FreePlacesFilter, today: string, knownVersion?: number): Promise<FreePlacesView> {
  const from = mondayOf(today);
  const until = addDays(from, filter.weeks * 7 - 1);
  const locations = await repo.freePlaceLocations(db, scope, { subkind: filter.subkind, productId: filter.productId, from, until });
  // Kept against the problems version, which every write to what occupancy is made of raises —
  // schedules, slots, capacity rules, closures, locations, and an extra visit
  // (src/data-version/watched.ts) — and the locations listed: a region's free places read twelve
  // thousand schedules. Not the use version: every dagdeel recorded anywhere raises that one,
  // and the free places were counted again all day.
  return keptAt(keptFreePlaces, db, "problems", keyOf([today, filter, locations]), () => countFreePlaces(db, locations, filter, today, from, until), knownVersion);
}

async function countFreePlaces(db: Knex, locations: repo.FreePlaceLocation[], filter: FreePlacesFilter, today: string, from: string, until: string): Promise<FreePlacesView> {
  // The grid's cells location by location (as occupancy() gives them), with a turn for other
  // requests in between: a region's 200 locations over weeks are tens of thousands of cells.
  const inputs = await loadOccupancyInputs(db, locations.map((l) => l.id), from, until);
  const turns = new Turns(1);
  const cells = await cellsInTurns(new OccupancyGrid(inputs, from, until), turns);
  const names = new Map(locations.map((l) => [l.id, l.name]));
  const villageOf = new Map(locations.map((l) => [l.id, l.village]));

  // village → "date|dagdeel" → the cells of its locations
  const byVillage = new Map<string, Map<string, OccupancyCell[]>>();
  for (const cell of cells) {
    const village = villageOf.get(cell.location_id)!;
    let grid = byVillage.get(village);
    if (!grid) byVillage.set(village, (grid = new Map()));
    const k = `${cell.date}|${cell.dagdeel}`;
    const list = grid.get(k);
    if (list) list.push(cell);
    else grid.set(k, [cell]);
  }

  const weeks = Array.from({ length: filter.weeks }, (_, i) => ({ monday: addDays(from, i * 7) }));
  const villageNames = [...byVillage.keys()].sort((a, b) => a.localeCompare(b));
  const { page } = pageOf(filter.page ?? null, villageNames.length, VILLAGES_PER_PAGE);
  const shown = new Set(villageNames.slice((page - 1) * VILLAGES_PER_PAGE, page * VILLAGES_PER_PAGE));
  const tables: Omit<VillageTable, "overview" | "anchor" | "page">[] = [];
  for (const village of villageNames) {
    if (turns.due()) await turns.pass();
    const grid = byVillage.get(village)!;
    const rows: VillageRow[] = [];
    for (let weekday = 1; weekday <= 7; weekday++) {
      for (const dagdeel of DAGDELEN) {
        const dates = weeks.map((w) => addDays(w.monday, weekday - 1));
        const perWeek = dates.map((date) => grid.get(`${date}|${dagdeel}`) ?? []);
        // A row only for a weekday and dagdeel on which some location of the village has places.
        if (!perWeek.some((list) => list.some((c) => c.places > 0))) continue;
        // The cells of each week only for the villages shown in full on this page.
        const villageCells = shown.has(village) ? perWeek.map((list, i) => combine(list, names, dates[i], today)) : [];
        rows.push({ weekday, weekdayKey: weekdayOf(weekday).key, dagdeel, cells: villageCells, steady: steadyOf(perWeek, today) });
      }
    }
    const totalFree = [...grid.values()].reduce((n, list) => n + (list[0].date < today ? 0 : list.reduce((m, c) => m + (c.open ? c.free : 0), 0)), 0);
    tables.push({ village, locations: locations.filter((l) => l.village === village), rows, totalFree, shown: shown.has(village) });
  }

  // The overview's columns: every weekday and dagdeel on which some village has places.
  const columns: OverviewColumn[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (const dagdeel of DAGDELEN) {
      if (tables.some((t) => t.rows.some((r) => r.weekday === weekday && r.dagdeel === dagdeel))) {
        columns.push({ weekday, weekdayKey: weekdayOf(weekday).key, shortKey: weekdayOf(weekday).short, dagdeel, dagdeelShortKey: DAGDEEL_SHORT[dagdeel] });
      }
    }
  }
  const villages = tables.map((t, i) => ({
    ...t,
    anchor: `kern-${i + 1}`,
    page: Math.floor(i / VILLAGES_PER_PAGE) + 1,
    overview: columns.map((col) => t.rows.find((r) => r.weekday === col.weekday && r.dagdeel === col.dagdeel)?.steady ?? SHUT),
  }));
  // The page renders next (166 kB for a coordinator): on a slice of its own.
  await giveWay();
  return {
    from,
    until,
    weeks,
    columns,
    villages,
    shown: villages.filter((v) => v.shown),
    page,
    pages: Math.max(1, Math.ceil(villages.length / VILLAGES_PER_PAGE)),
    totalFree: villages.reduce((n, v) => n + v.totalFree, 0),
  };
}
