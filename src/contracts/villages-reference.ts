import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { realisedUnits } from "./units-repository";
import { toBillingContract } from "./use-reference";
import { VillageTotals, villageBasis, type VillageGrouping } from "./villages";

// Spending per village the slow, plain way: every attended dagdelen of the period read and
// attributed one by one (realisedUnits, as the declarations do), then priced on its own date.
// The reference the page's fast path (villages.ts) equals; not for pages at region scale.

export async function spendingPerVillageReference(db: Knex, scope: Scope, from: string, until: string, by: VillageGrouping) {
  const { providerIds, pairs, contracts, lines, products } = await villageBasis(db, scope);
  const totals = new VillageTotals(contracts, lines, products);
  const [units, locations] = await Promise.all([
    realisedUnits(db, pairs, contracts.map(toBillingContract), from, until),
    providerIds.length ? (db("locations as l").join("villages as v", "v.id", "l.village_id").whereIn("l.provider_id", providerIds).select("l.id", "v.name as village") as Promise<{ id: number; village: string }[]>) : Promise.resolve([]),
  ]);
  const all = [...units.values()].flat();
  const clientIds = [...new Set(all.map((u) => u.client_id))];
  const homes: { id: number; village: string | null }[] = clientIds.length ? await db("clients as c").leftJoin("villages as v", "v.id", "c.village_id").whereIn("c.id", clientIds).select("c.id", "v.name as village") : [];
  const homeVillage = new Map(homes.map((r) => [r.id, r.village]));
  const locationVillage = new Map(locations.map((l) => [l.id, l.village]));
  for (const u of all) totals.add(by === "client" ? homeVillage.get(u.client_id) : u.location_id !== undefined ? locationVillage.get(u.location_id) : null, u);
  return totals.result();
}
