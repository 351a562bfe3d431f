import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { ContractLineSpan } from "../domain/booking-rules";
import type { Funding } from "../domain/funding";
import { groupSlots, type Slot, type WeekParity } from "../domain/schedule";
import { forUpdate } from "../db/dialect";
import type { AllocationRow as AllocationTableRow } from "../allocations/repository";
import type { ContractRow as ContractsContractRow } from "../contracts/repository";
import type { ClosureRow as LocationClosureRow } from "../locations/repository";

// Schedules and what a booking checks them against: knex in, typed rows out.

type Db = Knex | Knex.Transaction;

export type ScheduleRow = {
  id: number;
  client_id: number;
  location_id: number;
  funding: Funding;
  allocation_id: number | null;
  contract_id: number | null;
  product_id: number | null;
  valid_from: string;
  valid_until: string | null;
  week_parity: WeekParity;
  created_by: number | null;
  created_at: string;
  updated_at: string;
};

export type ScheduleWithSlots = ScheduleRow & { slots: Slot[]; provider_id: number; location_name: string };

/**
 * The location's row, locked on PostgreSQL until the transaction ends: it is what serialises
 * two bookings for the same location (SQLite has one writer and one connection anyway).
 */
export async function lockLocation(trx: Db, id: number): Promise<{ id: number; name: string; provider_id: number; active: boolean } | undefined> {
  const q = trx("locations").where({ id }).select("id", "name", "provider_id", "active").first();
  const row = await forUpdate(trx, q);
  return row ? { ...row, active: Boolean(row.active) } : undefined;
}

/** The client's row, locked likewise: two bookings of one client at two locations queue here. */
export async function lockClient(trx: Db, id: number): Promise<{ id: number; first_name: string; last_name: string } | undefined> {
  const q = trx("clients").where({ id }).select("id", "first_name", "last_name").first();
  return forUpdate(trx, q);
}

/** The last day of the client's care, or null while it runs. */
export async function clientEndedOn(db: Db, clientId: number): Promise<string | null> {
  const row = await db("clients").where({ id: clientId }).first("ended_on");
  return row?.ended_on ?? null;
}

/** Every schedule of a client, at any location, with its slots: one query. */
export function schedulesOfClient(db: Db, clientId: number): Promise<ScheduleWithSlots[]> {
  return schedulesOfClients(db, [clientId]);
}

export type AllocationRow = Omit<AllocationTableRow, "created_at" | "updated_at"> & {
  purchaser_name: string;
  provider_name: string;
  product_name: string;
  product_unit: string;
};

export const ALLOCATION_COLUMNS = [
  "a.id", "a.client_id", "a.purchaser_id", "pu.name as purchaser_name", "a.provider_id", "pr.name as provider_name",
  "a.product_id", "p.name as product_name", "p.unit as product_unit", "a.volume", "a.frequency", "a.valid_from",
  "a.valid_until", "a.reference",
];

/** Allocations with their product and both organisations joined; select ALLOCATION_COLUMNS. */
export function allocationsWithNames(db: Db) {
  return db("allocations as a")
    .join("products as p", "p.id", "a.product_id")
    .join("organisations as pu", "pu.id", "a.purchaser_id")
    .join("organisations as pr", "pr.id", "a.provider_id");
}

export function findAllocation(db: Db, id: number): Promise<AllocationRow | undefined> {
  return allocationsWithNames(db).where("a.id", id).select(ALLOCATION_COLUMNS).first();
}

export function allocationsOfClient(db: Db, clientId: number): Promise<AllocationRow[]> {
  return allocationsWithNames(db).where("a.client_id", clientId).select(ALLOCATION_COLUMNS).orderBy("a.valid_from", "desc");
}

export type ContractRow = Pick<ContractsContractRow, "id" | "reference" | "kind" | "status" | "provider_id" | "purchaser_id" | "purchaser_name" | "provider_name" | "valid_from" | "valid_until">;

export function findContract(db: Db, id: number): Promise<ContractRow | undefined> {
  return contractsWithNames(db).where("c.id", id).select(CONTRACT_COLUMNS).first();
}

/** Every line of every contract of these providers, with its contract's period: one query (also for none, so counts stay even). */
export function contractLines(db: Db, providerIds: number[]): Promise<ContractLineSpan[]> {
  return db("contract_lines as cl")
    .join("contracts as c", "c.id", "cl.contract_id")
    .whereIn("c.provider_id", providerIds)
    .select(
      "c.id as contract_id", "c.provider_id", "c.purchaser_id", "c.status", "cl.product_id",
      "c.valid_from as contract_from", "c.valid_until as contract_until", "cl.valid_from as line_from", "cl.valid_until as line_until",
    );
}

export function productName(db: Db, id: number): Promise<{ id: number; name: string; unit: string } | undefined> {
  return db("products").where({ id }).select("id", "name", "unit").first();
}

export type ClosureRow = Pick<LocationClosureRow, "provider_id" | "location_id" | "starts_on" | "ends_on" | "dagdeel" | "reason">;

export function closuresOf(db: Db, providerIds: number[], from: string, until: string): Promise<ClosureRow[]> {
  return db("closures")
    .whereIn("provider_id", providerIds)
    .where("starts_on", "<=", until)
    .where("ends_on", ">=", from)
    .select("provider_id", "location_id", "starts_on", "ends_on", "dagdeel", "reason");
}

export async function insertSchedule(trx: Db, row: Omit<ScheduleRow, "id">, slots: Slot[]): Promise<number> {
  const [r] = await trx("schedules").insert(row).returning("id");
  const id = typeof r === "object" ? r.id : r;
  await insertSlots(trx, id, slots, row.created_at);
  return id;
}

async function insertSlots(trx: Db, scheduleId: number, slots: Slot[], at: string): Promise<void> {
  if (slots.length === 0) return;
  await trx("schedule_slots").insert(slots.map((s) => ({ schedule_id: scheduleId, weekday: s.weekday, dagdeel: s.dagdeel, created_at: at, updated_at: at })));
}

export async function updateSchedule(trx: Db, id: number, changes: Partial<ScheduleRow>): Promise<void> {
  await trx("schedules").where({ id }).update(changes);
}

export async function replaceSlots(trx: Db, id: number, slots: Slot[], at: string): Promise<void> {
  await trx("schedule_slots").where({ schedule_id: id }).delete();
  await insertSlots(trx, id, slots, at);
}

export async function deleteSchedule(trx: Db, id: number): Promise<void> {
  await trx("schedule_slots").where({ schedule_id: id }).delete();
  await trx("schedules").where({ id }).delete();
}

// ---- reading one schedule for its page -------------------------------------------------------

export type ScheduleDetail = ScheduleWithSlots & {
  client_name: string;
  provider_name: string;
  allocation_reference: string | null;
  contract_reference: string | null;
  product_name: string | null;
};

/** A schedule the actor may see (a provider: only at its own locations), with its names. */
export async function findScheduleDetail(db: Knex, scope: Scope, id: number): Promise<ScheduleDetail | undefined> {
  const q = db("schedules as s")
    .join("locations as l", "l.id", "s.location_id")
    .join("organisations as o", "o.id", "l.provider_id")
    .join("clients as c", "c.id", "s.client_id")
    .leftJoin("allocations as a", "a.id", "s.allocation_id")
    .leftJoin("contracts as k", "k.id", "s.contract_id")
    .leftJoin("products as p", "p.id", "s.product_id")
    .leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
    .where("s.id", id)
    .select(
      "s.*", "l.provider_id", "l.name as location_name", "o.name as provider_name",
      db.raw("c.first_name || ' ' || c.last_name as client_name"),
      "a.reference as allocation_reference", "k.reference as contract_reference", "p.name as product_name",
      "ss.weekday", "ss.dagdeel",
    );
  const rows = await scope.providers(q, "l.provider_id");
  return (groupSlots(rows) as ScheduleDetail[])[0];
}

export type AuditLine = { id: number; action: string; details: string | null; created_at: string; user_name: string | null };

export function scheduleAudit(db: Knex, id: number): Promise<AuditLine[]> {
  return db("audit_log as a")
    .leftJoin("users as u", "u.id", "a.user_id")
    .where({ "a.entity": "schedule", "a.entity_id": id })
    .select("a.id", "a.action", "a.details", "a.created_at", "u.name as user_name")
    .orderBy("a.id", "desc");
}

// ---- what the schedule form offers -----------------------------------------------------------

export type Option = { id: number; name: string };

export function activeLocations(db: Knex, scope: Scope): Promise<(Option & { provider_id: number; provider_name: string })[]> {
  const q = db("locations as l")
    .join("organisations as o", "o.id", "l.provider_id")
    .where("l.active", true)
    .select("l.id", "l.name", "l.provider_id", "o.name as provider_name")
    .orderBy([{ column: "o.sort_key" }, { column: "l.sort_key" }]);
  return scope.providers(q, "l.provider_id");
}

/** Does any active location in scope have places on a Saturday or Sunday (now or planned)? Then the form offers the weekend. */
export async function anyWeekendCapacity(db: Knex, scope: Scope): Promise<boolean> {
  const q = db("capacity_rules as r").join("locations as l", "l.id", "r.location_id").where("l.active", true).where("r.weekday", ">=", 6).where("r.places", ">", 0);
  const row = await scope.providers(q, "l.provider_id").first("r.id");
  return row !== undefined;
}

/** Who is booked where from when: what the schedule form's contract choice narrows to. */
export type ContractFit = { clientId: number; locationId: number | null; on: string | null };

/**
 * The active contracts that can fund a booking: of the location's provider, running on its
 * first day, bought by a purchaser of the client — of one of its allocations running then, or
 * the gemeente it lives in (whose subsidy it may fall under). A client with neither is not
 * narrowed by purchaser. A query to narrow further, select from and order (ContractRow columns).
 */
export function fundingContracts(db: Knex, fit: ContractFit): Knex.QueryBuilder {
  const allocationPurchasers = () => {
    const q = db("allocations as a").where("a.client_id", fit.clientId).select("a.purchaser_id");
    if (fit.on !== null) q.where("a.valid_from", "<=", fit.on).where((w) => w.whereNull("a.valid_until").orWhere("a.valid_until", ">=", fit.on!));
    return q;
  };
  const gemeente = () =>
    db("clients as k").join("villages as v", "v.id", "k.village_id").join("organisations as g", "g.gemeentecode", "v.gemeentecode").where("k.id", fit.clientId).where("g.kind", "purchaser").select("g.id");
  const q = contractsWithNames(db).where("c.status", "actief");
  if (fit.locationId !== null) q.whereIn("c.provider_id", db("locations").where("id", fit.locationId).select("provider_id"));
  if (fit.on !== null) q.where("c.valid_from", "<=", fit.on).where("c.valid_until", ">=", fit.on);
  return q.where((w) =>
    w
      .whereIn("c.purchaser_id", allocationPurchasers())
      .orWhereIn("c.purchaser_id", gemeente())
      .orWhere((none) => none.whereNotExists(allocationPurchasers()).whereNotExists(gemeente())),
  );
}

/** Contracts with their purchaser (pu) and provider (pr) joined. */
function contractsWithNames(db: Db): Knex.QueryBuilder {
  return db("contracts as c").join("organisations as pu", "pu.id", "c.purchaser_id").join("organisations as pr", "pr.id", "c.provider_id");
}

export const CONTRACT_COLUMNS = ["c.id", "c.reference", "c.kind", "c.status", "c.provider_id", "c.purchaser_id", "pu.name as purchaser_name", "pr.name as provider_name", "c.valid_from", "c.valid_until"];

export function activeContractsOf(db: Knex, providerId: number, kind: "inkoop" | "subsidie"): Promise<{ id: number }[]> {
  return db("contracts").where({ provider_id: providerId, kind, status: "actief" }).select("id");
}

export function dagdeelProducts(db: Knex): Promise<Option[]> {
  return db("products").where({ unit: "dagdeel", active: true }).select("id", "name").orderBy("name");
}

export function clientOptions(db: Knex): Promise<Option[]> {
  return db("clients")
    .whereNull("ended_on")
    .select("id", db.raw("first_name || ' ' || last_name as name"))
    .orderBy([{ column: "sort_key" }]);
}

export function findClientName(db: Knex, id: number): Promise<Option | undefined> {
  return db("clients").where({ id }).select("id", db.raw("first_name || ' ' || last_name as name")).first();
}

/** Every schedule of these clients, at any location, with its slots: one query. */
export async function schedulesOfClients(db: Db, clientIds: number[]): Promise<ScheduleWithSlots[]> {
  const rows = await db("schedules as s")
    .join("locations as l", "l.id", "s.location_id")
    .leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
    .whereIn("s.client_id", clientIds)
    .select("s.*", "l.provider_id", "l.name as location_name", "ss.weekday", "ss.dagdeel")
    .orderBy([{ column: "s.valid_from" }, { column: "s.id" }]);
  return groupSlots(rows) as ScheduleWithSlots[];
}

export function allocationsOfClients(db: Db, clientIds: number[]): Promise<AllocationRow[]> {
  return allocationsWithNames(db).whereIn("a.client_id", clientIds).select(ALLOCATION_COLUMNS).orderBy([{ column: "a.valid_from", order: "desc" }, { column: "a.id" }]);
}

/** The providers among these with an active subsidy contract running on the date. */
export async function subsidyContractsOn(db: Db, providerIds: number[], date: string): Promise<Set<number>> {
  const rows: { provider_id: number }[] = await db("contracts")
    .whereIn("provider_id", providerIds)
    .where({ kind: "subsidie", status: "actief" })
    .where("valid_from", "<=", date)
    .where("valid_until", ">=", date)
    .distinct("provider_id");
  return new Set(rows.map((r) => r.provider_id));
}
