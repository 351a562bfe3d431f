import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { isAttended, type AttendanceStatus } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import { NotFoundError } from "../domain/errors";
import { occupancy } from "../occupancy/service";
import { cellKey } from "./lock";
import * as repo from "./repository";

// The driver's list: everyone expected on a dagdeel who travels with the day care — a
// transport flag on the client, or a vervoer allocation valid that day. Who already reported
// absent is listed apart ("do not pick up"). Eight queries for any number of locations.

export type TransportEntry = {
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
  status: AttendanceStatus | null;
};

export type TransportList = {
  locations: repo.AttendanceLocation[];
  location: repo.AttendanceLocation | null;
  pickUp: TransportEntry[];
  notComing: TransportEntry[];
};

export async function transportList(
  db: Knex,
  scope: Scope,
  input: { date: string; dagdeel: Dagdeel; locationId: number | null },
): Promise<TransportList> {
  const locations = await repo.locationsInScope(db, scope, { activeOnly: true });
  const location = input.locationId === null ? null : (locations.find((l) => l.id === input.locationId) ?? null);
  if (input.locationId !== null && !location) throw new NotFoundError("location");
  const chosen = location ? [location] : locations;
  const ids = chosen.map((l) => l.id);
  const cells = (await occupancy(db, ids, input.date, input.date)).filter((c) => c.dagdeel === input.dagdeel);
  const expected = cells.flatMap((c) => c.scheduledClientIds.map((client_id) => ({ client_id, location_id: c.location_id })));
  const clientIds = [...new Set(expected.map((e) => e.client_id))];
  const [details, withAllocation, rows] = await Promise.all([
    repo.transportDetails(db, clientIds),
    repo.clientsWithTransportAllocation(db, clientIds, input.date),
    repo.rowsBetween(db, ids, input.date, input.date),
  ]);
  const byId = new Map(details.map((d) => [d.id, d]));
  const statusOf = new Map(rows.map((r) => [cellKey(r), r.status]));
  const nameOf = new Map(chosen.map((l) => [l.id, l.name]));

  const entries = expected
    .map((e): TransportEntry | null => {
      const c = byId.get(e.client_id);
      if (!c || !(Boolean(c.needs_transport) || withAllocation.has(c.id))) return null;
      return {
        client_id: c.id,
        name: `${c.first_name} ${c.last_name}`,
        last_name: c.last_name,
        village: c.village,
        street: c.street,
        postcode: c.postcode,
        phone: c.phone,
        wheelchair: Boolean(c.wheelchair),
        location_id: e.location_id,
        location_name: nameOf.get(e.location_id) ?? "",
        status: statusOf.get(cellKey({ client_id: c.id, date: input.date, dagdeel: input.dagdeel })) ?? null,
      };
    })
    .filter((e): e is TransportEntry => e !== null)
    // A driver rides per destination and then per village.
    .sort(
      (a, b) =>
        a.location_name.localeCompare(b.location_name, "nl") ||
        (a.village ?? "").localeCompare(b.village ?? "", "nl") ||
        a.last_name.localeCompare(b.last_name, "nl") ||
        a.client_id - b.client_id,
    );
  const coming = (e: TransportEntry) => e.status === null || isAttended(e.status);
  return { locations, location, pickUp: entries.filter(coming), notComing: entries.filter((e) => !coming(e)) };
}
