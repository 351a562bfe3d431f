import type { Wish } from "./booking-rules";
import { DAGDELEN, type Dagdeel } from "./dagdeel";
import type { OccupancyCell, OccupancyInputs } from "./occupancy";
import { dateOfDayNumber, dayNumber, weekdayOfDayNumber } from "./schedule";
import { isoDayNumber, weekRhythm } from "./fast-calendar";

// The fast path of occupancyCells(): the same cells, in the same order, with the same client
// lists, but computed per week pattern on integer day numbers. occupancyCells() asks every
// schedule of a location about every date (a luxon date per cell and a filter over all
// schedules); here each capacity rule, closure and schedule slot visits only the days it
// touches, stepping a week at a time, into flat arrays. Cells are made only when asked for:
// the problem lists look at half a year of every location and need a few answers, not 70,000
// objects. test/unit/occupancy-grid.test.ts compares every answer with the reference.

const DD: Record<Dagdeel, number> = { ochtend: 0, middag: 1 };

// Most cells of a region's half year hold nobody: they share one empty list (frozen, so a
// caller that would change it fails loudly instead of changing every cell).
const NONE = Object.freeze([]) as unknown as number[];
const NO_REASONS = Object.freeze([]) as unknown as string[];

/** Clients other than this one taking a place (as othersIn() counts them). */
function othersThan(clientId: number, scheduled: number[], extras: number[]): number {
  const ids = new Set([...scheduled, ...extras]);
  ids.delete(clientId);
  return ids.size;
}

/** No rule in force (a rule's start as a day number is never this low). */
const NO_RULE = -1e9;

type LocationGrid = {
  id: number;
  places: Int32Array;
  ruleFrom: Float64Array;
  scheduled: (number[] | undefined)[];
  extras: (number[] | undefined)[];
  reasons: (string[] | undefined)[];
};

export class OccupancyGrid {
  readonly fromN: number;
  readonly days: number;
  private readonly grids: LocationGrid[];
  private readonly byId = new Map<number, LocationGrid>();
  private dates: string[] | null = null;

  constructor(inputs: OccupancyInputs, from: string, until: string) {
    this.fromN = dayNumber(from);
    const days = (this.days = Math.max(0, dayNumber(until) - this.fromN + 1));
    const fromN = this.fromN;
    const firstWeekday = weekdayOfDayNumber(fromN);
    /** The offset (from `from`) of the first day on or after offset `start` that is `weekday`. */
    const firstOn = (weekday: number, start: number) => start + ((weekday - ((firstWeekday - 1 + start) % 7) - 1 + 7) % 7);
    const offsetOf = (iso: string | null, fallback: number) => (iso === null ? fallback : isoDayNumber(iso) - fromN);

    this.grids = inputs.locations.map((l) => ({
      id: l.id,
      places: new Int32Array(days * 2),
      ruleFrom: new Float64Array(days * 2).fill(NO_RULE),
      scheduled: new Array(days * 2),
      extras: new Array(days * 2),
      reasons: new Array(days * 2),
    }));
    for (const g of this.grids) this.byId.set(g.id, g);
    if (days === 0) return;

    // Capacity: the rule in force; the latest start wins should rules overlap (as ruleOn()).
    for (const r of inputs.rules) {
      const g = this.byId.get(r.location_id);
      if (!g) continue;
      const ruleStart = isoDayNumber(r.valid_from);
      const start = Math.max(0, ruleStart - fromN);
      const end = Math.min(days - 1, offsetOf(r.valid_until, days - 1));
      for (let d = firstOn(r.weekday, start); d <= end; d += 7) {
        const i = d * 2 + DD[r.dagdeel];
        if (g.ruleFrom[i] === NO_RULE || ruleStart > g.ruleFrom[i]) {
          g.ruleFrom[i] = ruleStart;
          g.places[i] = r.places;
        }
      }
    }

    // Closures: a provider's closure (location null) shuts all its locations, in input order.
    const locationsOfProvider = new Map<number, LocationGrid[]>();
    inputs.locations.forEach((l, i) => locationsOfProvider.set(l.provider_id, [...(locationsOfProvider.get(l.provider_id) ?? []), this.grids[i]]));
    for (const c of inputs.closures) {
      const targets = (locationsOfProvider.get(c.provider_id) ?? []).filter((g) => c.location_id === null || g.id === c.location_id);
      const start = Math.max(0, isoDayNumber(c.starts_on) - fromN);
      const end = Math.min(days - 1, isoDayNumber(c.ends_on) - fromN);
      for (const g of targets) {
        for (let d = start; d <= end; d++) {
          for (const dagdeel of DAGDELEN) {
            if (c.dagdeel !== null && c.dagdeel !== dagdeel) continue;
            const i = d * 2 + DD[dagdeel];
            (g.reasons[i] ??= []).push(c.reason);
          }
        }
      }
    }

    // Schedules, slot by slot, week by week (every week, or every other one).
    for (const s of inputs.schedules) {
      const g = this.byId.get(s.location_id);
      if (!g) continue;
      const start = Math.max(0, offsetOf(s.valid_from, 0));
      const end = Math.min(days - 1, offsetOf(s.valid_until, days - 1));
      if (end < start) continue;
      const runs = weekRhythm(s);
      for (const slot of s.slots) {
        for (let d = firstOn(slot.weekday, start); d <= end; d += 7) {
          if (!runs(fromN + d)) continue;
          const i = d * 2 + DD[slot.dagdeel];
          const list = (g.scheduled[i] ??= []);
          if (!list.includes(s.client_id)) list.push(s.client_id);
        }
      }
    }

    for (const e of inputs.extras) {
      const g = this.byId.get(e.location_id);
      const d = isoDayNumber(e.date) - fromN;
      if (!g || d < 0 || d >= days) continue;
      const i = d * 2 + DD[e.dagdeel];
      const list = (g.extras[i] ??= []);
      if (!list.includes(e.client_id)) list.push(e.client_id);
    }
  }

  private scheduledAt(g: LocationGrid, i: number): number[] {
    return g.reasons[i] !== undefined ? NONE : (g.scheduled[i] ?? NONE);
  }

  private extrasAt(g: LocationGrid, i: number): number[] {
    const extras = g.extras[i];
    if (g.reasons[i] !== undefined || extras === undefined) return NONE;
    const scheduled = g.scheduled[i] ?? NONE;
    return extras.filter((id) => !scheduled.includes(id));
  }

  private bookedAt(g: LocationGrid, i: number): number {
    return this.scheduledAt(g, i).length + this.extrasAt(g, i).length;
  }

  /** Every cell, location by location, date by date, morning before afternoon: occupancyCells()' answer. */
  cells(): OccupancyCell[] {
    const out: OccupancyCell[] = [];
    for (const g of this.grids) out.push(...this.cellsOf(g.id));
    return out;
  }

  /** One location's cells. */
  cellsOf(locationId: number): OccupancyCell[] {
    const g = this.byId.get(locationId);
    if (!g) return [];
    this.dates ??= Array.from({ length: this.days }, (_, d) => dateOfDayNumber(this.fromN + d));
    const out: OccupancyCell[] = [];
    for (let d = 0; d < this.days; d++) {
      for (const dagdeel of DAGDELEN) {
        const i = d * 2 + DD[dagdeel];
        const closed = g.reasons[i] !== undefined;
        const scheduledClientIds = this.scheduledAt(g, i);
        const extraClientIds = this.extrasAt(g, i);
        const booked = scheduledClientIds.length + extraClientIds.length;
        const places = g.places[i];
        out.push({
          location_id: g.id,
          date: this.dates[d],
          dagdeel,
          places,
          open: g.ruleFrom[i] !== NO_RULE && places > 0 && !closed,
          closed,
          closureReasons: g.reasons[i] ?? NO_REASONS,
          scheduledClientIds,
          extraClientIds,
          booked,
          free: closed ? 0 : Math.max(0, places - booked),
        });
      }
    }
    return out;
  }

  /** The locations with a dagdeel that holds more clients than places (and is not closed). */
  overfullLocationIds(): Set<number> {
    const out = new Set<number>();
    for (const g of this.grids) {
      for (let i = 0; i < this.days * 2 && !out.has(g.id); i++) {
        if (g.reasons[i] === undefined && this.bookedAt(g, i) > g.places[i]) out.add(g.id);
      }
    }
    return out;
  }

  /** What wishesFit(wishes, this location's cells, clientId) says, without making the cells. */
  wishesFit(locationId: number, wishes: Wish[], clientId: number): boolean {
    const g = this.byId.get(locationId);
    if (wishes.length === 0) return false;
    if (!g) return false;
    const firstWeekday = weekdayOfDayNumber(this.fromN);
    return wishes.every((w) => {
      let seen = false;
      for (let d = (w.weekday - firstWeekday + 7) % 7; d < this.days; d += 7) {
        const i = d * 2 + DD[w.dagdeel];
        if (g.reasons[i] !== undefined) continue;
        seen = true;
        if (!(g.places[i] > 0 && othersThan(clientId, this.scheduledAt(g, i), this.extrasAt(g, i)) < g.places[i])) return false;
      }
      return seen;
    });
  }
}

export function occupancyGrid(inputs: OccupancyInputs, from: string, until: string): OccupancyCell[] {
  return new OccupancyGrid(inputs, from, until).cells();
}
