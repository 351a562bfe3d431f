import { expect } from "chai";
import fc from "fast-check";
import { isoDayNumber } from "../../src/domain/fast-calendar";
import { dateOfDayNumber, dayNumber } from "../../src/domain/schedule";

describe("fast calendar helpers", () => {
  it("isoDayNumber reads a date as dayNumber does, from 1600 to 9999 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber("1600-01-01"), max: dayNumber("9999-12-31") }), (n) => {
        const iso = dateOfDayNumber(n);
        expect(isoDayNumber(iso)).to.equal(n);
      }),
      { numRuns: 2000 },
    );
    for (const iso of ["1970-01-01", "2000-02-29", "2026-12-31", "2027-01-01", "2100-03-01"]) expect(isoDayNumber(iso), iso).to.equal(dayNumber(iso));
  });
});
