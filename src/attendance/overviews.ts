import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import {
  clientMonthTallies,
  locationWeekTallies,
  type ClientMonthTally,
  type LocationWeekTally,
  type PlannedDagdeel,
  type RecordedDagdeel,
} from "../domain/attendance";
import { mondayOfWeekParam } from "../domain/iso-week";
import { NotFoundError } from "../domain/errors";
import { occupancy } from "../occupancy/service";
import { plannedFromCells } from "./expected";
import * as repo from "./repository";

// Planned against realised over a period, per client per month and per location per ISO week.
// Only dagdelen up to today count: a plan for tomorrow cannot have been realised yet, and
// counting it would make every current month look half attended. Eight queries for any period.

export type OverviewInput = { from: string; until: string; locationId: number | null };

type Realisation = {
  locations: repo.AttendanceLocation[];
  chosen: repo.AttendanceLocation[];
  /** The last date counted: the period's end, or today when that is earlier. */
  countedUntil: string;
  planned: PlannedDagdeel[];
  recorded: RecordedDagdeel[];
};

async function realisation(db: Knex, scope: Scope, input: OverviewInput, today: string): Promise<Realisation> {
  const locations = await repo.locationsInScope(db, scope);
  const chosen = input.locationId === null ? locations : locations.filter((l) => l.id === input.locationId);
  if (input.locationId !== null && chosen.length === 0) throw new NotFoundError("location");
  const countedUntil = input.until < today ? input.until : today;
  if (countedUntil < input.from) return { locations, chosen, countedUntil, planned: [], recorded: [] };
  const ids = chosen.map((l) => l.id);
  const [cells, rows] = await Promise.all([occupancy(db, ids, input.from, countedUntil), repo.rowsBetween(db, ids, input.from, countedUntil)]);
  return { locations, chosen, countedUntil, planned: plannedFromCells(cells), recorded: rows };
}

export type ClientOverviewRow = ClientMonthTally & { first_name: string; last_name: string; name: string };

export async function clientOverview(db: Knex, scope: Scope, input: OverviewInput, today: string) {
  const r = await realisation(db, scope, input, today);
  const tallies = clientMonthTallies(r.planned, r.recorded);
  const names = new Map((await repo.clientNames(db, [...new Set(tallies.map((t) => t.client_id))])).map((c) => [c.id, c]));
  const rows: ClientOverviewRow[] = tallies
    .map((t) => {
      const c = names.get(t.client_id);
      const first_name = c?.first_name ?? "";
      const last_name = c?.last_name ?? `#${t.client_id}`;
      return { ...t, first_name, last_name, name: `${first_name} ${last_name}`.trim() };
    })
    .sort((a, b) => a.last_name.localeCompare(b.last_name, "nl") || a.first_name.localeCompare(b.first_name, "nl") || a.client_id - b.client_id || a.month.localeCompare(b.month));
  return { locations: r.locations, countedUntil: r.countedUntil, rows };
}

export type LocationOverviewRow = LocationWeekTally & { location_name: string; provider_name: string; week_start: string };

export async function locationOverview(db: Knex, scope: Scope, input: OverviewInput, today: string) {
  const r = await realisation(db, scope, input, today);
  const byId = new Map(r.chosen.map((l) => [l.id, l]));
  const rows: LocationOverviewRow[] = locationWeekTallies(r.planned, r.recorded)
    .map((t) => {
      const l = byId.get(t.location_id);
      return { ...t, location_name: l?.name ?? "", provider_name: l?.provider_name ?? "", week_start: mondayOfWeekParam(t.week) ?? "" };
    })
    .sort((a, b) => a.location_name.localeCompare(b.location_name, "nl") || a.week.localeCompare(b.week));
  return { locations: r.locations, countedUntil: r.countedUntil, rows };
}
