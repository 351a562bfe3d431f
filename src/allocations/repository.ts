import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { AllocationStatus, Frequency } from "../domain/allocation";
import { containsPattern, type ClientQuery } from "../domain/client";
import type { Dagdeel } from "../domain/dagdeel";
import { groupSlots, type SchedulePattern, type WeekParity } from "../domain/schedule";
import { scopeAllocations } from "../clients/scope";
import { countOf } from "../db/numbers";

type Db = Knex | Knex.Transaction;

export type AllocationRow = {
  id: number;
  client_id: number;
  purchaser_id: number;
  provider_id: number;
  product_id: number;
  volume: number;
  frequency: Frequency;
  valid_from: string;
  valid_until: string | null;
  reference: string;
  created_at: string;
  updated_at: string;
};

export type AllocationFields = Pick<AllocationRow, "purchaser_id" | "provider_id" | "product_id" | "volume" | "frequency" | "valid_from" | "valid_until" | "reference">;

export function findAllocation(db: Db, id: number): Promise<AllocationRow | undefined> {
  return db("allocations").where({ id }).first();
}

export async function insertAllocation(db: Db, row: AllocationFields & { client_id: number; created_at: string; updated_at: string }): Promise<number> {
  const [inserted] = await db("allocations").insert(row).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

export async function updateAllocation(db: Db, id: number, changes: Partial<AllocationRow>): Promise<void> {
  await db("allocations").where({ id }).update(changes);
}

export async function referenceTaken(db: Db, purchaserId: number, reference: string, exceptId: number | null): Promise<boolean> {
  const q = db("allocations").where({ purchaser_id: purchaserId, reference }).first("id");
  if (exceptId !== null) q.whereNot("id", exceptId);
  return Boolean(await q);
}

export type OrganisationChoice = { id: number; name: string; kind: string; subkind: string; active: boolean | number };

/** Organisations of one kind; with a scope, only those the actor may see (its contract partners). */
export function organisationsOfKind(db: Knex, kind: "purchaser" | "provider", scope: Scope | null = null): Promise<OrganisationChoice[]> {
  const q = db("organisations").where({ kind }).select("id", "name", "kind", "subkind", "active").orderBy("sort_key");
  return scope ? scope.organisations(q, "organisations.id") : q;
}

export function findOrganisation(db: Db, id: number): Promise<OrganisationChoice | undefined> {
  return db("organisations").where({ id }).select("id", "name", "kind", "subkind", "active").first();
}

export type ProductChoice = {
  id: number;
  code: string;
  name: string;
  unit: string;
  iwmo_category: string | null;
  iwmo_code: string | null;
  wlz_code: string | null;
  active: boolean | number;
};

const PRODUCT_COLUMNS = ["id", "code", "name", "unit", "iwmo_category", "iwmo_code", "wlz_code", "active"];

export function listProducts(db: Db): Promise<ProductChoice[]> {
  return db("products").select(PRODUCT_COLUMNS).orderBy("code");
}

export function findProduct(db: Db, id: number): Promise<ProductChoice | undefined> {
  return db("products").where({ id }).select(PRODUCT_COLUMNS).first();
}

export type AllocationSchedule = SchedulePattern & { id: number };

/** The schedules funded by an allocation, with their slots: one query. */
export async function schedulesUsing(db: Db, allocationId: number): Promise<AllocationSchedule[]> {
  const rows: { id: number; valid_from: string; valid_until: string | null; week_parity: WeekParity; weekday: number | null; dagdeel: Dagdeel | null }[] = await db("schedules as s")
    .leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
    .where("s.allocation_id", allocationId)
    .select("s.id", "s.valid_from", "s.valid_until", "s.week_parity", "ss.weekday", "ss.dagdeel")
    .orderBy("s.id");
  return groupSlots(rows);
}

// ---- the list ------------------------------------------------------------------------------

export type AllocationSearch = {
  query: ClientQuery;
  status: AllocationStatus | "alle";
  purchaserId: number | null;
  providerId: number | null;
  today: string;
  limit: number;
  offset: number;
};

export type AllocationListRow = {
  id: number;
  reference: string;
  client_id: number;
  first_name: string;
  last_name: string;
  bsn: string | null;
  purchaser_name: string;
  provider_name: string;
  product_code: string;
  product_name: string;
  product_unit: string;
  volume: number;
  frequency: Frequency;
  valid_from: string;
  valid_until: string | null;
};

/** Allocations with their client, both organisations and product joined (the list and the detail page). */
function allocationsWithNames(db: Knex) {
  return db("allocations as a")
    .join("clients as c", "c.id", "a.client_id")
    .join("organisations as pu", "pu.id", "a.purchaser_id")
    .join("organisations as pr", "pr.id", "a.provider_id")
    .join("products as p", "p.id", "a.product_id");
}

/** The columns of an AllocationListRow. */
const LIST_COLUMNS = [
  "a.id",
  "a.reference",
  "a.client_id",
  "c.first_name",
  "c.last_name",
  "c.bsn",
  "pu.name as purchaser_name",
  "pr.name as provider_name",
  "p.code as product_code",
  "p.name as product_name",
  "p.unit as product_unit",
  "a.volume",
  "a.frequency",
  "a.valid_from",
  "a.valid_until",
];

function searchQuery(db: Knex, scope: Scope, s: AllocationSearch): Knex.QueryBuilder {
  const q = allocationsWithNames(db);
  if (s.query.bsn) q.where("c.bsn", s.query.bsn);
  for (const term of s.query.terms) {
    const pattern = containsPattern(term);
    q.where((w) =>
      w.whereRaw("c.search_key like ? escape '\\'", [pattern]).orWhereRaw("lower(a.reference) like ? escape '\\'", [pattern]),
    );
  }
  if (s.status === "lopend") q.where("a.valid_from", "<=", s.today).where((w) => w.whereNull("a.valid_until").orWhere("a.valid_until", ">=", s.today));
  if (s.status === "toekomstig") q.where("a.valid_from", ">", s.today);
  if (s.status === "afgelopen") q.where("a.valid_until", "<", s.today);
  if (s.purchaserId !== null) q.where("a.purchaser_id", s.purchaserId);
  if (s.providerId !== null) q.where("a.provider_id", s.providerId);
  return scopeAllocations(scope, q);
}

const LIST_ORDER = [{ column: "a.valid_from", order: "desc" }, { column: "c.sort_key" }, { column: "a.id" }];

/**
 * One page of matching allocations and the total: two queries, at once. The page's ids are
 * chosen first, in a subquery that needs of each client only its sort_key (the index on clients
 * (id, sort_key) on PostgreSQL holds it), and only those ids are read whole: PostgreSQL otherwise hashed all of
 * the region's clients with their names to sort a purchaser's two thousand allocations.
 */
export async function searchAllocations(db: Knex, scope: Scope, s: AllocationSearch): Promise<{ total: number; rows: AllocationListRow[] }> {
  const pageIds = searchQuery(db, scope, s).select("a.id").orderBy(LIST_ORDER).limit(s.limit).offset(s.offset);
  const [[countRow], rows] = await Promise.all([
    searchQuery(db, scope, s).count({ n: "*" }),
    allocationsWithNames(db).whereIn("a.id", pageIds).select(LIST_COLUMNS).orderBy(LIST_ORDER) as Promise<AllocationListRow[]>,
  ]);
  return { total: countOf(countRow), rows };
}

export type AllocationDetail = AllocationListRow & {
  purchaser_id: number;
  purchaser_subkind: string;
  provider_id: number;
  product_id: number;
  iwmo_category: string | null;
  iwmo_code: string | null;
  iwmo_unit: string | null;
  wlz_code: string | null;
};

/** One allocation the actor may see (its own as provider or purchaser), or undefined. */
export function findAllocationDetail(db: Knex, scope: Scope, id: number): Promise<AllocationDetail | undefined> {
  const q = allocationsWithNames(db)
    .where("a.id", id)
    .select([...LIST_COLUMNS, "a.purchaser_id", "pu.subkind as purchaser_subkind", "a.provider_id", "a.product_id", "p.iwmo_category", "p.iwmo_code", "p.iwmo_unit", "p.wlz_code"])
    .first();
  return scopeAllocations(scope, q);
}
