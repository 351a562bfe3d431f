import { DateTime } from "luxon";
import { ZONE } from "./clock";

// Dates travel as ISO "yyyy-MM-dd" strings; luxon does the calendar arithmetic in
// Europe/Amsterdam so a day is always a calendar day, never 24 hours.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date in yyyy-MM-dd form; "2026-02-30" is false. */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: ZONE }).isValid;
}

export function toDateTime(isoDate: string): DateTime {
  const d = DateTime.fromISO(isoDate, { zone: ZONE });
  if (!ISO_DATE.test(isoDate) || !d.isValid) throw new RangeError(`Not an ISO date: ${isoDate}`);
  return d;
}

export function addDays(isoDate: string, days: number): string {
  return toDateTime(isoDate).plus({ days }).toISODate()!;
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(isoDate: string): number {
  return toDateTime(isoDate).weekday;
}

export type IsoWeek = { year: number; week: number };

/** The ISO week a date falls in: 2026-12-31 is week 53 of 2026, 2027-01-01 too. */
export function isoWeekOf(isoDate: string): IsoWeek {
  const d = toDateTime(isoDate);
  return { year: d.weekYear, week: d.weekNumber };
}

/** Monday of an ISO week, or null when that week does not exist (week 53 of most years). */
export function mondayOfIsoWeek(year: number, week: number): string | null {
  const d = DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: ZONE });
  if (!d.isValid || d.weekYear !== year || d.weekNumber !== week) return null;
  return d.toISODate();
}

export function mondayOf(isoDate: string): string {
  return toDateTime(isoDate).startOf("week").toISODate()!;
}

/** The seven dates Monday … Sunday of the week containing isoDate. */
export function weekDates(isoDate: string): string[] {
  const monday = mondayOf(isoDate);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** Inclusive list of dates from..until; empty when until is before from. */
export function datesBetween(from: string, until: string): string[] {
  const out: string[] = [];
  let d = toDateTime(from);
  const end = toDateTime(until);
  while (d <= end) {
    out.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return out;
}

/** "23-11-2026" as Dutch users write a date. */
export function formatDateNl(isoDate: string): string {
  const d = toDateTime(isoDate);
  return `${d.day}-${d.month}-${d.year}`;
}

/** Does [from, until] (until null = open) contain date? Works on ISO strings directly. */
export function periodContains(from: string, until: string | null, date: string): boolean {
  return from <= date && (until === null || date <= until);
}

/** Do two periods (until null = open-ended) share at least one day? */
export function periodsOverlap(
  aFrom: string,
  aUntil: string | null,
  bFrom: string,
  bUntil: string | null,
): boolean {
  return (aUntil === null || bFrom <= aUntil) && (bUntil === null || aFrom <= bUntil);
}
