import type { Dagdeel } from "./dagdeel";

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
