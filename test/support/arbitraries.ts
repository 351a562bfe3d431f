import fc from "fast-check";
import { DAGDELEN, type Dagdeel } from "../../src/domain/dagdeel";
import { addDays } from "../../src/domain/dates";
import type { OccupancyInputs } from "../../src/domain/occupancy";
import type { WeekParity } from "../../src/domain/schedule";

// Random small data sets for the property tests that compare a fast path with its pure
// reference: a few locations of two providers, capacity rules, closures, schedules and extra
// visits around a year end (week 53 of 2026 included), so every boundary gets its turn.

export const ANCHOR = "2026-12-21";

export const dateArb = fc.integer({ min: -70, max: 70 }).map((d) => addDays(ANCHOR, d));
export const dagdeelArb = fc.constantFrom<Dagdeel>(...DAGDELEN);
export const parityArb = fc.constantFrom<WeekParity>("elke", "elke", "even", "oneven");
export const slotsArb = fc.uniqueArray(fc.record({ weekday: fc.integer({ min: 1, max: 7 }), dagdeel: dagdeelArb }), {
  minLength: 1,
  maxLength: 4,
  selector: (s) => `${s.weekday}|${s.dagdeel}`,
});

/** A period from a date, open-ended or some days long. */
export const periodArb = fc
  .tuple(dateArb, fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }))
  .map(([from, length]) => ({ valid_from: from, valid_until: length === null ? null : addDays(from, length) }));

export const LOCATIONS = [
  { id: 1, provider_id: 10 },
  { id: 2, provider_id: 10 },
  { id: 3, provider_id: 11 },
];

export const occupancyInputsArb: fc.Arbitrary<OccupancyInputs> = fc.record({
  locations: fc.constant(LOCATIONS),
  rules: fc.array(
    fc.record({
      location_id: fc.constantFrom(1, 2, 3),
      weekday: fc.integer({ min: 1, max: 7 }),
      dagdeel: dagdeelArb,
      places: fc.integer({ min: 0, max: 4 }),
      period: periodArb,
    }).map(({ period, ...r }) => ({ ...r, ...period })),
    { maxLength: 12 },
  ),
  closures: fc.array(
    fc.record({
      provider_id: fc.constantFrom(10, 11),
      location_id: fc.constantFrom<number | null>(null, 1, 2, 3),
      start: dateArb,
      length: fc.integer({ min: 0, max: 9 }),
      dagdeel: fc.constantFrom<Dagdeel | null>(null, "ochtend", "middag"),
      reason: fc.constantFrom("Kerst", "Studiedag", "Carnaval"),
    }).map(({ start, length, ...c }) => ({ ...c, starts_on: start, ends_on: addDays(start, length) })),
    { maxLength: 4 },
  ),
  schedules: fc
    .array(
      fc.record({ client_id: fc.integer({ min: 1, max: 6 }), location_id: fc.constantFrom(1, 2, 3), period: periodArb, week_parity: parityArb, slots: slotsArb }),
      { maxLength: 10 },
    )
    .map((list) => list.map(({ period, ...s }, i) => ({ id: i + 1, ...s, ...period }))),
  extras: fc.array(fc.record({ location_id: fc.constantFrom(1, 2, 3), client_id: fc.integer({ min: 1, max: 8 }), date: dateArb, dagdeel: dagdeelArb }), { maxLength: 8 }),
});
