import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { amountCents, lineOn } from "../domain/pricing";
import { contractsOfProviders, linesOf, listContracts } from "./repository";
import { pairKey, realisedUnits } from "./units-repository";
import { toBillingContract } from "./use-reference";

// Spending per village (kern): what this purchaser's attended dagdelen cost, grouped by the
// village the client lives in (the default: where the gemeente's money goes to its residents)
// or by the village of the location where they were delivered (where the facilities are).
// Inkoop units are priced with the line valid on their date; subsidie dagdelen are counted
// (a subsidy is one amount, not a tariff).

export const VILLAGE_GROUPINGS = ["client", "locatie"] as const;
export type VillageGrouping = (typeof VILLAGE_GROUPINGS)[number];

export type VillageSpending = {
  village: string;
  dagdelenInkoop: number;
  rides: number;
  cents: number;
  dagdelenSubsidie: number;
  unpriced: number;
};

/** The village of each of these clients (null: none on file): one query. */
async function clientVillages(db: Knex, clientIds: number[]): Promise<Map<number, string | null>> {
  if (clientIds.length === 0) return new Map();
  const rows: { id: number; village: string | null }[] = await db("clients as c")
    .leftJoin("villages as v", "v.id", "c.village_id")
    .whereIn("c.id", clientIds)
    .select("c.id", "v.name as village");
  return new Map(rows.map((r) => [r.id, r.village]));
}

export async function spendingPerVillage(db: Knex, scope: Scope, from: string, until: string, by: VillageGrouping = "client") {
  const own = (await listContracts(db, scope)).filter((c) => c.status !== "concept");
  const providerIds = [...new Set(own.map((c) => c.provider_id))];
  const purchaserIds = [...new Set(own.map((c) => c.purchaser_id))];
  const pairs = [...new Map(own.map((c) => [pairKey(c.provider_id, c.purchaser_id), { providerId: c.provider_id, purchaserId: c.purchaser_id }])).values()];
  const [billing, locations] = await Promise.all([
    contractsOfProviders(db, providerIds),
    providerIds.length
      ? (db("locations as l").join("villages as v", "v.id", "l.village_id").whereIn("l.provider_id", providerIds).select("l.id", "v.name as village") as Promise<{ id: number; village: string }[]>)
      : Promise.resolve([]),
  ]);
  const contracts = billing.filter((c) => purchaserIds.includes(c.purchaser_id));
  const [units, lines, products] = await Promise.all([
    realisedUnits(db, pairs, contracts.map(toBillingContract), from, until),
    linesOf(db, contracts.map((c) => c.id)),
    db("products").select("id", "unit") as Promise<{ id: number; unit: string }[]>,
  ]);
  const kindOf = new Map(contracts.map((c) => [c.id, c.kind]));
  const locationVillage = new Map(locations.map((l) => [l.id, l.village]));
  const homeVillage = by === "client" ? await clientVillages(db, [...new Set([...units.values()].flatMap((list) => list.map((u) => u.client_id)))]) : new Map<number, string | null>();
  const villageOf = (u: { client_id: number; location_id?: number }) =>
    (by === "client" ? homeVillage.get(u.client_id) : u.location_id !== undefined ? locationVillage.get(u.location_id) : null) || "—";
  const unitOf = new Map(products.map((p) => [p.id, p.unit]));
  const byVillage = new Map<string, VillageSpending>();
  for (const list of units.values()) {
    for (const u of list) {
      const village = villageOf(u);
      const v = byVillage.get(village) ?? { village, dagdelenInkoop: 0, rides: 0, cents: 0, dagdelenSubsidie: 0, unpriced: 0 };
      byVillage.set(village, v);
      if (u.contract_id !== null && kindOf.get(u.contract_id) === "subsidie") {
        v.dagdelenSubsidie += u.units;
        continue;
      }
      if (unitOf.get(u.product_id) === "rit") v.rides += u.units;
      else v.dagdelenInkoop += u.units;
      const line = lineOn(lines, u.contract_id, u.product_id, u.date);
      if (line) v.cents += amountCents(u.units, line.tariff_cents);
      else v.unpriced += u.units;
    }
  }
  const rows = [...byVillage.values()].sort((a, b) => b.cents - a.cents || a.village.localeCompare(b.village, "nl"));
  const total = rows.reduce(
    (t, r) => ({
      dagdelenInkoop: t.dagdelenInkoop + r.dagdelenInkoop,
      rides: t.rides + r.rides,
      cents: t.cents + r.cents,
      dagdelenSubsidie: t.dagdelenSubsidie + r.dagdelenSubsidie,
      unpriced: t.unpriced + r.unpriced,
    }),
    { dagdelenInkoop: 0, rides: 0, cents: 0, dagdelenSubsidie: 0, unpriced: 0 },
  );
  return { rows, total };
}
