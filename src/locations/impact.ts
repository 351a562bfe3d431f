import type { Knex } from "knex";
import { ruleOn, type CapacityRule } from "../domain/capacity";
import { closuresOn, MAX_CLOSURE_DAYS, type ClosureSpan } from "../domain/closures";
import { occupancyCells } from "../domain/occupancy";
import { loadOccupancyInputs } from "../occupancy/repository";
import type { Dagdeel } from "../domain/dagdeel";
import { addDays } from "../domain/dates";
import { occupancy } from "../occupancy/service";
import { clientNames } from "./repository";

// Who a capacity change or a closure would hit: clients already scheduled (or coming as an
// extra) on the dagdelen concerned. Counted through the shared occupancy, in a fixed number of
// queries whatever the number of clients, dates or locations.

/** How far ahead a lowered capacity is checked against the schedules. */
export const IMPACT_WEEKS = 12;

export type AffectedCell = {
  location_id: number;
  location_name: string;
  date: string;
  dagdeel: Dagdeel;
  booked: number;
  placesBefore: number;
  /** Places after the change; 0 for a closure. */
  placesAfter: number;
  clients: { id: number; name: string }[];
};

type Named = { id: number; name: string };

async function withNames(
  db: Knex | Knex.Transaction,
  cells: Omit<AffectedCell, "clients">[],
  ids: Map<string, number[]>,
): Promise<AffectedCell[]> {
  const names = await clientNames(db, [...ids.values()].flat());
  return cells.map((c) => ({
    ...c,
    clients: (ids.get(`${c.location_id}|${c.date}|${c.dagdeel}`) ?? [])
      .map((id) => ({ id, name: names.get(id) ?? `#${id}` }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

/**
 * The dagdelen from `from` on (over IMPACT_WEEKS, or to `until` when sooner) where the new
 * rules leave fewer places than are booked, and fewer than there were — or restore places on a
 * dagdeel that had none, but too few: those clients lose their place. A cell that was already
 * overbooked and does not get worse is not "affected".
 */
export async function capacityImpact(
  db: Knex | Knex.Transaction,
  location: Named,
  newRules: CapacityRule[],
  from: string,
  until: string | null,
): Promise<AffectedCell[]> {
  const horizon = addDays(from, IMPACT_WEEKS * 7 - 1);
  const end = until !== null && until < horizon ? until : horizon;
  const cells = await occupancy(db, [location.id], from, end);
  const hit: Omit<AffectedCell, "clients">[] = [];
  const ids = new Map<string, number[]>();
  for (const cell of cells) {
    if (cell.closed || cell.booked === 0) continue;
    const placesAfter = ruleOn(newRules, cell.date, cell.dagdeel)?.places ?? 0;
    if (cell.booked <= placesAfter || placesAfter === cell.places) continue;
    // Fewer places than before; or a dagdeel that was not open at all (its clients kept their
    // schedules) opened again with too few places: both leave clients without a place.
    if (cell.places > 0 && placesAfter > cell.places) continue;
    hit.push({ location_id: location.id, location_name: location.name, date: cell.date, dagdeel: cell.dagdeel, booked: cell.booked, placesBefore: cell.places, placesAfter });
    ids.set(`${location.id}|${cell.date}|${cell.dagdeel}`, [...cell.scheduledClientIds, ...cell.extraClientIds]);
  }
  return withNames(db, hit, ids);
}

/**
 * The dagdelen that new closures would shut while clients are expected there (cells already
 * shut by an earlier closure are not counted again).
 */
export async function closureImpact(
  db: Knex | Knex.Transaction,
  locations: Named[],
  closures: ClosureSpan[],
): Promise<AffectedCell[]> {
  if (closures.length === 0 || locations.length === 0) return [];
  const from = closures.reduce((m, c) => (c.starts_on < m ? c.starts_on : m), closures[0].starts_on);
  const until = closures.reduce((m, c) => (c.ends_on > m ? c.ends_on : m), closures[0].ends_on);
  const byId = new Map(locations.map((l) => [l.id, l.name]));
  const cells = await occupancy(db, [...byId.keys()], from, until);
  const hit: Omit<AffectedCell, "clients">[] = [];
  const ids = new Map<string, number[]>();
  for (const cell of cells) {
    if (cell.closed || cell.booked === 0) continue;
    if (closuresOn(closures, cell.location_id, cell.date, cell.dagdeel).length === 0) continue;
    hit.push({ location_id: cell.location_id, location_name: byId.get(cell.location_id) ?? "", date: cell.date, dagdeel: cell.dagdeel, booked: cell.booked, placesBefore: cell.places, placesAfter: 0 });
    ids.set(`${cell.location_id}|${cell.date}|${cell.dagdeel}`, [...cell.scheduledClientIds, ...cell.extraClientIds]);
  }
  hit.sort((a, b) => a.date.localeCompare(b.date) || a.location_name.localeCompare(b.location_name) || (a.dagdeel === "ochtend" ? -1 : 1));
  return withNames(db, hit, ids);
}

/**
 * The dagdelen where lifting a closure brings back more clients than there are places: while
 * it shut them, bookings were not counted there. From today (or its start) to its end, at most
 * a year (the longest closure there is); counted through the shared occupancy without it.
 */
export async function reopeningImpact(
  db: Knex | Knex.Transaction,
  locations: Named[],
  closure: ClosureSpan & { id: number },
  today: string,
): Promise<AffectedCell[]> {
  const targets = closure.location_id === null ? locations : locations.filter((l) => l.id === closure.location_id);
  const from = closure.starts_on > today ? closure.starts_on : today;
  const yearOn = addDays(from, MAX_CLOSURE_DAYS - 1);
  const until = closure.ends_on < yearOn ? closure.ends_on : yearOn;
  if (targets.length === 0 || until < from) return [];
  const inputs = await loadOccupancyInputs(db, targets.map((l) => l.id), from, until);
  const cells = occupancyCells({ ...inputs, closures: inputs.closures.filter((c) => c.id !== closure.id) }, from, until);
  const byId = new Map(targets.map((l) => [l.id, l.name]));
  const hit: Omit<AffectedCell, "clients">[] = [];
  const ids = new Map<string, number[]>();
  for (const cell of cells) {
    if (cell.closed || cell.booked <= cell.places) continue;
    if (closuresOn([closure], cell.location_id, cell.date, cell.dagdeel).length === 0) continue;
    hit.push({ location_id: cell.location_id, location_name: byId.get(cell.location_id) ?? "", date: cell.date, dagdeel: cell.dagdeel, booked: cell.booked, placesBefore: 0, placesAfter: cell.places });
    ids.set(`${cell.location_id}|${cell.date}|${cell.dagdeel}`, [...cell.scheduledClientIds, ...cell.extraClientIds]);
  }
  return withNames(db, hit, ids);
}

/** What the audit log keeps of a confirmed impact: dates and client ids, no names. */
export function impactForAudit(cells: AffectedCell[]) {
  return cells.map((c) => ({ location_id: c.location_id, date: c.date, dagdeel: c.dagdeel, booked: c.booked, places: c.placesAfter, clientIds: c.clients.map((x) => x.id) }));
}
