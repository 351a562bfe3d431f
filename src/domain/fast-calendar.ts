import { anchorWeek, runsInWeek, weekIndexOfDayNumber, type SchedulePattern } from "./schedule";

// Calendar helpers for the hot loops of the fast paths (occupancy grid, planned use), on
// integer day numbers (days since 1970-01-01). They must say exactly what the reference
// functions in schedule.ts say; the property tests of the fast paths compare them.

/**
 * Day number of a yyyy-MM-dd date read from the database (already checked when written):
 * civil-from-days arithmetic without building a Date or checking the text again, because the
 * grids call it for every schedule and closure of a region.
 */
export function isoDayNumber(iso: string): number {
  let y = (iso.charCodeAt(0) - 48) * 1000 + (iso.charCodeAt(1) - 48) * 100 + (iso.charCodeAt(2) - 48) * 10 + (iso.charCodeAt(3) - 48);
  const m = (iso.charCodeAt(5) - 48) * 10 + (iso.charCodeAt(6) - 48);
  const d = (iso.charCodeAt(8) - 48) * 10 + (iso.charCodeAt(9) - 48);
  // Howard Hinnant's days_from_civil: years start in March so the leap day comes last.
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Which weeks a schedule runs in, as a test on a day number of that week: every week, or every
 * other week counted from its start week (anchorWeek), as dagdelenOn() and expandSchedule() say.
 */
export function weekRhythm(pattern: Pick<SchedulePattern, "valid_from" | "week_parity">): (dayNumber: number) => boolean {
  const anchor = anchorWeek(pattern);
  if (anchor === null) return () => true;
  return (n) => runsInWeek(anchor, weekIndexOfDayNumber(n));
}
