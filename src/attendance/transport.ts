import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { isAttended, type AttendanceStatus } from "../domain/attendance";
import { DAGDELEN, type Dagdeel } from "../domain/dagdeel";
import { NotFoundError } from "../domain/errors";
import { dayRides, type Direction, type PlannedVisit } from "../domain/transport";
import { occupancy } from "../occupancy/service";
import { cellKey } from "./lock";
import * as repo from "./repository";

// The driver's list of one date: everyone expected who travels with the day care — a transport
// flag on the client, or a vervoer allocation valid that day — per dagdeel as rides to the
// location (heen, by its start time) and home (terug, from its end time), as dayRides() says:
// a client who stays the whole day is fetched in the morning and brought home in the afternoon.
// Who reported absent is listed apart ("niet ophalen"). Eight queries for any number of locations.

export type TransportPerson = {
  client_id: number;
  name: string;
  last_name: string;
  village: string | null;
  street: string | null;
  postcode: string | null;
  phone: string | null;
  wheelchair: boolean;
  location_id: number;
  location_name: string;
};

export type RideEntry = TransportPerson & { time: string; wholeDay: boolean; status: AttendanceStatus | null };
export type NotComingEntry = TransportPerson & { status: AttendanceStatus };
export type Run = { direction: Direction; entries: RideEntry[] };
export type TransportDagdeel = { dagdeel: Dagdeel; runs: Run[]; notComing: NotComingEntry[] };

export type TransportList = {
  locations: repo.AttendanceLocation[];
  location: repo.AttendanceLocation | null;
  dagdelen: TransportDagdeel[];
  /** Too many locations to list at once: choose one, or a village, first. */
  choose: boolean;
};

/** Start (heen) or end (terug) of a dagdeel at a location: when the client is due there, or ready to go home. */
function rideTime(l: repo.AttendanceLocation, dagdeel: Dagdeel, direction: Direction): string {
  if (dagdeel === "ochtend") return direction === "heen" ? l.morning_start : l.morning_end;
  return direction === "heen" ? l.afternoon_start : l.afternoon_end;
}

// A driver rides by the clock, then per destination, then per village.
function byRoute(a: RideEntry, b: RideEntry): number {
  return (
    a.time.localeCompare(b.time) ||
    a.location_name.localeCompare(b.location_name, "nl") ||
    (a.village ?? "").localeCompare(b.village ?? "", "nl") ||
    a.last_name.localeCompare(b.last_name, "nl") ||
    a.client_id - b.client_id
  );
}

/**
 * More locations than this and the list asks for one location or a village first: a region's day
 * is thousands of rides, while a gemeente's coordinator (the demo's sixteen) sees the whole day.
 */
export const WHOLE_LIST_LOCATIONS = 30;

export async function transportList(
  db: Knex,
  scope: Scope,
  input: { date: string; dagdeel: Dagdeel | null; locationId: number | null; villageId?: number | null },
): Promise<TransportList> {
  const locations = await repo.locationsInScope(db, scope, { activeOnly: true });
  const location = input.locationId === null ? null : (locations.find((l) => l.id === input.locationId) ?? null);
  if (input.locationId !== null && !location) throw new NotFoundError("location");
  const inVillage = input.villageId ? locations.filter((l) => l.village_id === input.villageId) : locations;
  const chosen = location ? [location] : inVillage.length <= WHOLE_LIST_LOCATIONS || input.villageId ? inVillage : [];
  const ids = chosen.map((l) => l.id);
  // The whole day is read even for one dagdeel: whether a morning client goes home at noon
  // depends on the afternoon.
  const cells = await occupancy(db, ids, input.date, input.date);
  const expected = cells.flatMap((c) => c.scheduledClientIds.map((client_id) => ({ client_id, location_id: c.location_id, dagdeel: c.dagdeel })));
  const clientIds = [...new Set(expected.map((e) => e.client_id))];
  const [details, withAllocation, rows] = await Promise.all([
    repo.transportDetails(db, clientIds),
    repo.clientsWithTransportAllocation(db, clientIds, input.date),
    repo.rowsBetween(db, ids, input.date, input.date),
  ]);
  const travels = new Map(details.filter((c) => Boolean(c.needs_transport) || withAllocation.has(c.id)).map((c) => [c.id, c]));
  const statusOf = new Map(rows.map((r) => [cellKey(r), r.status]));
  const locationOf = new Map(chosen.map((l) => [l.id, l]));
  const status = (clientId: number, dagdeel: Dagdeel) => statusOf.get(cellKey({ client_id: clientId, date: input.date, dagdeel })) ?? null;

  const visits: PlannedVisit[] = expected
    .filter((e) => travels.has(e.client_id))
    .map((e) => {
      const s = status(e.client_id, e.dagdeel);
      return { ...e, coming: s === null || isAttended(s) };
    });
  const { rides, notComing } = dayRides(visits);

  const person = (clientId: number, locationId: number): TransportPerson => {
    const c = travels.get(clientId)!;
    return {
      client_id: c.id,
      name: `${c.first_name} ${c.last_name}`,
      last_name: c.last_name,
      village: c.village,
      street: c.street,
      postcode: c.postcode,
      phone: c.phone,
      wheelchair: Boolean(c.wheelchair),
      location_id: locationId,
      location_name: locationOf.get(locationId)?.name ?? "",
    };
  };

  const shown = input.dagdeel === null ? DAGDELEN : [input.dagdeel];
  const dagdelen = shown.map((dagdeel): TransportDagdeel => ({
    dagdeel,
    runs: (["heen", "terug"] as const).map((direction) => ({
      direction,
      entries: rides
        .filter((r) => r.dagdeel === dagdeel && r.direction === direction)
        .map((r) => ({
          ...person(r.client_id, r.location_id),
          time: rideTime(locationOf.get(r.location_id)!, dagdeel, direction),
          wholeDay: r.wholeDay,
          status: status(r.client_id, dagdeel),
        }))
        .sort(byRoute),
    })),
    notComing: notComing
      .filter((v) => v.dagdeel === dagdeel)
      .map((v) => ({ ...person(v.client_id, v.location_id), status: status(v.client_id, dagdeel)! }))
      .sort((a, b) => a.location_name.localeCompare(b.location_name, "nl") || a.last_name.localeCompare(b.last_name, "nl") || a.client_id - b.client_id),
  }));
  return { locations, location, dagdelen, choose: chosen.length === 0 && locations.length > 0 };
}
