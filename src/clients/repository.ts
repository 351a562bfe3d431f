import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { Dagdeel } from "../domain/dagdeel";
import type { ClientQuery } from "../domain/client";
import type { Frequency } from "../domain/allocation";
import { personKeys, whereKeyHoldsWords, withNameKeys } from "../db/name-keys";
import { groupSlots, type WeekParity } from "../domain/schedule";
import { scopeAllocations, scopeClients, scopeLocationRows, scopeSchedules } from "./scope";
import { lockRow } from "../db/dialect";
import { countOf, toNumber } from "../db/numbers";
import { withTotal } from "../db/with-total";
import { prepared } from "../db/compiled";

type Db = Knex | Knex.Transaction;

export type ClientRow = {
  id: number;
  first_name: string;
  last_name: string;
  bsn: string | null;
  birth_date: string | null;
  village_id: number | null;
  village: string | null;
  street: string | null;
  postcode: string | null;
  phone: string | null;
  needs_transport: boolean;
  wheelchair: boolean;
  notes: string | null;
  ended_on: string | null;
  created_at: string;
  updated_at: string;
};

export type ClientFields = Omit<ClientRow, "id" | "village" | "created_at" | "updated_at" | "ended_on">;

function toClient(row: Record<string, unknown>): ClientRow {
  return { ...(row as ClientRow), needs_transport: Boolean(row.needs_transport), wheelchair: Boolean(row.wheelchair) };
}

/** A client the actor may see, or undefined. */
export async function findClient(db: Knex, scope: Scope | null, id: number): Promise<ClientRow | undefined> {
  const q = db("clients as c").leftJoin("villages as v", "v.id", "c.village_id").where("c.id", id).select("c.*", "v.name as village").first();
  const row = await (scope ? scopeClients(db, scope, q, "c.id") : q);
  return row ? toClient(row) : undefined;
}

/**
 * Locks the client's row until the transaction ends (PostgreSQL; SQLite has one writer): the
 * same lock a booking takes first, so ending a client and booking it queue behind each other.
 */
export async function lockClient(trx: Db, id: number): Promise<void> {
  await lockRow(trx, "clients", id);
}

export async function findClientByBsn(db: Db, bsn: string): Promise<{ id: number; first_name: string; last_name: string } | undefined> {
  return db("clients").where({ bsn }).select("id", "first_name", "last_name").first();
}

/** Every client born on this date (few on any day): the service compares the names itself. */
export function clientsBornOn(db: Db, birthDate: string): Promise<{ id: number; first_name: string; last_name: string; ended_on: string | null }[]> {
  return db("clients").where({ birth_date: birthDate }).select("id", "first_name", "last_name", "ended_on").orderBy("id");
}

export async function insertClient(db: Db, row: ClientFields & { created_at: string; updated_at: string; registered_by_provider_id?: number | null }): Promise<number> {
  const [inserted] = await db("clients").insert(withNameKeys("clients", row)).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

export async function updateClient(db: Db, id: number, changes: Partial<ClientRow>): Promise<void> {
  // A change of one name needs the other for the keys.
  const names = changes.first_name !== undefined && changes.last_name !== undefined ? changes
    : changes.first_name !== undefined || changes.last_name !== undefined ? { ...(await db("clients").where({ id }).first("first_name", "last_name")), ...changes }
    : changes;
  await db("clients").where({ id }).update(names === changes ? withNameKeys("clients", changes) : { ...changes, ...personKeys(names.first_name!, names.last_name!) });
}

export async function countAllocations(db: Db, clientId: number): Promise<number> {
  const [row] = await db("allocations").where({ client_id: clientId }).count({ n: "*" });
  return countOf(row);
}

export type Village = { id: number; name: string };

export function listVillages(db: Db): Promise<Village[]> {
  return db("villages").select("id", "name").orderBy("sort_key");
}

export async function villageExists(db: Db, id: number): Promise<boolean> {
  return Boolean(await db("villages").where({ id }).first("id"));
}

// ---- the list ------------------------------------------------------------------------------

export type ClientStatusFilter = "actief" | "beeindigd" | "alle";

export type ClientSearch = {
  query: ClientQuery;
  villageId: number | null;
  status: ClientStatusFilter;
  today: string;
  limit: number;
  offset: number;
};

export type ClientListRow = {
  id: number;
  first_name: string;
  last_name: string;
  bsn: string | null;
  birth_date: string | null;
  village: string | null;
  ended_on: string | null;
};

function searchQuery(db: Knex, scope: Scope, s: ClientSearch): Knex.QueryBuilder {
  const q = db("clients as c").leftJoin("villages as v", "v.id", "c.village_id");
  if (s.query.bsn) q.where("c.bsn", s.query.bsn);
  whereKeyHoldsWords(q, "c.search_key", s.query.terms);
  if (s.villageId !== null) q.where("c.village_id", s.villageId);
  // A client ended on a date still attends that day: "actief" includes ended_on = today.
  if (s.status === "actief") q.where((w) => w.whereNull("c.ended_on").orWhere("c.ended_on", ">=", s.today));
  if (s.status === "beeindigd") q.where("c.ended_on", "<", s.today);
  return scopeClients(db, scope, q, "c.id");
}

/** The order of the list, and of the page's ids (pageIds) that must be the same page. */
const LIST_ORDER = [{ column: "c.sort_key" }, { column: "c.id" }];

/**
 * One page of matching clients and the total count. A provider's clients are a few hundred:
 * their page and count are one query (withTotal). Every other actor's may be the whole region,
 * where the page stops at its limit along the clients' order and the count is an index's:
 * two queries, at once.
 */
export async function searchClients(db: Knex, scope: Scope, s: ClientSearch): Promise<{ total: number; rows: ClientListRow[] }> {
  const page = () =>
    searchQuery(db, scope, s)
      .select("c.id", "c.first_name", "c.last_name", "c.bsn", "c.birth_date", "v.name as village", "c.ended_on")
      .orderBy(LIST_ORDER)
      .limit(s.limit)
      .offset(s.offset);
  if (scope.actor.role === "provider") return withTotal<ClientListRow>(db, page(), () => searchQuery(db, scope, s), s.offset);
  const [[countRow], rows] = await Promise.all([searchQuery(db, scope, s).count({ n: "*" }), page() as Promise<ClientListRow[]>]);
  return { total: countOf(countRow), rows };
}

/** The ids of the page searchClients reads, as a subquery: to read what goes with them at the same time. */
export function pageIds(db: Knex, scope: Scope, s: ClientSearch): Knex.QueryBuilder {
  return searchQuery(db, scope, s).select("c.id").orderBy(LIST_ORDER).limit(s.limit).offset(s.offset);
}

/**
 * Where each of these clients is scheduled today (within the actor's scope): one query. The
 * clients are ids, or a page's ids as a subquery (pageIds), so that this is read together with
 * the page instead of after it.
 */
export async function currentLocations(db: Knex, scope: Scope, clientIds: number[] | Knex.QueryBuilder, today: string): Promise<Map<number, string[]>> {
  if (Array.isArray(clientIds) && clientIds.length === 0) return new Map();
  const q = db("schedules as s")
    .join("locations as l", "l.id", "s.location_id")
    .leftJoin("allocations as a", "a.id", "s.allocation_id")
    .leftJoin("contracts as k", "k.id", "s.contract_id")
    .whereIn("s.client_id", clientIds)
    .where("s.valid_from", "<=", today)
    .where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", today))
    .distinct("s.client_id", "l.name", "l.sort_key")
    .orderBy("l.sort_key");
  const rows: { client_id: number; name: string }[] = await prepared(db, scopeSchedules(scope, q));
  const out = new Map<number, string[]>();
  for (const r of rows) out.set(r.client_id, [...(out.get(r.client_id) ?? []), r.name]);
  return out;
}

// ---- the client page -----------------------------------------------------------------------

export type ClientAllocation = {
  id: number;
  reference: string;
  purchaser_id: number;
  purchaser_name: string;
  purchaser_subkind: string;
  provider_id: number;
  provider_name: string;
  product_code: string;
  product_name: string;
  product_unit: string;
  volume: number;
  frequency: Frequency;
  valid_from: string;
  valid_until: string | null;
};

export function allocationsOfClient(db: Knex, scope: Scope, clientId: number): Promise<ClientAllocation[]> {
  const q = db("allocations as a")
    .join("organisations as pu", "pu.id", "a.purchaser_id")
    .join("organisations as pr", "pr.id", "a.provider_id")
    .join("products as p", "p.id", "a.product_id")
    .where("a.client_id", clientId)
    .select(
      "a.id",
      "a.reference",
      "a.purchaser_id",
      "pu.name as purchaser_name",
      "pu.subkind as purchaser_subkind",
      "a.provider_id",
      "pr.name as provider_name",
      "p.code as product_code",
      "p.name as product_name",
      "p.unit as product_unit",
      "a.volume",
      "a.frequency",
      "a.valid_from",
      "a.valid_until",
    )
    .orderBy([{ column: "a.valid_from", order: "desc" }, { column: "a.id", order: "desc" }]);
  return scopeAllocations(scope, q);
}

export type ClientSchedule = {
  id: number;
  client_id: number;
  location_id: number;
  location_name: string;
  provider_name: string;
  funding: string;
  allocation_reference: string | null;
  contract_reference: string | null;
  valid_from: string;
  valid_until: string | null;
  week_parity: WeekParity;
  slots: { weekday: number; dagdeel: Dagdeel }[];
};

export type ScheduleFilter = { clientId?: number; allocationId?: number; locationId?: number; activeOn?: string };

/** Schedules with what their rows show joined (l, o, a, k as scopeSchedules expects), filtered. */
function schedulesQuery(db: Knex, filter: ScheduleFilter): Knex.QueryBuilder {
  const q = db("schedules as s")
    .join("locations as l", "l.id", "s.location_id")
    .join("organisations as o", "o.id", "l.provider_id")
    .leftJoin("allocations as a", "a.id", "s.allocation_id")
    .leftJoin("contracts as k", "k.id", "s.contract_id");
  if (filter.clientId !== undefined) q.where("s.client_id", filter.clientId);
  if (filter.allocationId !== undefined) q.where("s.allocation_id", filter.allocationId);
  if (filter.locationId !== undefined) q.where("s.location_id", filter.locationId);
  if (filter.activeOn !== undefined) q.where("s.valid_from", "<=", filter.activeOn).where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", filter.activeOn!));
  return q;
}

const SCHEDULE_ORDER = [{ column: "s.valid_from", order: "desc" }, { column: "s.id", order: "desc" }];

/** The schedules of a query with their slots: one query, however many there are. */
async function withSlots(scope: Scope, q: Knex.QueryBuilder): Promise<ClientSchedule[]> {
  q.leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
    .select(
      "s.id",
      "s.client_id",
      "s.location_id",
      "l.name as location_name",
      "o.name as provider_name",
      "s.funding",
      "a.reference as allocation_reference",
      "k.reference as contract_reference",
      "s.valid_from",
      "s.valid_until",
      "s.week_parity",
      "ss.weekday",
      "ss.dagdeel",
    )
    .orderBy([...SCHEDULE_ORDER, { column: "ss.weekday" }, { column: "ss.dagdeel", order: "desc" }]);
  type Row = Omit<ClientSchedule, "slots"> & { weekday: number | null; dagdeel: Dagdeel | null };
  const rows: Row[] = await scopeSchedules(scope, q);
  return groupSlots(rows);
}

/** Schedules of a client or of an allocation, with their slots: one query, however many there are. */
export async function listSchedules(db: Knex, scope: Scope, filter: { clientId?: number; allocationId?: number }): Promise<ClientSchedule[]> {
  const q = schedulesQuery(db, filter);
  if (filter.clientId === undefined && filter.allocationId === undefined) q.where("s.id", -1);
  return withSlots(scope, q);
}

/**
 * One page of the schedules the actor may see, newest first, and their total: the API's list,
 * over a region's tens of thousands of schedules. Three queries: the count and the page's ids at once,
 * and those schedules with their slots.
 */
export async function pageOfSchedules(db: Knex, scope: Scope, filter: ScheduleFilter, page: { limit: number; offset: number }): Promise<{ total: number; rows: ClientSchedule[] }> {
  const [[countRow], ids] = await Promise.all([
    scopeSchedules(scope, schedulesQuery(db, filter)).count({ n: "*" }),
    scopeSchedules(scope, schedulesQuery(db, filter)).select("s.id").orderBy(SCHEDULE_ORDER).limit(page.limit).offset(page.offset) as Promise<{ id: number }[]>,
  ]);
  const rows = ids.length === 0 ? [] : await withSlots(scope, schedulesQuery(db, {}).whereIn("s.id", ids.map((r) => r.id)));
  return { total: countOf(countRow), rows };
}

export type ClientWaitlistEntry = {
  id: number;
  location_name: string;
  since: string;
  priority: number;
  status: string;
  slots: { weekday: number; dagdeel: Dagdeel }[];
};

export async function waitlistOfClient(db: Knex, scope: Scope, clientId: number): Promise<ClientWaitlistEntry[]> {
  const q = db("waitlist_entries as w")
    .join("locations as l", "l.id", "w.location_id")
    .leftJoin("waitlist_slots as ws", "ws.waitlist_entry_id", "w.id")
    .where("w.client_id", clientId)
    .select("w.id", "l.name as location_name", "w.since", "w.priority", "w.status", "ws.weekday", "ws.dagdeel")
    .orderBy([{ column: "w.since", order: "desc" }, { column: "w.id" }, { column: "ws.weekday" }, { column: "ws.dagdeel", order: "desc" }]);
  type Row = Omit<ClientWaitlistEntry, "slots"> & { weekday: number | null; dagdeel: Dagdeel | null };
  const rows: Row[] = await scopeLocationRows(scope, q);
  return groupSlots(rows);
}

/** Attendance of the client per status between two dates, at the locations the actor may see. */
export async function attendanceCounts(db: Knex, scope: Scope, clientId: number, from: string, until: string): Promise<Record<string, number>> {
  const q = db("attendance as t")
    .join("locations as l", "l.id", "t.location_id")
    .where("t.client_id", clientId)
    .whereBetween("t.date", [from, until])
    .groupBy("t.status")
    .select("t.status")
    .count({ n: "*" });
  const rows = (await scopeLocationRows(scope, q)) as { status: string; n: number | string }[];
  return Object.fromEntries(rows.map((r) => [r.status, toNumber(r.n)]));
}

// ---- ending a client -----------------------------------------------------------------------

export type ScheduleSpan = { id: number; valid_from: string; valid_until: string | null };

/** Schedules that still run after `date`: they end with the client. */
export function schedulesRunningAfter(db: Db, clientId: number, date: string): Promise<ScheduleSpan[]> {
  return db("schedules")
    .where({ client_id: clientId })
    .where((w) => w.whereNull("valid_until").orWhere("valid_until", ">", date))
    .select("id", "valid_from", "valid_until")
    .orderBy("id");
}

export async function endSchedules(db: Db, ids: number[], date: string, at: string): Promise<void> {
  if (ids.length > 0) await db("schedules").whereIn("id", ids).update({ valid_until: date, updated_at: at });
}

export async function deleteSchedules(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db("schedule_slots").whereIn("schedule_id", ids).delete();
  await db("schedules").whereIn("id", ids).delete();
}

export function waitingEntries(db: Db, clientId: number): Promise<{ id: number }[]> {
  return db("waitlist_entries").where({ client_id: clientId, status: "wachtend" }).select("id").orderBy("id");
}

export async function closeWaitingEntries(db: Db, ids: number[], at: string): Promise<void> {
  if (ids.length > 0) await db("waitlist_entries").whereIn("id", ids).update({ status: "vervallen", updated_at: at });
}
