import type { Knex } from "knex";
import { whereKeyHoldsWords } from "../db/name-keys";
import { searchWords } from "../domain/search-key";
import type { Scope } from "../auth/scope";
import type { AttendanceStatus } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import type { LocationRow } from "../locations/repository";
import { forUpdate } from "../db/dialect";
import { toNumber } from "../db/numbers";
import { prepared } from "../db/compiled";

// Attendance queries: knex in, typed rows out. Every list is one query whatever its length.

type Db = Knex | Knex.Transaction;

// The locations the actor may record at (a provider its own, a coordinator all) are the
// locations feature's rows, read through its scoped queries.
export type AttendanceLocation = LocationRow;
export { findLocation, locationsInScope } from "../locations/repository";

export type AttendanceRow = {
  id: number;
  client_id: number;
  location_id: number;
  date: string;
  dagdeel: Dagdeel;
  status: AttendanceStatus;
  /** A free-text note with an absence; shown on the attendance list only (never in feeds or exports). */
  note: string | null;
  recorded_by: number | null;
  recorded_by_name: string | null;
  recorded_at: string;
};

function rowQuery(db: Db) {
  return db("attendance as a")
    .leftJoin("users as u", "u.id", "a.recorded_by")
    .select("a.id", "a.client_id", "a.location_id", "a.date", "a.dagdeel", "a.status", "a.note", "a.recorded_by", "u.name as recorded_by_name", "a.recorded_at");
}

/** The rows of one date at a location, and the rows of the given clients on that date wherever they were. */
export function rowsOnDate(db: Db, locationId: number, date: string, clientIds: number[]): Promise<AttendanceRow[]> {
  return rowQuery(db)
    .where("a.date", date)
    .where((w) => {
      w.where("a.location_id", locationId);
      if (clientIds.length > 0) w.orWhereIn("a.client_id", clientIds);
    });
}

export function rowsBetween(db: Db, locationIds: number[], from: string, until: string): Promise<AttendanceRow[]> {
  if (locationIds.length === 0) return Promise.resolve([]);
  return rowQuery(db).whereIn("a.location_id", locationIds).whereBetween("a.date", [from, until]);
}

export type RecordedRow = { client_id: number; location_id: number; date: string; dagdeel: Dagdeel; status: AttendanceStatus };

/** The rows of these clients at these locations between two dates: who, where, when and what only. */
export function clientRowsBetween(db: Db, locationIds: number[], clientIds: number[], from: string, until: string): Promise<RecordedRow[]> {
  if (locationIds.length === 0 || clientIds.length === 0) return Promise.resolve([]);
  return db("attendance").whereIn("location_id", locationIds).whereIn("client_id", clientIds).whereBetween("date", [from, until]).select("client_id", "location_id", "date", "dagdeel", "status");
}

/**
 * Clients with at least `minimum` absences (these statuses) at these locations between two
 * dates that no attendance (aanwezig or extra) there followed: one grouped count. Whoever has a
 * run of absences up to now is among them (a visit after an absence ends its run).
 */
export async function clientsStillAbsent(db: Db, locationIds: number[] | null, from: string, until: string, absences: readonly string[], minimum: number): Promise<number[]> {
  if (locationIds !== null && locationIds.length === 0) return [];
  // null: every location (the coordinator's), read without a list of ids, so by status and date.
  const at = <Q extends Knex.QueryBuilder>(q: Q, column: string): Q => (locationIds === null ? q : (q.whereIn(column, locationIds) as Q));
  const attendedAfter = at(db("attendance as b"), "b.location_id")
    .whereRaw("b.client_id = a.client_id")
    .whereIn("b.status", ["aanwezig", "extra"])
    .whereRaw("b.date >= a.date")
    .where("b.date", "<=", until)
    .where((w) => w.whereRaw("b.date > a.date").orWhere((x) => x.where("b.dagdeel", "middag").where("a.dagdeel", "ochtend")))
    .select(db.raw("1"));
  // Only clients with that many absences in the weeks at all are looked at row by row (the
  // "no visit after" test per absence is the expensive part): a grouped count first.
  const often = at(db("attendance"), "location_id")
    .whereBetween("date", [from, until])
    .whereIn("status", [...absences])
    .groupBy("client_id")
    .havingRaw("count(*) >= ?", [minimum])
    .select("client_id");
  const rows: { client_id: number }[] = await at(db("attendance as a").whereIn("a.client_id", often), "a.location_id")
    .whereBetween("a.date", [from, until])
    .whereIn("a.status", [...absences])
    .whereNotExists(attendedAfter)
    .groupBy("a.client_id")
    .havingRaw("count(*) >= ?", [minimum])
    .select("a.client_id");
  return rows.map((r) => r.client_id);
}

export type ClientName = {
  id: number;
  first_name: string;
  last_name: string;
  village: string | null;
};

export function clientNames(db: Db, ids: number[]): Promise<ClientName[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db("clients as c")
    .leftJoin("villages as v", "v.id", "c.village_id")
    .whereIn("c.id", ids)
    .select("c.id", "c.first_name", "c.last_name", "v.name as village")
    .orderBy([{ column: "c.sort_key" }, { column: "c.id" }]);
}

/** The one row of a client on a date and dagdeel, if any (locked for update on PostgreSQL). */
export function findRow(trx: Db, clientId: number, date: string, dagdeel: Dagdeel): Promise<AttendanceRow | undefined> {
  const q = rowQuery(trx).where({ "a.client_id": clientId, "a.date": date, "a.dagdeel": dagdeel });
  return forUpdate(trx, q, "a").first();
}

export type RowValues = {
  client_id: number;
  location_id: number;
  date: string;
  dagdeel: Dagdeel;
  status: AttendanceStatus;
  recorded_by: number;
  recorded_at: string;
  /** Left out: the stored note stays as it is. */
  note?: string | null;
};

/**
 * Inserts the one row of (client, date, dagdeel) unless a row for it exists, and returns its
 * id, or null when there was one. Never a merge: a merge moved a row another location had
 * just written, or overwrote a status recorded after the page was read (issue 12). On
 * PostgreSQL the insert waits for a concurrent uncommitted row of the same key and then
 * yields to it, so of two writers exactly one inserts.
 */
export async function insertRowIfAbsent(trx: Db, values: RowValues, at: string): Promise<number | null> {
  const inserted: ({ id: number } | number)[] = await trx("attendance")
    .insert({ ...values, created_at: at, updated_at: at })
    .onConflict(["client_id", "date", "dagdeel"])
    .ignore()
    .returning("id");
  if (inserted.length === 0) return null;
  const first = inserted[0];
  return typeof first === "object" ? first.id : first;
}

/** Changes the status (and note) of a row the caller has read (and on PostgreSQL locked) in its transaction. */
export async function updateRow(trx: Db, id: number, values: Pick<RowValues, "status" | "recorded_by" | "recorded_at" | "note">, at: string): Promise<void> {
  await trx("attendance").where({ id }).update({ status: values.status, recorded_by: values.recorded_by, recorded_at: values.recorded_at, ...(values.note !== undefined ? { note: values.note } : {}), updated_at: at });
}

/** Only the note of a row: who recorded the status, and when, stays as it was. */
export async function setNote(trx: Db, id: number, note: string | null, at: string): Promise<void> {
  await trx("attendance").where({ id }).update({ note, updated_at: at });
}

export async function deleteRow(trx: Db, id: number): Promise<void> {
  await trx("attendance").where({ id }).delete();
}

/**
 * Clients that may be added as `extra`: for a provider those known at its locations (a
 * schedule there, an allocation with it, or attendance there); for a coordinator everyone.
 * Clients whose care ended before the date are left out.
 */
export function extraCandidates(db: Db, scope: Scope, date: string, search: string | null, limit = 200): Promise<ClientName[]> {
  return candidatesQuery(db, scope, date, search, limit);
}

function candidatesQuery(db: Db, scope: Scope, date: string, search: string | null, limit: number): Knex.QueryBuilder {
  const q = db("clients as c")
    .leftJoin("villages as v", "v.id", "c.village_id")
    .where((w) => w.whereNull("c.ended_on").orWhere("c.ended_on", ">=", date))
    .select("c.id", "c.first_name", "c.last_name", "v.name as village")
    .orderBy([{ column: "c.sort_key" }, { column: "c.id" }])
    .limit(limit);
  if (search) whereKeyHoldsWords(q, "c.search_key", searchWords(search));
  if (!scope.seesAllClients) {
    const providerId = scope.actor.organisationId ?? -1;
    const ownLocations = db("locations").select("id").where("provider_id", providerId);
    q.where((w) =>
      w
        .whereIn("c.id", db("schedules").select("client_id").whereIn("location_id", ownLocations))
        .orWhereIn("c.id", db("allocations").select("client_id").where("provider_id", providerId))
        .orWhereIn("c.id", db("attendance").select("client_id").whereIn("location_id", ownLocations)),
    );
  }
  return q;
}

export async function isExtraCandidate(db: Db, scope: Scope, clientId: number, date: string): Promise<boolean> {
  const rows: ClientName[] = await candidatesQuery(db, scope, date, null, 1).where("c.id", clientId);
  return rows.length > 0;
}

export type TransportClient = ClientName & {
  street: string | null;
  postcode: string | null;
  phone: string | null;
  needs_transport: boolean | number;
  wheelchair: boolean | number;
};

export function transportDetails(db: Db, ids: number[]): Promise<TransportClient[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db("clients as c")
    .leftJoin("villages as v", "v.id", "c.village_id")
    .whereIn("c.id", ids)
    .select("c.id", "c.first_name", "c.last_name", "v.name as village", "c.street", "c.postcode", "c.phone", "c.needs_transport", "c.wheelchair");
}

/** Of these clients, those with a vervoer allocation (a product per ride, or iWmo category 08) on the date. */
export async function clientsWithTransportAllocation(db: Db, ids: number[], date: string): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows: { client_id: number }[] = await db("allocations as a")
    .join("products as p", "p.id", "a.product_id")
    .whereIn("a.client_id", ids)
    .where((w) => w.where("p.unit", "rit").orWhere("p.iwmo_category", "08"))
    .where("a.valid_from", "<=", date)
    .where((w) => w.whereNull("a.valid_until").orWhere("a.valid_until", ">=", date))
    .distinct("a.client_id");
  return new Set(rows.map((r) => r.client_id));
}

/** Attendance counts per location on a date, for the chooser (a named statement on PostgreSQL: planning it took longer than counting). */
export async function recordedCountOn(db: Db, locationIds: number[], date: string): Promise<Map<number, number>> {
  if (locationIds.length === 0) return new Map();
  const rows: { location_id: number; n: number | string }[] = await prepared(
    db,
    db("attendance").whereIn("location_id", locationIds).where("date", date).groupBy("location_id").select("location_id").count({ n: "*" }),
  );
  return new Map(rows.map((r) => [r.location_id, toNumber(r.n)]));
}
