import { expect } from "chai";
import fc from "fast-check";
import { addDays, isoWeekOf, mondayOf } from "../../src/domain/dates";
import { formatIsoWeek, mondayOfWeekParam, parseIsoWeek, weekParamOf } from "../../src/domain/iso-week";

/** Years with 53 ISO weeks: 1 January on a Thursday, or on a Wednesday in a leap year. */
function hasWeek53(year: number): boolean {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3);
}

const isoDate = fc.date({ min: new Date("2000-01-03"), max: new Date("2100-12-27"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe("ISO weeks as text: parsed and formatted in one place", () => {
  it("examples: week 53 only where it exists, two digits always", () => {
    expect(parseIsoWeek("2026-W53")).to.deep.equal({ year: 2026, week: 53 });
    expect(parseIsoWeek("2020-W53")).to.deep.equal({ year: 2020, week: 53 });
    for (const bad of ["2027-W53", "2025-W53", "2026-W00", "2026-W54", "2026-W4", "2026-w48", "2026W48", " 2026-W48", "2026-W48-1", ""]) {
      expect(parseIsoWeek(bad), bad).to.equal(null);
    }
    expect(formatIsoWeek({ year: 2027, week: 1 })).to.equal("2027-W01");
    expect(weekParamOf("2027-01-03")).to.equal("2026-W53");
    expect(mondayOfWeekParam("2026-W53")).to.equal("2026-12-28");
  });

  it("round trip: the week of any date formats and parses back to itself, its Monday to the date's Monday", () => {
    fc.assert(
      fc.property(isoDate, (date) => {
        const text = weekParamOf(date);
        expect(parseIsoWeek(text)).to.deep.equal(isoWeekOf(date));
        expect(formatIsoWeek(parseIsoWeek(text)!)).to.equal(text);
        expect(mondayOfWeekParam(text)).to.equal(mondayOf(date));
      }),
    );
  });

  it("week 53 parses exactly in the years that have it, and its Monday is 52 weeks after week 1's", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2001, max: 2099 }), (year) => {
        const week53 = parseIsoWeek(formatIsoWeek({ year, week: 53 }));
        expect(week53 !== null).to.equal(hasWeek53(year));
        if (week53) expect(mondayOfWeekParam(`${year}-W53`)).to.equal(addDays(mondayOfWeekParam(`${year}-W01`)!, 52 * 7));
        else expect(weekParamOf(addDays(mondayOfWeekParam(`${year}-W52`)!, 7))).to.equal(`${year + 1}-W01`);
      }),
    );
  });

  it("every week 1..52 of every year parses; week 0 and 54 never do", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2001, max: 2099 }), fc.integer({ min: 0, max: 60 }), (year, week) => {
        const parsed = parseIsoWeek(formatIsoWeek({ year, week }));
        if (week >= 1 && week <= 52) expect(parsed).to.deep.equal({ year, week });
        if (week === 0 || week > 53) expect(parsed).to.equal(null);
      }),
    );
  });
});
