import { expect } from "chai";
import fc from "fast-check";
import { addDays } from "../../src/domain/dates";
import { occupancyCells } from "../../src/domain/occupancy";
import { wishesFit } from "../../src/domain/booking-rules";
import { OccupancyGrid, occupancyGrid } from "../../src/domain/occupancy-grid";
import { cellsInTurns } from "../../src/occupancy/service";
import { dateArb, occupancyInputsArb, slotsArb } from "../support/arbitraries";

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

  it("gives the same cells location by location between turns (occupancy()'s path) as in one piece", async () => {
    await fc.assert(
      fc.asyncProperty(occupancyInputsArb, dateArb, fc.integer({ min: 0, max: 45 }), async (inputs, from, length) => {
        const until = addDays(from, length);
        // Every call a turn: the order and the cells must not depend on where the turns fall.
        const everyTime = { due: () => true, pass: () => new Promise<void>((resolve) => setImmediate(resolve)) };
        expect(await cellsInTurns(new OccupancyGrid(inputs, from, until), everyTime)).to.deep.equal(occupancyCells(inputs, from, until));
      }),
      { numRuns: 60 },
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

  it("answers 'over its places somewhere' and 'do these wishes fit' as the reference cells do", () => {
    fc.assert(
      fc.property(occupancyInputsArb, dateArb, fc.integer({ min: 0, max: 45 }), fc.array(slotsArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 8 }), (inputs, from, length, wishLists, clientId) => {
        const until = addDays(from, length);
        const cells = occupancyCells(inputs, from, until);
        const grid = new OccupancyGrid(inputs, from, until);
        const over = new Set(cells.filter((c) => !c.closed && c.booked > c.places).map((c) => c.location_id));
        expect([...grid.overfullLocationIds()].sort()).to.deep.equal([...over].sort());
        for (const location of inputs.locations) {
          const own = cells.filter((c) => c.location_id === location.id);
          expect(grid.cellsOf(location.id)).to.deep.equal(own);
          for (const wishes of [...wishLists, []]) expect(grid.wishesFit(location.id, wishes, clientId), JSON.stringify(wishes)).to.equal(wishesFit(wishes, own, clientId));
        }
      }),
      { numRuns: 120 },
    );
  });
});
