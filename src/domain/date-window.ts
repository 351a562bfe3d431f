import { isIsoDate } from "./dates";

// The dates the app works with. A date outside this window is a typing mistake ("9999-12-31",
// "0202-01-01"), never a plan: every form refuses it with a message, and every computation
// that runs to an open or far end stops at LAST_DATE, so no request walks centuries.

export const FIRST_DATE = "2000-01-01";
export const LAST_DATE = "2100-12-31";

/** Birth dates lie before the window; they get their own, from 1900 to the window's end. */
export const FIRST_BIRTH_DATE = "1900-01-01";

/** A window and the message (a locale key) that names it. */
export type DateWindow = { min: string; max: string; message: string };
export const DATE_WINDOW: DateWindow = { min: FIRST_DATE, max: LAST_DATE, message: "errors.dateRange" };
export const BIRTH_DATE_WINDOW: DateWindow = { min: FIRST_BIRTH_DATE, max: LAST_DATE, message: "errors.birthDateRange" };

export function inWindow(isoDate: string, window: DateWindow = DATE_WINDOW): boolean {
  return isoDate >= window.min && isoDate <= window.max;
}

/** What is wrong with a typed date, as a message key: "errors.date" (not a date), the window's message, or null. */
export function dateProblem(value: string, window: DateWindow = DATE_WINDOW): string | null {
  if (!isIsoDate(value)) return "errors.date";
  return inWindow(value, window) ? null : window.message;
}

/** An end date for computations: an open end (null) or one past the window becomes LAST_DATE. */
export function boundedEnd(until: string | null): string {
  return until === null || until > LAST_DATE ? LAST_DATE : until;
}
