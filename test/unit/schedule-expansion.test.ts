import { expect } from "chai";
import fc from "fast-check";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { addDays, datesBetween, isoWeekOf, isoWeekday, mondayOfIsoWeek, weekDates } from "../../src/domain/dates";
import {
  dagdelenOn,
  dateOfDayNumber,
  dayNumber,
  expandSchedule,
  isoWeekOfDayNumber,
  parityStarting,
  runsInWeekOf,
  startWeekMonday,
  weekdayOfDayNumber,
  type SchedulePattern,
  type Slot,
  type WeekParity,
} from "../../src/domain/schedule";

// expandSchedule is the one implementation behind the rules, the board, the forecast and the
// feeds; these properties pin down what every one of them relies on.

const BASE = "2024-01-01";
const at = (offset: number) => addDays(BASE, offset);

const slotArb = fc.record({ weekday: fc.integer({ min: 1, max: 7 }), dagdeel: fc.constantFrom<Dagdeel>("ochtend", "middag") });
const slotsArb = fc.uniqueArray(slotArb, { selector: (s) => `${s.weekday}${s.dagdeel}`, maxLength: 14 });
const parityArb = fc.constantFrom<WeekParity>("elke", "even", "oneven");

const patternArb: fc.Arbitrary<SchedulePattern> = fc
  .record({ from: fc.integer({ min: 0, max: 2500 }), length: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }), parity: parityArb, slots: slotsArb })
  .map(({ from, length, parity, slots }) => ({ valid_from: at(from), valid_until: length === null ? null : at(from + length), week_parity: parity, slots }));

const rangeArb = fc.record({ from: fc.integer({ min: 0, max: 2600 }), length: fc.integer({ min: 0, max: 180 }) }).map(({ from, length }) => ({ from: at(from), until: at(from + length) }));

const key = (o: { date: string; dagdeel: string }) => `${o.date}|${o.dagdeel}`;

describe("expandSchedule: a weekly pattern as concrete dagdelen (properties)", () => {
  it("its day arithmetic agrees with luxon's calendar (weekday, ISO week, next day) over two centuries", () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_000, max: 60_000 }), (offset) => {
        const date = addDays("1970-01-01", offset);
        const n = dayNumber(date);
        expect(n).to.equal(offset);
        expect(dateOfDayNumber(n)).to.equal(date);
        expect(weekdayOfDayNumber(n)).to.equal(isoWeekday(date));
        expect(isoWeekOfDayNumber(n)).to.equal(isoWeekOf(date).week);
        expect(dateOfDayNumber(n + 1)).to.equal(addDays(date, 1));
      }),
      { numRuns: 2000 },
    );
    for (const bad of ["2026-02-30", "2026-13-01", "23-11-2026", ""]) expect(() => dayNumber(bad), bad).to.throw(RangeError);
  });

  it("every occurrence lies in the range and the validity, on a slot's weekday and dagdeel, in a matching week, never on a closure", () => {
    fc.assert(
      fc.property(patternArb, rangeArb, fc.array(fc.tuple(fc.integer({ min: 0, max: 180 }), fc.constantFrom<Dagdeel>("ochtend", "middag"))), (pattern, range, shut) => {
        const closed = new Set(shut.map(([d, dagdeel]) => `${addDays(range.from, d)}|${dagdeel}`));
        const occurrences = expandSchedule(pattern, range.from, range.until, (date, dagdeel) => closed.has(`${date}|${dagdeel}`));
        for (const o of occurrences) {
          expect(o.date >= range.from && o.date <= range.until).to.equal(true);
          expect(o.date >= pattern.valid_from).to.equal(true);
          if (pattern.valid_until !== null) expect(o.date <= pattern.valid_until).to.equal(true);
          expect(pattern.slots.some((s) => s.weekday === isoWeekday(o.date) && s.dagdeel === o.dagdeel)).to.equal(true);
          expect(runsInWeekOf(pattern, o.date)).to.equal(true);
          expect(closed.has(key(o))).to.equal(false);
        }
        // Nothing is lost either: every open, matching dagdeel in range and validity is there.
        const expected = datesBetween(range.from, range.until).flatMap((date) =>
          dagdelenOn(pattern, date).filter((dagdeel) => !closed.has(`${date}|${dagdeel}`)).map((dagdeel) => `${date}|${dagdeel}`),
        );
        expect(occurrences.map(key)).to.deep.equal(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("is in date order without duplicates", () => {
    fc.assert(
      fc.property(patternArb, rangeArb, (pattern, range) => {
        const occurrences = expandSchedule(pattern, range.from, range.until);
        const keys = occurrences.map(key);
        expect(new Set(keys).size).to.equal(keys.length);
        const dates = occurrences.map((o) => o.date);
        expect([...dates].sort()).to.deep.equal(dates);
      }),
      { numRuns: 100 },
    );
  });

  it("the count over a range is the sum of the counts over its parts", () => {
    fc.assert(
      fc.property(patternArb, rangeArb, fc.integer({ min: 0, max: 180 }), (pattern, range, cut) => {
        const days = datesBetween(range.from, range.until).length;
        const split = addDays(range.from, cut % days); // the last day of the first part
        const whole = expandSchedule(pattern, range.from, range.until);
        const first = expandSchedule(pattern, range.from, split);
        const second = expandSchedule(pattern, addDays(split, 1), range.until);
        expect(first.length + second.length).to.equal(whole.length);
        expect([...first, ...second]).to.deep.equal(whole);
      }),
      { numRuns: 150 },
    );
  });

  it("every other week alternates from its start week: even and odd patterns from one date split every week between them", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 800 }), (start, later) => {
        const valid_from = at(start);
        const date = at(start + later);
        const even = { valid_from, week_parity: "even" as const };
        const odd = { valid_from, week_parity: "oneven" as const };
        expect(runsInWeekOf(even, date)).to.not.equal(runsInWeekOf(odd, date));
        expect(runsInWeekOf({ valid_from, week_parity: "elke" }, date)).to.equal(true);
        // the start week is the week of valid_from or the one after, and the rhythm is two weeks
        const monday = startWeekMonday(even)!;
        expect([weekDates(valid_from)[0], addDays(weekDates(valid_from)[0], 7)]).to.include(monday);
        expect(runsInWeekOf(even, addDays(date, 14))).to.equal(runsInWeekOf(even, date));
        expect(runsInWeekOf(even, addDays(date, 7))).to.not.equal(runsInWeekOf(even, date));
      }),
      { numRuns: 500 },
    );
  });

  it("outside week 53 even/oneven start in the first week on or after valid_from with that ISO parity (stored rows keep their meaning)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), parityArb.filter((p) => p !== "elke"), (start, parity) => {
        const valid_from = at(start);
        fc.pre(isoWeekOf(valid_from).week !== 53);
        const monday = startWeekMonday({ valid_from, week_parity: parity })!;
        expect(isoWeekOf(monday).week % 2).to.equal(parity === "even" ? 0 : 1);
        expect(monday >= weekDates(valid_from)[0] && monday <= addDays(weekDates(valid_from)[0], 7)).to.equal(true);
      }),
    );
  });

  it("2026 has 53 ISO weeks: a fortnightly schedule runs in week 51, 53 and then 2027 week 2 — never in weeks 53 and 1 both", () => {
    expect(isoWeekOf("2026-12-28")).to.deep.equal({ year: 2026, week: 53 });
    const mondays: Slot[] = [{ weekday: 1, dagdeel: "ochtend" }];
    const odd = expandSchedule({ valid_from: "2026-12-01", valid_until: null, week_parity: "oneven", slots: mondays }, "2026-12-01", "2027-01-24").map((o) => o.date);
    expect(odd).to.deep.equal(["2026-12-14", "2026-12-28", "2027-01-11"]);
    const even = expandSchedule({ valid_from: "2026-12-01", valid_until: null, week_parity: "even", slots: mondays }, "2026-12-01", "2027-01-24").map((o) => o.date);
    expect(even).to.deep.equal(["2026-12-07", "2026-12-21", "2027-01-04", "2027-01-18"]);
    expect(isoWeekOf("2027-01-04").week).to.equal(1); // the even schedule runs in week 52, then week 1: two weeks apart
    // Starting in week 53 itself: "this week" is 53, "next week" is 2027 week 1.
    expect(parityStarting("2026-12-29", "this")).to.equal("oneven");
    expect(parityStarting("2026-12-29", "next")).to.equal("even");
    expect(startWeekMonday({ valid_from: "2026-12-29", week_parity: "even" })).to.equal("2027-01-04");
    // Over every year end 2000–2100: consecutive occurrences of a fortnightly Monday are always 14 days apart.
    for (let year = 2000; year <= 2100; year++) {
      for (const week_parity of ["even", "oneven"] as const) {
        const dates = expandSchedule({ valid_from: `${year}-11-01`, valid_until: null, week_parity, slots: mondays }, `${year}-11-01`, `${year + 1}-02-28`).map((o) => o.date);
        for (let i = 1; i < dates.length; i++) expect(dayNumber(dates[i]) - dayNumber(dates[i - 1]), `${year} ${week_parity}`).to.equal(14);
      }
    }
  });

  it("a schedule that never ends costs a bounded number of steps: nothing past 2100-12-31", () => {
    const pattern: SchedulePattern = { valid_from: "2026-01-05", valid_until: "9999-12-31", week_parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }] };
    const all = expandSchedule(pattern, "2026-01-01", "9999-12-31");
    expect(all[all.length - 1].date <= "2100-12-31").to.equal(true);
    expect(all.length).to.be.lessThan(80 * 53);
  });

  it("weeks with a DST change give the same seven calendar dates as any other week", () => {
    const everyDay: Slot[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, dagdeel: "ochtend" as const }));
    const pattern: SchedulePattern = { valid_from: "2000-01-01", valid_until: null, week_parity: "elke", slots: everyDay };
    for (const dstSunday of ["2026-03-29", "2026-10-25", "2027-03-28", "2027-10-31"]) {
      const week = weekDates(dstSunday);
      expect(expandSchedule(pattern, week[0], week[6]).map((o) => o.date)).to.deep.equal(week);
      expect(week[6]).to.equal(dstSunday);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (offset) => {
        const week = weekDates(at(offset));
        const dates = expandSchedule(pattern, week[0], week[6]).map((o) => o.date);
        expect(dates).to.deep.equal(week);
        expect(dates.map(isoWeekday)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
      }),
    );
  });

  it("puts ochtend before middag on a date, whatever order the slots were stored in", () => {
    const pattern: SchedulePattern = { valid_from: "2026-11-23", valid_until: null, week_parity: "elke", slots: [{ weekday: 2, dagdeel: "middag" }, { weekday: 2, dagdeel: "ochtend" }] };
    expect(expandSchedule(pattern, "2026-11-24", "2026-11-24")).to.deep.equal([
      { date: "2026-11-24", dagdeel: "ochtend" },
      { date: "2026-11-24", dagdeel: "middag" },
    ]);
  });
});
