import { addDays, isoWeekOf, mondayOf, mondayOfIsoWeek, type IsoWeek } from "./dates";
import { inWindow } from "./date-window";

// ISO weeks as text, parsed and formatted here only: "2026-W48", the ISO 8601 week notation,
// as <input type="week"> sends it and as week pages take it in ?week=. Two digits always.

const WEEK_TEXT = /^(\d{4})-W(\d{2})$/;

/** "2026-W53" → { year: 2026, week: 53 }; null for other text and for weeks that do not exist (2027-W53, W00). */
export function parseIsoWeek(text: string): IsoWeek | null {
  const match = WEEK_TEXT.exec(text);
  if (!match) return null;
  const week = { year: Number(match[1]), week: Number(match[2]) };
  return mondayOfIsoWeek(week.year, week.week) === null ? null : week;
}

/** { year: 2026, week: 48 } → "2026-W48". */
export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`;
}

/**
 * "2026-W48" → Monday of that week; null for anything else, including week 53 of a 52-week year
 * and weeks outside the dates the app works with (2000–2100).
 */
export function mondayOfWeekParam(value: string): string | null {
  const week = parseIsoWeek(value);
  const monday = week && mondayOfIsoWeek(week.year, week.week);
  return monday && inWindow(monday) ? monday : null;
}

/** The week a date falls in, as "2026-W48". */
export function weekParamOf(isoDate: string): string {
  return formatIsoWeek(isoWeekOf(isoDate));
}

export function previousWeekParam(isoDate: string): string {
  return weekParamOf(addDays(mondayOf(isoDate), -7));
}

export function nextWeekParam(isoDate: string): string {
  return weekParamOf(addDays(mondayOf(isoDate), 7));
}
