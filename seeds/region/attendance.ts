// Two years of attendance, one month at a time (so four million rows never sit in memory at
// once): one row for every scheduled dagdeel that was open (the schedule expanded by the
// domain's expandSchedule, closures left out) with a status — mostly aanwezig — and now and then
// an extra visit by a client who comes to that location anyway, on a dagdeel they are not
// planned, only while the dagdeel has a free place and, under a toewijzing, within the
// allocation's weekly volume.

import { DateTime } from "luxon";
import { ZONE } from "../../src/domain/clock";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { dateOfDayNumber, dayNumber, expandSchedule, weekdayOfDayNumber } from "../../src/domain/schedule";
import type { Rng } from "../random";
import type { PlanSchedule } from "./clients";
import { closedKeys, type PlanClosure } from "./closures";
import { monthEnd, type RegionDates } from "./options";
import type { PlanLocation, PlanProvider } from "./organisations";

export type Status = "aanwezig" | "afgemeld" | "ziek" | "niet_verschenen" | "extra";

/**
 * One attendance row, as written: client_id, location_id, date, dagdeel, status, recorded_by,
 * recorded_at, created_at, updated_at (both stamps are when it was recorded).
 */
export type AttendanceRow = [number, number, string, Dagdeel, Status, number, string, string, string];

export const ATTENDANCE_COLUMNS = ["client_id", "location_id", "date", "dagdeel", "status", "recorded_by", "recorded_at", "created_at", "updated_at"];

/** Carried from month to month: the ISO weeks in which a client already had an extra visit. */
export type ExtraLedger = Set<string>;

const EXTRA_CHANCE = 0.05;

/** The places of a cell on a day (number): its rule in force, with a raise from its date on; 0 before the location opened. */
export function placesOn(location: PlanLocation, weekday: number, dagdeel: Dagdeel, n: number): number {
  if (n < location.opened) return 0;
  const cell = location.cells.find((c) => c.weekday === weekday && c.dagdeel === dagdeel);
  if (!cell) return 0;
  return cell.raise && n >= cell.raise.at ? cell.raise.places : cell.places;
}

/**
 * When a dagdeel was recorded: shortly after 12:00 or 16:00 in Europe/Amsterdam, as UTC text.
 * The offset of each date comes from luxon once (it never moves between noon and 17:00).
 */
export class RecordedAt {
  private readonly offsets = new Map<string, number>();
  at(date: string, dagdeel: Dagdeel, minute: number): string {
    let offset = this.offsets.get(date);
    if (offset === undefined) {
      offset = DateTime.fromISO(`${date}T12:00`, { zone: ZONE }).offset;
      this.offsets.set(date, offset);
    }
    const utc = (dagdeel === "ochtend" ? 12 * 60 : 16 * 60) + minute - offset;
    return `${date}T${two(Math.floor(utc / 60))}:${two(utc % 60)}:00.000Z`;
  }
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function drawStatus(rng: Rng, frail: boolean): Status {
  const r = rng.next();
  const ill = frail ? 0.09 : 0.04;
  if (r < ill) return "ziek";
  if (r < ill + 0.05) return "afgemeld";
  if (r < ill + 0.07) return "niet_verschenen";
  return "aanwezig";
}

export type MonthInput = {
  month: string;
  dates: RegionDates;
  providers: PlanProvider[];
  locations: PlanLocation[];
  closures: PlanClosure[];
  /** Schedules by location. */
  schedules: Map<number, PlanSchedule[]>;
  recorderOf: (location: PlanLocation) => number;
  recordedAt: RecordedAt;
  ledger: ExtraLedger;
  rng: Rng;
};

/**
 * The rows of one month (up to yesterday), day by day as they would have been recorded (within
 * a day by location). It yields to the event loop after each location, so the previous month's
 * writes go on meanwhile.
 */
export async function monthAttendance(input: MonthInput): Promise<AttendanceRow[]> {
  const { dates, rng } = input;
  const from = `${input.month}-01` < dates.windowStart ? dates.windowStart : `${input.month}-01`;
  const until = monthEnd(input.month) < dates.yesterday ? monthEnd(input.month) : dates.yesterday;
  if (until < from) return [];
  const closed = closedKeys(input.closures, input.providers, from, until);
  // One list per day of the month (from and until lie in the same month: the day of the month is the index).
  const firstDay = Number(from.slice(8, 10));
  const days: AttendanceRow[][] = Array.from({ length: Number(until.slice(8, 10)) - firstDay + 1 }, () => []);
  const push = (row: AttendanceRow) => days[Number(row[2].slice(8, 10)) - firstDay].push(row);
  for (const location of input.locations) {
    const shut = closed.get(location.id)!;
    const recorder = input.recorderOf(location);
    const running = (input.schedules.get(location.id) ?? []).filter((s) => s.from <= until && (s.until === null || s.until >= from));
    // Who is planned in each cell (date|dagdeel), through the shared expansion.
    const planned = new Map<string, number[]>();
    for (const s of running) {
      const pattern = { valid_from: s.from, valid_until: s.until, week_parity: s.parity, slots: s.slots };
      for (const o of expandSchedule(pattern, from, until, (date, dagdeel) => shut.has(`${date}|${dagdeel}`))) {
        const key = `${o.date}|${o.dagdeel}`;
        const list = planned.get(key);
        if (list) list.push(s.clientId);
        else planned.set(key, [s.clientId]);
        const at = input.recordedAt.at(o.date, o.dagdeel, rng.int(2, 48));
        push([s.clientId, location.id, o.date, o.dagdeel, drawStatus(rng, s.clientId % 7 === 0), recorder, at, at, at]);
      }
    }
    addExtras(input, location, running, planned, shut, from, until, recorder, push);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return days.flat();
}

function addExtras(
  input: MonthInput,
  location: PlanLocation,
  running: PlanSchedule[],
  planned: Map<string, number[]>,
  shut: Set<string>,
  from: string,
  until: string,
  recorder: number,
  push: (row: AttendanceRow) => void,
): void {
  const { rng, ledger } = input;
  const last = dayNumber(until);
  for (let n = dayNumber(from); n <= last; n++) {
    const date = dateOfDayNumber(n);
    const weekday = weekdayOfDayNumber(n);
    for (const dagdeel of ["ochtend", "middag"] as const) {
      const places = placesOn(location, weekday, dagdeel, n);
      if (places === 0 || shut.has(`${date}|${dagdeel}`) || !rng.chance(EXTRA_CHANCE)) continue;
      const here = planned.get(`${date}|${dagdeel}`) ?? [];
      if (here.length + 1 > places) continue;
      const monday = n - weekday + 1;
      const candidates = running.filter(
        (s) =>
          s.from <= date && (s.until === null || s.until >= date) && !here.includes(s.clientId) &&
          // Under a toewijzing only while the week stays within the allocation's volume.
          (s.funding !== "toewijzing" || (s.volume !== null && s.volume > s.slots.length && !ledger.has(`${s.clientId}|${monday}`))),
      );
      if (candidates.length === 0) continue;
      const s = rng.pick(candidates);
      ledger.add(`${s.clientId}|${monday}`);
      here.push(s.clientId);
      planned.set(`${date}|${dagdeel}`, here);
      const at = input.recordedAt.at(date, dagdeel, rng.int(2, 48));
      push([s.clientId, location.id, date, dagdeel, "extra", recorder, at, at, at]);
    }
  }
}
