import type { Knex } from "knex";
import type { PlannedDagdeel } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import type { OccupancyCell } from "../domain/occupancy";
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
