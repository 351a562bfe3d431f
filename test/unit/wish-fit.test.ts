import { expect } from "chai";
import fc from "fast-check";
import { wishesFit } from "../../src/domain/booking-rules";
import { addDays } from "../../src/domain/dates";
import { occupancyCells } from "../../src/domain/occupancy";
import { wishesFitIndexed, wishIndex } from "../../src/domain/wish-fit";
import { dateArb, occupancyInputsArb, slotsArb } from "../support/arbitraries";

describe("waiting-list fit (fast path) against wishesFit (reference)", () => {
  it("says the same for any wishes, client and location on random occupancy", () => {
    fc.assert(
      fc.property(occupancyInputsArb, dateArb, fc.integer({ min: 0, max: 30 }), fc.array(slotsArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 8 }), (inputs, from, length, wishLists, clientId) => {
        const cells = occupancyCells(inputs, from, addDays(from, length));
        for (const location of inputs.locations) {
          const own = cells.filter((c) => c.location_id === location.id);
          const index = wishIndex(own);
          for (const wishes of [...wishLists, []]) expect(wishesFitIndexed(wishes, index, clientId)).to.equal(wishesFit(wishes, own, clientId));
        }
      }),
      { numRuns: 100 },
    );
  });
});
