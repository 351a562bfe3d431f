import { expect } from "chai";
import fc from "fast-check";
import { capacityCheck, occurrenceKey } from "../../src/domain/booking-rules";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { addDays } from "../../src/domain/dates";
import { occupancyCells } from "../../src/domain/occupancy";
import { capacityOverValidity, clashesOverValidity, overCapacityRuns, runDates, type CapacityContext, type Run } from "../../src/domain/pattern-checks";
import { expandSchedule, type SchedulePattern, type WeekParity } from "../../src/domain/schedule";

// The analytic rules (pattern against pattern, no walk over days) against the reference: the
// day-by-day expansion, occupancy cells and capacity check, on small random cases around the
// turn of 2026 (a year with ISO week 53), with every-week and every-other-week rhythms mixed.

const BASE = "2026-11-02";
const SPAN = 110; // days the random validities start in
const HORIZON = addDays(BASE, SPAN + 70); // where the reference stops looking for open ends
const at = (d: number) => addDays(BASE, d);
const LOCATION = 7;
const CLIENT = 1;

const dagdeelArb = fc.constantFrom<Dagdeel>("ochtend", "middag");
const slotArb = fc.record({ weekday: fc.integer({ min: 1, max: 3 }), dagdeel: dagdeelArb });
const slotsArb = fc.uniqueArray(slotArb, { selector: (s) => `${s.weekday}${s.dagdeel}`, minLength: 1, maxLength: 3 });
const parityArb = fc.constantFrom<WeekParity>("elke", "elke", "even", "oneven");
const periodArb = fc
  .record({ from: fc.integer({ min: 0, max: SPAN }), length: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null, freq: 3 }) })
  .map(({ from, length }) => ({ valid_from: at(from), valid_until: length === null ? null : at(from + length) }));
const patternArb: fc.Arbitrary<SchedulePattern> = fc
  .record({ period: periodArb, parity: parityArb, slots: slotsArb })
  .map(({ period, parity, slots }) => ({ ...period, week_parity: parity, slots }));

const contextArb: fc.Arbitrary<CapacityContext> = fc.record({
  locationId: fc.constant(LOCATION),
  // A base week of one or two places (sometimes none) on every slot, with changes on top.
  rules: fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
      fc.array(
        fc.record({ weekday: fc.integer({ min: 1, max: 3 }), dagdeel: dagdeelArb, places: fc.integer({ min: 0, max: 3 }), period: periodArb }).map(({ period, ...r }) => ({ ...r, ...period })),
        { maxLength: 3 },
      ),
    )
    .map(([base, changes]) => [
      ...base.map((places, i) => ({ weekday: (i % 3) + 1, dagdeel: (i < 3 ? "ochtend" : "middag") as Dagdeel, places, valid_from: BASE, valid_until: null })),
      ...changes,
    ]),
  closures: fc.array(
    fc.record({
      location_id: fc.constantFrom<number | null>(null, LOCATION, LOCATION + 1),
      start: fc.integer({ min: 0, max: SPAN + 60 }),
      length: fc.integer({ min: 0, max: 20 }),
      dagdeel: fc.constantFrom<Dagdeel | null>(null, "ochtend", "middag"),
    }).map(({ start, length, ...c }) => ({ ...c, starts_on: at(start), ends_on: at(start + length) })),
    { maxLength: 2 },
  ),
  schedules: fc.array(fc.record({ client_id: fc.integer({ min: 1, max: 4 }), pattern: patternArb }).map(({ client_id, pattern }) => ({ ...pattern, client_id })), { maxLength: 6 }),
  extras: fc.array(fc.record({ client_id: fc.integer({ min: 1, max: 5 }), date: fc.integer({ min: 0, max: SPAN + 60 }).map(at), dagdeel: dagdeelArb }), { maxLength: 3 }),
});

function cellsOf(ctx: CapacityContext, from: string, until: string) {
  return occupancyCells(
    {
      locations: [{ id: LOCATION, provider_id: 1 }],
      rules: ctx.rules.map((r) => ({ ...r, location_id: LOCATION })),
      closures: ctx.closures.map((c) => ({ ...c, provider_id: 1, reason: "dicht" })),
      schedules: ctx.schedules.map((s, i) => ({ ...s, id: i + 1, location_id: LOCATION })),
      extras: ctx.extras.map((e) => ({ ...e, location_id: LOCATION })),
    },
    from,
    until,
  );
}

/** The reference: occupancy cells and the capacity check over every day up to the horizon. */
function reference(pattern: SchedulePattern, ctx: CapacityContext) {
  const until = pattern.valid_until ?? HORIZON;
  const cells = cellsOf(ctx, pattern.valid_from, until);
  const cellAt = new Map(cells.map((c) => [occurrenceKey(c), c]));
  const occurrences = expandSchedule(pattern, pattern.valid_from, until, (date, dagdeel) => cellAt.get(occurrenceKey({ date, dagdeel }))?.closed ?? false);
  return capacityCheck(occurrences, (date, dagdeel) => cellAt.get(occurrenceKey({ date, dagdeel })), CLIENT);
}

/** The dates of analytic runs up to the horizon, as reference keys. */
function datesOf(runs: Run[], until: string, label: (r: Run) => string = () => ""): string[] {
  return runs.flatMap((r) => runDates({ ...r, last: r.last < until ? r.last : until }).map((date) => `${date}|${r.dagdeel}${label(r)}`)).sort();
}

describe("pattern checks: capacity and double booking over a whole validity, analytically", () => {
  it("capacity: the same full and not-open dagdelen (with the same counts) as the day-by-day reference (property)", () => {
    const seen = { full: 0, notOpen: 0 };
    fc.assert(
      fc.property(patternArb, contextArb, (pattern, ctx) => {
        const ref = reference(pattern, ctx);
        const analytic = capacityOverValidity(pattern, ctx, CLIENT);
        const full = analytic.full.flatMap((r) => datesOf([r], pattern.valid_until ?? HORIZON, () => `|${r.booked}/${r.places}`)).sort();
        if (full.length > 0) seen.full += 1;
        if (analytic.notOpen.length > 0) seen.notOpen += 1;
        expect(full).to.deep.equal(ref.full.map((f) => `${f.date}|${f.dagdeel}|${f.booked}/${f.places}`).sort());
        expect(datesOf(analytic.notOpen, pattern.valid_until ?? HORIZON)).to.deep.equal(ref.notOpen.map((o) => `${o.date}|${o.dagdeel}`).sort());
        // Runs say how many dagdelen they hold and whether they go on with the schedule.
        for (const r of [...analytic.full, ...analytic.notOpen]) {
          expect(runDates(r)).to.have.length(r.count);
          if (r.until !== null) expect(r.until).to.equal(r.last);
          if (pattern.valid_until !== null) expect(r.until).to.not.equal(null);
        }
      }),
      { numRuns: 200 },
    );
    // The random cases are not all trivially fine: many have full and not-open dagdelen.
    expect(seen.full).to.be.greaterThan(20);
    expect(seen.notOpen).to.be.greaterThan(20);
  });

  it("over capacity: the same dagdelen, counts and clients as the occupancy cells where more are booked than there are places (property)", () => {
    let over = 0;
    fc.assert(
      fc.property(contextArb, fc.integer({ min: 0, max: SPAN }), fc.integer({ min: 0, max: 120 }), (ctx, start, length) => {
        const [from, until] = [at(start), at(start + length)];
        const expected = cellsOf(ctx, from, until)
          .filter((c) => !c.closed && c.booked > c.places)
          .map((c) => `${c.date}|${c.dagdeel}|${c.booked}/${c.places}|${[...c.scheduledClientIds, ...c.extraClientIds].sort((a, b) => a - b).join(",")}`)
          .sort();
        const runs = overCapacityRuns(ctx, from, until);
        const analytic = runs.flatMap((r) => runDates(r).map((date) => `${date}|${r.dagdeel}|${r.booked}/${r.places}|${r.clientIds.join(",")}`)).sort();
        expect(analytic).to.deep.equal(expected);
        if (expected.length > 0) over += 1;
      }),
      { numRuns: 200 },
    );
    expect(over).to.be.greaterThan(20);
  });

  it("double booking: per shared slot the first date both run, exactly where the expansions first meet (property)", () => {
    let clashing = 0;
    fc.assert(
      fc.property(patternArb, fc.array(patternArb, { maxLength: 4 }), (pattern, others) => {
        const analytic = clashesOverValidity(pattern, others).map((c) => `${others.indexOf(c.other)}|${c.date}|${c.dagdeel}`);
        const expected: string[] = [];
        others.forEach((other, i) => {
          const theirs = new Set(expandSchedule(other, pattern.valid_from, HORIZON).map(occurrenceKey));
          const firstPerSlot = new Map<string, string>();
          for (const o of expandSchedule(pattern, pattern.valid_from, HORIZON)) {
            if (theirs.has(occurrenceKey(o)) && !firstPerSlot.has(`${o.dagdeel}|${new Date(o.date).getUTCDay()}`)) {
              firstPerSlot.set(`${o.dagdeel}|${new Date(o.date).getUTCDay()}`, `${i}|${o.date}|${o.dagdeel}`);
            }
          }
          expected.push(...firstPerSlot.values());
        });
        expect([...new Set(analytic)].sort()).to.deep.equal(expected.sort());
        if (expected.length > 0) clashing += 1;
      }),
      { numRuns: 400 },
    );
    expect(clashing).to.be.greaterThan(40);
  });

  it("a clash years apart is found at once: Mondays from July and Mondays from December of the next year", () => {
    const july: SchedulePattern = { valid_from: "2027-07-05", valid_until: null, week_parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }] };
    const later: SchedulePattern = { ...july, valid_from: "2028-12-04" };
    expect(clashesOverValidity(later, [july]).map((c) => c.date)).to.deep.equal(["2028-12-04"]);
    // Fortnightly schedules out of step never meet, however long they run; in step they do.
    const even: SchedulePattern = { ...july, week_parity: "even", valid_until: "2099-12-31" };
    const odd: SchedulePattern = { ...july, week_parity: "oneven", valid_from: "2027-07-12" };
    expect(clashesOverValidity(odd, [even])).to.deep.equal([]);
    const evenLater: SchedulePattern = { ...july, week_parity: "even", valid_from: "2027-07-12" };
    expect(clashesOverValidity(evenLater, [even]).map((c) => c.date)).to.deep.equal(["2027-07-12"]);
  });

  it("capacity of an open-ended booking into a one-place dagdeel taken from a later date: full from then on, for as long as both run", () => {
    const ctx: CapacityContext = {
      locationId: LOCATION,
      rules: [{ weekday: 1, dagdeel: "ochtend", places: 1, valid_from: "2026-01-01", valid_until: null }],
      closures: [],
      schedules: [{ client_id: 2, valid_from: "2027-12-06", valid_until: null, week_parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }] }],
      extras: [],
    };
    const pattern: SchedulePattern = { valid_from: "2027-07-05", valid_until: null, week_parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }] };
    const { full, notOpen } = capacityOverValidity(pattern, ctx, CLIENT);
    expect(notOpen).to.deep.equal([]);
    expect(full).to.have.length(1);
    expect(full[0]).to.include({ from: "2027-12-06", until: null, step: 1, booked: 1, places: 1 });
  });
});
