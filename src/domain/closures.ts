import type { Dagdeel } from "./dagdeel";
import { addDays, datesBetween, isIsoDate } from "./dates";

export type ClosureSpan = {
  location_id: number | null; // null: all of the provider's locations
  starts_on: string;
  ends_on: string;
  dagdeel: Dagdeel | null; // null: the whole day
};

/** The closures that shut this location on this date and dagdeel. */
export function closuresOn<C extends ClosureSpan>(
  closures: C[],
  locationId: number,
  isoDate: string,
  dagdeel: Dagdeel,
): C[] {
  return closures.filter(
    (c) =>
      (c.location_id === null || c.location_id === locationId) &&
      c.starts_on <= isoDate &&
      isoDate <= c.ends_on &&
      (c.dagdeel === null || c.dagdeel === dagdeel),
  );
}

export function isClosedOn(closures: ClosureSpan[], locationId: number, isoDate: string, dagdeel: Dagdeel): boolean {
  return closuresOn(closures, locationId, isoDate, dagdeel).length > 0;
}

/** Longest closure in one go; a location shut for longer is deactivated instead. */
export const MAX_CLOSURE_DAYS = 366;

/** Problems with a closure's dates, as field → message key; empty when it is fine. */
export function closureProblems(c: { starts_on: string; ends_on: string }): Partial<Record<"starts_on" | "ends_on", string>> {
  const problems: Partial<Record<"starts_on" | "ends_on", string>> = {};
  if (!isIsoDate(c.starts_on)) problems.starts_on = "errors.date";
  if (!isIsoDate(c.ends_on)) problems.ends_on = "errors.date";
  if (Object.keys(problems).length > 0) return problems;
  if (c.ends_on < c.starts_on) problems.ends_on = "locations.errors.endBeforeStart";
  else if (c.ends_on > addDays(c.starts_on, MAX_CLOSURE_DAYS - 1)) problems.ends_on = "locations.errors.closureTooLong";
  return problems;
}

/** Every (date, dagdeel) a closure shuts, in date order. */
export function closedDagdelen(c: ClosureSpan, dagdelen: readonly Dagdeel[]): { date: string; dagdeel: Dagdeel }[] {
  return datesBetween(c.starts_on, c.ends_on).flatMap((date) =>
    dagdelen.filter((d) => c.dagdeel === null || c.dagdeel === d).map((dagdeel) => ({ date, dagdeel })),
  );
}

/** Is the whole day shut at every location of the provider (a closure for all, all day)? */
export function closedEverywhereAllDay(closures: ClosureSpan[], isoDate: string): boolean {
  return closures.some((c) => c.location_id === null && c.dagdeel === null && c.starts_on <= isoDate && isoDate <= c.ends_on);
}
