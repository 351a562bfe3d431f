import { DateTime } from "luxon";
import { isClosedOn, closuresOn, type ClosureSpan } from "./closures";
import { DAGDELEN, dagdeelInterval, type Dagdeel, type DagdeelTimes } from "./dagdeel";
import { datesBetween, periodContains } from "./dates";
import { expandSchedule, type SchedulePattern } from "./schedule";
import { shortName } from "./short-name";

// From schedules to what a calendar feed (and a printed week roster) shows. Pure: the caller
// loads the rows; everything here goes through expandSchedule, the same expansion the board
// and the occupancy count use, so a feed never disagrees with the planning.
//
// Who is expected on a dagdeel:
//   + every client whose schedule covers it (expandSchedule), unless the location is closed;
//   + every `extra` attendance row there (a one-off booking the board counts too);
//   − every client who reported absent (attendance `afgemeld` or `ziek`). Why they are absent
//     is never passed on: the feed only leaves the dagdeel out.

export type AttendanceStatus = "aanwezig" | "afgemeld" | "ziek" | "niet_verschenen" | "extra";

export const ABSENT_STATUSES: readonly AttendanceStatus[] = ["afgemeld", "ziek"];

export function isReportedAbsent(status: string): boolean {
  return (ABSENT_STATUSES as readonly string[]).includes(status);
}

export type FeedLocation = DagdeelTimes & {
  id: number;
  provider_id: number;
  name: string;
  street: string;
  postcode: string;
  village: string;
  /** Latest change of the location or its village. */
  updated_at: string;
};

export type FeedSchedule = SchedulePattern & { id: number; client_id: number; location_id: number };
export type FeedClosure = ClosureSpan & { provider_id: number; reason: string };
export type FeedAttendance = {
  client_id: number;
  location_id: number;
  date: string;
  dagdeel: Dagdeel;
  status: AttendanceStatus;
  updated_at: string;
};
export type FeedClient = { id: number; first_name: string; last_name: string; updated_at: string };

export type Window = { from: string; until: string };

function key(date: string, dagdeel: Dagdeel): string {
  return `${date}|${dagdeel}`;
}

function closuresOfProvider<C extends FeedClosure>(closures: C[], providerId: number): C[] {
  return closures.filter((c) => c.provider_id === providerId);
}

// ---------------------------------------------------------------------------------------------
// SEQUENCE and DTSTAMP
//
// RFC 5545 wants SEQUENCE to rise when an event changes. The schema keeps no per-event state,
// so the revision is derived from the rows that shape the event: every writer stamps
// updated_at (UTC) on the rows it changes, so the latest updated_at among them only moves
// forward when one of them changes, and stays put while nothing does. SEQUENCE is that
// moment in whole seconds since 2020-01-01 UTC (fits a 32-bit integer until 2088); DTSTAMP and
// LAST-MODIFIED are the moment itself, so an unchanged feed is byte-for-byte the same and
// keeps its ETag.
//
// A row deleted outright leaves no updated_at behind. On a client's feed that never changes
// an event that stays (a deleted schedule or closure removes or brings back whole events),
// but on a location's feed it changes who is listed: those events also follow the moment of
// the latest such deletion anywhere (deletionsAt, read from the audit log), so a cancelled
// schedule or an undone absence still raises SEQUENCE there. Two changes within the same
// second share a number.

export const SEQUENCE_EPOCH = DateTime.fromISO("2020-01-01T00:00:00Z", { zone: "utc" });

export type Revision = { sequence: number; stamp: string };

/** The latest of the given UTC timestamps as SEQUENCE and DTSTAMP; unknown values are skipped. */
export function revisionOf(timestamps: (string | null | undefined)[]): Revision {
  let latest: DateTime | null = null;
  for (const t of timestamps) {
    if (!t) continue;
    const d = DateTime.fromISO(t, { zone: "utc" });
    if (d.isValid && (latest === null || d > latest)) latest = d;
  }
  const at = latest && latest > SEQUENCE_EPOCH ? latest : SEQUENCE_EPOCH;
  return {
    sequence: Math.floor(at.diff(SEQUENCE_EPOCH, "seconds").seconds),
    stamp: at.set({ millisecond: 0 }).toUTC().toISO({ suppressMilliseconds: true })!,
  };
}

/**
 * revisionOf, worked out once per list of timestamps: a feed's events mostly share theirs, and
 * each answer takes a few luxon date-times (a year's feed held the event loop at its first build).
 */
function revisionsOnce(): (timestamps: (string | null | undefined)[]) => Revision {
  const kept = new Map<string, Revision>();
  return (timestamps) => {
    const key = timestamps.map((t) => t ?? "").join("|");
    let revision = kept.get(key);
    if (!revision) kept.set(key, (revision = revisionOf(timestamps)));
    return revision;
  };
}

/** Stable from request to request, so a subscriber's calendar updates events instead of duplicating them. */
export function eventUid(scope: "client" | "location", id: number, date: string, dagdeel: Dagdeel): string {
  return `${scope}-${id}-${date}-${dagdeel}@dagdeel`;
}

// ---------------------------------------------------------------------------------------------
// One client

export type ClientPlanInput = Window & {
  clientId: number;
  schedules: FeedSchedule[];
  locations: FeedLocation[];
  closures: FeedClosure[];
  /** The client's attendance rows in the window. */
  attendance: FeedAttendance[];
};

export type ClientDagdeel = {
  date: string;
  dagdeel: Dagdeel;
  location_id: number;
  /** Closed dagdelen are kept (a roster shows them) but never become an event. */
  closed: boolean;
  absent: boolean;
  extra: boolean;
  attendance: FeedAttendance | null;
};

/** Every dagdeel the client is planned for in the window, ordered by date and dagdeel. */
export function clientPlan(input: ClientPlanInput): ClientDagdeel[] {
  const locations = new Map(input.locations.map((l) => [l.id, l]));
  const attendance = new Map(input.attendance.filter((a) => a.client_id === input.clientId).map((a) => [key(a.date, a.dagdeel), a]));
  const byKey = new Map<string, ClientDagdeel>();

  for (const s of input.schedules) {
    if (s.client_id !== input.clientId) continue;
    const location = locations.get(s.location_id);
    if (!location) continue;
    const closures = closuresOfProvider(input.closures, location.provider_id);
    const isClosed = (date: string, dagdeel: Dagdeel) => isClosedOn(closures, location.id, date, dagdeel);
    // Closed occurrences are kept apart from open ones so a roster can say "gesloten".
    const open = expandSchedule(s, input.from, input.until, isClosed);
    const all = expandSchedule(s, input.from, input.until);
    const openKeys = new Set(open.map((o) => key(o.date, o.dagdeel)));
    for (const o of all) {
      const k = key(o.date, o.dagdeel);
      if (byKey.has(k)) continue; // a client is in one place per dagdeel; the first schedule wins
      const a = attendance.get(k) ?? null;
      byKey.set(k, {
        date: o.date,
        dagdeel: o.dagdeel,
        location_id: s.location_id,
        closed: !openKeys.has(k),
        absent: a !== null && isReportedAbsent(a.status),
        extra: false,
        attendance: a,
      });
    }
  }

  for (const a of attendance.values()) {
    if (a.status !== "extra" || !periodContains(input.from, input.until, a.date)) continue;
    const k = key(a.date, a.dagdeel);
    if (byKey.has(k)) continue;
    const location = locations.get(a.location_id);
    if (!location) continue;
    const closed = isClosedOn(closuresOfProvider(input.closures, location.provider_id), location.id, a.date, a.dagdeel);
    byKey.set(k, { date: a.date, dagdeel: a.dagdeel, location_id: a.location_id, closed, absent: false, extra: true, attendance: a });
  }

  return [...byKey.values()].sort((x, y) => (x.date === y.date ? (x.dagdeel === "ochtend" ? -1 : 1) : x.date < y.date ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// One location

export type LocationPlanInput = Window & {
  location: FeedLocation;
  schedules: FeedSchedule[];
  closures: FeedClosure[];
  /** Attendance rows in the window of the clients scheduled here, and any row at this location. */
  attendance: FeedAttendance[];
};

export type LocationDagdeel = {
  date: string;
  dagdeel: Dagdeel;
  closed: boolean;
  closureReasons: string[];
  /** Expected: planned or extra, not reported absent. */
  clientIds: number[];
  /** Planned but reported absent (afgemeld or ziek, never which). */
  absentClientIds: number[];
  /** The attendance rows that shaped this dagdeel (for its revision). */
  attendance: FeedAttendance[];
};

/** Every date × dagdeel of the window at one location, with who is expected. */
export function locationPlan(input: LocationPlanInput): LocationDagdeel[] {
  const { location } = input;
  const closures = closuresOfProvider(input.closures, location.provider_id);
  const planned = new Map<string, Set<number>>();
  for (const s of input.schedules) {
    if (s.location_id !== location.id) continue;
    for (const o of expandSchedule(s, input.from, input.until)) {
      const k = key(o.date, o.dagdeel);
      const set = planned.get(k) ?? new Set<number>();
      set.add(s.client_id);
      planned.set(k, set);
    }
  }
  const attendanceBy = new Map<string, FeedAttendance[]>();
  for (const a of input.attendance) {
    const k = key(a.date, a.dagdeel);
    attendanceBy.set(k, [...(attendanceBy.get(k) ?? []), a]);
  }

  const out: LocationDagdeel[] = [];
  for (const date of datesBetween(input.from, input.until)) {
    for (const dagdeel of DAGDELEN) {
      const k = key(date, dagdeel);
      const shut = closuresOn(closures, location.id, date, dagdeel);
      const rows = attendanceBy.get(k) ?? [];
      const scheduled = planned.get(k) ?? new Set<number>();
      const extras = rows.filter((a) => a.status === "extra" && a.location_id === location.id).map((a) => a.client_id);
      const absent = new Set(rows.filter((a) => isReportedAbsent(a.status)).map((a) => a.client_id));
      const expected = [...new Set([...scheduled, ...extras])];
      const relevant = new Set(expected);
      out.push({
        date,
        dagdeel,
        closed: shut.length > 0,
        closureReasons: shut.map((c) => c.reason),
        clientIds: shut.length > 0 ? [] : expected.filter((id) => !absent.has(id)),
        absentClientIds: shut.length > 0 ? [] : expected.filter((id) => absent.has(id)),
        attendance: rows.filter((a) => relevant.has(a.client_id)),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Events

export type FeedEvent = Revision & {
  uid: string;
  date: string;
  dagdeel: Dagdeel;
  start: DateTime;
  end: DateTime;
  location: FeedLocation;
  /** Location feeds only: "Anna B." style names, sorted. */
  clientNames: string[];
};

export type ClientFeedInput = ClientPlanInput & {
  /** Latest updated_at of any of the client's schedules and their slots (see the SEQUENCE note). */
  schedulesChangedAt: string | null;
};

/** One event per planned dagdeel of a client, leaving out closures and reported absences. */
export function clientFeedEvents(input: ClientFeedInput): FeedEvent[] {
  const locations = new Map(input.locations.map((l) => [l.id, l]));
  const revisionOf = revisionsOnce();
  return clientPlan(input)
    .filter((d) => !d.closed && !d.absent)
    .map((d) => {
      const location = locations.get(d.location_id)!;
      const { start, end } = dagdeelInterval(d.date, d.dagdeel, location);
      return {
        ...revisionOf([input.schedulesChangedAt, location.updated_at, d.attendance?.updated_at]),
        uid: eventUid("client", input.clientId, d.date, d.dagdeel),
        date: d.date,
        dagdeel: d.dagdeel,
        start,
        end,
        location,
        clientNames: [],
      };
    });
}

export type LocationFeedInput = LocationPlanInput & {
  clients: FeedClient[];
  /** Latest updated_at of any schedule at this location and its slots (see the SEQUENCE note). */
  schedulesChangedAt: string | null;
  /** When a row that shapes who is listed was last deleted, anywhere (see the SEQUENCE note). */
  deletionsAt: string | null;
};

const collator = new Intl.Collator("nl-NL");

/** One event per dagdeel that has anyone expected, with first names and initials only. */
export function locationFeedEvents(input: LocationFeedInput): FeedEvent[] {
  const clients = new Map(input.clients.map((c) => [c.id, c]));
  const revisionOf = revisionsOnce();
  return locationPlan(input)
    .filter((d) => d.clientIds.length > 0)
    .map((d) => {
      const present = d.clientIds.map((id) => clients.get(id)).filter((c): c is FeedClient => c !== undefined);
      const { start, end } = dagdeelInterval(d.date, d.dagdeel, input.location);
      return {
        ...revisionOf([
          input.schedulesChangedAt,
          input.deletionsAt,
          input.location.updated_at,
          ...d.attendance.map((a) => a.updated_at),
          ...present.map((c) => c.updated_at),
        ]),
        uid: eventUid("location", input.location.id, d.date, d.dagdeel),
        date: d.date,
        dagdeel: d.dagdeel,
        start,
        end,
        location: input.location,
        clientNames: present.map((c) => shortName(c.first_name, c.last_name)).sort(collator.compare),
      };
    });
}
