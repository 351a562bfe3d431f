import type { Dagdeel } from "./dagdeel";
import { weekParamOf } from "./iso-week";

// Realised attendance, kept apart from the plan: the plan says who is expected (schedule
// expansion minus closures), a row says what happened. These pure functions count the two
// side by side; the services load the rows.

export const ATTENDANCE_STATUSES = ["aanwezig", "afgemeld", "ziek", "niet_verschenen", "extra"] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** What a scheduled (expected) client can be marked as; `extra` is only for the unscheduled. */
export const EXPECTED_STATUSES = ["aanwezig", "afgemeld", "ziek", "niet_verschenen"] as const;

/** The absence reasons, in the order the overviews show them. */
export const ABSENCE_REASONS = ["afgemeld", "ziek", "niet_verschenen"] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];

/** Statuses that mean the client was there. */
export function isAttended(status: AttendanceStatus): boolean {
  return status === "aanwezig" || status === "extra";
}

/** The absences that count towards the "absent several times in a row" signal. */
export function isSignalledAbsence(status: AttendanceStatus): boolean {
  return status === "ziek" || status === "niet_verschenen";
}

/** Only a reported absence may be recorded ahead of time; everything else only up to today. */
export function allowedOnDate(status: AttendanceStatus, date: string, today: string): boolean {
  return date <= today || status === "afgemeld";
}

export type PlannedDagdeel = { client_id: number; location_id: number; date: string; dagdeel: Dagdeel };
export type RecordedDagdeel = PlannedDagdeel & { status: AttendanceStatus };

export type Tally = {
  /** Planned dagdelen: schedule expansion minus closures. */
  scheduled: number;
  /** aanwezig + extra, whether planned or not. */
  attended: number;
  /** Of the attended, those on a dagdeel that was not planned (an extra visit). */
  attendedUnscheduled: number;
  afgemeld: number;
  ziek: number;
  niet_verschenen: number;
  /** Planned dagdelen without any row yet. */
  unrecorded: number;
  /**
   * Share of the planned dagdelen that were attended, in whole percent rounded half up; null
   * when nothing was planned. Extra visits count as attended but not as planned, and do not
   * raise the share: it says how much of the plan was realised, so it never exceeds 100.
   */
  shareAttended: number | null;
};

function emptyTally(): Tally {
  return { scheduled: 0, attended: 0, attendedUnscheduled: 0, afgemeld: 0, ziek: 0, niet_verschenen: 0, unrecorded: 0, shareAttended: null };
}

/** round(100 · part / whole), half up, in integers so 1/8 is 13 and 29/40 is 73. */
export function percentHalfUp(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.floor((200 * part + whole) / (2 * whole));
}

function cellKey(c: { client_id: number; date: string; dagdeel: Dagdeel }): string {
  return `${c.client_id}|${c.date}|${c.dagdeel}`;
}

/**
 * Counts planned against recorded dagdelen per group, a part at a time: parts that share no
 * client (a dagdeel and its row are a client's) add up to what one count over all of them gives,
 * so a long count can hand the event loop back between parts (issue 11). `groupOf` names the
 * group of a cell (client × month, location × ISO week, …); a planned dagdeel and its row fall
 * in the same group as long as groupOf only looks at fields both share. Duplicates in `planned`
 * (two schedules covering one dagdeel) count once, in the group of the first: a client is in one
 * place per dagdeel.
 */
export class TallyOfParts {
  private readonly out = new Map<string, Tally>();
  private readonly attendedOnPlan = new Map<string, number>();

  constructor(private readonly groupOf: (cell: PlannedDagdeel) => string) {}

  private get(group: string): Tally {
    let t = this.out.get(group);
    if (!t) this.out.set(group, (t = emptyTally()));
    return t;
  }

  /** One part: every planned dagdeel and row of its clients, in their order. */
  add(planned: PlannedDagdeel[], recorded: RecordedDagdeel[]): void {
    const rows = new Map(recorded.map((r) => [cellKey(r), r]));
    const plannedKeys = new Set<string>();
    for (const p of planned) {
      const k = cellKey(p);
      if (plannedKeys.has(k)) continue;
      plannedKeys.add(k);
      const group = this.groupOf(p);
      const t = this.get(group);
      t.scheduled += 1;
      const row = rows.get(k);
      if (!row) t.unrecorded += 1;
      else if (isAttended(row.status)) this.attendedOnPlan.set(group, (this.attendedOnPlan.get(group) ?? 0) + 1);
    }
    for (const r of recorded) {
      const t = this.get(this.groupOf(r));
      if (isAttended(r.status)) {
        t.attended += 1;
        if (!plannedKeys.has(cellKey(r))) t.attendedUnscheduled += 1;
      } else {
        t[r.status as AbsenceReason] += 1;
      }
    }
  }

  /** The tallies of every part added. */
  result(): Map<string, Tally> {
    for (const [group, t] of this.out) t.shareAttended = percentHalfUp(this.attendedOnPlan.get(group) ?? 0, t.scheduled);
    return this.out;
  }
}

/** Counts planned against recorded dagdelen per group (TallyOfParts with one part). */
export function tally(
  planned: PlannedDagdeel[],
  recorded: RecordedDagdeel[],
  groupOf: (cell: PlannedDagdeel) => string,
): Map<string, Tally> {
  const parts = new TallyOfParts(groupOf);
  parts.add(planned, recorded);
  return parts.result();
}

/** "2026-11" */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export type ClientMonthTally = Tally & { client_id: number; month: string };
export type LocationWeekTally = Tally & { location_id: number; week: string };

/** The group of clientMonthTallies(): client × calendar month. */
export const clientMonthGroup = (c: PlannedDagdeel): string => `${c.client_id}|${monthOf(c.date)}`;

/** The rows of client × month groups, sorted by client then month. */
export function clientMonthRows(groups: Map<string, Tally>): ClientMonthTally[] {
  return [...groups]
    .map(([k, t]) => {
      const [client, month] = k.split("|");
      return { ...t, client_id: Number(client), month };
    })
    .sort((a, b) => a.client_id - b.client_id || a.month.localeCompare(b.month));
}

/** Per client per calendar month, across the locations given; sorted by client then month. */
export function clientMonthTallies(planned: PlannedDagdeel[], recorded: RecordedDagdeel[]): ClientMonthTally[] {
  return clientMonthRows(tally(planned, recorded, clientMonthGroup));
}

/** The group of locationWeekTallies(): location × ISO week. */
export function locationWeekGroup(): (c: PlannedDagdeel) => string {
  // A period has a few hundred dates against a hundred thousand dagdelen: each date's week once.
  const weeks = new Map<string, string>();
  return (c) => {
    let w = weeks.get(c.date);
    if (w === undefined) weeks.set(c.date, (w = weekParamOf(c.date)));
    return `${c.location_id}|${w}`;
  };
}

/** The rows of location × week groups, sorted by location then week. */
export function locationWeekRows(groups: Map<string, Tally>): LocationWeekTally[] {
  return [...groups]
    .map(([k, t]) => {
      const [location, week] = k.split("|");
      return { ...t, location_id: Number(location), week };
    })
    .sort((a, b) => a.location_id - b.location_id || a.week.localeCompare(b.week));
}

/** Per location per ISO week; sorted by location then week. */
export function locationWeekTallies(planned: PlannedDagdeel[], recorded: RecordedDagdeel[]): LocationWeekTally[] {
  return locationWeekRows(tally(planned, recorded, locationWeekGroup()));
}

export type AbsenceRun = {
  client_id: number;
  /** Where the latest absence of the run was recorded. */
  location_id: number;
  since: string;
  sinceDagdeel: Dagdeel;
  last: string;
  count: number;
};

function order(a: { date: string; dagdeel: Dagdeel }, b: { date: string; dagdeel: Dagdeel }): number {
  return a.date.localeCompare(b.date) || (a.dagdeel === b.dagdeel ? 0 : a.dagdeel === "ochtend" ? -1 : 1);
}

/**
 * Clients absent (ziek or niet verschenen) on `minimum` or more planned dagdelen in a row,
 * ending at their most recent recorded planned dagdeel.
 *
 * Only planned dagdelen count (closures and days off are not in `planned`, so they neither
 * break nor lengthen a run), and of those only the ones with a row: an unrecorded dagdeel is
 * unknown, not a sign of presence, so it is skipped. Any other status (aanwezig, afgemeld)
 * breaks the run. One exception to "only planned": a client who was there on an unplanned
 * dagdeel (an extra visit) was evidently not ill, so attendance anywhere breaks the run too.
 */
export function consecutiveAbsences(planned: PlannedDagdeel[], recorded: RecordedDagdeel[], minimum = 3): AbsenceRun[] {
  const plannedKeys = new Set(planned.map(cellKey));
  const byClient = new Map<number, RecordedDagdeel[]>();
  for (const r of recorded) {
    if (!plannedKeys.has(cellKey(r)) && !isAttended(r.status)) continue;
    const list = byClient.get(r.client_id);
    if (list) list.push(r);
    else byClient.set(r.client_id, [r]);
  }
  const runs: AbsenceRun[] = [];
  for (const [clientId, rows] of byClient) {
    rows.sort(order);
    let start = rows.length;
    while (start > 0 && isSignalledAbsence(rows[start - 1].status)) start -= 1;
    const count = rows.length - start;
    if (count < minimum) continue;
    const first = rows[start];
    const latest = rows[rows.length - 1];
    runs.push({ client_id: clientId, location_id: latest.location_id, since: first.date, sinceDagdeel: first.dagdeel, last: latest.date, count });
  }
  return runs.sort((a, b) => b.count - a.count || a.since.localeCompare(b.since) || a.client_id - b.client_id);
}
