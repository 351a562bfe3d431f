import fc from "fast-check";
import type { Knex } from "knex";
import { DAGDELEN, type Dagdeel } from "../../src/domain/dagdeel";
import { addDays } from "../../src/domain/dates";
import { expandSchedule, type WeekParity } from "../../src/domain/schedule";
import { withNameKeys } from "../../src/db/name-keys";

// Random small worlds of contracts, allocations, schedules and attendance for the property
// tests that hold the fast paths of contract use (tallies, planned per week pattern) to the
// reference computed from the raw rows. Today is 16 December 2026: realised and planned use
// meet in a month, schedules run over New Year (2026 has an ISO week 53), contracts and tariff
// lines start and end on month boundaries and in the middle of months.

export const USE_TODAY = "2026-12-16";

const AT = "2026-11-01T08:00:00.000Z";

async function insert(db: Knex, table: string, row: Record<string, unknown>, stamps = true): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, stamps ? { created_at: AT, updated_at: AT, ...row } : row)).returning("id");
  return typeof r === "object" ? r.id : r;
}

export type UseBase = { purchasers: number[]; providers: number[]; locations: { id: number; provider: number }[]; products: { basis: number; intensief: number; rit: number } };

/** Purchasers, providers, locations and products every random world shares. */
export async function buildUseBase(db: Knex): Promise<UseBase> {
  const purchasers = [
    await insert(db, "organisations", { kind: "purchaser", subkind: "gemeente", name: "Gemeente X", gemeentecode: "1894", active: true }),
    await insert(db, "organisations", { kind: "purchaser", subkind: "zorgkantoor", name: "Zorgkantoor Y", active: true }),
  ];
  const providers = [
    await insert(db, "organisations", { kind: "provider", subkind: "zorgboerderij", name: "Boerderij P", agb_code: "98100001", active: true }),
    await insert(db, "organisations", { kind: "provider", subkind: "dorpsdagvoorziening", name: "Dorpshuis Q", agb_code: "98100002", active: true }),
  ];
  const village = await insert(db, "villages", { name: "Kessel", municipality: "Peel en Maas", gemeentecode: "1894", province: "LI" });
  const locations = [
    { id: await insert(db, "locations", { provider_id: providers[0], name: "P1", street: "A 1", postcode: "5988 AA", village_id: village }), provider: providers[0] },
    { id: await insert(db, "locations", { provider_id: providers[0], name: "P2", street: "A 2", postcode: "5988 AA", village_id: village }), provider: providers[0] },
    { id: await insert(db, "locations", { provider_id: providers[1], name: "Q1", street: "B 1", postcode: "5988 BB", village_id: village }), provider: providers[1] },
  ];
  const products = {
    basis: await insert(db, "products", { code: "U-BAS", name: "Basis", unit: "dagdeel", active: true }),
    intensief: await insert(db, "products", { code: "U-INT", name: "Intensief", unit: "dagdeel", active: true }),
    rit: await insert(db, "products", { code: "U-RIT", name: "Rit", unit: "rit", active: true }),
  };
  return { purchasers, providers, locations, products };
}

const STARTS = ["2026-01-01", "2026-10-15", "2026-11-01", "2026-12-10", "2027-01-01", "2027-01-20"];
const ENDS = ["2026-11-20", "2026-12-20", "2026-12-31", "2027-01-15", "2027-03-31", "2027-12-31"];
const STATUSES = ["aanwezig", "aanwezig", "aanwezig", "afgemeld", "ziek", "niet_verschenen", "extra"];

const dateArb = (from: string, days: number) => fc.integer({ min: 0, max: days }).map((d) => addDays(from, d));

export type UseWorldSpec = {
  contracts: { pair: [number, number]; kind: "inkoop" | "subsidie"; from: string; until: string; status: string; noShow: boolean; split: string | null; ceiling: number | null }[];
  allocations: { client: number; purchaser: number; provider: number; product: "basis" | "intensief" | "rit"; from: string; until: string | null }[];
  schedules: {
    client: number;
    location: number;
    funding: string;
    /** Its own allocation from this purchaser (null: one of the others, fitting or not). */
    ownAllocation: number | null;
    allocation: number;
    contract: number | null;
    product: "basis" | "intensief" | null;
    from: string;
    until: string | null;
    parity: WeekParity;
    slots: { weekday: number; dagdeel: Dagdeel }[];
  }[];
  /** Statuses for the schedules' dagdelen from 1 October to 20 December, in turn (null: not recorded). */
  recorded: (string | null)[];
  closures: { provider: number; location: number | null; from: string; days: number; dagdeel: Dagdeel | null }[];
  attendance: { client: number; location: number; date: string; dagdeel: Dagdeel; status: string }[];
};

export const useWorldArb: fc.Arbitrary<UseWorldSpec> = fc.record({
  contracts: fc.array(
    fc.record({
      pair: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
      kind: fc.constantFrom<"inkoop" | "subsidie">("inkoop", "inkoop", "subsidie"),
      from: fc.constantFrom(...STARTS, "2026-01-01"),
      until: fc.constantFrom(...ENDS, "2027-12-31"),
      status: fc.constantFrom("actief", "actief", "actief", "actief", "concept", "beeindigd"),
      noShow: fc.boolean(),
      split: fc.option(fc.constantFrom("2026-07-01", "2026-11-15", "2026-12-01", "2027-01-01", "2027-02-10"), { nil: null }),
      ceiling: fc.option(fc.integer({ min: 10_000, max: 2_000_000 }), { nil: null }),
    }).filter((c) => c.from <= c.until),
    { minLength: 2, maxLength: 7 },
  ),
  allocations: fc.array(
    fc.record({
      client: fc.integer({ min: 0, max: 4 }),
      purchaser: fc.integer({ min: 0, max: 1 }),
      provider: fc.integer({ min: 0, max: 1 }),
      product: fc.constantFrom<"basis" | "intensief" | "rit">("basis", "basis", "intensief", "rit"),
      from: fc.constantFrom("2026-01-01", "2026-10-20", "2026-12-01", "2027-01-05"),
      until: fc.option(fc.constantFrom("2026-11-30", "2026-12-24", "2027-02-28"), { nil: null }),
    }),
    { maxLength: 7 },
  ),
  schedules: fc.array(
    fc.record({
      client: fc.integer({ min: 0, max: 4 }),
      location: fc.integer({ min: 0, max: 2 }),
      funding: fc.constantFrom("toewijzing", "toewijzing", "subsidie", "pgb", "eigen"),
      ownAllocation: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null, freq: 4 }),
      allocation: fc.nat(10),
      contract: fc.option(fc.nat(10), { nil: null }),
      product: fc.option(fc.constantFrom<"basis" | "intensief">("basis", "intensief"), { nil: null }),
      from: dateArb("2026-09-01", 150),
      until: fc.option(dateArb("2026-11-01", 200), { nil: null }),
      parity: fc.constantFrom<WeekParity>("elke", "elke", "even", "oneven"),
      slots: fc.uniqueArray(fc.record({ weekday: fc.integer({ min: 1, max: 6 }), dagdeel: fc.constantFrom<Dagdeel>(...DAGDELEN) }), { minLength: 1, maxLength: 3, selector: (s) => `${s.weekday}|${s.dagdeel}` }),
    }).filter((s) => s.until === null || s.from <= s.until),
    { maxLength: 9 },
  ),
  recorded: fc.array(fc.option(fc.constantFrom(...STATUSES), { nil: null, freq: 5 }), { minLength: 1, maxLength: 30 }),
  closures: fc.array(
    fc.record({ provider: fc.integer({ min: 0, max: 1 }), location: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }), from: dateArb("2026-10-01", 150), days: fc.integer({ min: 0, max: 6 }), dagdeel: fc.constantFrom<Dagdeel | null>(null, "ochtend", "middag") }),
    { maxLength: 3 },
  ),
  attendance: fc.uniqueArray(
    fc.record({
      client: fc.integer({ min: 0, max: 4 }),
      location: fc.integer({ min: 0, max: 2 }),
      date: dateArb("2026-10-01", 80), // to 20 December: a few rows after today
      dagdeel: fc.constantFrom<Dagdeel>(...DAGDELEN),
      status: fc.constantFrom(...STATUSES),
    }),
    { maxLength: 40, selector: (a) => `${a.client}|${a.date}|${a.dagdeel}` },
  ),
});

/** Removes the previous world (the base stays) and writes this one; returns every contract's id. */
export async function writeUseWorld(db: Knex, base: UseBase, spec: UseWorldSpec): Promise<number[]> {
  for (const table of ["attendance", "closures", "schedule_slots", "schedules", "allocations", "contract_lines", "contracts", "clients"]) await db(table).delete();
  const clients: number[] = [];
  for (let i = 0; i < 5; i++) clients.push(await insert(db, "clients", { first_name: "C", last_name: `${i}` }));
  const contracts: number[] = [];
  let n = 0;
  for (const c of spec.contracts) {
    n++;
    const id = await insert(db, "contracts", {
      purchaser_id: base.purchasers[c.pair[0]],
      provider_id: base.providers[c.pair[1]],
      reference: `R${n}`,
      kind: c.kind,
      valid_from: c.from,
      valid_until: c.until,
      status: c.status,
      no_show_billable: c.noShow,
      budget_ceiling_cents: c.kind === "inkoop" ? c.ceiling : null,
      subsidy_amount_cents: c.kind === "subsidie" ? 100_000 : null,
      subsidy_target_dagdelen: c.kind === "subsidie" ? 40 : null,
    });
    contracts.push(id);
    for (const [product, tariff] of [[base.products.basis, 5000 + n], [base.products.intensief, 7000 + n], [base.products.rit, 900 + n]] as const) {
      const split = c.split !== null && c.split > c.from && c.split <= c.until ? c.split : null;
      if (split === null) await insert(db, "contract_lines", { contract_id: id, product_id: product, tariff_cents: tariff, valid_from: c.from, valid_until: c.until });
      else {
        await insert(db, "contract_lines", { contract_id: id, product_id: product, tariff_cents: tariff, valid_from: c.from, valid_until: addDays(split, -1) });
        // An index, but not for every product: a unit without a line stays unpriced.
        if (product !== base.products.intensief) await insert(db, "contract_lines", { contract_id: id, product_id: product, tariff_cents: tariff + 100, valid_from: split, valid_until: c.until });
      }
    }
  }
  const allocations: number[] = [];
  for (const a of spec.allocations) {
    allocations.push(
      await insert(db, "allocations", {
        client_id: clients[a.client],
        purchaser_id: base.purchasers[a.purchaser],
        provider_id: base.providers[a.provider],
        product_id: base.products[a.product],
        volume: 5,
        frequency: "week",
        valid_from: a.from,
        valid_until: a.until,
        reference: `A${allocations.length + 1}`,
      }),
    );
  }
  const recorded = new Map<string, { client: number; location: number; date: string; dagdeel: Dagdeel; status: string }>();
  let turn = 0;
  let references = 0;
  for (const s of spec.schedules) {
    const location = base.locations[s.location];
    let allocation = s.funding === "toewijzing" && allocations.length > 0 ? allocations[s.allocation % allocations.length] : null;
    if (s.funding === "toewijzing" && s.ownAllocation !== null) {
      allocation = await insert(db, "allocations", {
        client_id: clients[s.client],
        purchaser_id: base.purchasers[s.ownAllocation],
        provider_id: location.provider,
        product_id: base.products[s.product ?? "basis"],
        volume: 5,
        frequency: "week",
        valid_from: "2026-06-01",
        valid_until: null,
        reference: `S${++references}`,
      });
      // A ride allocation with every other one.
      if (references % 2 === 1) {
        await insert(db, "allocations", { client_id: clients[s.client], purchaser_id: base.purchasers[s.ownAllocation], provider_id: location.provider, product_id: base.products.rit, volume: 10, frequency: "week", valid_from: "2026-11-01", valid_until: null, reference: `V${++references}` });
      }
    }
    for (const o of expandSchedule({ valid_from: s.from, valid_until: s.until, week_parity: s.parity, slots: s.slots }, "2026-10-01", "2026-12-20")) {
      const status = spec.recorded[turn++ % spec.recorded.length];
      if (status !== null) recorded.set(`${s.client}|${o.date}|${o.dagdeel}`, { client: s.client, location: s.location, date: o.date, dagdeel: o.dagdeel, status });
    }
    const contract = s.contract === null || contracts.length === 0 ? null : contracts[s.contract % contracts.length];
    const id = await insert(db, "schedules", {
      client_id: clients[s.client],
      location_id: location.id,
      funding: s.funding,
      allocation_id: allocation,
      contract_id: s.funding === "eigen" ? null : contract,
      product_id: s.product === null ? null : base.products[s.product],
      valid_from: s.from,
      valid_until: s.until,
      week_parity: s.parity,
    });
    for (const slot of s.slots) await insert(db, "schedule_slots", { schedule_id: id, weekday: slot.weekday, dagdeel: slot.dagdeel });
  }
  for (const c of spec.closures) {
    const location = c.location === null ? null : base.locations[c.location];
    await insert(db, "closures", {
      provider_id: location?.provider ?? base.providers[c.provider],
      location_id: location?.id ?? null,
      starts_on: c.from,
      ends_on: addDays(c.from, c.days),
      dagdeel: c.dagdeel,
      reason: "Dicht",
    });
  }
  for (const a of spec.attendance) recorded.set(`${a.client}|${a.date}|${a.dagdeel}`, a);
  for (const a of recorded.values()) {
    await insert(db, "attendance", { client_id: clients[a.client], location_id: base.locations[a.location].id, date: a.date, dagdeel: a.dagdeel, status: a.status, recorded_at: AT });
  }
  return contracts;
}
