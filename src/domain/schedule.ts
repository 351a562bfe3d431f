import type { Dagdeel } from "./dagdeel";
import { periodContains } from "./dates";

// A schedule is a weekly pattern; these functions turn it into concrete dagdelen. The board,
// the rules, the forecast and the calendar feeds all count through here, so they agree.

export type WeekParity = "elke" | "even" | "oneven";
export type Slot = { weekday: number; dagdeel: Dagdeel };

export type SchedulePattern = {
  valid_from: string;
  valid_until: string | null;
  week_parity: WeekParity;
  slots: Slot[];
};

export type Occurrence = { date: string; dagdeel: Dagdeel };

// Calendar arithmetic on day numbers (days since 1970-01-01). Expansion runs for every cell of
// every occupancy grid and every day of every horizon, so it avoids building a luxon DateTime
// per date; a calendar date has no time zone, so UTC arithmetic is exact (DST cannot shift it).
// test/unit/schedule-expansion.test.ts checks these against luxon for two centuries of dates.

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a yyyy-MM-dd date; RangeError for anything that is not a real date. */
export function dayNumber(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`Not an ISO date: ${isoDate}`);
  const n = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
  if (dateOfDayNumber(n) !== isoDate) throw new RangeError(`Not an ISO date: ${isoDate}`);
  return n;
}

export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(n: number): number {
  return (((n + 3) % 7) + 7) % 7 + 1;
}

/** ISO week number of a day number: the week belongs to the year of its Thursday. */
export function isoWeekOfDayNumber(n: number): number {
  const thursday = n - weekdayOfDayNumber(n) + 4;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  return Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
}

function parityHolds(parity: WeekParity, n: number): boolean {
  if (parity === "elke") return true;
  const week = isoWeekOfDayNumber(n);
  return parity === "even" ? week % 2 === 0 : week % 2 === 1;
}

/** Even/odd follows the ISO week number, so week 53 and week 1 are both "odd". */
export function matchesParity(parity: WeekParity, isoDate: string): boolean {
  return parityHolds(parity, dayNumber(isoDate));
}

/** The dagdelen a pattern asks for on one date (before closures). */
export function dagdelenOn(pattern: SchedulePattern, isoDate: string): Dagdeel[] {
  if (!periodContains(pattern.valid_from, pattern.valid_until, isoDate)) return [];
  return dagdelenOnDay(pattern, dayNumber(isoDate));
}

function dagdelenOnDay(pattern: SchedulePattern, n: number): Dagdeel[] {
  if (!parityHolds(pattern.week_parity, n)) return [];
  const weekday = weekdayOfDayNumber(n);
  const found = pattern.slots.filter((s) => s.weekday === weekday).map((s) => s.dagdeel);
  // ochtend before middag, whatever order the slots were stored in
  return found.sort((a, b) => (a === b ? 0 : a === "ochtend" ? -1 : 1));
}

/**
 * Every planned dagdeel of a pattern from `from` to `until` (inclusive), leaving out what
 * `isClosed` says is closed.
 */
export function expandSchedule(
  pattern: SchedulePattern,
  from: string,
  until: string,
  isClosed: (date: string, dagdeel: Dagdeel) => boolean = () => false,
): Occurrence[] {
  const start = from > pattern.valid_from ? from : pattern.valid_from;
  const end = pattern.valid_until !== null && pattern.valid_until < until ? pattern.valid_until : until;
  if (end < start) return [];
  const out: Occurrence[] = [];
  const last = dayNumber(end);
  for (let n = dayNumber(start); n <= last; n++) {
    const dagdelen = dagdelenOnDay(pattern, n);
    if (dagdelen.length === 0) continue;
    const date = dateOfDayNumber(n);
    for (const dagdeel of dagdelen) {
      if (!isClosed(date, dagdeel)) out.push({ date, dagdeel });
    }
  }
  return out;
}

/**
 * Rows of schedules (or waiting-list entries) left-joined with their slots, one row per slot
 * (weekday and dagdeel null when there is none), back to one entry per id with its slots, in
 * the order the rows came. Every repository that reads patterns in one query shapes them here.
 */
export function groupSlots<R extends { id: number; weekday: number | null; dagdeel: Dagdeel | null }>(rows: R[]): (Omit<R, "weekday" | "dagdeel"> & { slots: Slot[] })[] {
  const byId = new Map<number, Omit<R, "weekday" | "dagdeel"> & { slots: Slot[] }>();
  for (const r of rows) {
    const { weekday, dagdeel, ...rest } = r;
    const entry = byId.get(r.id) ?? { ...rest, slots: [] };
    if (weekday !== null && dagdeel !== null) entry.slots.push({ weekday, dagdeel });
    byId.set(r.id, entry);
  }
  return [...byId.values()];
}
