import { expect } from "chai";
import fc from "fast-check";
import { addDays, isoWeekday } from "../../src/domain/dates";
import { nationalHolidays } from "../../src/domain/holidays";
import { addWorkingDays, isWorkingDay, workingDaysBetween } from "../../src/domain/working-days";

const anyDate = fc.integer({ min: 0, max: 365 * 6 }).map((n) => addDays("2024-01-01", n));

describe("werkdagen (Algemene termijnenwet)", () => {
  it("skips weekends: five working days after a Monday is the next Monday", () => {
    expect(addWorkingDays("2026-11-23", 5)).to.equal("2026-11-30");
    expect(addWorkingDays("2026-11-27", 1)).to.equal("2026-11-30"); // Friday → Monday
    expect(addWorkingDays("2026-11-28", 1)).to.equal("2026-11-30"); // Saturday → Monday
  });

  it("skips the national holidays: Kerstmis, Nieuwjaarsdag, Pasen, Koningsdag, Bevrijdingsdag, Hemelvaart, Pinksteren", () => {
    // Thursday 24 December 2026: Friday 25 is Eerste Kerstdag, then the weekend.
    expect(addWorkingDays("2026-12-24", 1)).to.equal("2026-12-28");
    expect(addWorkingDays("2026-12-31", 1)).to.equal("2027-01-04"); // 1 January is a Friday holiday
    expect(isWorkingDay("2026-04-06")).to.equal(false); // Tweede Paasdag
    expect(isWorkingDay("2026-04-27")).to.equal(false); // Koningsdag
    expect(isWorkingDay("2026-05-05")).to.equal(false); // Bevrijdingsdag
    expect(isWorkingDay("2026-05-14")).to.equal(false); // Hemelvaartsdag
    expect(isWorkingDay("2026-05-25")).to.equal(false); // Tweede Pinksterdag
  });

  it("counts Goede Vrijdag and Carnaval as working days (not holidays under the Termijnenwet)", () => {
    expect(isWorkingDay("2026-04-03")).to.equal(true); // Goede Vrijdag
    expect(isWorkingDay("2026-02-16")).to.equal(true); // Carnavalsmaandag
  });

  it("never lands on a weekend or holiday, and counts exactly n working days (property)", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 30 }), (date, n) => {
        const d = addWorkingDays(date, n);
        expect(isWorkingDay(d)).to.equal(true);
        expect(isoWeekday(d)).to.be.at.most(5);
        expect(workingDaysBetween(date, d)).to.equal(n);
        // The day before the result still had one working day to go.
        expect(workingDaysBetween(date, addDays(d, -1))).to.equal(n - 1);
        const holidays = nationalHolidays(Number(d.slice(0, 4))).filter((h) => !h.optional).map((h) => h.date);
        expect(holidays).to.not.include(d);
      }),
    );
  });

  it("is monotone: a later start never gives an earlier deadline (property)", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 20 }), (date, later, n) => {
        expect(addWorkingDays(addDays(date, later), n) >= addWorkingDays(date, n)).to.equal(true);
      }),
    );
  });

  it("refuses a count that is not a positive whole number", () => {
    expect(() => addWorkingDays("2026-11-23", 0)).to.throw(RangeError);
    expect(() => addWorkingDays("2026-11-23", 1.5)).to.throw(RangeError);
  });
});
