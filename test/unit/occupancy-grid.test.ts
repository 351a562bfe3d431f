import { expect } from "chai";
import fc from "fast-check";
import { addDays } from "../../src/domain/dates";
import { occupancyCells } from "../../src/domain/occupancy";
import { occupancyGrid } from "../../src/domain/occupancy-grid";
import { dateArb, occupancyInputsArb } from "../support/arbitraries";

// occupancyGrid() is the fast path every page counts through; occupancyCells() the reference.

describe("occupancy grid (fast path) against occupancyCells (reference)", () => {
  it("gives the same cells, in the same order, with the same clients, on random data", () => {
    fc.assert(
      fc.property(occupancyInputsArb, dateArb, fc.integer({ min: 0, max: 45 }), (inputs, from, length) => {
        const until = addDays(from, length);
        expect(occupancyGrid(inputs, from, until)).to.deep.equal(occupancyCells(inputs, from, until));
      }),
      { numRuns: 120 },
    );
  });

  it("gives no cells for an empty range or no locations", () => {
    fc.assert(
      fc.property(occupancyInputsArb, dateArb, (inputs, from) => {
        expect(occupancyGrid(inputs, from, addDays(from, -1))).to.deep.equal([]);
        expect(occupancyGrid({ ...inputs, locations: [] }, from, from)).to.deep.equal([]);
      }),
      { numRuns: 30 },
    );
  });
});
