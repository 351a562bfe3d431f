import type { Knex } from "knex";
import type { Dagdeel } from "../domain/dagdeel";
import type { FundingContext, FundingSchedule } from "../domain/funding";
import { groupSlots } from "../domain/schedule";
import { readTogether } from "../db/dialect";

/**
 * The schedules, allocations and contracts that decide who pays for attendance of these
 * clients at these locations between two dates: four queries, whatever the number of rows.
 */
export async function loadFundingContext(
  db: Knex | Knex.Transaction,
  clientIds: number[],
  locationIds: number[],
  from: string,
  until: string,
  /** The schedules, when the caller has just read exactly these (same clients, locations and dates). */
  schedulesRead?: FundingSchedule[],
  /** These locations' providers, when the caller has just read them (a purchaser's month asks per provider). */
  locationsRead?: { id: number; provider_id: number }[],
): Promise<FundingContext> {
  if (clientIds.length === 0 || locationIds.length === 0) {
    return { locationProvider: new Map(), schedules: [], allocations: [], contracts: [] };
  }
  const locations: { id: number; provider_id: number }[] = locationsRead ?? (await db("locations").whereIn("id", locationIds).select("id", "provider_id"));
  const providerIds = [...new Set(locations.map((l) => l.provider_id))];
  const [scheduleRows, allocations, contracts] = await readTogether(db, [
    () => schedulesRead ?? db("schedules as s")
      .leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
      .whereIn("s.client_id", clientIds)
      .whereIn("s.location_id", locationIds)
      .where("s.valid_from", "<=", until)
      .where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", from))
      .select("s.id", "s.client_id", "s.location_id", "s.funding", "s.allocation_id", "s.contract_id", "s.product_id", "s.valid_from", "s.valid_until", "ss.weekday", "ss.dagdeel")
      // attribute() takes the first schedule that runs on a date: the latest start, then the latest made.
      .orderBy([{ column: "s.valid_from", order: "desc" }, { column: "s.id", order: "desc" }]),
    () => db("allocations as a")
      .join("products as p", "p.id", "a.product_id")
      .whereIn("a.client_id", clientIds)
      .whereIn("a.provider_id", providerIds)
      .where("a.valid_from", "<=", until)
      .where((w) => w.whereNull("a.valid_until").orWhere("a.valid_until", ">=", from))
      .select("a.id", "a.client_id", "a.purchaser_id", "a.provider_id", "a.product_id", "p.unit as product_unit", "a.valid_from", "a.valid_until")
      .orderBy("a.id"),
    // In id order: an extra visit without a schedule names the pair's first contract.
    () => db("contracts").whereIn("provider_id", providerIds).select("id", "purchaser_id", "provider_id").orderBy("id"),
  ]);
  const schedules: FundingSchedule[] = schedulesRead
    ? [...schedulesRead].sort((a, b) => (a.valid_from < b.valid_from ? 1 : a.valid_from > b.valid_from ? -1 : b.id - a.id))
    : groupSlots(scheduleRows as (Omit<FundingSchedule, "slots"> & { weekday: number | null; dagdeel: Dagdeel | null })[]);
  return {
    locationProvider: new Map(locations.map((l) => [l.id, l.provider_id])),
    schedules,
    allocations,
    contracts,
  };
}
