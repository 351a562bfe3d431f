import type { Dagdeel } from "./dagdeel";
import { closuresOn, type ClosureSpan } from "./closures";
import { addDays, isoWeekday, periodContains, periodsOverlap } from "./dates";

export type CapacityRule = {
  weekday: number;
  dagdeel: Dagdeel;
  places: number;
  valid_from: string;
  valid_until: string | null;
};

/** The rule in force for a weekday and dagdeel on a date; none means the location is shut. */
export function ruleOn<R extends CapacityRule>(rules: R[], isoDate: string, dagdeel: Dagdeel): R | null {
  const weekday = isoWeekday(isoDate);
  // Rules never overlap (the service refuses it); the latest start wins should old data disagree.
  let found: R | null = null;
  for (const r of rules) {
    if (r.weekday !== weekday || r.dagdeel !== dagdeel) continue;
    if (!periodContains(r.valid_from, r.valid_until, isoDate)) continue;
    if (!found || r.valid_from > found.valid_from) found = r;
  }
  return found;
}

export function placesOn(rules: CapacityRule[], isoDate: string, dagdeel: Dagdeel): number {
  return ruleOn(rules, isoDate, dagdeel)?.places ?? 0;
}

// ---------------------------------------------------------------------------------------------
// What applies on a date, overlap checks and the "from date X" change of a week grid.

export type InForce<R extends CapacityRule, C extends ClosureSpan> = {
  /** The capacity rule in force, or null: the location is not open then. */
  rule: R | null;
  places: number;
  /** The closures that shut this dagdeel on this date (any of them shuts it). */
  closures: C[];
  /** Open for clients: a rule with places, and no closure. */
  open: boolean;
};

/**
 * THE answer to "which rule and which closures apply to this location on this date and
 * dagdeel". Everything that shows or checks capacity (the week view, the free places, the
 * impact of a change) agrees with it, because occupancy counts through ruleOn and closuresOn too.
 */
export function inForceOn<R extends CapacityRule, C extends ClosureSpan>(
  rules: R[],
  closures: C[],
  locationId: number,
  isoDate: string,
  dagdeel: Dagdeel,
): InForce<R, C> {
  const rule = ruleOn(rules, isoDate, dagdeel);
  const shut = closuresOn(closures, locationId, isoDate, dagdeel);
  const places = rule?.places ?? 0;
  return { rule, places, closures: shut, open: places > 0 && shut.length === 0 };
}

/** Every pair of rules for the same weekday and dagdeel whose validity shares a day. */
export function overlappingRules<R extends CapacityRule>(rules: R[]): [R, R][] {
  const pairs: [R, R][] = [];
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i];
      const b = rules[j];
      if (a.weekday !== b.weekday || a.dagdeel !== b.dagdeel) continue;
      if (periodsOverlap(a.valid_from, a.valid_until, b.valid_from, b.valid_until)) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** A rule that ends before it starts is never valid. */
export function ruleProblems(rule: CapacityRule): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) problems.push("weekday");
  if (!Number.isInteger(rule.places) || rule.places < 0 || rule.places > MAX_PLACES) problems.push("places");
  if (rule.valid_until !== null && rule.valid_until < rule.valid_from) problems.push("period");
  return problems;
}

export const MAX_PLACES = 999;

/** One cell of the week grid: places on a weekday and dagdeel; 0 means closed (no rule). */
export type GridCell = { weekday: number; dagdeel: Dagdeel; places: number };

export type StoredRule = CapacityRule & { id: number };

/** What to write to turn the stored rules into the new grid from `from` (until `until`). */
export type CapacityChangePlan<R extends StoredRule> = {
  /** Rules that were in force on `from` and now end the day before. */
  end: { rule: R; valid_until: string }[];
  /** Rules that start on or after `from` and are replaced. */
  remove: R[];
  /** The new grid's rules, and where a temporary change ends, the old rules resuming after it. */
  insert: CapacityRule[];
  /** Rules that start inside a temporary change and run on past it: they would overlap. */
  conflicts: R[];
};

/**
 * A change of capacity "from date X" (optionally "until date Y"). History before X stays as it
 * was: every rule in force on X ends on X − 1, every rule starting on or after X is replaced.
 * With an end date Y the change is temporary: the rules that were in force on X resume on
 * Y + 1, and a rule already planned to start within X..Y conflicts (the caller refuses it).
 * Cells with 0 places get no rule: no rule means closed.
 */
export function planCapacityChange<R extends StoredRule>(
  existing: R[],
  grid: GridCell[],
  from: string,
  until: string | null,
): CapacityChangePlan<R> {
  const plan: CapacityChangePlan<R> = { end: [], remove: [], insert: [], conflicts: [] };
  for (const rule of existing) {
    if (rule.valid_until !== null && rule.valid_until < from) continue; // history: untouched
    if (rule.valid_from > from) {
      if (until === null) plan.remove.push(rule);
      else if (rule.valid_from <= until) plan.conflicts.push(rule);
      continue; // a rule planned after a temporary change stays
    }
    // In force on `from`.
    if (rule.valid_from === from) plan.remove.push(rule);
    else plan.end.push({ rule, valid_until: addDays(from, -1) });
    if (until !== null && (rule.valid_until === null || rule.valid_until > until)) {
      plan.insert.push({ weekday: rule.weekday, dagdeel: rule.dagdeel, places: rule.places, valid_from: addDays(until, 1), valid_until: rule.valid_until });
    }
  }
  for (const cell of grid) {
    if (cell.places > 0) plan.insert.push({ weekday: cell.weekday, dagdeel: cell.dagdeel, places: cell.places, valid_from: from, valid_until: until });
  }
  return plan;
}

/** The rules as they stand after a plan is carried out (for checks before writing). */
export function applyCapacityPlan<R extends StoredRule>(existing: R[], plan: CapacityChangePlan<R>): CapacityRule[] {
  const removed = new Set(plan.remove.map((r) => r.id));
  const ended = new Map(plan.end.map((e) => [e.rule.id, e.valid_until]));
  const kept: CapacityRule[] = existing
    .filter((r) => !removed.has(r.id))
    .map((r) => ({ weekday: r.weekday, dagdeel: r.dagdeel, places: r.places, valid_from: r.valid_from, valid_until: ended.get(r.id) ?? r.valid_until }));
  return [...kept, ...plan.insert];
}
