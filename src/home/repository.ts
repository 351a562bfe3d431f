import type { Knex } from "knex";
import { prepared } from "../db/compiled";
import type { Scope } from "../auth/scope";
import { countOf, numbersIn, toNumber } from "../db/numbers";
import type { AllocationRow as AllocationTableRow } from "../allocations/repository";
import type { ContractRow as ContractTableRow } from "../contracts/repository";
import type { DeclarationRow as DeclarationTableRow } from "../declarations/repository";
import type { ClosureRow as ClosureTableRow, LocationRow as LocationTableRow } from "../locations/repository";

// The home pages' rows: narrower reads of the tables, typed as Pick of each table's one row type.

export type LocationRow = Pick<LocationTableRow, "id" | "name" | "provider_id" | "provider_name" | "village">;

export function activeLocations(db: Knex, scope: Scope): Promise<LocationRow[]> {
  const q = db("locations as l")
    .join("organisations as o", "o.id", "l.provider_id")
    .join("villages as v", "v.id", "l.village_id")
    .where("l.active", true)
    .select("l.id", "l.name", "l.provider_id", "o.name as provider_name", "v.name as village")
    .orderBy([{ column: "v.sort_key" }, { column: "l.sort_key" }]);
  return scope.providers(q, "l.provider_id");
}

export type ClosureRow = Pick<ClosureTableRow, "id" | "provider_id" | "location_id" | "starts_on" | "ends_on" | "dagdeel" | "reason">;

export function closuresBetween(db: Knex, providerIds: number[], from: string, until: string): Promise<ClosureRow[]> {
  return db("closures")
    .whereIn("provider_id", providerIds)
    .where("starts_on", "<=", until)
    .where("ends_on", ">=", from)
    .select("id", "provider_id", "location_id", "starts_on", "ends_on", "dagdeel", "reason")
    .orderBy("starts_on");
}

export type AllocationRow = Pick<AllocationTableRow, "id" | "reference" | "client_id" | "valid_until"> & {
  client_name: string;
  provider_name: string;
  purchaser_name: string;
};

/** How many allocations end between the dates (the home's card). */
export async function allocationsEndingCount(db: Knex, scope: Scope, from: string, until: string): Promise<number> {
  const q = db("allocations as a").whereBetween("a.valid_until", [from, until]);
  return countOf(await scope.purchasers(scope.providers(q, "a.provider_id"), "a.purchaser_id").count({ n: "*" }));
}

/** One page of the allocations that end between the dates, soonest first. */
export function allocationsEndingBetween(db: Knex, scope: Scope, from: string, until: string, page: { limit: number; offset: number }): Promise<AllocationRow[]> {
  return allocationsEndingRows(db, scope, from, until).limit(page.limit).offset(page.offset);
}

function allocationsEndingRows(db: Knex, scope: Scope, from: string, until: string): Knex.QueryBuilder {
  const q = db("allocations as a")
    .join("clients as c", "c.id", "a.client_id")
    .join("organisations as p", "p.id", "a.provider_id")
    .join("organisations as pu", "pu.id", "a.purchaser_id")
    .whereBetween("a.valid_until", [from, until])
    .select(
      "a.id",
      "a.reference",
      "a.client_id",
      db.raw("c.first_name || ' ' || c.last_name as client_name"),
      "a.valid_until",
      "p.name as provider_name",
      "pu.name as purchaser_name",
    )
    .orderBy([{ column: "a.valid_until" }, { column: "a.id" }]);
  return scope.purchasers(scope.providers(q, "a.provider_id"), "a.purchaser_id");
}

export async function allocationsWithoutSchedule(db: Knex, scope: Scope, date: string): Promise<number> {
  // Transport (rit) allocations ride along with a dagbesteding schedule and have none of their own.
  const q = db("allocations as a")
    .join("products as p", "p.id", "a.product_id")
    .where("p.unit", "dagdeel")
    .where("a.valid_from", "<=", date)
    .where((w) => w.whereNull("a.valid_until").orWhere("a.valid_until", ">=", date))
    .whereNotExists(db("schedules as s").whereRaw("s.allocation_id = a.id").select(db.raw("1")))
    .count({ n: "*" });
  const [row] = await scope.purchasers(scope.providers(q, "a.provider_id"), "a.purchaser_id");
  return countOf(row);
}

export async function waitingCount(db: Knex, scope: Scope): Promise<number> {
  const q = db("waitlist_entries as w")
    .join("locations as l", "l.id", "w.location_id")
    .where("w.status", "wachtend")
    .count({ n: "*" });
  const [row] = await scope.providers(q, "l.provider_id");
  return countOf(row);
}

export type DeclarationRow = Pick<DeclarationTableRow, "id" | "month" | "status" | "total_cents" | "submitted_at"> & {
  provider_name: string;
  purchaser_name: string;
};

export async function declarationsWithStatus(db: Knex, scope: Scope, statuses: DeclarationTableRow["status"][]): Promise<DeclarationRow[]> {
  const q = db("declarations as d")
    .join("organisations as p", "p.id", "d.provider_id")
    .join("organisations as pu", "pu.id", "d.purchaser_id")
    .whereIn("d.status", statuses)
    .select("d.id", "d.month", "d.status", "d.total_cents", "p.name as provider_name", "pu.name as purchaser_name", "d.submitted_at")
    .orderBy([{ column: "d.month", order: "desc" }, { column: "d.id" }]);
  const rows: DeclarationRow[] = await scope.purchasers(scope.providers(q, "d.provider_id"), "d.purchaser_id");
  return rows.map((r) => numbersIn(r, ["total_cents"]));
}

export type ContractRow = Pick<ContractTableRow, "id" | "reference" | "provider_name" | "valid_until" | "status">;

export function contractsEndingBetween(db: Knex, scope: Scope, from: string, until: string): Promise<ContractRow[]> {
  const q = db("contracts as c")
    .join("organisations as p", "p.id", "c.provider_id")
    .where("c.status", "actief")
    .whereBetween("c.valid_until", [from, until])
    .select("c.id", "c.reference", "p.name as provider_name", "c.valid_until", "c.status")
    .orderBy("c.valid_until");
  return scope.purchasers(scope.providers(q, "c.provider_id"), "c.purchaser_id");
}

export async function contractCountsByStatus(db: Knex, scope: Scope): Promise<Record<string, number>> {
  const q = db("contracts as c").groupBy("c.status").select("c.status").count({ n: "*" });
  const rows = (await scope.purchasers(scope.providers(q, "c.provider_id"), "c.purchaser_id")) as { status: string; n: number | string }[];
  return Object.fromEntries(rows.map((r) => [r.status, toNumber(r.n)]));
}

export async function userCountsByRole(db: Knex): Promise<{ role: string; active: number; inactive: number }[]> {
  const rows: { role: string; active: boolean | number; n: number | string }[] = await db("users")
    .groupBy("role", "active")
    .select("role", "active")
    .count({ n: "*" });
  const byRole = new Map<string, { role: string; active: number; inactive: number }>();
  for (const r of rows) {
    const entry = byRole.get(r.role) ?? { role: r.role, active: 0, inactive: 0 };
    if (r.active) entry.active += toNumber(r.n);
    else entry.inactive += toNumber(r.n);
    byRole.set(r.role, entry);
  }
  return [...byRole.values()].sort((a, b) => a.role.localeCompare(b.role));
}

/**
 * The provider's home cards in one query: waiting-list entries at its locations, declarations
 * to finish (concept or rejected; the card shows their number, not the rows) and overdue start
 * and stop messages (the list's own count, `overdue`, as a subquery). On PostgreSQL each query is
 * a round trip to another process, three counts in one is one.
 */
export async function providerCards(db: Knex, scope: Scope, overdue: Knex.QueryBuilder): Promise<{ waiting: number; declarations: number; overdue: number }> {
  const waiting = scope.providers(db("waitlist_entries as w").join("locations as l", "l.id", "w.location_id").where("w.status", "wachtend"), "l.provider_id").count("*");
  const declarations = scope.purchasers(scope.providers(db("declarations as d").whereIn("d.status", ["concept", "afgewezen"]), "d.provider_id"), "d.purchaser_id").count("*");
  const [row] = await prepared(db, db.select({ waiting, declarations, overdue }));
  return { waiting: toNumber(row.waiting), declarations: toNumber(row.declarations), overdue: toNumber(row.overdue) };
}
