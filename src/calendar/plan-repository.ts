import type { Knex } from "knex";
import { DateTime } from "luxon";
import type { Dagdeel } from "../domain/dagdeel";
import type { FeedAttendance, FeedClient, FeedClosure, FeedLocation, FeedSchedule, Window } from "../domain/feed-events";
import type { ScheduleRow as ScheduleTableRow } from "../planning/schedule-repository";

// The rows a feed or a roster is computed from, in a fixed number of queries whatever the
// number of schedules, clients or days. Callers have checked scope (or hold a valid token).

type Db = Knex | Knex.Transaction;

/** The latest of some UTC timestamps, compared as instants rather than as text. */
function latest(...values: (string | null | undefined)[]): string | null {
  let found: { text: string; at: number } | null = null;
  for (const text of values) {
    if (typeof text !== "string") continue;
    const at = DateTime.fromISO(text, { zone: "utc" });
    if (at.isValid && (found === null || at.toMillis() > found.at)) found = { text, at: at.toMillis() };
  }
  return found?.text ?? null;
}

async function loadLocations(db: Db, ids: number[]): Promise<FeedLocation[]> {
  if (ids.length === 0) return [];
  const rows: (Omit<FeedLocation, "updated_at"> & { l_updated: string; v_updated: string })[] = await db("locations as l")
    .join("villages as v", "v.id", "l.village_id")
    .whereIn("l.id", ids)
    .select(
      "l.id",
      "l.provider_id",
      "l.name",
      "l.street",
      "l.postcode",
      "v.name as village",
      "l.morning_start",
      "l.morning_end",
      "l.afternoon_start",
      "l.afternoon_end",
      "l.updated_at as l_updated",
      "v.updated_at as v_updated",
    );
  return rows.map(({ l_updated, v_updated, ...l }) => ({ ...l, updated_at: latest(l_updated, v_updated) ?? l_updated }));
}

/** A schedule left-joined with one of its slots (none for a schedule without slots). */
type ScheduleRow = Pick<ScheduleTableRow, "id" | "client_id" | "location_id" | "valid_from" | "valid_until" | "week_parity"> & { weekday: number | null; dagdeel: Dagdeel | null };

function overlapping(q: Knex.QueryBuilder, window: Window): Knex.QueryBuilder {
  return q.where("s.valid_from", "<=", window.until).where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", window.from));
}

function toSchedules(rows: ScheduleRow[]): FeedSchedule[] {
  const byId = new Map<number, FeedSchedule>();
  for (const r of rows) {
    const s = byId.get(r.id) ?? { id: r.id, client_id: r.client_id, location_id: r.location_id, valid_from: r.valid_from, valid_until: r.valid_until, week_parity: r.week_parity, slots: [] };
    if (r.weekday !== null && r.dagdeel !== null) s.slots.push({ weekday: Number(r.weekday), dagdeel: r.dagdeel });
    byId.set(r.id, s);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

const SCHEDULE_COLUMNS = ["s.id", "s.client_id", "s.location_id", "s.valid_from", "s.valid_until", "s.week_parity", "ss.weekday", "ss.dagdeel"];
const ATTENDANCE_COLUMNS = ["a.client_id", "a.location_id", "a.date", "a.dagdeel", "a.status", "a.updated_at"];

/** The latest updated_at of the schedules (and their slots) a query selects, over all time. */
async function schedulesChangedAt(db: Db, where: { column: "s.client_id" | "s.location_id"; id: number }): Promise<string | null> {
  const [row] = await db("schedules as s")
    .leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
    .where(where.column, where.id)
    .max({ s_max: "s.updated_at", ss_max: "ss.updated_at" });
  return latest(row?.s_max, row?.ss_max);
}

/**
 * The audit actions that delete a row shaping who a location feed lists: a cancelled schedule,
 * an undone attendance row (an absence withdrawn), a removed closure, a client ended (its
 * future schedules go). Names as the planning, attendance, locations and clients features
 * write them; an action missing here only means SEQUENCE may stay put after that deletion.
 */
export const DELETION_ACTIONS = [
  { entity: "schedule", action: "cancel" },
  { entity: "attendance", action: "undo" },
  { entity: "closure", action: "delete" },
  { entity: "client", action: "end" },
] as const;

async function deletionsAt(db: Db): Promise<string | null> {
  const [row] = await db("audit_log")
    .where((w) => {
      for (const d of DELETION_ACTIONS) w.orWhere((x) => x.where("entity", d.entity).where("action", d.action));
    })
    .max({ at: "created_at" });
  return (row?.at as string | null | undefined) ?? null;
}

function loadClosures(db: Db, providerIds: number[], window: Window): Promise<FeedClosure[]> {
  if (providerIds.length === 0) return Promise.resolve([]);
  return db("closures")
    .whereIn("provider_id", providerIds)
    .where("starts_on", "<=", window.until)
    .where("ends_on", ">=", window.from)
    .select("provider_id", "location_id", "starts_on", "ends_on", "dagdeel", "reason");
}

export type ClientPlanData = {
  client: FeedClient;
  schedules: FeedSchedule[];
  locations: FeedLocation[];
  closures: FeedClosure[];
  attendance: FeedAttendance[];
  schedulesChangedAt: string | null;
};

/** Everything one client's feed or roster needs: six queries. */
export async function loadClientPlanData(db: Db, clientId: number, window: Window): Promise<ClientPlanData | undefined> {
  const client: FeedClient | undefined = await db("clients").where({ id: clientId }).first("id", "first_name", "last_name", "updated_at");
  if (!client) return undefined;
  const [scheduleRows, attendance, changedAt] = await Promise.all([
    overlapping(db("schedules as s").leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id").where("s.client_id", clientId), window).select(SCHEDULE_COLUMNS),
    db("attendance as a").where("a.client_id", clientId).whereBetween("a.date", [window.from, window.until]).select(ATTENDANCE_COLUMNS) as Promise<FeedAttendance[]>,
    schedulesChangedAt(db, { column: "s.client_id", id: clientId }),
  ]);
  const schedules = toSchedules(scheduleRows as ScheduleRow[]);
  const locationIds = [...new Set([...schedules.map((s) => s.location_id), ...attendance.filter((a) => a.status === "extra").map((a) => a.location_id)])];
  const locations = await loadLocations(db, locationIds);
  const closures = await loadClosures(db, [...new Set(locations.map((l) => l.provider_id))], window);
  return { client, schedules, locations, closures, attendance, schedulesChangedAt: changedAt };
}

export type LocationPlanData = {
  location: FeedLocation;
  schedules: FeedSchedule[];
  closures: FeedClosure[];
  attendance: FeedAttendance[];
  clients: FeedClient[];
  schedulesChangedAt: string | null;
  deletionsAt: string | null;
};

/** Everything one location's feed or roster needs: seven queries. */
export async function loadLocationPlanData(db: Db, locationId: number, window: Window): Promise<LocationPlanData | undefined> {
  const [location] = await loadLocations(db, [locationId]);
  if (!location) return undefined;
  const scheduledHere = db("schedules as s2").where("s2.location_id", locationId).select("s2.client_id");
  const [scheduleRows, closures, attendance, changedAt, deletedAt] = await Promise.all([
    overlapping(db("schedules as s").leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id").where("s.location_id", locationId), window).select(SCHEDULE_COLUMNS),
    loadClosures(db, [location.provider_id], window),
    // Rows here (extras), and absences of the clients planned here wherever they were written.
    db("attendance as a")
      .whereBetween("a.date", [window.from, window.until])
      .where((w) => w.where("a.location_id", locationId).orWhereIn("a.client_id", scheduledHere))
      .select(ATTENDANCE_COLUMNS) as Promise<FeedAttendance[]>,
    schedulesChangedAt(db, { column: "s.location_id", id: locationId }),
    deletionsAt(db),
  ]);
  const schedules = toSchedules(scheduleRows as ScheduleRow[]);
  const clientIds = [...new Set([...schedules.map((s) => s.client_id), ...attendance.filter((a) => a.location_id === locationId).map((a) => a.client_id)])];
  const clients: FeedClient[] = clientIds.length === 0 ? [] : await db("clients").whereIn("id", clientIds).select("id", "first_name", "last_name", "updated_at");
  return { location, schedules, closures, attendance, clients, schedulesChangedAt: changedAt, deletionsAt: deletedAt };
}
