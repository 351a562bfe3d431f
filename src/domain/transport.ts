import type { Dagdeel } from "./dagdeel";

// The rides of one day. A driver takes a client to the location before the first dagdeel the
// client comes for and home after the last one: someone who stays the whole day (morning and
// afternoon at the same location) is picked up in the morning only and taken home in the
// afternoon only. A planned dagdeel the client reported absent for is a "niet ophalen".

export type Direction = "heen" | "terug";

/** One planned dagdeel of a client at a location, and whether the client is still coming. */
export type PlannedVisit = { client_id: number; location_id: number; dagdeel: Dagdeel; coming: boolean };

/** A ride: to the location (heen) at the start of `dagdeel`, or home (terug) at its end. */
export type Ride = { client_id: number; location_id: number; direction: Direction; dagdeel: Dagdeel; wholeDay: boolean };

export type DayRides = { rides: Ride[]; notComing: PlannedVisit[] };

const ORDER: Record<Dagdeel, number> = { ochtend: 0, middag: 1 };

export function dayRides(visits: PlannedVisit[]): DayRides {
  const groups = new Map<string, PlannedVisit[]>();
  for (const v of visits) {
    const key = `${v.client_id}|${v.location_id}`;
    const list = groups.get(key) ?? [];
    // One client is in one place per dagdeel: a repeated visit is the same visit.
    if (!list.some((x) => x.dagdeel === v.dagdeel)) list.push(v);
    groups.set(key, list);
  }
  const rides: Ride[] = [];
  const notComing: PlannedVisit[] = [];
  for (const list of groups.values()) {
    const coming = list.filter((v) => v.coming).sort((a, b) => ORDER[a.dagdeel] - ORDER[b.dagdeel]);
    notComing.push(...list.filter((v) => !v.coming));
    if (coming.length === 0) continue;
    const first = coming[0];
    const last = coming[coming.length - 1];
    const wholeDay = first.dagdeel !== last.dagdeel;
    rides.push({ client_id: first.client_id, location_id: first.location_id, direction: "heen", dagdeel: first.dagdeel, wholeDay });
    rides.push({ client_id: last.client_id, location_id: last.location_id, direction: "terug", dagdeel: last.dagdeel, wholeDay });
  }
  return { rides, notComing };
}
