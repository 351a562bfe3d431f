import { ABSENCE_REASONS, type AttendanceStatus } from "./attendance";

// A free-text note explains an absence ("griep", "naar het ziekenhuis"). It belongs to the
// absence: a client recorded present again has no note left.

export const NOTE_MAX_LENGTH = 500;

export function isAbsence(status: AttendanceStatus): boolean {
  return (ABSENCE_REASONS as readonly string[]).includes(status);
}

/**
 * The note a row keeps after a recording: none unless the status is an absence; a note given
 * replaces the stored one (blank clears it); no note given keeps the stored one, so changing
 * "afgemeld" to "ziek" does not lose what was written.
 */
export function noteAfter(status: AttendanceStatus, given: string | null | undefined, stored: string | null): string | null {
  if (!isAbsence(status)) return null;
  if (given === undefined) return stored;
  const text = (given ?? "").trim();
  return text === "" ? null : text;
}
