import { expect } from "chai";
import fc from "fast-check";
import {
  applyCapacityPlan,
  inForceOn,
  overlappingRules,
  placesOn,
  planCapacityChange,
  ruleOn,
  ruleProblems,
  type CapacityRule,
  type GridCell,
  type StoredRule,
} from "../../src/domain/capacity";
import type { ClosureSpan } from "../../src/domain/closures";
import { DAGDELEN, type Dagdeel } from "../../src/domain/dagdeel";
import { addDays, datesBetween } from "../../src/domain/dates";
import { occupancyCells } from "../../src/domain/occupancy";

// Year ends and the DST changes of 2026 (29 March, 25 October) and 2027 (28 March, 31 October).
const ANCHORS = ["2025-12-31", "2026-03-29", "2026-10-25", "2026-12-31", "2027-03-28", "2027-10-31", "2027-12-31"];

/** A date near a year end or a DST change. */
const dateArb = fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -12, max: 12 })).map(([a, d]) => addDays(a, d));
const dagdeelArb = fc.constantFrom<Dagdeel>(...DAGDELEN);
const gridArb: fc.Arbitrary<GridCell[]> = fc
  .array(fc.integer({ min: 0, max: 12 }), { minLength: 14, maxLength: 14 })
  .map((places) => places.map((p, i) => ({ weekday: Math.floor(i / 2) + 1, dagdeel: DAGDELEN[i % 2], places: p })));

/** ISO weekday from the calendar alone (UTC, no time zone), as an independent oracle. */
function oracleWeekday(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

function oraclePlaces(rules: CapacityRule[], date: string, dagdeel: Dagdeel): number {
  const found = rules.filter((r) => r.weekday === oracleWeekday(date) && r.dagdeel === dagdeel && r.valid_from <= date && (r.valid_until === null || date <= r.valid_until));
  expect(found.length, `more than one rule on ${date} ${dagdeel}`).to.be.at.most(1);
  return found[0]?.places ?? 0;
}

let nextId = 1;
function stored(rules: CapacityRule[]): StoredRule[] {
  return rules.map((r) => ({ ...r, id: nextId++ }));
}

/** Carries out a change the way the service does (ids for the new rules included). */
function change(rules: StoredRule[], grid: GridCell[], from: string, until: string | null): { after: StoredRule[]; conflicts: number } {
  const plan = planCapacityChange(rules, grid, from, until);
  if (plan.conflicts.length > 0) return { after: rules, conflicts: plan.conflicts.length };
  return { after: stored(applyCapacityPlan(rules, plan)), conflicts: 0 };
}

const cell = (weekday: number, dagdeel: Dagdeel, places: number): GridCell => ({ weekday, dagdeel, places });
const rule = (weekday: number, dagdeel: Dagdeel, places: number, valid_from: string, valid_until: string | null = null, id = nextId++): StoredRule => ({
  id,
  weekday,
  dagdeel,
  places,
  valid_from,
  valid_until,
});

describe("capacity rules", () => {
  describe("ruleOn / placesOn (existing behaviour)", () => {
    it("finds the rule of the date's weekday and dagdeel, none means 0 places", () => {
      const rules = [rule(1, "ochtend", 8, "2026-01-01"), rule(1, "middag", 6, "2026-01-01", "2026-06-30")];
      expect(placesOn(rules, "2026-11-23", "ochtend")).to.equal(8); // a Monday
      expect(placesOn(rules, "2026-11-23", "middag")).to.equal(0); // ended
      expect(placesOn(rules, "2026-11-24", "ochtend")).to.equal(0); // a Tuesday
      expect(ruleOn(rules, "2026-06-29", "middag")?.places).to.equal(6);
    });
  });

  describe("overlappingRules", () => {
    it("finds two rules for the same weekday and dagdeel that share a day", () => {
      const a = rule(2, "ochtend", 8, "2026-01-01", null);
      const b = rule(2, "ochtend", 6, "2026-12-01", null);
      expect(overlappingRules([a, b])).to.deep.equal([[a, b]]);
    });

    it("accepts adjacent periods and different cells", () => {
      const rules = [
        rule(2, "ochtend", 8, "2026-01-01", "2026-11-30"),
        rule(2, "ochtend", 6, "2026-12-01", null),
        rule(2, "middag", 6, "2026-01-01", null),
        rule(3, "ochtend", 6, "2026-01-01", null),
      ];
      expect(overlappingRules(rules)).to.deep.equal([]);
    });

    it("sees an open-ended rule overlap a later one", () => {
      expect(overlappingRules([rule(1, "middag", 1, "2026-01-01", null), rule(1, "middag", 1, "2030-01-01", "2030-01-01")])).to.have.length(1);
    });
  });

  describe("ruleProblems", () => {
    it("refuses unknown weekdays, negative places and an end before the start", () => {
      expect(ruleProblems({ weekday: 8, dagdeel: "ochtend", places: 1, valid_from: "2026-01-01", valid_until: null })).to.deep.equal(["weekday"]);
      expect(ruleProblems({ weekday: 0, dagdeel: "ochtend", places: -1, valid_from: "2026-01-01", valid_until: null })).to.deep.equal(["weekday", "places"]);
      expect(ruleProblems({ weekday: 1, dagdeel: "ochtend", places: 1, valid_from: "2026-02-01", valid_until: "2026-01-31" })).to.deep.equal(["period"]);
      expect(ruleProblems({ weekday: 7, dagdeel: "middag", places: 0, valid_from: "2026-02-01", valid_until: "2026-02-01" })).to.deep.equal([]);
    });
  });

  describe("planCapacityChange: a change from date X", () => {
    it("a first grid inserts a rule for every cell with places, none for 0", () => {
      const plan = planCapacityChange([], [cell(1, "ochtend", 8), cell(1, "middag", 0), cell(6, "ochtend", 4)], "2026-11-23", null);
      expect(plan.insert).to.deep.equal([
        { weekday: 1, dagdeel: "ochtend", places: 8, valid_from: "2026-11-23", valid_until: null },
        { weekday: 6, dagdeel: "ochtend", places: 4, valid_from: "2026-11-23", valid_until: null },
      ]);
      expect(plan.end).to.deep.equal([]);
      expect(plan.remove).to.deep.equal([]);
    });

    it("ends the rules in force the day before X, replaces those from X on, leaves history", () => {
      const old = rule(1, "ochtend", 8, "2025-01-01", "2025-12-31");
      const current = rule(1, "ochtend", 10, "2026-01-01", null);
      const sameDay = rule(2, "ochtend", 5, "2026-12-01", null);
      const later = rule(3, "middag", 5, "2027-02-01", null);
      const plan = planCapacityChange([old, current, sameDay, later], [cell(1, "ochtend", 6)], "2026-12-01", null);
      expect(plan.end).to.deep.equal([{ rule: current, valid_until: "2026-11-30" }]);
      expect(plan.remove).to.deep.equal([sameDay, later]);
      expect(plan.conflicts).to.deep.equal([]);
      const after = applyCapacityPlan([old, current, sameDay, later], plan);
      expect(placesOn(after, "2025-06-02", "ochtend")).to.equal(8); // history untouched
      expect(placesOn(after, "2026-11-30", "ochtend")).to.equal(10);
      expect(placesOn(after, "2026-12-07", "ochtend")).to.equal(6);
      expect(placesOn(after, "2027-02-03", "middag")).to.equal(0);
      expect(overlappingRules(after)).to.deep.equal([]);
    });

    it("ends rules across a year end (X = 1 January ends them on 31 December)", () => {
      const plan = planCapacityChange([rule(5, "middag", 4, "2026-01-01", null)], [], "2027-01-01", null);
      expect(plan.end.map((e) => e.valid_until)).to.deep.equal(["2026-12-31"]);
    });

    it("a temporary change until Y lets the old rules resume on Y + 1", () => {
      const current = rule(2, "ochtend", 8, "2026-01-01", null);
      const plan = planCapacityChange([current], [cell(2, "ochtend", 3)], "2026-12-21", "2027-01-03");
      const after = applyCapacityPlan([current], plan);
      expect(placesOn(after, "2026-12-15", "ochtend")).to.equal(8);
      expect(placesOn(after, "2026-12-22", "ochtend")).to.equal(3);
      expect(placesOn(after, "2027-01-05", "ochtend")).to.equal(8);
      expect(overlappingRules(after)).to.deep.equal([]);
    });

    it("a temporary change that would run into a planned change is a conflict", () => {
      const planned = rule(2, "ochtend", 4, "2027-01-01", null);
      const plan = planCapacityChange([rule(2, "ochtend", 8, "2026-01-01", "2026-12-31"), planned], [cell(2, "ochtend", 3)], "2026-12-01", "2027-01-31");
      expect(plan.conflicts).to.deep.equal([planned]);
    });

    it("a temporary change before a planned change keeps that change", () => {
      const planned = rule(2, "ochtend", 4, "2027-02-01", null);
      const plan = planCapacityChange([rule(2, "ochtend", 8, "2026-01-01", "2027-01-31"), planned], [cell(2, "ochtend", 3)], "2026-12-01", "2026-12-31");
      expect(plan.conflicts).to.deep.equal([]);
      const after = applyCapacityPlan([rule(2, "ochtend", 8, "2026-01-01", "2027-01-31", 1), { ...planned }], plan);
      expect(placesOn(after, "2027-01-05", "ochtend")).to.equal(8);
      expect(placesOn(after, "2027-02-02", "ochtend")).to.equal(4);
    });
  });

  describe("properties (fast-check), across year ends and DST changes", () => {
    it("any sequence of changes keeps history, applies the new grid, and never overlaps", () => {
      const changeArb = fc.record({ from: dateArb, length: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }), grid: gridArb });
      fc.assert(
        fc.property(gridArb, dateArb, fc.array(changeArb, { minLength: 1, maxLength: 5 }), (firstGrid, firstFrom, changes) => {
          let rules = change([], firstGrid, firstFrom, null).after;
          for (const c of changes) {
            const until = c.length === null ? null : addDays(c.from, c.length);
            const { after, conflicts } = change(rules, c.grid, c.from, until);
            if (conflicts > 0) continue;
            expect(overlappingRules(after)).to.deep.equal([]);
            for (const date of datesBetween(addDays(c.from, -9), addDays(until ?? c.from, 9))) {
              for (const dagdeel of DAGDELEN) {
                const expected =
                  date < c.from || (until !== null && date > until)
                    ? oraclePlaces(rules, date, dagdeel)
                    : c.grid.find((g) => g.weekday === oracleWeekday(date) && g.dagdeel === dagdeel)!.places;
                expect(oraclePlaces(after, date, dagdeel), `${date} ${dagdeel}`).to.equal(expected);
              }
            }
            rules = after;
          }
        }),
        { numRuns: 80 },
      );
    });

    const closureArb: fc.Arbitrary<ClosureSpan & { provider_id: number; reason: string }> = fc
      .record({ start: dateArb, days: fc.integer({ min: 0, max: 10 }), location: fc.constantFrom<number | null>(null, 1, 2), dagdeel: fc.constantFrom<Dagdeel | null>(null, "ochtend", "middag") })
      .map((c) => ({ provider_id: 1, location_id: c.location, starts_on: c.start, ends_on: addDays(c.start, c.days), dagdeel: c.dagdeel, reason: "r" }));

    it("inForceOn answers which rule and which closures apply, as an independent oracle says", () => {
      fc.assert(
        fc.property(gridArb, dateArb, gridArb, dateArb, fc.array(closureArb, { maxLength: 4 }), dateArb, dagdeelArb, (g1, f1, g2, f2, closures, date, dagdeel) => {
          const rules = change(change([], g1, f1 < f2 ? f1 : f2, null).after, g2, f1 < f2 ? f2 : f1, null).after;
          const got = inForceOn(rules, closures, 1, date, dagdeel);
          expect(got.places).to.equal(oraclePlaces(rules, date, dagdeel));
          // Cells with 0 places never get a rule, so "no rule" and "0 places" are the same answer.
          expect(got.rule === null).to.equal(got.places === 0);
          const shut = closures.filter((c) => (c.location_id === null || c.location_id === 1) && c.starts_on <= date && date <= c.ends_on && (c.dagdeel === null || c.dagdeel === dagdeel));
          expect(got.closures).to.deep.equal(shut);
          expect(got.open).to.equal(got.places > 0 && shut.length === 0);
        }),
        { numRuns: 300 },
      );
    });

    it("occupancy (behind the week view and free places) agrees with inForceOn on every cell", () => {
      fc.assert(
        fc.property(gridArb, dateArb, fc.array(closureArb, { maxLength: 4 }), dateArb, (grid, from, closures, start) => {
          const rules = change([], grid, from, null).after.map((r) => ({ ...r, location_id: 1 }));
          const cells = occupancyCells({ locations: [{ id: 1, provider_id: 1 }], rules, closures, schedules: [], extras: [] }, start, addDays(start, 13));
          for (const c of cells) {
            const expected = inForceOn(rules, closures, 1, c.date, c.dagdeel);
            expect(c.places).to.equal(expected.places);
            expect(c.closed).to.equal(expected.closures.length > 0);
            expect(c.open).to.equal(expected.open);
            expect(c.closureReasons).to.deep.equal(expected.closures.map((x) => x.reason));
          }
        }),
        { numRuns: 100 },
      );
    });
  });
});
