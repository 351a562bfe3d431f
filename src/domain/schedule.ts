import type { Dagdeel } from "./dagdeel";
import { datesBetween, isoWeekOf, isoWeekday, periodContains } from "./dates";

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

/** Even/odd follows the ISO week number, so week 53 and week 1 are both "odd". */
export function matchesParity(parity: WeekParity, isoDate: string): boolean {
  if (parity === "elke") return true;
  const { week } = isoWeekOf(isoDate);
  return parity === "even" ? week % 2 === 0 : week % 2 === 1;
}

/** The dagdelen a pattern asks for on one date (before closures). */
export function dagdelenOn(pattern: SchedulePattern, isoDate: string): Dagdeel[] {
  if (!periodContains(pattern.valid_from, pattern.valid_until, isoDate)) return [];
  if (!matchesParity(pattern.week_parity, isoDate)) return [];
  const weekday = isoWeekday(isoDate);
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
  for (const date of datesBetween(start, end)) {
    for (const dagdeel of dagdelenOn(pattern, date)) {
      if (!isClosed(date, dagdeel)) out.push({ date, dagdeel });
    }
  }
  return out;
}
