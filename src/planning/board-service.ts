import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { Dagdeel } from "../domain/dagdeel";
import { addDays, isoWeekday } from "../domain/dates";
import { NotFoundError } from "../domain/errors";
import { wishesFitIndexed, wishIndex } from "../domain/wish-fit";
import { nextWeekParam, previousWeekParam, weekParamOf } from "../domain/iso-week";
import { fullnessOf, type Fullness } from "../domain/fullness";
import type { OccupancyCell } from "../domain/occupancy";
import { occupancy } from "../occupancy/service";
import * as repo from "./board-repository";
import { fitWindow } from "./waitlist-service";
import { fundedEntryIds } from "./waitlist-funding";
import { listEntries } from "./waitlist-repository";
import { slotLabels } from "./weekdays";
import { WEEKDAYS } from "../locations/weekdays";
import { KeptAnswers } from "../data-version/kept";
import { ensureVersionTriggers } from "../data-version/triggers";
import { dataVersion } from "../data-version/versions";
import { pageOf } from "../web/pagination";

// The planning board of one location and ISO week, and the week overview of every location.
// Both count through the shared occupancy(); the board adds one query for the names (and, for
// a coordinator, one for the waiting list), whatever the number of clients.

export type Column = {
  date: string;
  dagdeel: Dagdeel;
  places: number;
  booked: number;
  closed: boolean;
  reasons: string;
  level: Fullness;
};

export type Day = { date: string; key: string; short: string; dm: string; columns: Column[] };

/** "d-M" of an ISO date, without a DateTime per column of every location. */
function dayMonth(date: string): string {
  return `${Number(date.slice(8, 10))}-${Number(date.slice(5, 7))}`;
}

/** The columns of one location's week; `cells` are that location's (the overview groups them once). */
function weekColumns(cells: OccupancyCell[], dates: string[]): Day[] {
  const at = new Map(cells.map((c) => [`${c.date}|${c.dagdeel}`, c]));
  return dates.map((date) => {
    const d = WEEKDAYS[isoWeekday(date) - 1];
    const columns = (["ochtend", "middag"] as const).map((dagdeel) => {
      const c = at.get(`${date}|${dagdeel}`)!;
      return { date, dagdeel, places: c.places, booked: c.booked, closed: c.closed, reasons: c.closureReasons.join(", "), level: fullnessOf(c) };
    });
    return { date, key: d.key, short: d.short, dm: dayMonth(date), columns };
  });
}

/**
 * The days a week shows: Monday to Friday always, Saturday and Sunday only where a location
 * has places then (or somebody comes): most open on weekdays only, and seven empty columns
 * would push the week off a laptop's screen.
 */
export function shownDates(cells: OccupancyCell[], monday: string): string[] {
  const open = new Set(cells.filter((c) => c.places > 0 || c.booked > 0).map((c) => c.date));
  return WEEKDAYS.map((_, i) => addDays(monday, i)).filter((date, i) => i < 5 || open.has(date));
}

/** The week shown (Monday to Sunday) and the ?week= values of its neighbours and of this week. */
function weekLinks(monday: string, date: string) {
  return {
    monday,
    weekParam: weekParamOf(monday),
    previous: previousWeekParam(monday),
    next: nextWeekParam(monday),
    thisWeek: weekParamOf(date),
  };
}

export type Mark = { mark: "planned" | "extra" | null; closed: boolean };
export type BoardRow = { client_id: number; name: string; schedule_id: number | null; marks: Mark[]; count: number };

export type LocationBoard = Awaited<ReturnType<typeof makeLocationBoard>>;

/**
 * Boards made lately, per database handle, by location × week × today × with or without the
 * waiting list: under load the same board is asked again and again, and is made again only when
 * the board version (data_versions 'board', src/data-version/) moved.
 */
const keptBoards = new KeptAnswers<LocationBoard>(200);

/** Whether the actor may see a kept board's location: as findBoardLocation's scope says, without a query where it can. */
async function mayShow(db: Knex, scope: Scope, location: repo.BoardLocation): Promise<boolean> {
  if (scope.seesEverything) return true;
  if (scope.actor.role === "provider") return scope.ownsProvider(location.provider_id);
  return (await repo.findBoardLocation(db, scope, location.id)) !== undefined;
}

/**
 * The board of one location and week: kept (see above) and checked against the board version
 * with one query — none when the request read the version already (`knownVersion`, read with
 * the session's user); made afresh when that moved. The kept object is shared: callers must not
 * change it.
 */
export async function locationBoard(db: Knex, scope: Scope, locationId: number, monday: string, date: string, withWaitlist: boolean, knownVersion?: number): Promise<LocationBoard> {
  // The version first, then the data: a board is never kept under a version newer than its data.
  // Triggers created just now (the first board of a process on a new database) raised it again.
  const created = await ensureVersionTriggers(db);
  const version = knownVersion !== undefined && !created ? knownVersion : await dataVersion(db, "board");
  const key = `${locationId}|${monday}|${date}|${withWaitlist ? 1 : 0}`;
  // The board is the same for every scope that may see its location; whether this actor may is
  // asked of a board this request did not make (kept, or being made for another request).
  let made = false;
  const make = () => {
    made = true;
    return makeLocationBoard(db, scope, locationId, monday, date, withWaitlist);
  };
  let board: LocationBoard;
  try {
    board = await keptBoards.answer(db, key, version, make);
  } catch (err) {
    // Another request's making failed (its actor may not see the location): this one makes its own.
    if (made) throw err;
    return makeLocationBoard(db, scope, locationId, monday, date, withWaitlist);
  }
  if (!made && !(await mayShow(db, scope, board.location))) throw new NotFoundError("location");
  return board;
}

async function makeLocationBoard(db: Knex, scope: Scope, locationId: number, monday: string, date: string, withWaitlist: boolean) {
  const location = await repo.findBoardLocation(db, scope, locationId);
  if (!location) throw new NotFoundError("location");
  const sunday = addDays(monday, 6);
  // The week and, for the waiting list, the look-ahead from today: one occupancy() call when
  // they touch, two when the week lies far off (a week in 2090 must not count every day until then).
  const fit = fitWindow(date);
  const together = withWaitlist && monday <= addDays(fit.until, 7) && sunday >= addDays(fit.from, -7);
  const [weekRange, fitRange] = [
    together ? { from: fit.from < monday ? fit.from : monday, until: fit.until > sunday ? fit.until : sunday } : { from: monday, until: sunday },
    withWaitlist && !together ? fit : null,
  ];
  const [cells, waiting] = await Promise.all([
    Promise.all([occupancy(db, [location.id], weekRange.from, weekRange.until), fitRange ? occupancy(db, [location.id], fitRange.from, fitRange.until) : []]).then(([a, b]) => [...a, ...b]),
    withWaitlist ? listEntries(db, { status: "wachtend", locationIds: [location.id] }) : Promise.resolve([]),
  ]);
  const weekCells = cells.filter((c) => c.date >= monday && c.date <= sunday);
  const days = weekColumns(weekCells, shownDates(weekCells, monday));
  const columns = days.flatMap((d) => d.columns);

  const byKey = new Map(weekCells.map((c) => [`${c.date}|${c.dagdeel}`, c]));
  const clientIds = [...new Set(weekCells.flatMap((c) => [...c.scheduledClientIds, ...c.extraClientIds]))];
  const names = await repo.boardNames(db, location.id, clientIds, monday, sunday);
  const seen = new Set<number>();
  const rows: BoardRow[] = [];
  for (const n of names) {
    if (seen.has(n.id)) continue; // the latest schedule of the week gives the link
    seen.add(n.id);
    const marks: Mark[] = columns.map((col) => {
      const c = byKey.get(`${col.date}|${col.dagdeel}`)!;
      const mark = c.scheduledClientIds.includes(n.id) ? "planned" : c.extraClientIds.includes(n.id) ? "extra" : null;
      return { mark, closed: c.closed };
    });
    rows.push({ client_id: n.id, name: `${n.first_name} ${n.last_name}`, schedule_id: n.schedule_id, marks, count: marks.filter((m) => m.mark).length });
  }

  const fitCells = cells.filter((c) => c.date >= fit.from && c.date <= fit.until);
  const fitIndex = wishIndex(fitCells);
  // Room is not enough: only those whose funding would let the booking through.
  const withRoom = waiting.filter((e) => wishesFitIndexed(e.slots, fitIndex, e.client_id));
  const funded = await fundedEntryIds(db, withRoom, date);
  const fits = withRoom.filter((e) => funded.has(e.id)).map((e) => ({ ...e, slotLabels: slotLabels(e.slots) }));

  return {
    location,
    ...weekLinks(monday, date),
    lastDay: days[days.length - 1].date,
    days,
    columns,
    rows,
    fits,
    waitingCount: waiting.length,
    span: columns.length + 1,
  };
}

/**
 * The volunteers' list: only the dagdelen the location opens (or someone comes, or a closure
 * is worth telling) — a village facility open two mornings a week prints two columns, not ten.
 */
export function printable<M extends { days: Day[]; rows: BoardRow[]; span: number }>(model: M): M {
  const keep = model.days.flatMap((d) => d.columns.map((c) => c.places > 0 || c.booked > 0 || c.closed));
  return {
    ...model,
    days: model.days.map((d, i) => ({ ...d, columns: d.columns.filter((_, j) => keep[i * 2 + j]) })).filter((d) => d.columns.length > 0),
    columns: model.days.flatMap((d) => d.columns).filter((_, k) => keep[k]),
    rows: model.rows.map((r) => ({ ...r, marks: r.marks.filter((_, k) => keep[k]) })),
    span: keep.filter(Boolean).length + 1,
  };
}

/** Every (visible) location's occupancy for the week (weekend days when any opens then): one occupancy() call. */
/** Locations per page of the week overview: a region's coordinator narrows it by village or kind. */
export const OVERVIEW_PAGE = 40;

export async function weekOverview(db: Knex, scope: Scope, monday: string, date: string, filter: repo.OverviewFilter & { page: number } = { villageId: null, subkind: null, page: 1 }) {
  const [all, villages] = await Promise.all([repo.activeBoardLocations(db, scope, filter), repo.boardVillages(db, scope)]);
  const { page, pages } = pageOf(filter.page, all.length, OVERVIEW_PAGE);
  const locations = all.slice((page - 1) * OVERVIEW_PAGE, page * OVERVIEW_PAGE);
  const cells = await occupancy(
    db,
    locations.map((l) => l.id),
    monday,
    addDays(monday, 6),
  );
  const byLocation = new Map<number, OccupancyCell[]>();
  for (const c of cells) {
    const list = byLocation.get(c.location_id);
    if (list) list.push(c);
    else byLocation.set(c.location_id, [c]);
  }
  const dates = shownDates(cells, monday);
  return {
    ...weekLinks(monday, date),
    lastDay: dates[dates.length - 1],
    span: 1 + 2 * dates.length,
    days: dates.map((d) => {
      const w = WEEKDAYS[isoWeekday(d) - 1];
      return { date: d, key: w.key, short: w.short, dm: dayMonth(d) };
    }),
    locations: locations.map((l) => ({ ...l, days: weekColumns(byLocation.get(l.id) ?? [], dates) })),
    villages,
    total: all.length,
    page,
  };
}
