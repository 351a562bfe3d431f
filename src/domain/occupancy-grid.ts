import type { Wish } from "./booking-rules";
import { DAGDELEN, type Dagdeel } from "./dagdeel";
import type { LocationClosure, LocationRule, LocationSchedule, OccupancyCell, OccupancyInputs } from "./occupancy";
import { dateOfDayNumber, dayNumber, weekdayOfDayNumber } from "./schedule";
import { isoDayNumber, weekRhythm } from "./fast-calendar";

// The fast path of occupancyCells(): the same cells, in the same order, with the same client
// lists, but computed per weekday × dagdeel slot on integer day numbers. occupancyCells() asks
// every schedule of a location about every date (a luxon date per cell and a filter over all
// schedules); here a slot's days are worked out only when a question needs them, from the
// rules, closures, schedules and extras of that slot alone, a week at a time. The problem lists
// ask half a year of every location two questions — is any dagdeel past its places, do these
// wishes fit — and most slots answer the first without a single day: a slot that never holds
// more distinct clients than its fewest places cannot be past them.
// test/unit/occupancy-grid.test.ts compares every answer with the reference.

// Most cells hold nobody: they share one empty list (frozen, so a caller that would change it
// fails loudly instead of changing every cell).
const NONE = Object.freeze([]) as unknown as number[];
const NO_REASONS = Object.freeze([]) as unknown as string[];

/** One weekday × dagdeel of one location, day by day (the days of that weekday in the range). */
type SlotDays = { offsets: number[]; places: number[]; ruled: boolean[]; reasons: (string[] | null)[]; scheduled: number[][]; extras: number[][] };

type LocationInputs = {
  id: number;
  rules: LocationRule[];
  closures: LocationClosure[];
  /** Schedules by "weekday|dagdeel" of their slots, in input order. */
  schedules: Map<string, LocationSchedule[]>;
  /** Extra visits by "weekday|dagdeel", in input order. */
  extras: Map<string, { client_id: number; offset: number }[]>;
  slots: Map<string, SlotDays>;
};

const slotKey = (weekday: number, dagdeel: Dagdeel) => `${weekday}|${dagdeel}`;

/** Clients other than this one taking a place (as othersIn() counts them). */
function othersThan(clientId: number, scheduled: number[], extras: number[]): number {
  const ids = new Set([...scheduled, ...extras]);
  ids.delete(clientId);
  return ids.size;
}

export class OccupancyGrid {
  readonly fromN: number;
  readonly days: number;
  private readonly firstWeekday: number;
  private readonly locations: LocationInputs[];
  private readonly byId = new Map<number, LocationInputs>();
  private dates: string[] | null = null;

  constructor(inputs: OccupancyInputs, from: string, until: string) {
    this.fromN = dayNumber(from);
    this.days = Math.max(0, dayNumber(until) - this.fromN + 1);
    this.firstWeekday = weekdayOfDayNumber(this.fromN);
    this.locations = inputs.locations.map((l) => ({ id: l.id, rules: [], closures: [], schedules: new Map(), extras: new Map(), slots: new Map() }));
    for (const l of this.locations) this.byId.set(l.id, l);
    for (const r of inputs.rules) this.byId.get(r.location_id)?.rules.push(r);
    // A provider's closure (location null) shuts all its locations. Closures by provider first:
    // a region's 200 locations each looking through every closure held the event loop.
    const closuresOf = new Map<number, LocationClosure[]>();
    for (const c of inputs.closures) {
      const list = closuresOf.get(c.provider_id);
      if (list) list.push(c);
      else closuresOf.set(c.provider_id, [c]);
    }
    inputs.locations.forEach((l, i) => {
      for (const c of closuresOf.get(l.provider_id) ?? []) if (c.location_id === null || c.location_id === l.id) this.locations[i].closures.push(c);
    });
    for (const s of inputs.schedules) {
      const l = this.byId.get(s.location_id);
      if (!l) continue;
      for (const slot of s.slots) {
        const k = slotKey(slot.weekday, slot.dagdeel);
        const list = l.schedules.get(k);
        if (list) {
          if (list[list.length - 1] !== s) list.push(s);
        } else l.schedules.set(k, [s]);
      }
    }
    for (const e of inputs.extras) {
      const l = this.byId.get(e.location_id);
      const offset = isoDayNumber(e.date) - this.fromN;
      if (!l || offset < 0 || offset >= this.days) continue;
      const k = slotKey(weekdayOfDayNumber(this.fromN + offset), e.dagdeel);
      const list = l.extras.get(k) ?? [];
      list.push({ client_id: e.client_id, offset });
      l.extras.set(k, list);
    }
  }

  /** The offset of the first day of the range on `weekday`. */
  private firstOffset(weekday: number): number {
    return (weekday - this.firstWeekday + 7) % 7;
  }

  /** A slot's days, worked out once. */
  private slotDays(l: LocationInputs, weekday: number, dagdeel: Dagdeel): SlotDays {
    const k = slotKey(weekday, dagdeel);
    const kept = l.slots.get(k);
    if (kept) return kept;
    const offsets: number[] = [];
    for (let d = this.firstOffset(weekday); d < this.days; d += 7) offsets.push(d);
    const n = offsets.length;
    const at = (offset: number) => (offset - this.firstOffset(weekday)) / 7;
    const places = new Array<number>(n).fill(0);
    const ruled = new Array<boolean>(n).fill(false);
    const ruleFrom = new Array<string | null>(n).fill(null);
    const reasons = new Array<string[] | null>(n).fill(null);
    const scheduled = new Array<number[]>(n).fill(NONE);
    const extras = new Array<number[]>(n).fill(NONE);
    const range = (fromIso: string, untilIso: string | null): [number, number] => {
      const lo = Math.max(0, Math.ceil((isoDayNumber(fromIso) - this.fromN - this.firstOffset(weekday)) / 7));
      const hi = Math.min(n - 1, untilIso === null ? n - 1 : Math.floor((isoDayNumber(untilIso) - this.fromN - this.firstOffset(weekday)) / 7));
      return [lo, hi];
    };
    // Capacity: the rule in force; the latest start wins should rules overlap (as ruleOn()).
    for (const r of l.rules) {
      if (r.weekday !== weekday || r.dagdeel !== dagdeel) continue;
      const [lo, hi] = range(r.valid_from, r.valid_until);
      for (let i = lo; i <= hi; i++) {
        if (ruleFrom[i] === null || r.valid_from > ruleFrom[i]!) {
          ruleFrom[i] = r.valid_from;
          places[i] = r.places;
          ruled[i] = true;
        }
      }
    }
    for (const c of l.closures) {
      if (c.dagdeel !== null && c.dagdeel !== dagdeel) continue;
      const [lo, hi] = range(c.starts_on, c.ends_on);
      for (let i = lo; i <= hi; i++) (reasons[i] ??= []).push(c.reason);
    }
    for (const s of l.schedules.get(k) ?? []) {
      const [lo, hi] = range(s.valid_from, s.valid_until);
      const runs = weekRhythm(s);
      for (let i = lo; i <= hi; i++) {
        if (reasons[i] !== null || !runs(this.fromN + offsets[i])) continue;
        if (scheduled[i] === NONE) scheduled[i] = [s.client_id];
        else if (!scheduled[i].includes(s.client_id)) scheduled[i].push(s.client_id);
      }
    }
    for (const e of l.extras.get(k) ?? []) {
      const i = at(e.offset);
      if (reasons[i] !== null || scheduled[i].includes(e.client_id)) continue;
      if (extras[i] === NONE) extras[i] = [e.client_id];
      else if (!extras[i].includes(e.client_id)) extras[i].push(e.client_id);
    }
    const days = { offsets, places, ruled, reasons, scheduled, extras };
    l.slots.set(k, days);
    return days;
  }

  /** The locations in input order: the order of cells(). */
  locationIds(): number[] {
    return this.locations.map((l) => l.id);
  }

  /** Every cell, location by location, date by date, morning before afternoon: occupancyCells()' answer. */
  cells(): OccupancyCell[] {
    const out: OccupancyCell[] = [];
    for (const l of this.locations) out.push(...this.cellsOf(l.id));
    return out;
  }

  /** One location's cells. */
  cellsOf(locationId: number): OccupancyCell[] {
    const l = this.byId.get(locationId);
    if (!l || this.days === 0) return [];
    this.dates ??= Array.from({ length: this.days }, (_, d) => dateOfDayNumber(this.fromN + d));
    const out = new Array<OccupancyCell>(this.days * 2);
    for (let weekday = 1; weekday <= 7; weekday++) {
      DAGDELEN.forEach((dagdeel, dd) => {
        const s = this.slotDays(l, weekday, dagdeel);
        s.offsets.forEach((d, i) => {
          const closed = s.reasons[i] !== null;
          const booked = s.scheduled[i].length + s.extras[i].length;
          out[d * 2 + dd] = {
            location_id: l.id,
            date: this.dates![d],
            dagdeel,
            places: s.places[i],
            open: s.ruled[i] && s.places[i] > 0 && !closed,
            closed,
            closureReasons: s.reasons[i] ?? NO_REASONS,
            scheduledClientIds: s.scheduled[i],
            extraClientIds: s.extras[i],
            booked,
            free: closed ? 0 : Math.max(0, s.places[i] - booked),
          };
        });
      });
    }
    return out;
  }

  /** The locations with a dagdeel that holds more clients than places (and is not closed). */
  overfullLocationIds(): Set<number> {
    const out = new Set<number>();
    for (const l of this.locations) {
      for (const k of new Set([...l.schedules.keys(), ...l.extras.keys()])) {
        const [weekday, dagdeel] = [Number(k.split("|")[0]), k.split("|")[1] as Dagdeel];
        // No more distinct clients on the slot than its fewest places: never past them.
        const clients = new Set([...(l.schedules.get(k) ?? []).map((s) => s.client_id), ...(l.extras.get(k) ?? []).map((e) => e.client_id)]);
        if (clients.size <= this.fewestPlaces(l, weekday, dagdeel)) continue;
        const s = this.slotDays(l, weekday, dagdeel);
        if (s.offsets.some((_, i) => s.reasons[i] === null && s.scheduled[i].length + s.extras[i].length > s.places[i])) {
          out.add(l.id);
          break;
        }
      }
    }
    return out;
  }

  /** The fewest places the slot has on any of its days in the range (0 where no rule holds). */
  private fewestPlaces(l: LocationInputs, weekday: number, dagdeel: Dagdeel): number {
    const rules = l.rules.filter((r) => r.weekday === weekday && r.dagdeel === dagdeel);
    if (rules.length === 0) return 0;
    if (rules.length === 1) {
      const r = rules[0];
      const from = this.fromN + this.firstOffset(weekday);
      const last = from + 7 * Math.floor((this.days - 1 - this.firstOffset(weekday)) / 7);
      const covers = isoDayNumber(r.valid_from) <= from && (r.valid_until === null || isoDayNumber(r.valid_until) >= last);
      return covers ? r.places : 0;
    }
    return Math.min(...this.slotDays(l, weekday, dagdeel).places);
  }

  /** What wishesFit(wishes, this location's cells, clientId) says, without making the cells. */
  wishesFit(locationId: number, wishes: Wish[], clientId: number): boolean {
    const l = this.byId.get(locationId);
    if (wishes.length === 0 || !l) return false;
    return wishes.every((w) => {
      const s = this.slotDays(l, w.weekday, w.dagdeel);
      let seen = false;
      for (let i = 0; i < s.offsets.length; i++) {
        if (s.reasons[i] !== null) continue;
        seen = true;
        if (!(s.places[i] > 0 && othersThan(clientId, s.scheduled[i], s.extras[i]) < s.places[i])) return false;
      }
      return seen;
    });
  }
}

export function occupancyGrid(inputs: OccupancyInputs, from: string, until: string): OccupancyCell[] {
  return new OccupancyGrid(inputs, from, until).cells();
}
