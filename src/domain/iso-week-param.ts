import { addDays, isoWeekOf, mondayOf, mondayOfIsoWeek } from "./dates";
import { inWindow } from "./date-window";

// Week pages take ?week=2026-W48 (the ISO 8601 week notation, as <input type="week"> sends it).

const WEEK_PARAM = /^(\d{4})-W(\d{2})$/;

/**
 * "2026-W48" → Monday of that week; null for anything else, including week 53 of a 52-week year
 * and weeks outside the dates the app works with (2000–2100).
 */
export function mondayOfWeekParam(value: string): string | null {
  const match = WEEK_PARAM.exec(value);
  if (!match) return null;
  const monday = mondayOfIsoWeek(Number(match[1]), Number(match[2]));
  return monday !== null && inWindow(monday) ? monday : null;
}

/** The week a date falls in, as "2026-W48". */
export function weekParamOf(isoDate: string): string {
  const { year, week } = isoWeekOf(isoDate);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export function previousWeekParam(isoDate: string): string {
  return weekParamOf(addDays(mondayOf(isoDate), -7));
}

export function nextWeekParam(isoDate: string): string {
  return weekParamOf(addDays(mondayOf(isoDate), 7));
}
