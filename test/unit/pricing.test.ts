import { expect } from "chai";
import fc from "fast-check";
import { billableUnits, type AttributedRow, type BillingContract } from "../../src/domain/billing";
import { addDays, datesBetween } from "../../src/domain/dates";
import type { Attribution } from "../../src/domain/funding";
import {
  amountCents,
  contractOn,
  correctionLines,
  isBillable,
  priceUnits,
  replayChain,
  sameLines,
  totalCents,
  type BillableUnit,
  type DraftLine,
  type StoredLine,
  type TariffLine,
} from "../../src/domain/pricing";

const OCTOBER = { from: "2026-10-01", until: "2026-10-31" };
const octoberDates = datesBetween(OCTOBER.from, OCTOBER.until);

const unit = (client_id: number, date: string, units = 1, product_id = 1, allocation_id: number | null = client_id * 10): BillableUnit => ({
  client_id,
  allocation_id,
  product_id,
  contract_id: 1,
  date,
  units,
});

describe("pricing: billable units", () => {
  it("bills present and extra always, a no-show only when the contract says so, never cancelled or sick", () => {
    expect(isBillable("aanwezig", false)).to.equal(true);
    expect(isBillable("extra", false)).to.equal(true);
    expect(isBillable("niet_verschenen", false)).to.equal(false);
    expect(isBillable("niet_verschenen", true)).to.equal(true);
    expect(isBillable("afgemeld", true)).to.equal(false);
    expect(isBillable("ziek", true)).to.equal(false);
  });

  it("takes the signed contract that holds the date, preferring the one the schedule names", () => {
    const contracts = [
      { id: 1, valid_from: "2025-01-01", valid_until: "2025-12-31", status: "beeindigd", no_show_billable: false },
      { id: 2, valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief", no_show_billable: false },
      { id: 3, valid_from: "2026-01-01", valid_until: "2026-12-31", status: "concept", no_show_billable: false },
    ];
    expect(contractOn(contracts, "2025-06-01")?.id).to.equal(1);
    expect(contractOn(contracts, "2026-06-01")?.id).to.equal(2);
    expect(contractOn(contracts, "2026-06-01", 3)?.id).to.equal(2); // a concept never prices
    expect(contractOn(contracts, "2027-01-01")).to.equal(undefined);
  });
});

describe("pricing: lines and totals", () => {
  const basis: TariffLine = { id: 11, contract_id: 1, product_id: 1, tariff_cents: 5150, valid_from: "2026-01-01", valid_until: "2026-12-31" };

  it("groups per client, allocation and product, amount = units × tariff in cents", () => {
    const { lines, unpriced } = priceUnits(
      [unit(1, "2026-10-05"), unit(1, "2026-10-06"), unit(2, "2026-10-05"), unit(1, "2026-10-07")],
      [basis],
      OCTOBER,
    );
    expect(unpriced).to.deep.equal([]);
    expect(lines).to.have.length(2);
    expect(lines[0]).to.include({ client_id: 1, allocation_id: 10, units: 3, tariff_cents: 5150, amount_cents: 15450, debit_credit: "D", period_from: "2026-10-01", period_until: "2026-10-31" });
    expect(lines[1]).to.include({ client_id: 2, units: 1, amount_cents: 5150 });
    expect(totalCents(lines)).to.equal(20600);
  });

  it("keeps units without a valid tariff apart instead of guessing", () => {
    const late = { ...basis, valid_from: "2026-10-10" };
    const { lines, unpriced } = priceUnits([unit(1, "2026-10-05"), unit(1, "2026-10-12")], [late], OCTOBER);
    expect(lines).to.have.length(1);
    expect(lines[0].units).to.equal(1);
    expect(unpriced.map((u) => u.date)).to.deep.equal(["2026-10-05"]);
  });

  it("cuts a line's period to the allocation's validity", () => {
    const { lines } = priceUnits([unit(1, "2026-10-20")], [basis], OCTOBER, new Map([[10, { valid_from: "2026-10-15", valid_until: null }]]));
    expect(lines[0]).to.include({ period_from: "2026-10-15", period_until: "2026-10-31" });
  });

  it("credits subtract from the total", () => {
    expect(totalCents([{ amount_cents: 1000, debit_credit: "D" }, { amount_cents: 300, debit_credit: "C" }])).to.equal(700);
  });

  it("refuses a fraction of a cent", () => {
    expect(() => amountCents(1, 51.5)).to.throw(RangeError);
  });

  const unitsArb = fc.array(
    fc.record({
      client: fc.integer({ min: 1, max: 6 }),
      product: fc.integer({ min: 1, max: 2 }),
      day: fc.integer({ min: 0, max: 30 }),
      units: fc.integer({ min: 1, max: 2 }),
    }),
    { maxLength: 120 },
  );
  const tariffArb = fc.integer({ min: 1, max: 250_000 });

  it("property: the lines add up to the total, and the total is every unit at its date's tariff", () => {
    fc.assert(
      fc.property(unitsArb, tariffArb, tariffArb, tariffArb, fc.integer({ min: 1, max: 30 }), (raw, t1, t2, t3, splitDay) => {
        const split = octoberDates[splitDay];
        const lines: TariffLine[] = [
          { id: 1, contract_id: 1, product_id: 1, tariff_cents: t1, valid_from: "2026-01-01", valid_until: addDays(split, -1) },
          { id: 2, contract_id: 1, product_id: 1, tariff_cents: t2, valid_from: split, valid_until: "2026-12-31" },
          { id: 3, contract_id: 1, product_id: 2, tariff_cents: t3, valid_from: "2026-01-01", valid_until: "2026-12-31" },
        ];
        const units = raw.map((r) => unit(r.client, octoberDates[r.day], r.units, r.product));
        const priced = priceUnits(units, lines, OCTOBER);
        const sumOfLines = priced.lines.reduce((s, l) => s + l.amount_cents, 0);
        const expected = units.reduce((s, u) => s + u.units * (u.product_id === 2 ? t3 : u.date < split ? t1 : t2), 0);
        expect(priced.unpriced).to.deep.equal([]);
        expect(totalCents(priced.lines)).to.equal(sumOfLines);
        expect(sumOfLines).to.equal(expected);
        for (const l of priced.lines) {
          expect(Number.isSafeInteger(l.amount_cents)).to.equal(true);
          expect(l.amount_cents).to.equal(l.units * l.tariff_cents);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("property: a tariff change mid-month prices each date at its own tariff, in two lines with their own periods", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 31 }),
        tariffArb,
        tariffArb,
        fc.integer({ min: 1, max: 30 }),
        (days, before, after, splitDay) => {
          const split = octoberDates[splitDay];
          const lines: TariffLine[] = [
            { id: 1, contract_id: 1, product_id: 1, tariff_cents: before, valid_from: "2026-01-01", valid_until: addDays(split, -1) },
            { id: 2, contract_id: 1, product_id: 1, tariff_cents: after, valid_from: split, valid_until: "2026-12-31" },
          ];
          const dates = days.map((d) => octoberDates[d]);
          const { lines: priced } = priceUnits(dates.map((d) => unit(7, d)), lines, OCTOBER);
          const early = dates.filter((d) => d < split).length;
          const late = dates.length - early;
          const first = priced.find((l) => l.contract_line_id === 1);
          const second = priced.find((l) => l.contract_line_id === 2);
          expect(priced).to.have.length((early > 0 ? 1 : 0) + (late > 0 ? 1 : 0));
          if (early > 0) {
            expect(first).to.include({ units: early, tariff_cents: before, amount_cents: early * before, period_from: "2026-10-01", period_until: addDays(split, -1) });
          }
          if (late > 0) {
            expect(second).to.include({ units: late, tariff_cents: after, amount_cents: late * after, period_from: split, period_until: "2026-10-31" });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("pricing: corrections after acceptance (iWmo IV091)", () => {
  const draft = (client: number, units: number, tariff = 5150, line = 1): DraftLine => ({
    client_id: client,
    allocation_id: client * 10,
    product_id: 1,
    contract_line_id: line,
    period_from: "2026-10-01",
    period_until: "2026-10-31",
    units,
    tariff_cents: tariff,
    amount_cents: units * tariff,
    debit_credit: "D",
  });
  let nextId = 1;
  const store = (lines: DraftLine[]): StoredLine[] => lines.map((l) => ({ ...l, id: nextId++ }));

  it("credits a changed line whole and debits what is right now; unchanged lines stay out", () => {
    const accepted = [draft(1, 8), draft(2, 4), draft(3, 2)];
    const now = [draft(1, 9), draft(2, 4), draft(4, 1)];
    const lines = correctionLines(accepted, now);
    expect(lines.map((l) => [l.client_id, l.debit_credit, l.units])).to.deep.equal([
      [1, "C", 8],
      [1, "D", 9],
      [3, "C", 2],
      [4, "D", 1],
    ]);
    expect(totalCents(lines)).to.equal(totalCents(now) - totalCents(accepted));
  });

  it("finds nothing to correct when attendance still says what was accepted", () => {
    expect(correctionLines([draft(1, 8)], [draft(1, 8)])).to.deep.equal([]);
  });

  it("replays a chain: a credit withdraws the identical debit it refers to", () => {
    const original = store([draft(1, 8), draft(2, 4)]);
    const correction = store(correctionLines(original, [draft(1, 9), draft(2, 4)]));
    const { live, withdrawn } = replayChain([original, correction]);
    expect(sameLines(live, [draft(1, 9), draft(2, 4)])).to.equal(true);
    const credit = correction.find((l) => l.debit_credit === "C")!;
    expect(withdrawn.get(credit.id)).to.equal(original[0].id);
  });

  it("property: after a correction the accepted lines say exactly what attendance says, and its total is the difference", () => {
    const linesArb = fc.uniqueArray(
      fc.record({ client: fc.integer({ min: 1, max: 8 }), units: fc.integer({ min: 1, max: 22 }), tariff: fc.integer({ min: 1, max: 99_999 }) }),
      { selector: (r) => r.client, maxLength: 8 },
    );
    fc.assert(
      fc.property(linesArb, linesArb, linesArb, (a, b, c) => {
        const first = store(a.map((x) => draft(x.client, x.units, x.tariff)));
        const second = b.map((x) => draft(x.client, x.units, x.tariff));
        const c1 = store(correctionLines(replayChain([first]).live, second));
        expect(sameLines(replayChain([first, c1]).live, second)).to.equal(true);
        expect(totalCents(c1)).to.equal(totalCents(second) - totalCents(first));
        // and a second correction on top of the first
        const third = c.map((x) => draft(x.client, x.units, x.tariff));
        const c2 = store(correctionLines(replayChain([first, c1]).live, third));
        expect(sameLines(replayChain([first, c1, c2]).live, third)).to.equal(true);
        expect(totalCents(first) + totalCents(c1) + totalCents(c2)).to.equal(totalCents(third));
      }),
      { numRuns: 200 },
    );
  });
});

describe("billing: which dagdelen count for which contract", () => {
  const contracts: BillingContract[] = [
    { id: 1, purchaser_id: 100, provider_id: 200, kind: "inkoop", valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief", no_show_billable: false },
    { id: 2, purchaser_id: 100, provider_id: 200, kind: "subsidie", valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief", no_show_billable: false },
  ];
  const viaAllocation = (allocation: number, purchaser = 100): Attribution => ({ funding: "toewijzing", purchaser_id: purchaser, allocation_id: allocation, contract_id: 1, product_id: 5, schedule_id: 1 });
  const row = (client: number, date: string, status: string, attribution: Attribution): AttributedRow => ({ client_id: client, date, status, attribution });
  const rides = [{ id: 77, client_id: 1, purchaser_id: 100, provider_id: 200, product_id: 9, valid_from: "2026-01-01", valid_until: null }];

  it("counts a dagdeel per billable row and two rides per attended day", () => {
    const units = billableUnits(
      [
        row(1, "2026-10-05", "aanwezig", viaAllocation(10)),
        row(1, "2026-10-05", "aanwezig", viaAllocation(10)), // afternoon of the same day: no second pair of rides
        row(1, "2026-10-06", "ziek", viaAllocation(10)),
        row(1, "2026-10-07", "niet_verschenen", viaAllocation(10)),
        row(2, "2026-10-05", "aanwezig", viaAllocation(20, 999)), // another purchaser pays
        row(3, "2026-10-05", "aanwezig", { funding: "pgb", purchaser_id: null, allocation_id: null, contract_id: null, product_id: 5, schedule_id: 3 }),
      ],
      { purchaserId: 100, providerId: 200, contracts, rides },
    );
    expect(units.filter((u) => u.product_id === 5).map((u) => [u.client_id, u.date, u.units, u.contract_id])).to.deep.equal([
      [1, "2026-10-05", 1, 1],
      [1, "2026-10-05", 1, 1],
    ]);
    expect(units.filter((u) => u.product_id === 9).map((u) => [u.client_id, u.date, u.units, u.allocation_id])).to.deep.equal([[1, "2026-10-05", 2, 77]]);
  });

  it("bills a no-show under a contract that says so, but gives it no rides", () => {
    const units = billableUnits([row(1, "2026-10-07", "niet_verschenen", viaAllocation(10))], {
      purchaserId: 100,
      providerId: 200,
      contracts: contracts.map((c) => ({ ...c, no_show_billable: true })),
      rides,
    });
    expect(units.map((u) => [u.product_id, u.units])).to.deep.equal([[5, 1]]);
  });

  it("counts subsidie dagdelen under the subsidie contract, without an allocation", () => {
    const units = billableUnits(
      [row(4, "2026-10-05", "aanwezig", { funding: "subsidie", purchaser_id: 100, allocation_id: null, contract_id: 2, product_id: 5, schedule_id: 4 })],
      { purchaserId: 100, providerId: 200, contracts, rides },
    );
    expect(units).to.deep.equal([{ client_id: 4, allocation_id: null, product_id: 5, contract_id: 2, date: "2026-10-05", units: 1, location_id: undefined }]);
  });

  it("property: asks contractOn once per date and named contract, and bills as asking it for every row does", () => {
    // The reference: billableUnits as it was before it kept contractOn's answers — every row asks again.
    const reference = (rows: AttributedRow[], opts: { purchaserId: number; providerId: number; contracts: BillingContract[]; rides: typeof rides }) => {
      const ofPair = opts.contracts.filter((c) => c.purchaser_id === opts.purchaserId && c.provider_id === opts.providerId);
      const inkoop = ofPair.filter((c) => c.kind === "inkoop");
      const subsidies = ofPair.filter((c) => c.kind === "subsidie");
      const out: { date: string; contract: number | null; client: number; product: number | null }[] = [];
      for (const r of rows) {
        const a = r.attribution;
        if (a.purchaser_id !== opts.purchaserId || a.product_id === null) continue;
        if (a.funding === "toewijzing" && a.allocation_id !== null) {
          const contract = contractOn(inkoop, r.date, a.contract_id);
          if (isBillable(r.status, contract?.no_show_billable ?? false)) out.push({ date: r.date, contract: contract?.id ?? null, client: r.client_id, product: a.product_id });
        } else if (a.funding === "subsidie" && a.contract_id !== null) {
          const contract = contractOn(subsidies, r.date, a.contract_id);
          if (contract && isBillable(r.status, contract.no_show_billable)) out.push({ date: r.date, contract: contract.id, client: r.client_id, product: a.product_id });
        }
      }
      return out;
    };
    const contractArb = fc.record({
      kind: fc.constantFrom("inkoop" as const, "subsidie" as const),
      from: fc.integer({ min: 0, max: 40 }),
      length: fc.integer({ min: 0, max: 40 }),
      status: fc.constantFrom("actief", "concept", "beeindigd"),
      noShow: fc.boolean(),
    });
    const rowArb = fc.record({
      client: fc.integer({ min: 1, max: 4 }),
      day: fc.integer({ min: 0, max: 60 }),
      status: fc.constantFrom("aanwezig", "extra", "niet_verschenen", "ziek", "afgemeld"),
      funding: fc.constantFrom("toewijzing" as const, "subsidie" as const, "pgb" as const),
      contract: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
    });
    const dateOf = (day: number) => new Date(Date.UTC(2026, 10, 20 + day)).toISOString().slice(0, 10);
    fc.assert(
      fc.property(fc.array(contractArb, { maxLength: 6 }), fc.array(rowArb, { maxLength: 40 }), (specs, rowSpecs) => {
        const list: BillingContract[] = specs.map((c, i) => ({ id: i + 1, purchaser_id: 100, provider_id: 200, kind: c.kind, valid_from: dateOf(c.from), valid_until: dateOf(c.from + c.length), status: c.status, no_show_billable: c.noShow }) as BillingContract);
        const rows = rowSpecs.map((r) =>
          row(r.client, dateOf(r.day), r.status, { funding: r.funding, purchaser_id: 100, allocation_id: r.funding === "toewijzing" ? 10 : null, contract_id: r.contract, product_id: 5, schedule_id: 1 }),
        );
        const opts = { purchaserId: 100, providerId: 200, contracts: list, rides };
        const units = billableUnits(rows, opts).filter((u) => u.product_id === 5);
        expect(units.map((u) => ({ date: u.date, contract: u.contract_id, client: u.client_id, product: u.product_id }))).to.deep.equal(reference(rows, opts));
      }),
      { numRuns: 300 },
    );
  });

  it("counts a subsidie dagdeel under the subsidy running on its date, whichever year's the schedule names (15.1)", () => {
    const years: BillingContract[] = [
      ...contracts,
      { id: 3, purchaser_id: 100, provider_id: 200, kind: "subsidie", valid_from: "2027-01-01", valid_until: "2027-12-31", status: "actief", no_show_billable: false },
      { id: 4, purchaser_id: 100, provider_id: 200, kind: "subsidie", valid_from: "2028-01-01", valid_until: "2028-12-31", status: "concept", no_show_billable: false },
    ];
    const named = (contract: number) => ({ funding: "subsidie" as const, purchaser_id: 100, allocation_id: null, contract_id: contract, product_id: 5, schedule_id: 4 });
    const units = billableUnits(
      [row(4, "2026-12-29", "aanwezig", named(3)), row(4, "2027-01-05", "aanwezig", named(2)), row(4, "2028-01-04", "aanwezig", named(3))],
      { purchaserId: 100, providerId: 200, contracts: years, rides },
    );
    // December under 2026's, January under 2027's; 2028's is a concept: nothing counts yet.
    expect(units.map((u) => [u.date, u.contract_id])).to.deep.equal([
      ["2026-12-29", 2],
      ["2027-01-05", 3],
    ]);
  });
});
