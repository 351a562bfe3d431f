import type { Knex } from "knex";
import type { OccupancyCell } from "../domain/occupancy";
import { OccupancyGrid } from "../domain/occupancy-grid";
import { Turns } from "../web/turns";
import { loadOccupancyInputs } from "./repository";

/**
 * Occupancy cells for locations over a date range: the one implementation behind the week
 * views, the free-places view, the planning board and the capacity check of a booking.
 * Pass the transaction when checking a booking, so the count and the write see the same data.
 * Counted by OccupancyGrid, the fast path that property tests hold to occupancyCells().
 */
export async function occupancy(db: Knex | Knex.Transaction, locationIds: number[], from: string, until: string): Promise<OccupancyCell[]> {
  const inputs = await loadOccupancyInputs(db, locationIds, from, until);
  return cellsInTurns(new OccupancyGrid(inputs, from, until));
}

/**
 * The grid's cells (in cells()' order), location by location, with a turn for other requests
 * in between (src/web/turns.ts): a region's 200 locations in one piece held the event loop for
 * up to 110 ms.
 */
export async function cellsInTurns(grid: OccupancyGrid, turns: Pick<Turns, "due" | "pass"> = new Turns(1)): Promise<OccupancyCell[]> {
  const out: OccupancyCell[] = [];
  for (const id of grid.locationIds()) {
    for (const cell of grid.cellsOf(id)) out.push(cell);
    if (turns.due()) await turns.pass();
  }
  return out;
}
