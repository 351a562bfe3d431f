import type { Dagdeel } from "./dagdeel";
import { LAST_DATE } from "./date-window";
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

/** The dates made so far: a year's expansion of a region's schedules asks for a few hundred dates a million times. */
const datesMade = new Map<number, string>();
/** Enough for ten years of dates; beyond it the map starts again (bounded memory). */
const DATES_KEPT = 4096;

export function dateOfDayNumber(n: number): string {
  let date = datesMade.get(n);
  if (date === undefined) {
    if (datesMade.size >= DATES_KEPT) datesMade.clear();
    date = new Date(n * DAY_MS).toISOString().slice(0, 10);
    datesMade.set(n, date);
  }
  return date;
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

/**
 * Weeks counted from Monday 1970-01-05 (day number 4): week index 0. Two dates are in the same
 * week when their indexes are equal, and "every other week" is a step of 2 in this count,
 * which — unlike the ISO week number — never skips or repeats at a year end.
 */
export function weekIndexOfDayNumber(n: number): number {
  return Math.floor((n - 4) / 7);
}

/** Day number of the Monday of a week index. */
export function mondayOfWeekIndex(w: number): number {
  return 4 + 7 * w;
}

/**
 * The week an every-other-week pattern starts in: the week of valid_from when its ISO week
 * number has the pattern's parity ("even" / "oneven"), otherwise the week after. From there it
 * runs every other week, counted from that start week and not by the week number: across a
 * year with 53 ISO weeks (2026) the numbers go 52, 53, 1, so counting by number would run two
 * weeks in a row (53 and 1 are both odd) or skip a fortnight. Stored rows keep their even/oneven
 * value, which now only picks the start week; outside week 53 that is the first week on or after
 * valid_from with that parity, as before. In week 53 "even" starts the week after (week 1),
 * so the two values always mean "this week" and "next week" and the form can offer both.
 * Null for "elke".
 */
export function anchorWeek(pattern: Pick<SchedulePattern, "valid_from" | "week_parity">): number | null {
  if (pattern.week_parity === "elke") return null;
  const first = weekIndexOfDayNumber(dayNumber(pattern.valid_from));
  const isoWeek = isoWeekOfDayNumber(mondayOfWeekIndex(first));
  const wanted = pattern.week_parity === "even" ? 0 : 1;
  return isoWeek % 2 === wanted ? first : first + 1;
}

/** The parity value that starts a pattern from valid_from in its own week ("this") or the week after ("next"). */
export function parityStarting(validFrom: string, which: "this" | "next"): Exclude<WeekParity, "elke"> {
  const odd = isoWeekOfDayNumber(dayNumber(validFrom)) % 2 === 1;
  return odd === (which === "this") ? "oneven" : "even";
}

/** The date of the Monday of the start week (null for "elke"): "om de week, te beginnen in week N". */
export function startWeekMonday(pattern: Pick<SchedulePattern, "valid_from" | "week_parity">): string | null {
  const w = anchorWeek(pattern);
  return w === null ? null : dateOfDayNumber(mondayOfWeekIndex(w));
}

/** Does the pattern run in this week (by week index)? Every week, or every other from its start week. */
export function runsInWeek(anchor: number | null, week: number): boolean {
  return anchor === null || (((week - anchor) % 2) + 2) % 2 === 0;
}

/** Does the pattern's week rhythm include the week of this date (validity aside)? */
export function runsInWeekOf(pattern: Pick<SchedulePattern, "valid_from" | "week_parity">, isoDate: string): boolean {
  return runsInWeek(anchorWeek(pattern), weekIndexOfDayNumber(dayNumber(isoDate)));
}

/** The dagdelen a pattern asks for on one date (before closures). */
export function dagdelenOn(pattern: SchedulePattern, isoDate: string): Dagdeel[] {
  if (!periodContains(pattern.valid_from, pattern.valid_until, isoDate)) return [];
  const n = dayNumber(isoDate);
  if (!runsInWeek(anchorWeek(pattern), weekIndexOfDayNumber(n))) return [];
  const weekday = weekdayOfDayNumber(n);
  return sortedDagdelen(pattern.slots.filter((s) => s.weekday === weekday).map((s) => s.dagdeel));
}

/** ochtend before middag, whatever order the slots were stored in. */
function sortedDagdelen(found: Dagdeel[]): Dagdeel[] {
  return [...new Set(found)].sort((a, b) => (a === b ? 0 : a === "ochtend" ? -1 : 1));
}

/**
 * Every planned dagdeel of a pattern from `from` to `until` (inclusive), leaving out what
 * `isClosed` says is closed. It steps week by week (two at a time for every other week) and
 * visits only the pattern's weekdays, and never looks past 2100-12-31, the last date the app
 * accepts: a range of decades costs a few thousand steps, not a walk over every day.
 */
export function expandSchedule(
  pattern: SchedulePattern,
  from: string,
  until: string,
  isClosed: (date: string, dagdeel: Dagdeel) => boolean = () => false,
): Occurrence[] {
  const start = from > pattern.valid_from ? from : pattern.valid_from;
  let end = pattern.valid_until !== null && pattern.valid_until < until ? pattern.valid_until : until;
  if (end > LAST_DATE) end = LAST_DATE;
  if (end < start) return [];
  const first = dayNumber(start);
  const last = dayNumber(end);
  const anchor = anchorWeek(pattern);
  const step = anchor === null ? 1 : 2;
  let week = weekIndexOfDayNumber(first);
  if (!runsInWeek(anchor, week)) week += 1;
  const days = [...new Set(pattern.slots.map((s) => s.weekday))]
    .sort((a, b) => a - b)
    .map((weekday) => ({ weekday, dagdelen: sortedDagdelen(pattern.slots.filter((s) => s.weekday === weekday).map((s) => s.dagdeel)) }));
  const out: Occurrence[] = [];
  for (; mondayOfWeekIndex(week) <= last; week += step) {
    const monday = mondayOfWeekIndex(week);
    for (const { weekday, dagdelen } of days) {
      const n = monday + weekday - 1;
      if (n < first || n > last) continue;
      const date = dateOfDayNumber(n);
      for (const dagdeel of dagdelen) {
        if (!isClosed(date, dagdeel)) out.push({ date, dagdeel });
      }
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
