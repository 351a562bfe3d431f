import { DateTime } from "luxon";
import { ZONE } from "./clock";

// The DeclaratiePeriode of an iWmo declaration (WMO323) is one calendar month. Which month a
// declaration is sent in follows two rules of iWmo 3.2:
//
//   TR318 (retourcode 8214) — while care is delivered every month, each DeclaratiePeriode is
//   the month after the previous one;
//   IV090 — a later declaration never uses a DeclaratiePeriode before the last one already
//   submitted; its prestaties (ProductPeriode) may lie in the past.
//
// So a month declared on time goes in its own period; a late month, and every correction of an
// answered month, goes in the current period — never before the last submitted — with its
// prestaties still in their own month.

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

const first = (month: string) => DateTime.fromISO(`${month}-01`, { zone: ZONE });

export function addMonths(month: string, n: number): string {
  return first(month).plus({ months: n }).toFormat("yyyy-MM");
}

/** The months strictly between two months, in order. */
export function monthsBetween(after: string, before: string): string[] {
  const out: string[] = [];
  for (let m = addMonths(after, 1); m < before; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The last month that is over on `today`: the period a declaration made today belongs to. */
export function currentPeriod(today: string): string {
  return addMonths(today.slice(0, 7), -1);
}

export type DeclarationKind = "original" | "correction";

/**
 * The DeclaratiePeriode to send in: an original in its own month, a correction in the current
 * period; either moved up to the last period already submitted when that is later (IV090).
 */
export function periodFor(kind: DeclarationKind, month: string, lastSubmitted: string | null, today: string): string {
  const own = kind === "original" ? month : currentPeriod(today);
  return lastSubmitted !== null && lastSubmitted > own ? lastSubmitted : own;
}

export type PeriodFinding =
  /** The month lies before the last period submitted: sent in that later period instead (IV090). */
  | { kind: "movedUp"; retourcode: "8214"; period: string; lastSubmitted: string }
  /** Months with care between the last period submitted and this one were never declared (TR318). */
  | { kind: "gap"; retourcode: "8214"; period: string; lastSubmitted: string; missing: string[] };

/**
 * What a gemeente would say about the period: `naturalPeriod` is the month the declaration
 * would use by itself, `monthsWithCare` the months (any) in which billable care was delivered
 * and `declaredMonths` the months with a submitted original declaration.
 */
export function periodFindings(opts: {
  kind: DeclarationKind;
  month: string;
  lastSubmitted: string | null;
  today: string;
  monthsWithCare: string[];
  declaredMonths: string[];
}): PeriodFinding[] {
  const { lastSubmitted } = opts;
  if (lastSubmitted === null) return [];
  const period = periodFor(opts.kind, opts.month, lastSubmitted, opts.today);
  const out: PeriodFinding[] = [];
  const natural = opts.kind === "original" ? opts.month : currentPeriod(opts.today);
  if (natural < lastSubmitted) out.push({ kind: "movedUp", retourcode: "8214", period, lastSubmitted });
  const declared = new Set(opts.declaredMonths);
  const care = new Set(opts.monthsWithCare);
  const missing = monthsBetween(lastSubmitted, period).filter((m) => care.has(m) && !declared.has(m) && m !== opts.month);
  if (missing.length > 0) out.push({ kind: "gap", retourcode: "8214", period, lastSubmitted, missing });
  return out;
}
