import type { Knex } from "knex";
import type { PlannedDagdeel } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import { isClosedOn } from "../domain/closures";
import type { OccupancyCell } from "../domain/occupancy";
import { expandSchedule, groupSlots, type SchedulePattern } from "../domain/schedule";
import { closuresOfProviders } from "../occupancy/repository";
import { occupancy } from "../occupancy/service";

// Who is expected where: the shared occupancy (schedule expansion minus closures) is the one
// source, so the attendance list, the board and the declarations agree on "planned".

/**
 * Does the location have this dagdeel on this date? Yes when it is not closed and either a
 * capacity rule gives places or somebody is scheduled (a schedule outlives a removed rule).
 */
export function hasDagdeel(cell: OccupancyCell): boolean {
  return !cell.closed && (cell.places > 0 || cell.scheduledClientIds.length > 0);
}

export async function occupancyCell(db: Knex | Knex.Transaction, locationId: number, date: string, dagdeel: Dagdeel): Promise<OccupancyCell> {
  const cells = await occupancy(db, [locationId], date, date);
  return cells.find((c) => c.dagdeel === dagdeel)!;
}

/** Every planned dagdeel of every client at these locations in the period, closures left out. */
export function plannedFromCells(cells: OccupancyCell[]): PlannedDagdeel[] {
  return cells.flatMap((c) =>
    c.scheduledClientIds.map((client_id) => ({ client_id, location_id: c.location_id, date: c.date, dagdeel: c.dagdeel })),
  );
}

/**
 * The planned dagdelen of a few clients at these locations in the period, closures left out:
 * what plannedFromCells() says of them, read from their own schedules only.
 */
export async function plannedOfClients(db: Knex | Knex.Transaction, clientIds: number[], locationIds: number[], from: string, until: string): Promise<PlannedDagdeel[]> {
  if (clientIds.length === 0 || locationIds.length === 0) return [];
  const [rows, locations] = await Promise.all([
    db("schedules as s")
      .join("schedule_slots as ss", "ss.schedule_id", "s.id")
      .whereIn("s.client_id", clientIds)
      .whereIn("s.location_id", locationIds)
      .where("s.valid_from", "<=", until)
      .where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", from))
      .select("s.id", "s.client_id", "s.location_id", "s.valid_from", "s.valid_until", "s.week_parity", "ss.weekday", "ss.dagdeel"),
    db("locations").whereIn("id", locationIds).select("id", "provider_id") as Promise<{ id: number; provider_id: number }[]>,
  ]);
  const providerOf = new Map(locations.map((l) => [l.id, l.provider_id]));
  const closures = await closuresOfProviders(db, [...new Set(locations.map((l) => l.provider_id))], from, until);
  const out: PlannedDagdeel[] = [];
  for (const s of groupSlots(rows as (SchedulePattern & { id: number; client_id: number; location_id: number; weekday: number | null; dagdeel: Dagdeel | null })[])) {
    const own = closures.filter((c) => c.provider_id === providerOf.get(s.location_id));
    for (const o of expandSchedule(s, from, until, (date, dagdeel) => isClosedOn(own, s.location_id, date, dagdeel))) {
      out.push({ client_id: s.client_id, location_id: s.location_id, date: o.date, dagdeel: o.dagdeel });
    }
  }
  return out;
}

