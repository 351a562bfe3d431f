import type { Knex } from "knex";
import type { Dagdeel } from "../domain/dagdeel";
import type { OccupancyInputs } from "../domain/occupancy";
import type { WeekParity } from "../domain/schedule";

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
): Promise<OccupancyInputs> {
  if (locationIds.length === 0) return { locations: [], rules: [], closures: [], schedules: [], extras: [] };
  const locations: { id: number; provider_id: number }[] = await db("locations").whereIn("id", locationIds).select("id", "provider_id");
  const providerIds = [...new Set(locations.map((l) => l.provider_id))];
  const overlaps = (q: Knex.QueryBuilder, fromCol: string, untilCol: string) =>
    q.where(fromCol, "<=", until).where((w) => w.whereNull(untilCol).orWhere(untilCol, ">=", from));

  const [rules, closures, scheduleRows, extras] = await Promise.all([
    overlaps(db("capacity_rules").whereIn("location_id", locationIds), "valid_from", "valid_until").select(
      "location_id",
      "weekday",
      "dagdeel",
      "places",
      "valid_from",
      "valid_until",
    ),
    db("closures")
      .whereIn("provider_id", providerIds)
      .where("starts_on", "<=", until)
      .where("ends_on", ">=", from)
      .select("id", "provider_id", "location_id", "starts_on", "ends_on", "dagdeel", "reason"),
    overlaps(
      db("schedules as s").join("schedule_slots as ss", "ss.schedule_id", "s.id").whereIn("s.location_id", locationIds),
      "s.valid_from",
      "s.valid_until",
    ).select("s.id", "s.client_id", "s.location_id", "s.valid_from", "s.valid_until", "s.week_parity", "ss.weekday", "ss.dagdeel"),
    db("attendance")
      .whereIn("location_id", locationIds)
      .where("status", "extra")
      .whereBetween("date", [from, until])
      .select("location_id", "client_id", "date", "dagdeel"),
  ]);

  type Row = { id: number; client_id: number; location_id: number; valid_from: string; valid_until: string | null; week_parity: WeekParity; weekday: number; dagdeel: Dagdeel };
  const schedules = new Map<number, OccupancyInputs["schedules"][number]>();
  for (const r of scheduleRows as Row[]) {
    const s = schedules.get(r.id) ?? { id: r.id, client_id: r.client_id, location_id: r.location_id, valid_from: r.valid_from, valid_until: r.valid_until, week_parity: r.week_parity, slots: [] };
    s.slots.push({ weekday: r.weekday, dagdeel: r.dagdeel });
    schedules.set(r.id, s);
  }
  return { locations, rules, closures, schedules: [...schedules.values()], extras };
}
