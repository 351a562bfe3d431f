import { expect } from "chai";
import fc from "fast-check";
import { dateParts } from "../../src/contracts/units-repository";
import { addDays, datesBetween } from "../../src/domain/dates";

// The realised rows are read in a fixed number of stretches of dates (issue 11): together the
// stretches hold every day of the period once, in order, so the rows concatenated are the rows
// of one read in its order.

describe("dateParts: a period cut into stretches of whole days", () => {
  it("covers every day once, in order, with as many stretches as asked for", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 6 }), (start, length, parts) => {
        const from = addDays("2025-01-01", start);
        const until = addDays(from, length);
        const stretches = dateParts(from, until, parts);
        expect(stretches).to.have.length(parts);
        const days = stretches.flatMap((p) => (p.from <= p.until ? datesBetween(p.from, p.until) : []));
        expect(days).to.deep.equal(datesBetween(from, until));
      }),
    );
  });
});
