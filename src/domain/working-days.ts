import { addDays, isoWeekday } from "./dates";
import { nationalHolidays } from "./holidays";

// Werkdagen as Dutch law counts them for a term (Algemene termijnenwet): Monday to Friday,
// except the recognised national holidays — Nieuwjaarsdag, Pasen, Koningsdag, Bevrijdingsdag,
// Hemelvaartsdag, Pinksteren and Kerstmis. Goede Vrijdag is not one (the holiday list marks it
// optional), and neither is a regional day such as Carnaval.

const holidayCache = new Map<number, Set<string>>();

function holidaysOf(year: number): Set<string> {
  let days = holidayCache.get(year);
  if (!days) {
    days = new Set(nationalHolidays(year).filter((h) => !h.optional).map((h) => h.date));
    holidayCache.set(year, days);
  }
  return days;
}

export function isWorkingDay(date: string): boolean {
  if (isoWeekday(date) > 5) return false;
  return !holidaysOf(Number(date.slice(0, 4))).has(date);
}

/** The n-th working day after `date` (n ≥ 1); `date` itself never counts. */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`addWorkingDays: n must be a positive whole number, got ${n}`);
  let d = date;
  let counted = 0;
  while (counted < n) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) counted++;
  }
  return d;
}

/** Working days after `from` up to and including `until` (0 when until ≤ from). */
export function workingDaysBetween(from: string, until: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= until; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}
