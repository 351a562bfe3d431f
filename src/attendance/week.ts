import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { isAttended, type AttendanceStatus } from "../domain/attendance";
import { DAGDELEN, type Dagdeel } from "../domain/dagdeel";
import { addDays, weekDates } from "../domain/dates";
import { weekParamOf } from "../domain/iso-week";
import { occupancy } from "../occupancy/service";
import { findLocationOr404 } from "./daily";
import { hasDagdeel } from "./expected";
import { cellKey } from "./lock";
import * as repo from "./repository";

// The week of one location: clients × days × dagdelen, each cell a short code with its full
// text for screen readers and a legend for the eye. Read-only; recording happens per day.

/** What a cell shows: a status, or "planned and still open", or "planned, still to come". */
export type WeekMark = AttendanceStatus | "open" | "gepland" | null;

export type WeekColumn = { date: string; dagdeel: Dagdeel; closed: boolean; available: boolean; attended: number; first: boolean };
export type WeekRow = { client_id: number; name: string; marks: WeekMark[] };

export type WeekView = {
  location: repo.AttendanceLocation;
  week: string;
  monday: string;
  previousWeek: string;
  nextWeek: string;
  days: { date: string; columns: number }[];
  columns: WeekColumn[];
  rows: WeekRow[];
};

export async function weekView(db: Knex, scope: Scope, locationId: number, monday: string, today: string): Promise<WeekView> {
  const location = await findLocationOr404(db, scope, locationId);
  const dates = weekDates(monday);
  const [cells, rows] = await Promise.all([
    occupancy(db, [location.id], dates[0], dates[6]),
    repo.rowsBetween(db, [location.id], dates[0], dates[6]),
  ]);
  const rowOf = new Map(rows.map((r) => [cellKey(r), r]));
  const clientIds = [...new Set([...cells.flatMap((c) => c.scheduledClientIds), ...rows.map((r) => r.client_id)])];
  const names = await repo.clientNames(db, clientIds);

  // A day is shown when the location has a dagdeel then or something was recorded on it.
  const shownDates = dates.filter((d) => cells.some((c) => c.date === d && (hasDagdeel(c) || c.closed)) || rows.some((r) => r.date === d));
  const columns: WeekColumn[] = shownDates.flatMap((date) =>
    DAGDELEN.map((dagdeel, i) => {
      const cell = cells.find((c) => c.date === date && c.dagdeel === dagdeel)!;
      const attended = rows.filter((r) => r.date === date && r.dagdeel === dagdeel && isAttended(r.status)).length;
      return { date, dagdeel, closed: cell.closed, available: hasDagdeel(cell), attended, first: i === 0 };
    }),
  );
  const weekRows: WeekRow[] = names.map((client) => ({
    client_id: client.id,
    name: `${client.first_name} ${client.last_name}`,
    marks: columns.map((col): WeekMark => {
      const row = rowOf.get(cellKey({ client_id: client.id, date: col.date, dagdeel: col.dagdeel }));
      if (row) return row.status;
      const cell = cells.find((c) => c.date === col.date && c.dagdeel === col.dagdeel)!;
      if (!cell.scheduledClientIds.includes(client.id)) return null;
      return col.date > today ? "gepland" : "open";
    }),
  }));
  return {
    location,
    week: weekParamOf(monday),
    monday,
    previousWeek: weekParamOf(addDays(monday, -7)),
    nextWeek: weekParamOf(addDays(monday, 7)),
    days: shownDates.map((date) => ({ date, columns: DAGDELEN.length })),
    columns,
    rows: weekRows,
  };
}
