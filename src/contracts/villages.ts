import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { addToGroup } from "../domain/groups";
import { amountCents, lineOn, type BillableUnit } from "../domain/pricing";
import { villageTallies } from "../use/repository";
import { currentUseVersion } from "../use/version";
import { realisedInMonths } from "./realised-months";
import { contractsOfProviders, linesOf, listContracts, type ContractRow, type LineRow } from "./repository";
import { pairKey } from "./units-repository";
import { billedUnder, pairContracts, type PairContracts } from "./use-months";
import { toBillingContract } from "./use-reference";

// Spending per village (kern): what this purchaser's attended dagdelen cost, grouped by the
// village the client lives in (the default: where the gemeente's money goes to its residents)
// or by the village of the location where they were delivered (where the facilities are).
// Inkoop units are priced with the line valid on their date; subsidie dagdelen are counted
// (a subsidy is one amount, not a tariff). Whole months come from the client use tallies summed
// per village in the database, the months whose days do not all count alike from their
// attendance rows (realisedInMonths): a gemeente's year read every attended dagdeel into
// JavaScript and took 8–9 s at region scale. villages-reference.ts is the reference it equals
// (test/unit/village-spending.test.ts).

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

type Priced = Pick<BillableUnit, "contract_id" | "product_id" | "date" | "units">;

/** The page's rows, biggest spending first, and their total, as units come in. */
export class VillageTotals {
  private readonly byVillage = new Map<string, VillageSpending>();
  private readonly kindOf: Map<number, string>;
  private readonly linesOf = new Map<number, LineRow[]>();
  private readonly unitOf: Map<number, string>;

  constructor(contracts: ContractRow[], lines: LineRow[], products: { id: number; unit: string }[]) {
    this.kindOf = new Map(contracts.map((c) => [c.id, c.kind]));
    for (const l of lines) addToGroup(this.linesOf, l.contract_id, l);
    this.unitOf = new Map(products.map((p) => [p.id, p.unit]));
  }

  add(village: string | null | undefined, u: Priced): void {
    const name = village || "—";
    let v = this.byVillage.get(name);
    if (!v) this.byVillage.set(name, (v = { village: name, dagdelenInkoop: 0, rides: 0, cents: 0, dagdelenSubsidie: 0, unpriced: 0 }));
    if (u.contract_id !== null && this.kindOf.get(u.contract_id) === "subsidie") {
      v.dagdelenSubsidie += u.units;
      return;
    }
    if (this.unitOf.get(u.product_id) === "rit") v.rides += u.units;
    else v.dagdelenInkoop += u.units;
    const line = u.contract_id === null ? undefined : lineOn(this.linesOf.get(u.contract_id) ?? [], u.contract_id, u.product_id, u.date);
    if (line) v.cents += amountCents(u.units, line.tariff_cents);
    else v.unpriced += u.units;
  }

  result(): { rows: VillageSpending[]; total: Omit<VillageSpending, "village"> } {
    const rows = [...this.byVillage.values()].sort((a, b) => b.cents - a.cents || a.village.localeCompare(b.village, "nl"));
    const total = { dagdelenInkoop: 0, rides: 0, cents: 0, dagdelenSubsidie: 0, unpriced: 0 };
    for (const r of rows) {
      total.dagdelenInkoop += r.dagdelenInkoop;
      total.rides += r.rides;
      total.cents += r.cents;
      total.dagdelenSubsidie += r.dagdelenSubsidie;
      total.unpriced += r.unpriced;
    }
    return { rows, total };
  }
}

/** What the page needs of the purchaser's contracts: its pairs, every contract of their providers with it, lines and products. */
export async function villageBasis(db: Knex, scope: Scope) {
  const own = (await listContracts(db, scope)).filter((c) => c.status !== "concept");
  const providerIds = [...new Set(own.map((c) => c.provider_id))];
  const purchaserIds = [...new Set(own.map((c) => c.purchaser_id))];
  const pairs = [...new Map(own.map((c) => [pairKey(c.provider_id, c.purchaser_id), { providerId: c.provider_id, purchaserId: c.purchaser_id }])).values()];
  const contracts = (await contractsOfProviders(db, providerIds)).filter((c) => purchaserIds.includes(c.purchaser_id));
  const [lines, products] = await Promise.all([linesOf(db, contracts.map((c) => c.id)), db("products").select("id", "unit") as Promise<{ id: number; unit: string }[]>]);
  return { providerIds, pairs, contracts, lines, products };
}

/** The village of each of these clients or locations (null: none on file): one query. */
async function villagesOf(db: Knex, by: VillageGrouping, ids: number[]): Promise<Map<number, string | null>> {
  if (ids.length === 0) return new Map();
  const rows: { id: number; village: string | null }[] =
    by === "client"
      ? await db("clients as c").leftJoin("villages as v", "v.id", "c.village_id").whereIn("c.id", ids).select("c.id", "v.name as village")
      : await db("locations as l").leftJoin("villages as v", "v.id", "l.village_id").whereIn("l.id", ids).select("l.id", "v.name as village");
  return new Map(rows.map((r) => [r.id, r.village]));
}

export async function spendingPerVillage(db: Knex, scope: Scope, from: string, until: string, by: VillageGrouping, today: string) {
  // Every committed change to attendance, schedules and allocations counted into the tallies first.
  await currentUseVersion(db);
  const { pairs, contracts, lines, products } = await villageBasis(db, scope);
  const totals = new VillageTotals(contracts, lines, products);
  const billing = contracts.map(toBillingContract);
  const byPair = new Map<string, PairContracts>();
  for (const p of pairs) {
    const own = billing.filter((c) => c.provider_id === p.providerId && c.purchaser_id === p.purchaserId);
    const ids = new Set(own.map((c) => c.id));
    byPair.set(pairKey(p.providerId, p.purchaserId), pairContracts(own, lines.filter((l) => ids.has(l.contract_id))));
  }
  if (byPair.size === 0) return totals.result();
  const fromRows: BillableUnit[] = [];
  await realisedInMonths(db, byPair, from, until, today, (providerIds, purchaserIds, fromMonth, untilMonth) => villageTallies(db, by, providerIds, purchaserIds, fromMonth, untilMonth), {
    tally: (t, pair, date) => {
      const billed = billedUnder(pair, t, date);
      if (billed) totals.add(t.village, { contract_id: billed.contractId, product_id: t.product_id, date, units: t.units });
    },
    unit: (u) => fromRows.push(u),
  });
  const where = (u: BillableUnit) => (by === "client" ? u.client_id : u.location_id);
  const villages = await villagesOf(db, by, [...new Set(fromRows.map(where).filter((id): id is number => id !== undefined))]);
  for (const u of fromRows) {
    const id = where(u);
    totals.add(id === undefined ? null : villages.get(id), u);
  }
  return totals.result();
}
