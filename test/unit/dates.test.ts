import { expect } from "chai";
import fc from "fast-check";
import { DateTime } from "luxon";
import {
  addDays,
  datesBetween,
  formatDateNl,
  isIsoDate,
  isoWeekOf,
  isoWeekday,
  mondayOf,
  mondayOfIsoWeek,
  periodsOverlap,
  weekDates,
} from "../../src/domain/dates";

describe("dates and ISO weeks", () => {
  it("knows real dates from impossible ones", () => {
    expect(isIsoDate("2026-11-23")).to.equal(true);
    expect(isIsoDate("2028-02-29")).to.equal(true);
    for (const bad of ["2026-02-30", "2026-13-01", "2027-02-29", "23-11-2026", "2026-1-5", ""]) expect(isIsoDate(bad), bad).to.equal(false);
  });

  it("gives ISO week numbers across year ends", () => {
    expect(isoWeekOf("2026-11-23")).to.deep.equal({ year: 2026, week: 48 });
    expect(isoWeekOf("2026-12-31")).to.deep.equal({ year: 2026, week: 53 });
    expect(isoWeekOf("2027-01-03")).to.deep.equal({ year: 2026, week: 53 });
    expect(isoWeekOf("2027-01-04")).to.deep.equal({ year: 2027, week: 1 });
    expect(isoWeekOf("2024-12-30")).to.deep.equal({ year: 2025, week: 1 });
  });

  it("finds the Monday of an ISO week and refuses weeks that do not exist", () => {
    expect(mondayOfIsoWeek(2026, 48)).to.equal("2026-11-23");
    expect(mondayOfIsoWeek(2026, 53)).to.equal("2026-12-28");
    expect(mondayOfIsoWeek(2027, 53)).to.equal(null);
    expect(mondayOfIsoWeek(2025, 1)).to.equal("2024-12-30");
  });

  it("weeks start on Monday and have seven calendar days, also across DST changes", () => {
    expect(weekDates("2026-03-29")).to.deep.equal(["2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-28", "2026-03-29"]);
    expect(weekDates("2026-10-25")[6]).to.equal("2026-10-25");
    expect(addDays("2026-03-28", 1)).to.equal("2026-03-29");
    expect(addDays("2026-03-29", 1)).to.equal("2026-03-30");
    expect(addDays("2026-10-25", 1)).to.equal("2026-10-26");
  });

  it("week numbers and weekdays agree with luxon for any date (property)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }), (d) => {
        const iso = DateTime.fromJSDate(d, { zone: "utc" }).toISODate()!;
        const { year, week } = isoWeekOf(iso);
        const monday = mondayOfIsoWeek(year, week)!;
        return monday === mondayOf(iso) && isoWeekday(iso) === datesBetween(monday, iso).length;
      }),
    );
  });

  it("finds the Monday of a week, or no week, exactly as luxon does (property)", () => {
    const luxonMonday = (year: number, week: number) => {
      const d = DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: "Europe/Amsterdam" });
      return !d.isValid || d.weekYear !== year || d.weekNumber !== week ? null : d.toISODate();
    };
    for (let year = 1995; year <= 2105; year++) for (let week = -1; week <= 55; week++) expect(mondayOfIsoWeek(year, week), `${year}-W${week}`).to.equal(luxonMonday(year, week));
    fc.assert(fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: -5, max: 60 }), (year, week) => mondayOfIsoWeek(year, week) === luxonMonday(year, week)));
  });

  it("adds days, finds weekdays and Mondays exactly as luxon does in Europe/Amsterdam (property)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1950-01-01"), max: new Date("2150-12-31"), noInvalidDate: true }), fc.integer({ min: -800, max: 800 }), (d, days) => {
        const iso = DateTime.fromJSDate(d, { zone: "utc" }).toISODate()!;
        const local = DateTime.fromISO(iso, { zone: "Europe/Amsterdam" });
        expect(addDays(iso, days)).to.equal(local.plus({ days }).toISODate());
        expect(isoWeekday(iso)).to.equal(local.weekday);
        expect(mondayOf(iso)).to.equal(local.startOf("week").toISODate());
      }),
    );
    for (const bad of ["2026-02-30", "2026-13-01", "0026-01-01", "x"]) expect(() => addDays(bad, 1), bad).to.throw(RangeError);
  });

  it("writes dates as Dutch users do", () => {
    expect(formatDateNl("2026-11-03")).to.equal("3-11-2026");
  });

  it("lists the dates between two dates inclusively", () => {
    expect(datesBetween("2026-12-30", "2027-01-02")).to.deep.equal(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
    expect(datesBetween("2026-12-30", "2026-12-29")).to.deep.equal([]);
  });

  it("tells overlapping periods, with open ends", () => {
    expect(periodsOverlap("2026-01-01", "2026-06-30", "2026-06-30", null)).to.equal(true);
    expect(periodsOverlap("2026-01-01", "2026-06-30", "2026-07-01", null)).to.equal(false);
    expect(periodsOverlap("2026-01-01", null, "2020-01-01", "2020-12-31")).to.equal(false);
    expect(periodsOverlap("2026-01-01", null, "2020-01-01", null)).to.equal(true);
  });
});
