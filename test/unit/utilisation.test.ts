import { expect } from "chai";
import fc from "fast-check";
import { budgetForecast, divideRounded, percentOf, pricedPoints, reachedOn, utilisation, warningLevel, worst, type UsageContract, type UsageLine } from "../../src/domain/utilisation";

const contract: UsageContract = {
  id: 1,
  kind: "inkoop",
  valid_from: "2026-01-01",
  valid_until: "2026-12-31",
  budget_ceiling_cents: 100_000,
  subsidy_amount_cents: null,
  subsidy_target_dagdelen: null,
};
const line = (id: number, product_id: number, tariff_cents: number, volume_ceiling: number | null, valid_from = "2026-01-01", valid_until = "2026-12-31"): UsageLine => ({
  id,
  contract_id: 1,
  product_id,
  tariff_cents,
  volume_ceiling,
  valid_from,
  valid_until,
});

describe("utilisation: warnings", () => {
  it("signals the consultation at 70 % (Contractstandaard Wmo 1.2), warns at 80 % and at 100 %, in whole numbers", () => {
    expect(warningLevel(69, 100)).to.equal("none");
    expect(warningLevel(70, 100)).to.equal("consult");
    expect(warningLevel(6999, 10_000)).to.equal("none");
    expect(warningLevel(7000, 10_000)).to.equal("consult");
    expect(warningLevel(79, 100)).to.equal("consult");
    expect(warningLevel(80, 100)).to.equal("near");
    expect(warningLevel(99, 100)).to.equal("near");
    expect(warningLevel(100, 100)).to.equal("over");
    expect(warningLevel(5, null)).to.equal("none");
    expect(warningLevel(7999, 10_000)).to.equal("consult");
    expect(warningLevel(8000, 10_000)).to.equal("near");
  });

  it("rounds percentages down, so 80 % is never shown before it is reached", () => {
    expect(percentOf(799, 1000)).to.equal(79);
    expect(percentOf(800, 1000)).to.equal(80);
    expect(percentOf(1, null)).to.equal(null);
  });

  it("property: the level agrees with the percentage", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (v, c) => {
        const p = percentOf(v, c)!;
        const level = warningLevel(v, c);
        expect(level).to.equal(p >= 100 ? "over" : p >= 80 ? "near" : p >= 70 ? "consult" : "none");
      }),
    );
  });

  it("the worst level wins", () => {
    expect(worst("none", "consult")).to.equal("consult");
    expect(worst("consult", "near", "none")).to.equal("near");
    expect(worst("over", "consult")).to.equal("over");
    expect(worst()).to.equal("none");
  });

  it("divides with half-up rounding in integers", () => {
    expect(divideRounded(10, 4)).to.equal(3); // 2.5 → 3
    expect(divideRounded(10, 3)).to.equal(3);
    expect(divideRounded(11, 3)).to.equal(4);
  });
});

describe("utilisation of an inkoop contract", () => {
  it("splits realised and planned per line and per month, prices each date at its line, forecasts both", () => {
    const lines = [line(1, 7, 5000, 10, "2026-01-01", "2026-06-30"), line(2, 7, 5200, null, "2026-07-01", "2026-12-31"), line(3, 8, 1250, null)];
    const u = utilisation(
      contract,
      lines,
      [
        { product_id: 7, date: "2026-06-30", units: 1 },
        { product_id: 7, date: "2026-07-01", units: 1 },
        { product_id: 8, date: "2026-07-01", units: 2 },
        { product_id: 9, date: "2026-07-01", units: 1 }, // no line: counted apart
        { product_id: 7, date: "2027-01-04", units: 1 }, // after the contract: not its use
      ],
      [{ product_id: 7, date: "2026-12-01", units: 1 }],
    );
    expect(u.realised).to.deep.equal({ units: 5, cents: 5000 + 5200 + 2500 });
    expect(u.planned).to.deep.equal({ units: 1, cents: 5200 });
    expect(u.forecast).to.deep.equal({ units: 6, cents: 5000 + 5200 + 2500 + 5200 });
    expect(u.unpricedRealised).to.equal(1);
    expect(u.lines.find((l) => l.line.id === 1)).to.deep.include({ realised: { units: 1, cents: 5000 }, volumePercentForecast: 10, level: "none" });
    expect(u.lines.find((l) => l.line.id === 2)).to.deep.include({ realised: { units: 1, cents: 5200 }, planned: { units: 1, cents: 5200 } });
    expect(u.months.map((m) => [m.month, m.product_id, m.realised.units, m.planned.units])).to.deep.equal([
      ["2026-06", 7, 1, 0],
      ["2026-07", 7, 1, 0],
      ["2026-07", 8, 2, 0],
      ["2026-07", 9, 1, 0],
      ["2026-12", 7, 0, 1],
    ]);
    expect(u.budget).to.deep.include({ ceiling: 100_000, percentForecast: 17, level: "none" });
  });

  it("warns when the forecast reaches 80 % of the budget, and 100 % of a line's volume", () => {
    const near = utilisation({ ...contract, budget_ceiling_cents: 10_000 }, [line(1, 7, 4000, null)], [{ product_id: 7, date: "2026-03-02", units: 2 }], []);
    expect(near.budget.level).to.equal("near");
    expect(near.level).to.equal("near");
    const over = utilisation(contract, [line(1, 7, 100, 3)], [{ product_id: 7, date: "2026-03-02", units: 2 }], [{ product_id: 7, date: "2026-12-02", units: 1 }]);
    expect(over.lines[0].level).to.equal("over");
    expect(over.lines[0].volumePercentRealised).to.equal(66);
    expect(over.level).to.equal("over");
  });

  it("property: forecast = realised + planned, and the months add up to the totals", () => {
    const unitsArb = fc.array(
      fc.record({ product_id: fc.constantFrom(7, 8), day: fc.integer({ min: 0, max: 364 }), units: fc.integer({ min: 1, max: 2 }) }),
      { maxLength: 80 },
    );
    const toDate = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
    fc.assert(
      fc.property(unitsArb, unitsArb, (r, p) => {
        const u = utilisation(contract, [line(1, 7, 5150, null), line(2, 8, 1250, null)], r.map((x) => ({ ...x, date: toDate(x.day) })), p.map((x) => ({ ...x, date: toDate(x.day) })));
        expect(u.forecast.cents).to.equal(u.realised.cents + u.planned.cents);
        expect(u.months.reduce((s, m) => s + m.realised.cents + m.planned.cents, 0)).to.equal(u.forecast.cents);
        expect(u.lines.reduce((s, l) => s + l.forecast.units, 0)).to.equal(u.forecast.units);
      }),
    );
  });
});

describe("utilisation of a subsidie contract", () => {
  it("counts dagdelen against the target and gives the cost per realised dagdeel", () => {
    const u = utilisation(
      { ...contract, kind: "subsidie", budget_ceiling_cents: null, subsidy_amount_cents: 1_000_000, subsidy_target_dagdelen: 400 },
      [],
      Array.from({ length: 300 }, () => ({ product_id: 7, date: "2026-05-04", units: 1 })),
      Array.from({ length: 30 }, () => ({ product_id: 7, date: "2026-12-01", units: 1 })),
    );
    expect(u.subsidy).to.deep.equal({
      amount_cents: 1_000_000,
      target: 400,
      realised: 300,
      planned: 30,
      forecast: 330,
      percentRealised: 75,
      percentForecast: 82,
      costPerRealisedCents: 3333,
    });
    expect(u.realised.cents).to.equal(0);
    expect(u.unpricedRealised).to.equal(0);
  });
});

describe("bestedingsruimte: when the budget ceiling will be reached", () => {
  const lines = [line(1, 7, 5000, null, "2026-01-01", "2026-06-30"), line(2, 7, 6000, null, "2026-07-01", "2026-12-31")];

  it("prices each unit at the line of its date, and leaves out what lies outside the contract or has no line", () => {
    expect(pricedPoints(contract, lines, [
      { product_id: 7, date: "2026-06-30", units: 1 },
      { product_id: 7, date: "2026-07-01", units: 2 },
      { product_id: 9, date: "2026-07-01", units: 1 },
      { product_id: 7, date: "2027-01-04", units: 1 },
    ])).to.deep.equal([{ date: "2026-06-30", amount: 5000 }, { date: "2026-07-01", amount: 12_000 }]);
  });

  it("gives the first day the running total reaches 70 % and 100 % of the ceiling: realised first, then planned", () => {
    // Ceiling € 1.000: € 500 realised by 30 June, then € 60 a dagdeel planned from July.
    const realised = Array.from({ length: 10 }, (_, i) => ({ product_id: 7, date: `2026-06-${String(i + 11).padStart(2, "0")}`, units: 1 }));
    const planned = Array.from({ length: 20 }, (_, i) => ({ product_id: 7, date: `2026-07-${String(i + 1).padStart(2, "0")}`, units: 1 }));
    // 500 + 60 × 4 = 740 ≥ 700 on 4 July; 500 + 60 × 9 = 1040 ≥ 1000 on 9 July.
    expect(budgetForecast(contract, lines, realised, planned)).to.deep.equal({ consultOn: "2026-07-04", ceilingOn: "2026-07-09" });
    expect(budgetForecast(contract, lines, realised, planned.slice(0, 3))).to.deep.equal({ consultOn: null, ceilingOn: null });
    expect(budgetForecast({ ...contract, budget_ceiling_cents: null }, lines, realised, planned)).to.deep.equal({ consultOn: null, ceilingOn: null });
  });

  it("property: the day agrees with utilisation(): reached by the contract's end exactly when the forecast reaches the percentage", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 364 }), units: fc.integer({ min: 1, max: 3 }), planned: fc.boolean() }), { maxLength: 60 }),
        fc.integer({ min: 1_000, max: 300_000 }),
        (rows, ceiling) => {
          const c = { ...contract, budget_ceiling_cents: ceiling };
          const date = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
          const realised = rows.filter((r) => !r.planned).map((r) => ({ product_id: 7, date: date(r.day), units: r.units }));
          const planned = rows.filter((r) => r.planned).map((r) => ({ product_id: 7, date: date(r.day), units: r.units }));
          const u = utilisation(c, lines, realised, planned);
          const f = budgetForecast(c, lines, realised, planned);
          expect(f.ceilingOn !== null).to.equal(u.budget.level === "over");
          expect(f.consultOn !== null).to.equal(u.budget.level !== "none");
          if (f.consultOn && f.ceilingOn) expect(f.consultOn <= f.ceilingOn).to.equal(true);
          expect(reachedOn(ceiling, [], 70)).to.equal(null);
        },
      ),
    );
  });
});
