import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { occupancy } from "../occupancy/service";
import * as repo from "./repository";

// The start page of attendance: the actor's locations with what is expected and recorded on
// a date, so the daily list is one tap away. Seven queries for any number of locations.

export type ChooserLocation = repo.AttendanceLocation & { expected: number; recorded: number; closed: boolean };

export async function chooserLocations(db: Knex, scope: Scope, date: string): Promise<ChooserLocation[]> {
  const locations = await repo.locationsInScope(db, scope, { activeOnly: true });
  const ids = locations.map((l) => l.id);
  const [cells, recorded] = await Promise.all([occupancy(db, ids, date, date), repo.recordedCountOn(db, ids, date)]);
  return locations.map((l) => {
    const own = cells.filter((c) => c.location_id === l.id);
    return {
      ...l,
      expected: own.reduce((n, c) => n + c.scheduledClientIds.length, 0),
      recorded: recorded.get(l.id) ?? 0,
      closed: own.length > 0 && own.every((c) => c.closed),
    };
  });
}
