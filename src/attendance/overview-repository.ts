import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { LocationSchedule } from "../domain/occupancy";
import { joinedSlots, joinedText, slotsOf } from "../db/sql";
import type { AttendanceStatus } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import { Turns } from "../web/turns";
import { withTotal } from "../db/with-total";
import type { RecordedRow } from "./repository";

// The reads behind the attendance overviews at region scale (issue 11): first which clients or
// locations a page shows (in the database, counted and paged), then the schedules and rows of
// those alone. A region's coordinator has some 20,000 clients at 200 locations; a year of their
// attendance is nearly two million rows, which no page reads.

/** The period counted and the location filter (null: every location in scope). */
export type OverviewWindow = { from: string; until: string; locationId: number | null };

/** Whether "at the chosen locations" narrows anything (not for a coordinator's every location). */
const narrows = (scope: Scope, w: OverviewWindow) => w.locationId !== null || !scope.seesEverything;

/** Restricts a query joined to `locations as l` to the actor's locations and the chosen one. */
function atChosen<Q extends Knex.QueryBuilder>(scope: Scope, q: Q, w: OverviewWindow): Q {
  if (w.locationId !== null) q.where("l.id", w.locationId);
  return scope.providers(q, "l.provider_id");
}

/** A schedule with slots at a chosen location that touches the period, of the client `c.id`. */
function scheduledThere(db: Knex, scope: Scope, w: OverviewWindow, clientColumn: string | null, locationColumn: string | null) {
  const q = db("schedules as s")
    .whereExists(db("schedule_slots as ss").whereRaw("ss.schedule_id = s.id").select(db.raw("1")))
    .where("s.valid_from", "<=", w.until)
    .where((x) => x.whereNull("s.valid_until").orWhere("s.valid_until", ">=", w.from))
    .select(db.raw("1"));
  if (clientColumn) q.whereRaw("s.client_id = ??", [clientColumn]);
  if (locationColumn) q.whereRaw("s.location_id = ??", [locationColumn]);
  // For a page of locations the outer query has narrowed them already.
  if (locationColumn || !narrows(scope, w)) return q;
  return atChosen(scope, q.join("locations as l", "l.id", "s.location_id"), w);
}

/** A row at a chosen location in the period. */
function recordedThere(db: Knex, scope: Scope, w: OverviewWindow, clientColumn: string | null, locationColumn: string | null) {
  const q = db("attendance as a").whereBetween("a.date", [w.from, w.until]).select(db.raw("1"));
  if (clientColumn) q.whereRaw("a.client_id = ??", [clientColumn]);
  if (locationColumn) q.whereRaw("a.location_id = ??", [locationColumn]);
  if (locationColumn || !narrows(scope, w)) return q;
  return atChosen(scope, q.join("locations as l", "l.id", "a.location_id"), w);
}

export type OverviewClient = { id: number; first_name: string; last_name: string };

/** Narrows a query on `clients as c` to those with a schedule or a row at the chosen locations in the period. */
const withClientThere = (db: Knex, scope: Scope, w: OverviewWindow) => (q: Knex.QueryBuilder) =>
  q.where((x) => x.whereExists(scheduledThere(db, scope, w, "c.id", null)).orWhereExists(recordedThere(db, scope, w, "c.id", null)));

/**
 * One page of the clients with a schedule or a row at the chosen locations in the period, by
 * name (sort key, then id), and how many there are: one query. Each client is looked at through
 * its own schedules and rows (indexes on client_id), never through every row of the period. A
 * schedule that touches the period counts, even when its every dagdeel fell on a closure.
 */
export async function clientsOnPage(db: Knex, scope: Scope, w: OverviewWindow, limit: number, offset: number): Promise<{ total: number; rows: OverviewClient[] }> {
  const narrowed = withClientThere(db, scope, w);
  const page = narrowed(db("clients as c"))
    .select("c.id", "c.first_name", "c.last_name")
    .orderBy([{ column: "c.sort_key" }, { column: "c.id" }])
    .limit(limit)
    .offset(offset);
  return withTotal<OverviewClient>(db, page, () => narrowed(db("clients as c")), offset);
}

/**
 * The next clients of the same list after `after` (by sort key and id), without a count: the
 * CSV goes through the whole list a slice at a time, each slice found from the index on the
 * sort key rather than by sorting every client again.
 */
export async function clientsAfter(db: Knex, scope: Scope, w: OverviewWindow, after: { sort_key: string; id: number } | null, limit: number): Promise<(OverviewClient & { sort_key: string })[]> {
  const q = withClientThere(db, scope, w)(db("clients as c"))
    .select("c.id", "c.first_name", "c.last_name", "c.sort_key")
    .orderBy([{ column: "c.sort_key" }, { column: "c.id" }])
    .limit(limit);
  if (after) q.where((x) => x.where("c.sort_key", ">", after.sort_key).orWhere((y) => y.where("c.sort_key", after.sort_key).where("c.id", ">", after.id)));
  return q;
}

export type OverviewLocation = { id: number; name: string; provider_id: number; provider_name: string };

/** One page of the chosen locations with a schedule or a row in the period, by name, and how many there are. */
export async function locationsOnPage(db: Knex, scope: Scope, w: OverviewWindow, limit: number, offset: number): Promise<{ total: number; rows: OverviewLocation[] }> {
  const narrowed = (q: Knex.QueryBuilder) =>
    atChosen(scope, q, w).where((x) => x.whereExists(scheduledThere(db, scope, w, null, "l.id")).orWhereExists(recordedThere(db, scope, w, null, "l.id")));
  const base = () => db("locations as l").join("organisations as o", "o.id", "l.provider_id");
  const page = narrowed(base())
    .select("l.id", "l.name", "l.provider_id", "o.name as provider_name")
    .orderBy([{ column: "l.sort_key" }, { column: "l.id" }])
    .limit(limit)
    .offset(offset);
  return withTotal<OverviewLocation>(db, page, () => narrowed(base()), offset);
}

/** The clients with a schedule or a row at these locations in the period (a page of locations). */
export async function clientsAt(db: Knex, locationIds: number[], from: string, until: string): Promise<number[]> {
  if (locationIds.length === 0) return [];
  const rows: { client_id: number }[] = await db("schedules as s")
    .whereIn("s.location_id", locationIds)
    .where("s.valid_from", "<=", until)
    .where((x) => x.whereNull("s.valid_until").orWhere("s.valid_until", ">=", from))
    .select("s.client_id")
    .union(db("attendance as a").whereIn("a.location_id", locationIds).whereBetween("a.date", [from, until]).select("a.client_id"));
  return [...new Set(rows.map((r) => r.client_id))];
}

/**
 * The schedules of these clients that touch the period, wherever they are (the caller keeps
 * those at its locations): read by client, so the index on client_id answers it.
 */
export async function schedulesOfClients(db: Knex, clientIds: number[], from: string, until: string): Promise<LocationSchedule[]> {
  if (clientIds.length === 0) return [];
  type Row = Omit<LocationSchedule, "slots"> & { slots: string | null };
  const rows = (await db("schedules as s")
    .join("schedule_slots as ss", "ss.schedule_id", "s.id")
    .whereIn("s.client_id", clientIds)
    .where("s.valid_from", "<=", until)
    .where((x) => x.whereNull("s.valid_until").orWhere("s.valid_until", ">=", from))
    .groupBy("s.id", "s.client_id", "s.location_id", "s.valid_from", "s.valid_until", "s.week_parity")
    .select("s.id", "s.client_id", "s.location_id", "s.valid_from", "s.valid_until", "s.week_parity", { slots: joinedSlots(db) })
    .orderBy("s.id")) as Row[];
  return rows.map((r) => ({ ...r, slots: slotsOf(r.slots) }));
}

/**
 * The rows of these clients in the period, wherever they are (the caller keeps those at its
 * locations), by client. Read as one line per client and location ("date dagdeel status,…"):
 * a page of locations over a year is some hundred thousand rows, which the driver turns into
 * objects several times slower, and on the event loop, than into a few hundred strings.
 */
export async function rowsOfClients(db: Knex, clientIds: number[], from: string, until: string): Promise<Map<number, RecordedRow[]>> {
  const out = new Map<number, RecordedRow[]>();
  if (clientIds.length === 0) return out;
  const packed: { client_id: number; location_id: number; days: string | null }[] = await db("attendance as a")
    .whereIn("a.client_id", clientIds)
    .whereBetween("a.date", [from, until])
    .groupBy("a.client_id", "a.location_id")
    .select("a.client_id", "a.location_id", { days: joinedText(db, "a.date || ' ' || a.dagdeel || ' ' || a.status", "a.date, a.dagdeel") });
  const turns = new Turns(8);
  for (const p of packed) {
    let list = out.get(p.client_id);
    if (!list) out.set(p.client_id, (list = []));
    for (const day of (p.days ?? "").split(",")) {
      if (day === "") continue;
      const [date, dagdeel, status] = day.split(" ");
      list.push({ client_id: p.client_id, location_id: p.location_id, date, dagdeel: dagdeel as Dagdeel, status: status as AttendanceStatus });
    }
    if (turns.due()) await turns.pass();
  }
  return out;
}
