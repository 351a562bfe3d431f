import type { Knex } from "knex";
import type { Scope } from "../auth/scope";

export type FreePlaceLocation = {
  id: number;
  name: string;
  provider_id: number;
  provider_name: string;
  provider_subkind: string;
  village_id: number;
  village: string;
};

export type LocationFilter = { subkind: string | null; productId: number | null; from: string; until: string };

/**
 * Contracts with a line for the product that run (and are active) somewhere in the period, in
 * the actor's purchaser scope: a purchaser sees the providers it can buy the product from.
 */
function providersOffering(db: Knex, scope: Scope, productId: number, from: string, until: string) {
  const q = db("contracts as c")
    .join("contract_lines as cl", "cl.contract_id", "c.id")
    .where("c.status", "actief")
    .where("cl.product_id", productId)
    .where("c.valid_from", "<=", until)
    .where("c.valid_until", ">=", from)
    .where("cl.valid_from", "<=", until)
    .where("cl.valid_until", ">=", from)
    .select("c.provider_id");
  return scope.purchasers(q, "c.purchaser_id");
}

/** Active locations of active providers within the scope, with the filters applied, in one query. */
export async function freePlaceLocations(db: Knex, scope: Scope, filter: LocationFilter): Promise<FreePlaceLocation[]> {
  const q = db("locations as l")
    .join("organisations as o", "o.id", "l.provider_id")
    .join("villages as v", "v.id", "l.village_id")
    .where("l.active", true)
    .where("o.active", true)
    .select("l.id", "l.name", "l.provider_id", "o.name as provider_name", "o.subkind as provider_subkind", "l.village_id", "v.name as village")
    .orderBy([{ column: "v.sort_key" }, { column: "l.sort_key" }]);
  if (filter.subkind) q.where("o.subkind", filter.subkind);
  if (filter.productId) q.whereIn("l.provider_id", providersOffering(db, scope, filter.productId, filter.from, filter.until));
  return scope.providers(q, "l.provider_id");
}

export type ProductOption = { id: number; code: string; name: string };

/** Day-care products (unit dagdeel) on the lines of active contracts the actor may see. */
export function offeredProducts(db: Knex, scope: Scope): Promise<ProductOption[]> {
  const lines = db("contracts as c").join("contract_lines as cl", "cl.contract_id", "c.id").where("c.status", "actief").select("cl.product_id");
  return db("products as p")
    .where("p.unit", "dagdeel")
    .where("p.active", true)
    .whereIn("p.id", scope.purchasers(scope.providers(lines, "c.provider_id"), "c.purchaser_id"))
    .select("p.id", "p.code", "p.name")
    .orderBy("p.name");
}
