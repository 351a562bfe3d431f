import { DAGDELEN, type Dagdeel } from "./dagdeel";
import type { OccupancyCell, OccupancyInputs } from "./occupancy";
import { dateOfDayNumber, dayNumber, weekdayOfDayNumber } from "./schedule";
import { isoDayNumber, weekRhythm } from "./fast-calendar";

// The fast path of occupancyCells(): the same cells, in the same order, with the same client
// lists, but computed per week pattern on integer day numbers. occupancyCells() asks every
// schedule of a location about every date (a luxon date per cell and a filter over all
// schedules); here each capacity rule, closure and schedule slot visits only the days it
// touches, stepping a week at a time. test/unit/occupancy-grid.test.ts compares the two on
// random small data sets; occupancyCells() stays the reference.

const DD: Record<Dagdeel, number> = { ochtend: 0, middag: 1 };

// Most cells of a region's half year hold nobody: they share one empty list (frozen, so a
// caller that would change it fails loudly instead of changing every cell).
const NONE = Object.freeze([]) as unknown as number[];
const NO_REASONS = Object.freeze([]) as unknown as string[];

type Slotted = { scheduled: number[] | null; extras: number[] | null; reasons: string[] | null; places: number; ruleFrom: string | null };

export function occupancyGrid(inputs: OccupancyInputs, from: string, until: string): OccupancyCell[] {
  const fromN = dayNumber(from);
  const untilN = dayNumber(until);
  const days = untilN - fromN + 1;
  if (days <= 0 || inputs.locations.length === 0) return [];
  const dates = Array.from({ length: days }, (_, d) => dateOfDayNumber(fromN + d));
  const firstWeekday = weekdayOfDayNumber(fromN);
  /** The offset (from `from`) of the first day on or after offset `start` that is `weekday`. */
  const firstOn = (weekday: number, start: number) => start + ((weekday - ((firstWeekday - 1 + start) % 7) - 1 + 7) % 7);
  const offsetOf = (iso: string | null, fallback: number) => (iso === null ? fallback : isoDayNumber(iso) - fromN);

  const index = new Map(inputs.locations.map((l, i) => [l.id, i]));
  const grids: Slotted[][] = inputs.locations.map(() =>
    Array.from({ length: days * 2 }, () => ({ scheduled: null, extras: null, reasons: null, places: 0, ruleFrom: null })),
  );

  // Capacity: the rule in force; the latest start wins should rules overlap (as ruleOn()).
  for (const r of inputs.rules) {
    const i = index.get(r.location_id);
    if (i === undefined) continue;
    const grid = grids[i];
    const start = Math.max(0, offsetOf(r.valid_from, 0));
    const end = Math.min(days - 1, offsetOf(r.valid_until, days - 1));
    for (let d = firstOn(r.weekday, start); d <= end; d += 7) {
      const cell = grid[d * 2 + DD[r.dagdeel]];
      if (cell.ruleFrom === null || r.valid_from > cell.ruleFrom) {
        cell.ruleFrom = r.valid_from;
        cell.places = r.places;
      }
    }
  }

  // Closures: a provider's closure (location null) shuts all its locations, in input order.
  const locationsOfProvider = new Map<number, number[]>();
  inputs.locations.forEach((l, i) => locationsOfProvider.set(l.provider_id, [...(locationsOfProvider.get(l.provider_id) ?? []), i]));
  for (const c of inputs.closures) {
    const targets = (locationsOfProvider.get(c.provider_id) ?? []).filter((i) => c.location_id === null || inputs.locations[i].id === c.location_id);
    if (targets.length === 0) continue;
    const start = Math.max(0, isoDayNumber(c.starts_on) - fromN);
    const end = Math.min(days - 1, isoDayNumber(c.ends_on) - fromN);
    for (const i of targets) {
      for (let d = start; d <= end; d++) {
        for (const dagdeel of DAGDELEN) {
          if (c.dagdeel !== null && c.dagdeel !== dagdeel) continue;
          const cell = grids[i][d * 2 + DD[dagdeel]];
          (cell.reasons ??= []).push(c.reason);
        }
      }
    }
  }

  // Schedules, slot by slot, week by week (every week, or every other one).
  for (const s of inputs.schedules) {
    const i = index.get(s.location_id);
    if (i === undefined) continue;
    const grid = grids[i];
    const start = Math.max(0, offsetOf(s.valid_from, 0));
    const end = Math.min(days - 1, offsetOf(s.valid_until, days - 1));
    if (end < start) continue;
    const runs = weekRhythm(s);
    for (const slot of s.slots) {
      for (let d = firstOn(slot.weekday, start); d <= end; d += 7) {
        if (!runs(fromN + d)) continue;
        const cell = grid[d * 2 + DD[slot.dagdeel]];
        const list = (cell.scheduled ??= []);
        if (!list.includes(s.client_id)) list.push(s.client_id);
      }
    }
  }

  for (const e of inputs.extras) {
    const i = index.get(e.location_id);
    if (i === undefined) continue;
    const d = isoDayNumber(e.date) - fromN;
    if (d < 0 || d >= days) continue;
    const cell = grids[i][d * 2 + DD[e.dagdeel]];
    const list = (cell.extras ??= []);
    if (!list.includes(e.client_id)) list.push(e.client_id);
  }

  const cells: OccupancyCell[] = [];
  inputs.locations.forEach((location, i) => {
    const grid = grids[i];
    for (let d = 0; d < days; d++) {
      for (const dagdeel of DAGDELEN) {
        const g = grid[d * 2 + DD[dagdeel]];
        const closed = g.reasons !== null;
        const scheduled = closed || g.scheduled === null ? NONE : g.scheduled;
        const extras = closed || g.extras === null ? NONE : g.extras.filter((id) => !scheduled.includes(id));
        const booked = scheduled.length + extras.length;
        cells.push({
          location_id: location.id,
          date: dates[d],
          dagdeel,
          places: g.places,
          open: g.ruleFrom !== null && g.places > 0 && !closed,
          closed,
          closureReasons: g.reasons ?? NO_REASONS,
          scheduledClientIds: scheduled,
          extraClientIds: extras,
          booked,
          free: closed ? 0 : Math.max(0, g.places - booked),
        });
      }
    }
  });
  return cells;
}
