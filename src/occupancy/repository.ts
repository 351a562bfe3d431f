import type { Knex } from "knex";
import type { ClosureSpan } from "../domain/closures";
import { joinedSlots, slotsOf } from "../db/sql";
import type { OccupancyInputs } from "../domain/occupancy";
import { dayNumber, weekdayOfDayNumber, type WeekParity } from "../domain/schedule";
import { readTogether } from "../db/dialect";
import { prepared } from "../db/compiled";
import { Turns } from "../web/turns";

/** For less than a week, only the slots of the weekdays in it (today's list reads a fifth of the slots). */
function weekdaysOf(q: Knex.QueryBuilder, from: string, until: string): Knex.QueryBuilder {
  const days = dayNumber(until) - dayNumber(from) + 1;
  if (days >= 7 || days <= 0) return q;
  const first = weekdayOfDayNumber(dayNumber(from));
  return q.whereIn("ss.weekday", Array.from({ length: days }, (_, i) => ((first - 1 + i) % 7) + 1));
}

/**
 * Everything occupancy needs for these locations and dates, in five queries whatever the
 * number of locations, clients or days. Callers have already applied the organisation scope
 * to the location ids.
 */
export async function loadOccupancyInputs(
  db: Knex | Knex.Transaction,
  locationIds: number[],
  from: string,
  until: string,
  /** Every schedule at these locations that touches the dates, when the caller has read them already. */
  schedulesRead?: OccupancyInputs["schedules"],
): Promise<OccupancyInputs> {
  if (locationIds.length === 0) return { locations: [], rules: [], closures: [], schedules: [], extras: [] };
  const overlaps = (q: Knex.QueryBuilder, fromCol: string, untilCol: string) =>
    q.where(fromCol, "<=", until).where((w) => w.whereNull(untilCol).orWhere(untilCol, ">=", from));

  // All five at once: the closures find the locations' providers in a subquery rather than
  // waiting for the first answer (on PostgreSQL each query is a round trip of its own); one
  // after another in a transaction (readTogether). On PostgreSQL named statements: nearly every
  // page with places on it asks these texts (one per number of locations), and planning them
  // took longer than running them (src/db/compiled.ts).
  const [rows, rules, closures, scheduleRows, extras] = await readTogether(db, [
    () => prepared(db, db("locations").whereIn("id", locationIds).select("id", "provider_id", "active")) as Promise<{ id: number; provider_id: number; active: boolean | number }[]>,
    () => prepared(db, overlaps(db("capacity_rules").whereIn("location_id", locationIds), "valid_from", "valid_until").select(
      "location_id",
      "weekday",
      "dagdeel",
      "places",
      "valid_from",
      "valid_until",
    )),
    () => prepared(db, db("closures")
      .whereIn("provider_id", db("locations").whereIn("id", locationIds).select("provider_id"))
      .where("starts_on", "<=", until)
      .where("ends_on", ">=", from)
      .select("id", "provider_id", "location_id", "starts_on", "ends_on", "dagdeel", "reason")),
    // One row per schedule with its slots joined: a region's half year is twelve thousand schedules.
    () => schedulesRead ?? prepared(db, overlaps(
      weekdaysOf(db("schedules as s").join("schedule_slots as ss", "ss.schedule_id", "s.id").whereIn("s.location_id", locationIds), from, until),
      "s.valid_from",
      "s.valid_until",
    )
      .groupBy("s.id")
      .select("s.id", "s.client_id", "s.location_id", "s.valid_from", "s.valid_until", "s.week_parity", { slots: joinedSlots(db) })
      .orderBy("s.id")),
    () => prepared(db, db("attendance")
      .whereIn("location_id", locationIds)
      .where("status", "extra")
      .whereBetween("date", [from, until])
      .select("location_id", "client_id", "date", "dagdeel")),
  ]);

  const locations = rows.map((l) => ({ id: l.id, provider_id: l.provider_id }));
  // A location switched off is not open: its capacity rules give no places while it is off.
  const off = new Set(rows.filter((l) => !l.active).map((l) => l.id));
  type Row = { id: number; client_id: number; location_id: number; valid_from: string; valid_until: string | null; week_parity: WeekParity; slots: string | null };
  // Twelve thousand rows read back in slices, with a turn for other requests in between.
  let schedules = schedulesRead;
  if (!schedules) {
    schedules = [];
    const turns = new Turns();
    for (const r of scheduleRows as Row[]) {
      // The row itself becomes the schedule, its slots read back: no copy of every row.
      const schedule = r as unknown as OccupancyInputs["schedules"][number];
      schedule.slots = slotsOf(r.slots);
      schedules.push(schedule);
      if (turns.due()) await turns.pass();
    }
  }
  return { locations, rules: off.size === 0 ? rules : rules.filter((r: { location_id: number }) => !off.has(r.location_id)), closures, schedules, extras };
}

/** The closures of these providers that touch the period. */
export function closuresOfProviders(db: Knex | Knex.Transaction, providerIds: number[], from: string, until: string): Promise<(ClosureSpan & { provider_id: number })[]> {
  return db("closures").whereIn("provider_id", providerIds).where("starts_on", "<=", until).where("ends_on", ">=", from).select("provider_id", "location_id", "starts_on", "ends_on", "dagdeel");
}
