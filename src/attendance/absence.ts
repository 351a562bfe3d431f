import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { consecutiveAbsences, type AttendanceStatus } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import { addDays } from "../domain/dates";
import { plannedOfClients } from "./expected";
import * as repo from "./repository";

// The signal on the coordinator's home page: clients absent (ziek or niet verschenen) on three
// or more planned dagdelen in a row. Four weeks back is enough to see a run and keeps the
// queries small; only clients with that many absences in those weeks are read any further (a
// grouped count first, by status and date), with their own schedules: a fixed number of queries.

export const LOOK_BACK_DAYS = 28;

/** The statuses a run is made of (isSignalledAbsence). */
const SIGNALLED_ABSENCES: AttendanceStatus[] = ["ziek", "niet_verschenen"];

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
  // A run needs `minimum` absences with no visit after them: only those clients are looked at.
  // The coordinator sees every location: no list of ids, so the count reads the absences by status and date.
  const candidates = await repo.clientsStillAbsent(db, scope.seesEverything ? null : ids, from, today, SIGNALLED_ABSENCES, minimum);
  if (candidates.length === 0) return [];
  const rows = await repo.clientRowsBetween(db, ids, candidates, from, today);
  const planned = await plannedOfClients(db, candidates, [...new Set(rows.map((r) => r.location_id))], from, today);
  const runs = consecutiveAbsences(planned, rows, minimum);
  const names = new Map((await repo.clientNames(db, runs.map((r) => r.client_id))).map((c) => [c.id, c]));
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  return runs.map((r) => {
    const c = names.get(r.client_id);
    return { ...r, name: c ? `${c.first_name} ${c.last_name}` : `#${r.client_id}`, location_name: locationName.get(r.location_id) ?? "" };
  });
}
