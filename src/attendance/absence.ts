import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { consecutiveAbsences } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import { addDays } from "../domain/dates";
import { occupancy } from "../occupancy/service";
import { plannedFromCells } from "./expected";
import * as repo from "./repository";

// The signal on the coordinator's home page: clients absent (ziek or niet verschenen) on three
// or more planned dagdelen in a row. Four weeks back is enough to see a run and keeps the
// queries small: eight of them, whatever the number of clients.

export const LOOK_BACK_DAYS = 28;

export type AbsenceSignal = {
  client_id: number;
  name: string;
  location_name: string;
  since: string;
  sinceDagdeel: Dagdeel;
  last: string;
  count: number;
};

export async function absenceSignals(db: Knex, scope: Scope, today: string, minimum = 3): Promise<AbsenceSignal[]> {
  const locations = await repo.locationsInScope(db, scope);
  const ids = locations.map((l) => l.id);
  if (ids.length === 0) return [];
  const from = addDays(today, -(LOOK_BACK_DAYS - 1));
  const [cells, rows] = await Promise.all([occupancy(db, ids, from, today), repo.rowsBetween(db, ids, from, today)]);
  const runs = consecutiveAbsences(plannedFromCells(cells), rows, minimum);
  const names = new Map((await repo.clientNames(db, runs.map((r) => r.client_id))).map((c) => [c.id, c]));
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  return runs.map((r) => {
    const c = names.get(r.client_id);
    return { ...r, name: c ? `${c.first_name} ${c.last_name}` : `#${r.client_id}`, location_name: locationName.get(r.location_id) ?? "" };
  });
}
