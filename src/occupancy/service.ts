import type { Knex } from "knex";
import type { OccupancyCell } from "../domain/occupancy";
import { occupancyGrid } from "../domain/occupancy-grid";
import { loadOccupancyInputs } from "./repository";

/**
 * Occupancy cells for locations over a date range: the one implementation behind the week
 * views, the free-places view, the planning board and the capacity check of a booking.
 * Pass the transaction when checking a booking, so the count and the write see the same data.
 * Counted by occupancyGrid(), the fast path that property tests hold to occupancyCells().
 */
export async function occupancy(db: Knex | Knex.Transaction, locationIds: number[], from: string, until: string): Promise<OccupancyCell[]> {
  return occupancyGrid(await loadOccupancyInputs(db, locationIds, from, until), from, until);
}
