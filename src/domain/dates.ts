import { DateTime } from "luxon";
import { ZONE } from "./clock";

// Dates travel as ISO "yyyy-MM-dd" strings; luxon does the calendar arithmetic in
// Europe/Amsterdam so a day is always a calendar day, never 24 hours.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date in yyyy-MM-dd form; "2026-02-30" is false. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  try {
    dayOf(value);
    return true;
  } catch {
    return false;
  }
}

export function toDateTime(isoDate: string): DateTime {
  const d = DateTime.fromISO(isoDate, { zone: ZONE });
  if (!ISO_DATE.test(isoDate) || !d.isValid) throw new RangeError(`Not an ISO date: ${isoDate}`);
  return d;
}

// A calendar date has no time zone, so whole-day arithmetic on UTC day numbers is exact and
// DST cannot shift it. addDays, isoWeekday, mondayOf and datesBetween run inside the loops of
// every page (a grid of weeks × locations), where a luxon DateTime per call was most of the
// time; test/unit/dates.test.ts holds them to luxon.

const DAY_MS = 86_400_000;
const DATE_PARTS = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayOf(isoDate: string): number {
  const m = DATE_PARTS.exec(isoDate);
  const n = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : NaN;
  // Date.UTC rolls "02-30" over into March and reads years below 100 as 19xx: refuse both.
  if (Number.isNaN(n) || Number(m![1]) < 100 || isoOfDay(n) !== isoDate) throw new RangeError(`Not an ISO date: ${isoDate}`);
  return n;
}

function isoOfDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

// The same few dates come back by the thousand (contract ends, today, the horizon): the last
// answers are kept, and forgotten all at once when there are many.
const added = new Map<string, string>();

export function addDays(isoDate: string, days: number): string {
  const key = `${isoDate}|${days}`;
  let out = added.get(key);
  if (out === undefined) {
    out = isoOfDay(dayOf(isoDate) + days);
    if (added.size >= 50_000) added.clear();
    added.set(key, out);
  }
  return out;
}

/** ISO weekday, Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday). */
export function isoWeekday(isoDate: string): number {
  return ((((dayOf(isoDate) + 3) % 7) + 7) % 7) + 1;
}

export type IsoWeek = { year: number; week: number };

/** The ISO week a date falls in: 2026-12-31 is week 53 of 2026, 2027-01-01 too. */
export function isoWeekOf(isoDate: string): IsoWeek {
  // The week belongs to the year of its Thursday.
  const n = dayOf(isoDate);
  const thursday = n - (((((n + 3) % 7) + 7) % 7) + 1) + 4;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  return { year, week: Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1 };
}

/** Monday of an ISO week, or null when that week does not exist (week 53 of most years). */
export function mondayOfIsoWeek(year: number, week: number): string | null {
  // Whole-day arithmetic like isoWeekOf (every week page parses its ?week= with this): 4 January
  // is always in week 1, and a week belongs to the year of its Thursday.
  if (!Number.isInteger(year) || !Number.isInteger(week) || week < 1 || year < 100 || year > 9999) return null;
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  const monday = jan4 - ((((jan4 + 3) % 7) + 7) % 7) + 7 * (week - 1);
  if (new Date((monday + 3) * DAY_MS).getUTCFullYear() !== year) return null;
  return isoOfDay(monday);
}

export function mondayOf(isoDate: string): string {
  return addDays(isoDate, 1 - isoWeekday(isoDate));
}

/** The seven dates Monday … Sunday of the week containing isoDate. */
export function weekDates(isoDate: string): string[] {
  const monday = mondayOf(isoDate);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** Inclusive list of dates from..until; empty when until is before from. */
export function datesBetween(from: string, until: string): string[] {
  const out: string[] = [];
  const end = dayOf(until);
  for (let n = dayOf(from); n <= end; n++) out.push(isoOfDay(n));
  return out;
}

/** "23-11-2026" as Dutch users write a date. */
export function formatDateNl(isoDate: string): string {
  dayOf(isoDate);
  return `${Number(isoDate.slice(8, 10))}-${Number(isoDate.slice(5, 7))}-${isoDate.slice(0, 4)}`;
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
