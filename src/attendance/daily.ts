import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { isAbsence } from "../domain/absence-note";
import { ABSENCE_REASONS, EXPECTED_STATUSES, type AttendanceStatus } from "../domain/attendance";
import { DAGDELEN, type Dagdeel } from "../domain/dagdeel";
import { NotFoundError } from "../domain/errors";
import { occupancy } from "../occupancy/service";
import { hasDagdeel } from "./expected";
import { cellKey, lockedCells } from "./lock";
import * as repo from "./repository";

// The daily list of one location: per dagdeel everyone expected from the schedules, with what
// was recorded, plus every row recorded there for someone not (or no longer) expected — the
// realisation is shown as it is, never rewritten by a changed plan. Seven queries in all
// (occupancy five at most, rows, names) plus the lock's five.

export type DailyEntry = {
  client_id: number;
  name: string;
  village: string | null;
  /** Planned for this dagdeel here. */
  expected: boolean;
  status: AttendanceStatus | null;
  /** The note with an absence (coordinator and provider only; never in feeds or exports). */
  note: string | null;
  /** Planned here for both dagdelen of the date: "ziek, hele dag" is one tap. */
  wholeDay: boolean;
  /** Recorded absent here: a note may go with it. */
  absent: boolean;
  recorded_by_name: string | null;
  recorded_at: string | null;
  /** Recorded for this dagdeel at another location: nothing to do here. */
  elsewhere: boolean;
  locked: boolean;
  /** The buttons offered: the statuses allowed on this date (only afgemeld ahead of time). */
  choices: { status: AttendanceStatus; current: boolean }[];
};

export type DailyDagdeel = {
  dagdeel: Dagdeel;
  start: string;
  end: string;
  closed: boolean;
  closureReasons: string[];
  /** The location has this dagdeel on this date (capacity or a schedule, and not closed). */
  available: boolean;
  places: number;
  expected: number;
  counts: Record<AttendanceStatus, number>;
  unrecorded: number;
  /** Expected, unlocked, not yet recorded: what "everyone present" would mark. */
  bulkable: number;
  entries: DailyEntry[];
};

export type DailyList = {
  location: repo.AttendanceLocation;
  date: string;
  isFuture: boolean;
  isToday: boolean;
  dagdelen: DailyDagdeel[];
};

function fullName(c: { first_name: string; last_name: string }): string {
  return `${c.first_name} ${c.last_name}`;
}

export async function findLocationOr404(db: Knex, scope: Scope, id: number): Promise<repo.AttendanceLocation> {
  const location = await repo.findLocation(db, scope, id);
  if (!location) throw new NotFoundError("location");
  return location;
}

export async function dailyList(db: Knex, scope: Scope, locationId: number, date: string, today: string): Promise<DailyList> {
  const location = await findLocationOr404(db, scope, locationId);
  const cells = await occupancy(db, [location.id], date, date);
  const expectedIds = [...new Set(cells.flatMap((c) => c.scheduledClientIds))];
  const rows = await repo.rowsOnDate(db, location.id, date, expectedIds);
  const names = new Map((await repo.clientNames(db, [...new Set([...expectedIds, ...rows.map((r) => r.client_id)])])).map((c) => [c.id, c]));
  const rowOf = new Map(rows.map((r) => [cellKey(r), r]));

  const shown = DAGDELEN.flatMap((dagdeel) => {
    const cell = cells.find((c) => c.dagdeel === dagdeel)!;
    const here = rows.filter((r) => r.dagdeel === dagdeel && r.location_id === location.id).map((r) => r.client_id);
    return [...new Set([...cell.scheduledClientIds, ...here])].map((client_id) => ({ client_id, location_id: location.id, date, dagdeel }));
  });
  const locked = await lockedCells(db, shown);
  const isFuture = date > today;
  const [morning, afternoon] = DAGDELEN.map((d) => new Set(cells.find((c) => c.dagdeel === d)!.scheduledClientIds));

  const dagdelen = DAGDELEN.map((dagdeel): DailyDagdeel => {
    const cell = cells.find((c) => c.dagdeel === dagdeel)!;
    const scheduled = new Set(cell.scheduledClientIds);
    const entries = shown
      .filter((s) => s.dagdeel === dagdeel)
      .map((s): DailyEntry => {
        const row = rowOf.get(cellKey(s));
        const client = names.get(s.client_id);
        const expected = scheduled.has(s.client_id);
        const elsewhere = row !== undefined && row.location_id !== location.id;
        const status = row && !elsewhere ? row.status : null;
        const offered: readonly AttendanceStatus[] = expected ? (isFuture ? ["afgemeld"] : EXPECTED_STATUSES) : [];
        return {
          client_id: s.client_id,
          name: client ? fullName(client) : `#${s.client_id}`,
          village: client?.village ?? null,
          expected,
          status,
          note: row && !elsewhere ? row.note : null,
          wholeDay: morning.has(s.client_id) && afternoon.has(s.client_id),
          absent: status !== null && isAbsence(status),
          recorded_by_name: row && !elsewhere ? row.recorded_by_name : null,
          recorded_at: row && !elsewhere ? row.recorded_at : null,
          elsewhere,
          locked: locked.has(cellKey(s)),
          choices: offered.map((st) => ({ status: st, current: st === status })),
        };
      })
      .sort((a, b) => Number(b.expected) - Number(a.expected) || sortName(names, a.client_id, b.client_id));
    const counts = Object.fromEntries(["aanwezig", ...ABSENCE_REASONS, "extra"].map((st) => [st, entries.filter((e) => e.status === st).length])) as Record<AttendanceStatus, number>;
    const open = entries.filter((e) => e.expected && e.status === null && !e.elsewhere);
    return {
      dagdeel,
      start: dagdeel === "ochtend" ? location.morning_start : location.afternoon_start,
      end: dagdeel === "ochtend" ? location.morning_end : location.afternoon_end,
      closed: cell.closed,
      closureReasons: cell.closureReasons,
      available: hasDagdeel(cell),
      places: cell.places,
      expected: cell.scheduledClientIds.length,
      counts,
      unrecorded: open.length,
      bulkable: isFuture ? 0 : open.filter((e) => !e.locked).length,
      entries,
    };
  });
  return { location, date, isFuture, isToday: date === today, dagdelen };
}

function sortName(names: Map<number, repo.ClientName>, a: number, b: number): number {
  const x = names.get(a);
  const y = names.get(b);
  if (!x || !y) return a - b;
  return x.last_name.localeCompare(y.last_name, "nl") || x.first_name.localeCompare(y.first_name, "nl") || a - b;
}
