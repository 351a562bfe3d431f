import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { anyOverCapacity, overCapacityRuns, type OverRun } from "../domain/pattern-checks";
import type { OccupancyInputs } from "../domain/occupancy";
import { loadOccupancyInputs } from "../occupancy/repository";
import { Turns } from "../web/turns";

// Dagdelen that hold more clients than places: what a removed closure, a restored capacity or
// an old booking leaves behind. A coordinator may overbook with a written reason (the audit log
// keeps it); bookings past capacity WITHOUT such a reason are a problem to solve, listed here
// with the bookings that overflow — the latest ones, as a first come, first served place.

export type OverflowingBooking = { schedule_id: number; client_id: number; client_name: string };

export type OverCapacity = {
  location_id: number;
  location_name: string;
  run: OverRun;
  /** The bookings past the places, latest first, without an overbooking reason. */
  overflowing: OverflowingBooking[];
};

/** Schedule ids among these whose creation or change was an overbooking with a written reason. */
async function overbookedWithReason(db: Knex, scheduleIds: number[]): Promise<Set<number>> {
  if (scheduleIds.length === 0) return new Set();
  const rows: { entity_id: number }[] = await db("audit_log")
    .where("entity", "schedule")
    .whereIn("action", ["create", "update"])
    .whereIn("entity_id", scheduleIds)
    .where("details", "like", '%"overbook":{"reason"%')
    .select("entity_id");
  return new Set(rows.map((r) => r.entity_id));
}

export type CheckedLocation = { id: number; name: string; provider_id: number };

/**
 * The locations in scope the list looks at: the active ones, and those switched off while
 * schedules still run there from `date` (they have no places, so those schedules overflow).
 */
export function activeLocationsInScope(db: Knex, scope: Scope, date: string): Promise<CheckedLocation[]> {
  const stillBooked = db("schedules as s").whereRaw("s.location_id = l.id").where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", date)).select(db.raw("1"));
  return scope.providers(
    db("locations as l").where((w) => w.where("l.active", true).orWhereExists(stillBooked)).select("l.id", "l.name", "l.provider_id").orderBy("l.sort_key"),
    "l.provider_id",
  );
}

/** What the caller has already read for these locations over the same dates. */
export type Preloaded = { locations: CheckedLocation[]; inputs: OccupancyInputs };

/**
 * Over-capacity runs of every active location in scope between two dates: five queries for the
 * rows, one for the reasons and one for the names. `until` may be LAST_DATE with `openEnded`:
 * "later" is any date up to the end of the last schedule. Each location is first asked
 * anyOverCapacity() (stretch by stretch, no day walked); only those where it says yes are
 * looked at run by run (overCapacityRuns finds nothing for the others).
 */
export async function overCapacity(db: Knex, scope: Scope, from: string, until: string, preloaded?: Preloaded, openEnded = false): Promise<OverCapacity[]> {
  const locations = preloaded?.locations ?? (await activeLocationsInScope(db, scope, from));
  if (locations.length === 0) return [];
  const inputs = preloaded?.inputs ?? (await loadOccupancyInputs(db, locations.map((l) => l.id), from, until));
  const rulesOf = groupedBy(inputs.rules, (r) => r.location_id);
  const schedulesOf = groupedBy(inputs.schedules, (s) => s.location_id);
  const extrasOf = groupedBy(inputs.extras, (e) => e.location_id);
  const closuresOf = groupedBy(inputs.closures, (c) => c.provider_id);
  const found: { location: (typeof locations)[number]; run: OverRun; scheduleIds: number[] }[] = [];
  const turn = new Turns(1);
  for (const location of locations) {
    if (turn.due()) await turn.pass();
    const schedules = schedulesOf.get(location.id) ?? [];
    const ctx = {
      locationId: location.id,
      rules: rulesOf.get(location.id) ?? [],
      closures: closuresOf.get(location.provider_id) ?? [],
      schedules,
      extras: extrasOf.get(location.id) ?? [],
    };
    if (!anyOverCapacity(ctx, from, until)) continue;
    for (const run of overCapacityRuns(ctx, from, until, openEnded)) {
      // The schedules that hold the run's clients there, latest booked first: the ones that overflow.
      const holding = schedules
        .filter((s) => run.clientIds.includes(s.client_id) && s.valid_from <= run.from && (s.valid_until === null || s.valid_until >= run.from) && s.slots.some((x) => x.weekday === run.weekday && x.dagdeel === run.dagdeel))
        .sort((a, b) => b.id - a.id);
      found.push({ location, run, scheduleIds: holding.slice(0, run.booked - run.places).map((s) => s.id) });
    }
  }
  const reasoned = await overbookedWithReason(db, found.flatMap((f) => f.scheduleIds));
  const open = found.map((f) => ({ ...f, scheduleIds: f.scheduleIds.filter((id) => !reasoned.has(id)) })).filter((f) => f.scheduleIds.length > 0);
  const names: { id: number; client_id: number; client_name: string }[] = open.length === 0 ? [] : await db("schedules as s")
    .join("clients as c", "c.id", "s.client_id")
    .whereIn("s.id", open.flatMap((f) => f.scheduleIds))
    .select("s.id", "s.client_id", db.raw("c.first_name || ' ' || c.last_name as client_name"));
  const byId = new Map(names.map((n) => [n.id, n]));
  return open
    .map((f) => ({
      location_id: f.location.id,
      location_name: f.location.name,
      run: f.run,
      overflowing: f.scheduleIds.map((id) => ({ schedule_id: id, client_id: byId.get(id)?.client_id ?? 0, client_name: byId.get(id)?.client_name ?? `#${id}` })),
    }))
    .sort((a, b) => a.run.from.localeCompare(b.run.from) || a.location_name.localeCompare(b.location_name));
}

function groupedBy<T>(items: T[], by: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const list = out.get(by(item));
    if (list) list.push(item);
    else out.set(by(item), [item]);
  }
  return out;
}
