import type { Knex } from "knex";
import { readTogether } from "../db/dialect";
import { billableUnits, type AttributedRow, type BillingContract, type RideAllocation } from "../domain/billing";
import { isClosedOn, type ClosureSpan } from "../domain/closures";
import type { Dagdeel } from "../domain/dagdeel";
import { attribute, type FundingContext } from "../domain/funding";
import type { BillableUnit } from "../domain/pricing";
import { dateOfDayNumber, dayNumber, expandSchedule, groupSlots } from "../domain/schedule";
import { loadFundingContext } from "../funding/repository";
import { closuresOfProviders } from "../occupancy/repository";
import type { AttendanceRow as AttendanceTableRow } from "../attendance/repository";
import type { ScheduleRow as ScheduleTableRow } from "../planning/schedule-repository";
import { Turns } from "../web/turns";

// Billable units straight from the rows: attended dagdelen (realised) and the schedules'
// occurrences (planned), each attributed with the shared `attribute()` and counted with the
// shared billing rules. A fixed number of queries, whatever the number of clients or days.

type Db = Knex | Knex.Transaction;

export const CANDIDATE_STATUSES = ["aanwezig", "extra", "niet_verschenen"] as const;

export type AttendanceRow = Pick<AttendanceTableRow, "client_id" | "location_id" | "date" | "dagdeel" | "status">;
export type PairKey = string; // "provider|purchaser"
export const pairKey = (providerId: number, purchaserId: number): PairKey => `${providerId}|${purchaserId}`;

function rideAllocations(ctx: FundingContext): RideAllocation[] {
  return ctx.allocations
    .filter((a) => a.product_unit === "rit")
    .map((a) => ({ id: a.id, client_id: a.client_id, purchaser_id: a.purchaser_id, provider_id: a.provider_id, product_id: a.product_id, valid_from: a.valid_from, valid_until: a.valid_until }));
}

/**
 * Attributes rows and turns them into billable units per provider × purchaser pair, using
 * each pair's contracts for the no-show rule and the pricing contract.
 */
export function unitsByPair(
  rows: AttendanceRow[],
  ctx: FundingContext,
  contracts: BillingContract[],
  pairs: { providerId: number; purchaserId: number }[],
): Map<PairKey, BillableUnit[]> {
  const grouped = new Map<PairKey, AttributedRow[]>();
  for (const r of rows) attributeInto(grouped, ctx, r);
  const rides = rideAllocations(ctx);
  const out = new Map<PairKey, BillableUnit[]>();
  for (const pair of pairs) billPair(out, grouped, contracts, rides, pair);
  return out;
}

/**
 * The same, handing the event loop back between slices of rows (src/web/turns.ts): a
 * region's month of attendance is attributed row by row.
 */
export async function unitsByPairInTurns(
  rows: AttendanceRow[],
  ctx: FundingContext,
  contracts: BillingContract[],
  pairs: { providerId: number; purchaserId: number }[],
): Promise<Map<PairKey, BillableUnit[]>> {
  const turns = new Turns();
  const grouped = new Map<PairKey, AttributedRow[]>();
  for (const r of rows) {
    attributeInto(grouped, ctx, r);
    if (turns.due()) await turns.pass();
  }
  const rides = rideAllocations(ctx);
  const out = new Map<PairKey, BillableUnit[]>();
  for (const pair of pairs) {
    billPair(out, grouped, contracts, rides, pair);
    await turns.pass();
  }
  return out;
}

function attributeInto(grouped: Map<PairKey, AttributedRow[]>, ctx: FundingContext, r: AttendanceRow): void {
  const providerId = ctx.locationProvider.get(r.location_id);
  if (providerId === undefined) return;
  const attribution = attribute(ctx, r);
  if (attribution.purchaser_id === null) return;
  const key = pairKey(providerId, attribution.purchaser_id);
  const list = grouped.get(key);
  const row = { client_id: r.client_id, location_id: r.location_id, date: r.date, status: r.status, attribution };
  if (list) list.push(row);
  else grouped.set(key, [row]);
}

function billPair(
  out: Map<PairKey, BillableUnit[]>,
  grouped: Map<PairKey, AttributedRow[]>,
  contracts: BillingContract[],
  rides: RideAllocation[],
  { providerId, purchaserId }: { providerId: number; purchaserId: number },
): void {
  const key = pairKey(providerId, purchaserId);
  const pairContracts = contracts.filter((c) => c.provider_id === providerId && c.purchaser_id === purchaserId);
  out.set(key, billableUnits(grouped.get(key) ?? [], { purchaserId, providerId, contracts: pairContracts, rides }));
}

/** The providers of these pairs and their locations: one query. */
export async function locationsOfPairs(db: Db, pairs: { providerId: number }[]): Promise<{ providerIds: number[]; locations: { id: number; provider_id: number }[] }> {
  const providerIds = [...new Set(pairs.map((p) => p.providerId))];
  if (providerIds.length === 0) return { providerIds, locations: [] };
  return { providerIds, locations: await db("locations").whereIn("provider_id", providerIds).select("id", "provider_id") };
}

/** Attended (realised) billable units of these pairs between two dates: five queries. */
export async function realisedUnits(
  db: Db,
  pairs: { providerId: number; purchaserId: number }[],
  contracts: BillingContract[],
  from: string,
  until: string,
): Promise<Map<PairKey, BillableUnit[]>> {
  return realisedUnitsIn(db, pairs, contracts, [{ from, until }]);
}

/**
 * The same within several windows of dates at once (each from ≤ until), each for every pair or
 * only for one provider's locations (`providerId`): still five queries.
 */
export async function realisedUnitsIn(
  db: Db,
  pairs: { providerId: number; purchaserId: number }[],
  contracts: BillingContract[],
  windows: { from: string; until: string; providerId?: number }[],
): Promise<Map<PairKey, BillableUnit[]>> {
  const open = windows.filter((w) => w.from <= w.until);
  const { locations } = await locationsOfPairs(db, pairs);
  if (locations.length === 0 || open.length === 0) return new Map();
  const ids = (providerId?: number) => locations.filter((l) => providerId === undefined || l.provider_id === providerId).map((l) => l.id);
  const from = open.reduce((m, w) => (w.from < m ? w.from : m), open[0].from);
  const until = open.reduce((m, w) => (w.until > m ? w.until : m), open[0].until);
  // The rows in ROW_PARTS stretches of dates, one query after the other and concatenated (their
  // order is the one order by date): a gemeente's months of attendance made into objects in one
  // driver callback held the event loop for 45 ms on SQLite, whose driver builds every row of a
  // result at once. A fixed number of queries, whatever the number of rows.
  const rows: AttendanceRow[] = [];
  for (const part of dateParts(from, until, ROW_PARTS)) {
    const partRows: AttendanceRow[] = await db("attendance")
      .whereIn("location_id", ids())
      .whereBetween("date", [part.from, part.until])
      .where((w) => {
        for (const { from, until, providerId } of open) w.orWhere((one) => one.whereIn("location_id", ids(providerId)).whereBetween("date", [from, until]));
      })
      // The statuses as an expression, so the plan reads the locations' dates through the
      // (location, date, …) index: SQLite's sampled statistics rate (status, date) as selective,
      // and through it a gemeente's crossing months read the whole region's candidate rows of
      // those months (0.6–1.4 s for 16,000 rows kept). status is never null.
      .whereIn(db.raw("coalesce(??, '')", ["status"]) as unknown as string, [...CANDIDATE_STATUSES]) // knex takes a raw column; its types do not say so
      .select("client_id", "location_id", "date", "dagdeel", "status")
      .orderBy([{ column: "date" }, { column: "client_id" }, { column: "dagdeel", order: "desc" }]);
    for (const r of partRows) rows.push(r);
  }
  const ctx = await loadFundingContext(db, [...new Set(rows.map((r) => r.client_id))], locations.map((l) => l.id), from, until, undefined, locations);
  return unitsByPairInTurns(rows, ctx, contracts, pairs);
}

/** How many stretches of dates the realised rows are read in. */
export const ROW_PARTS = 4;

/**
 * `from`–`until` cut into `parts` stretches of whole days, in order, that together cover it
 * exactly (a stretch is empty, from after until, when there are fewer days than parts).
 */
export function dateParts(from: string, until: string, parts: number): { from: string; until: string }[] {
  const first = dayNumber(from);
  const days = dayNumber(until) - first + 1;
  return Array.from({ length: parts }, (_, k) => ({
    from: dateOfDayNumber(first + Math.floor((k * days) / parts)),
    until: dateOfDayNumber(first + Math.floor(((k + 1) * days) / parts) - 1),
  }));
}

/** A schedule joined with one of its slots. */
type ScheduleRow = Pick<ScheduleTableRow, "id" | "client_id" | "location_id" | "valid_from" | "valid_until" | "week_parity"> & { weekday: number; dagdeel: Dagdeel };

/**
 * Planned billable units of these pairs between two dates: every schedule's occurrences
 * (closures left out), as if attended. Seven queries.
 */
export async function plannedUnits(
  db: Db,
  pairs: { providerId: number; purchaserId: number }[],
  contracts: BillingContract[],
  from: string,
  until: string,
): Promise<Map<PairKey, BillableUnit[]>> {
  const { providerIds, locations } = await locationsOfPairs(db, pairs);
  if (locations.length === 0 || until < from) return new Map();
  const locationIds = locations.map((l) => l.id);
  // Both at once on the pool; one after another when asked inside a transaction (one connection).
  const [scheduleRows, closures] = await readTogether(db, [
    () => db("schedules as s")
      .join("schedule_slots as ss", "ss.schedule_id", "s.id")
      .whereIn("s.location_id", locationIds)
      .where("s.valid_from", "<=", until)
      .where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", from))
      .select("s.id", "s.client_id", "s.location_id", "s.valid_from", "s.valid_until", "s.week_parity", "ss.weekday", "ss.dagdeel")
      // The first schedule planning a client's dagdeel plans it: the oldest made.
      .orderBy(["s.id", "ss.weekday", "ss.dagdeel"]) as Promise<ScheduleRow[]>,
    () => closuresOfProviders(db, providerIds, from, until),
  ]);
  const providerOf = new Map(locations.map((l) => [l.id, l.provider_id]));
  const rows: AttendanceRow[] = [];
  const seen = new Set<string>();
  for (const p of groupSlots(scheduleRows)) {
    const own = closures.filter((c) => c.provider_id === providerOf.get(p.location_id));
    const isClosed = (date: string, dagdeel: Dagdeel) => isClosedOn(own, p.location_id, date, dagdeel);
    for (const o of expandSchedule(p, from, until, isClosed)) {
      // One client is in one place per dagdeel: two schedules covering it plan it once.
      const key = `${p.client_id}|${o.date}|${o.dagdeel}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({ client_id: p.client_id, location_id: p.location_id, date: o.date, dagdeel: o.dagdeel, status: "aanwezig" });
    }
  }
  rows.sort((a, b) => a.date.localeCompare(b.date) || a.client_id - b.client_id);
  const ctx = await loadFundingContext(db, [...new Set(rows.map((r) => r.client_id))], locationIds, from, until);
  return unitsByPair(rows, ctx, contracts, pairs);
}
