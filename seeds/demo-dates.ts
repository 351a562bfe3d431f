// Every date of the demo hangs on "today": the same today gives the same dates.

import { addDays, toDateTime } from "../src/domain/dates";

/** Every date the demo hangs on, derived from "today". */
export type SeedDates = {
  today: string;
  year: number;
  yearStart: string;
  yearEnd: string;
  lastYearStart: string;
  /** Capacity rules start here. */
  rulesFrom: string;
  /** The first of the month three months ago: 't Kemp went from 8 to 10 places. */
  capacityChange: string;
  /** Attendance runs from here to yesterday: eight weeks, or back to the declared months. */
  windowStart: string;
  windowEnd: string;
  /** The month declared and accepted (two months ago) and the one submitted (last month). */
  acceptedMonth: string;
  submittedMonth: string;
  /** Schedules start between these dates. */
  startMin: string;
  startMax: string;
};

export function seedDates(today: string): SeedDates {
  const t = toDateTime(today);
  const year = t.year;
  const yearStart = `${year}-01-01`;
  const eightWeeks = addDays(today, -56);
  const acceptedStart = t.startOf("month").minus({ months: 2 }).toISODate()!;
  const windowStart = acceptedStart < eightWeeks ? acceptedStart : eightWeeks;
  const startMax = addDays(windowStart, -7);
  // Schedules start in this contract year when there is room; early in the year they reach back.
  const startMin = addDays(startMax, -28) >= yearStart ? yearStart : addDays(startMax, -150);
  return {
    today,
    year,
    yearStart,
    yearEnd: `${year}-12-31`,
    lastYearStart: `${year - 1}-01-01`,
    rulesFrom: `${year - 1}-01-01`,
    capacityChange: t.startOf("month").minus({ months: 3 }).toISODate()!,
    windowStart,
    windowEnd: addDays(today, -1),
    acceptedMonth: acceptedStart.slice(0, 7),
    submittedMonth: t.startOf("month").minus({ months: 1 }).toISODate()!.slice(0, 7),
    startMin,
    startMax,
  };
}
