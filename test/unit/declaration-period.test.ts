import { expect } from "chai";
import fc from "fast-check";
import { addMonths, currentPeriod, monthsBetween, periodFindings, periodFor } from "../../src/domain/declaration-period";

describe("DeclaratiePeriode (TR318, IV090)", () => {
  it("counts months across a year", () => {
    expect(addMonths("2026-12", 1)).to.equal("2027-01");
    expect(addMonths("2026-01", -1)).to.equal("2025-12");
    expect(monthsBetween("2026-08", "2026-11")).to.deep.equal(["2026-09", "2026-10"]);
    expect(monthsBetween("2026-10", "2026-11")).to.deep.equal([]);
    expect(currentPeriod("2026-11-23")).to.equal("2026-10");
    expect(currentPeriod("2027-01-01")).to.equal("2026-12");
  });

  it("sends an original in its own month, a late one in the last period submitted", () => {
    expect(periodFor("original", "2026-10", null, "2026-11-23")).to.equal("2026-10");
    expect(periodFor("original", "2026-10", "2026-09", "2026-11-23")).to.equal("2026-10");
    expect(periodFor("original", "2026-08", "2026-10", "2026-11-23")).to.equal("2026-10");
  });

  it("sends a correction in the current period, never its old month", () => {
    expect(periodFor("correction", "2026-09", "2026-09", "2026-11-23")).to.equal("2026-10");
    expect(periodFor("correction", "2026-09", "2026-10", "2026-11-23")).to.equal("2026-10");
    expect(periodFor("correction", "2026-09", null, "2026-12-02")).to.equal("2026-11");
  });

  it("property: the period is never before the last submitted, never before the month of an original, always a month that is over", () => {
    const month = fc.integer({ min: 0, max: 35 }).map((n) => addMonths("2025-01", n));
    fc.assert(
      fc.property(fc.constantFrom<"original" | "correction">("original", "correction"), month, fc.option(month, { nil: null }), fc.integer({ min: 1, max: 40 }), (kind, m, last, ahead) => {
        const today = `${addMonths(m, Math.min(ahead, 12))}-15`;
        if (last !== null && last >= today.slice(0, 7)) return; // nothing is submitted for a month not over
        const p = periodFor(kind, m, last, today);
        if (last !== null) expect(p >= last).to.equal(true);
        if (kind === "original") expect(p >= m).to.equal(true);
        else expect(p).to.equal(last !== null && last > currentPeriod(today) ? last : currentPeriod(today));
        expect(p < today.slice(0, 7)).to.equal(true);
      }),
    );
  });

  it("finds a month declared after a later one (moved up, 8214) and months with care left undeclared (gap, 8214)", () => {
    const base = { today: "2026-11-23", monthsWithCare: ["2026-08", "2026-09", "2026-10"], declaredMonths: ["2026-08"] };
    expect(periodFindings({ ...base, kind: "original", month: "2026-09", lastSubmitted: "2026-08" })).to.deep.equal([]);
    expect(periodFindings({ ...base, kind: "original", month: "2026-10", lastSubmitted: "2026-08" })).to.deep.equal([
      { kind: "gap", retourcode: "8214", period: "2026-10", lastSubmitted: "2026-08", missing: ["2026-09"] },
    ]);
    expect(periodFindings({ ...base, kind: "original", month: "2026-07", lastSubmitted: "2026-08" })).to.deep.equal([
      { kind: "movedUp", retourcode: "8214", period: "2026-08", lastSubmitted: "2026-08" },
    ]);
    // No care in September: no gap.
    expect(periodFindings({ ...base, monthsWithCare: ["2026-08", "2026-10"], kind: "original", month: "2026-10", lastSubmitted: "2026-08" })).to.deep.equal([]);
    expect(periodFindings({ ...base, kind: "original", month: "2026-10", lastSubmitted: null })).to.deep.equal([]);
  });
});
