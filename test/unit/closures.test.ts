import { expect } from "chai";
import fc from "fast-check";
import { closedDagdelen, closedEverywhereAllDay, closureProblems, closuresOn, isClosedOn, MAX_CLOSURE_DAYS, type ClosureSpan } from "../../src/domain/closures";
import { DAGDELEN } from "../../src/domain/dagdeel";
import { addDays, datesBetween } from "../../src/domain/dates";

const span = (location_id: number | null, starts_on: string, ends_on: string, dagdeel: ClosureSpan["dagdeel"] = null): ClosureSpan => ({ location_id, starts_on, ends_on, dagdeel });

describe("closures", () => {
  it("a closure for all locations shuts every location; one for a location only that one", () => {
    const all = span(null, "2026-12-25", "2026-12-26");
    const one = span(7, "2026-12-02", "2026-12-02", "middag");
    expect(closuresOn([all, one], 3, "2026-12-26", "ochtend")).to.deep.equal([all]);
    expect(isClosedOn([all, one], 7, "2026-12-02", "middag")).to.equal(true);
    expect(isClosedOn([all, one], 7, "2026-12-02", "ochtend")).to.equal(false);
    expect(isClosedOn([all, one], 3, "2026-12-02", "middag")).to.equal(false);
  });

  it("a range across the year end shuts every day in it, and no other", () => {
    const c = span(null, "2026-12-28", "2027-01-03");
    expect(isClosedOn([c], 1, "2026-12-27", "ochtend")).to.equal(false);
    for (const d of datesBetween("2026-12-28", "2027-01-03")) expect(isClosedOn([c], 1, d, "middag"), d).to.equal(true);
    expect(isClosedOn([c], 1, "2027-01-04", "ochtend")).to.equal(false);
  });

  describe("closureProblems", () => {
    it("refuses impossible dates and an end before the start", () => {
      expect(closureProblems({ starts_on: "2026-02-30", ends_on: "2026-03-01" })).to.deep.equal({ starts_on: "errors.date" });
      expect(closureProblems({ starts_on: "2026-03-02", ends_on: "2026-03-01" })).to.deep.equal({ ends_on: "locations.errors.endBeforeStart" });
      expect(closureProblems({ starts_on: "2026-03-01", ends_on: "2026-03-01" })).to.deep.equal({});
    });

    it("allows at most a year", () => {
      expect(closureProblems({ starts_on: "2026-01-01", ends_on: addDays("2026-01-01", MAX_CLOSURE_DAYS - 1) })).to.deep.equal({});
      expect(closureProblems({ starts_on: "2026-01-01", ends_on: addDays("2026-01-01", MAX_CLOSURE_DAYS) })).to.deep.equal({ ends_on: "locations.errors.closureTooLong" });
    });
  });

  it("closedDagdelen lists what a closure shuts, across DST changes too", () => {
    expect(closedDagdelen(span(null, "2026-03-28", "2026-03-30", "ochtend"), DAGDELEN)).to.deep.equal([
      { date: "2026-03-28", dagdeel: "ochtend" },
      { date: "2026-03-29", dagdeel: "ochtend" },
      { date: "2026-03-30", dagdeel: "ochtend" },
    ]);
    expect(closedDagdelen(span(1, "2026-10-25", "2026-10-25"), DAGDELEN)).to.have.length(2);
  });

  it("closedEverywhereAllDay only counts whole-day closures of all locations", () => {
    expect(closedEverywhereAllDay([span(null, "2026-12-25", "2026-12-26")], "2026-12-26")).to.equal(true);
    expect(closedEverywhereAllDay([span(4, "2026-12-25", "2026-12-26")], "2026-12-26")).to.equal(false);
    expect(closedEverywhereAllDay([span(null, "2026-12-25", "2026-12-26", "ochtend")], "2026-12-26")).to.equal(false);
  });

  it("property: a closure shuts exactly the (date, dagdeel) pairs closedDagdelen lists", () => {
    const anchors = ["2025-12-31", "2026-03-29", "2026-10-25", "2026-12-31"];
    fc.assert(
      fc.property(
        fc.constantFrom(...anchors),
        fc.integer({ min: -8, max: 8 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom<ClosureSpan["dagdeel"]>(null, "ochtend", "middag"),
        (anchor, offset, length, dagdeel) => {
          const c = span(null, addDays(anchor, offset), addDays(anchor, offset + length), dagdeel);
          const listed = new Set(closedDagdelen(c, DAGDELEN).map((x) => `${x.date}|${x.dagdeel}`));
          expect(listed.size).to.equal((length + 1) * (dagdeel === null ? 2 : 1));
          for (const date of datesBetween(addDays(c.starts_on, -3), addDays(c.ends_on, 3))) {
            for (const d of DAGDELEN) expect(isClosedOn([c], 9, date, d), `${date} ${d}`).to.equal(listed.has(`${date}|${d}`));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
