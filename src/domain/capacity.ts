import type { Dagdeel } from "./dagdeel";
import { isoWeekday, periodContains } from "./dates";

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
