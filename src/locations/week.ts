import type { Knex } from "knex";
import { DAGDELEN } from "../domain/dagdeel";
import { addDays, mondayOf, weekDates } from "../domain/dates";
import { dateProblem } from "../domain/date-window";
import { mondayOfWeekParam, weekParamOf } from "../domain/iso-week";
import { FULLNESS_KEYS, fullnessOf, type Fullness } from "../domain/fullness";
import { occupancy } from "../occupancy/service";
import { clientNames, type LocationRow } from "./repository";
import { weekdayOf } from "./weekdays";

// The week view of one location: per day and dagdeel the places, booked, free, or closed.
// Occupancy of the whole week comes in one call (a fixed number of queries), names in one more.

export type WeekChoice = { ok: true; monday: string } | { ok: false; field: "week" | "datum"; error: string };

/** ?datum=2026-11-25 jumps to the week of that date; ?week=2026-W48 names a week; else this week. */
export function chooseWeek(query: { week?: unknown; datum?: unknown }, today: string): WeekChoice {
  const datum = typeof query.datum === "string" ? query.datum.trim() : "";
  const week = typeof query.week === "string" ? query.week.trim() : "";
  if (datum !== "") {
    const problem = dateProblem(datum);
    if (problem) return { ok: false, field: "datum", error: problem };
    return { ok: true, monday: mondayOf(datum) };
  }
  if (week !== "") {
    const monday = mondayOfWeekParam(week);
    if (!monday) return { ok: false, field: "week", error: "locations.errors.week" };
    return { ok: true, monday };
  }
  return { ok: true, monday: mondayOf(today) };
}

export type WeekCell = {
  dagdeel: string;
  places: number;
  booked: number;
  free: number;
  state: Fullness;
  stateKey: string;
  reasons: string[];
  clients: string[];
};

export type WeekDay = { date: string; weekdayKey: string; isToday: boolean; cells: WeekCell[] };

export type WeekView = {
  monday: string;
  sunday: string;
  prev: string;
  next: string;
  current: string;
  isCurrentWeek: boolean;
  days: WeekDay[];
  totals: { places: number; booked: number; free: number };
};

/**
 * The week of a location; `withNames` adds who is expected (for the provider itself and the
 * coordinators; never for purchasers).
 */
export async function weekView(db: Knex, location: LocationRow, monday: string, today: string, withNames: boolean): Promise<WeekView> {
  const dates = weekDates(monday);
  const sunday = dates[6];
  const cells = await occupancy(db, [location.id], monday, sunday);
  const names = withNames ? await clientNames(db, cells.flatMap((c) => [...c.scheduledClientIds, ...c.extraClientIds])) : new Map<number, string>();
  const at = new Map(cells.map((c) => [`${c.date}|${c.dagdeel}`, c]));
  const totals = { places: 0, booked: 0, free: 0 };
  const days = dates.map((date, i) => ({
    date,
    weekdayKey: weekdayOf(i + 1).key,
    isToday: date === today,
    cells: DAGDELEN.map((dagdeel) => {
      const c = at.get(`${date}|${dagdeel}`)!;
      if (!c.closed) {
        totals.places += c.places;
        totals.booked += c.booked;
        totals.free += c.free;
      }
      return {
        dagdeel,
        places: c.places,
        booked: c.booked,
        free: c.free,
        state: fullnessOf(c),
        stateKey: FULLNESS_KEYS[fullnessOf(c)],
        reasons: c.closureReasons,
        clients: [...c.scheduledClientIds, ...c.extraClientIds].map((id) => names.get(id) ?? "").filter(Boolean).sort((a, b) => a.localeCompare(b)),
      };
    }),
  }));
  return {
    monday,
    sunday,
    prev: weekParamOf(addDays(monday, -7)),
    next: weekParamOf(addDays(monday, 7)),
    current: weekParamOf(monday),
    isCurrentWeek: monday === mondayOf(today),
    days,
    totals,
  };
}
