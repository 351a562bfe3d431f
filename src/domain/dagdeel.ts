import { DateTime } from "luxon";
import { ZONE } from "./clock";
import { toDateTime } from "./dates";

export const DAGDELEN = ["ochtend", "middag"] as const;
export type Dagdeel = (typeof DAGDELEN)[number];

export function isDagdeel(value: unknown): value is Dagdeel {
  return value === "ochtend" || value === "middag";
}

/** A location's clock times, "HH:mm", Europe/Amsterdam. */
export type DagdeelTimes = {
  morning_start: string;
  morning_end: string;
  afternoon_start: string;
  afternoon_end: string;
};

export const DEFAULT_DAGDEEL_TIMES: DagdeelTimes = {
  morning_start: "09:30",
  morning_end: "12:30",
  afternoon_start: "13:30",
  afternoon_end: "16:30",
};

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isClockTime(value: string): boolean {
  return CLOCK.test(value);
}

/** Problems with a set of clock times, as field → message key; empty when they are fine. */
export function dagdeelTimesProblems(times: DagdeelTimes): Partial<Record<keyof DagdeelTimes, string>> {
  const problems: Partial<Record<keyof DagdeelTimes, string>> = {};
  for (const key of Object.keys(times) as (keyof DagdeelTimes)[]) {
    if (!isClockTime(times[key])) problems[key] = "errors.clockTime";
  }
  if (Object.keys(problems).length > 0) return problems;
  if (times.morning_end <= times.morning_start) problems.morning_end = "errors.endAfterStart";
  if (times.afternoon_end <= times.afternoon_start) problems.afternoon_end = "errors.endAfterStart";
  if (times.afternoon_start < times.morning_end) problems.afternoon_start = "errors.afternoonAfterMorning";
  return problems;
}

function at(isoDate: string, clock: string): DateTime {
  const [hour, minute] = clock.split(":").map(Number);
  // Building from the calendar date and wall-clock time keeps 09:30 at 09:30 across DST changes.
  const d = toDateTime(isoDate);
  return DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour, minute }, { zone: ZONE });
}

/** Start and end of a dagdeel on a date, in Europe/Amsterdam. */
export function dagdeelInterval(
  isoDate: string,
  dagdeel: Dagdeel,
  times: DagdeelTimes,
): { start: DateTime; end: DateTime } {
  if (dagdeel === "ochtend") return { start: at(isoDate, times.morning_start), end: at(isoDate, times.morning_end) };
  return { start: at(isoDate, times.afternoon_start), end: at(isoDate, times.afternoon_end) };
}
