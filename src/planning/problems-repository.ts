import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { ContractLineSpan } from "../domain/booking-rules";
import type { Dagdeel } from "../domain/dagdeel";
import type { Slot } from "../domain/schedule";
import { joinedSlots, slotsOf } from "../db/sql";
import { Turns } from "../web/turns";
import { ALLOCATION_COLUMNS, allocationsWithNames, type AllocationRow, type ScheduleRow } from "./schedule-repository";

// What the problem lists look at, in four queries whatever the number of rows: the schedules
// that still run (and every schedule of a running "totaal" allocation, whose count reaches
// back to its start), the allocations that still run or fund such a schedule, all contract
// lines and the closures over the horizon.

export type ProblemSchedule = Omit<ScheduleRow, "created_by" | "created_at" | "updated_at"> & {
  client_name: string;
  location_name: string;
  provider_id: number;
  slots: Slot[];
};

export type ProblemAllocation = AllocationRow & { client_name: string };

/**
 * A region's running schedules (and the allocations counted) come in this many parts (by id),
 * one query each after the other: building twelve thousand rows in one driver callback held the
 * event loop for over 100 ms. A fixed number of queries, whatever the number of rows.
 */
export const SCHEDULE_PARTS = 4;

/** Counting needs no names: without them (`named` false) the rows come without the joins for them. */
export async function runningSchedules(db: Knex, scope: Scope, date: string, named = true): Promise<ProblemSchedule[]> {
  const totaal = db("allocations").where("frequency", "totaal").where((w) => w.whereNull("valid_until").orWhere("valid_until", ">=", date)).select("id");
  // One row per schedule, its slots joined ("1ochtend,3middag"): a region runs twelve thousand.
  const part = (k: number) => {
    const q = db("schedules as s")
      .join("locations as l", "l.id", "s.location_id")
      .leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
      .where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", date).orWhereIn("s.allocation_id", totaal))
      .whereRaw("s.id % ? = ?", [SCHEDULE_PARTS, k])
      .select(
        "s.id", "s.client_id", "s.location_id", "l.provider_id", "s.funding", "s.allocation_id", "s.contract_id", "s.product_id",
        "s.valid_from", "s.valid_until", "s.week_parity", { slots: joinedSlots(db) },
      );
    if (named) {
      q.join("clients as c", "c.id", "s.client_id")
        .select(db.raw("c.first_name || ' ' || c.last_name as client_name"), "l.name as location_name")
        .groupBy("s.id", "c.first_name", "c.last_name", "l.name", "l.provider_id");
    } else q.select(db.raw("'' as client_name"), db.raw("'' as location_name")).groupBy("s.id", "l.provider_id");
    return scope.providers(q, "l.provider_id") as Promise<(Omit<ProblemSchedule, "slots"> & { slots: string | null })[]>;
  };
  const out: ProblemSchedule[] = [];
  const turns = new Turns();
  for (let k = 0; k < SCHEDULE_PARTS; k++) {
    for (const r of await part(k)) {
      // The row itself becomes the schedule (no copy of twelve thousand rows): its slots read back.
      const schedule = r as unknown as ProblemSchedule;
      schedule.slots = slotsOf(r.slots);
      out.push(schedule);
      if (turns.due()) await turns.pass();
    }
  }
  // By start, then id (ISO dates compare alike as text everywhere).
  return out.sort((a, b) => (a.valid_from < b.valid_from ? -1 : a.valid_from > b.valid_from ? 1 : a.id - b.id));
}

/**
 * Allocations that run on or after the date, or fund a schedule that does. Without names (the
 * counts: thousands of rows) in parts by id as the schedules are; with names in one read, in
 * the clients' order.
 */
export async function relevantAllocations(db: Knex, scope: Scope, date: string, named = true): Promise<ProblemAllocation[]> {
  const funding = db("schedules").whereNotNull("allocation_id").where((w) => w.whereNull("valid_until").orWhere("valid_until", ">=", date)).select("allocation_id");
  const running = (q: Knex.QueryBuilder) => q.where((w) => w.whereNull("a.valid_until").orWhere("a.valid_until", ">=", date).orWhereIn("a.id", funding));
  const scoped = (q: Knex.QueryBuilder): Promise<ProblemAllocation[]> => scope.purchasers(scope.providers(q, "a.provider_id"), "a.purchaser_id");
  if (named) {
    return scoped(
      running(allocationsWithNames(db).join("clients as c", "c.id", "a.client_id"))
        .select([...ALLOCATION_COLUMNS, db.raw("c.first_name || ' ' || c.last_name as client_name")])
        .orderBy([{ column: "c.sort_key" }, { column: "a.valid_from" }]),
    );
  }
  const out: ProblemAllocation[] = [];
  for (let k = 0; k < SCHEDULE_PARTS; k++) {
    out.push(
      ...(await scoped(
        running(db("allocations as a").join("products as p", "p.id", "a.product_id"))
          .whereRaw("a.id % ? = ?", [SCHEDULE_PARTS, k])
          .select(
            "a.id", "a.client_id", "a.purchaser_id", "a.provider_id", "a.product_id", "p.unit as product_unit", "a.volume", "a.frequency",
            "a.valid_from", "a.valid_until", "a.reference", db.raw("'' as purchaser_name"), db.raw("'' as provider_name"), db.raw("'' as product_name"), db.raw("'' as client_name"),
          ),
      )),
    );
  }
  return out.sort((a, b) => a.id - b.id);
}

export function allContractLines(db: Knex): Promise<ContractLineSpan[]> {
  return db("contract_lines as cl")
    .join("contracts as c", "c.id", "cl.contract_id")
    .select(
      "c.id as contract_id", "c.provider_id", "c.purchaser_id", "c.status", "cl.product_id",
      "c.valid_from as contract_from", "c.valid_until as contract_until", "cl.valid_from as line_from", "cl.valid_until as line_until",
    );
}

export type ProblemClosure = { provider_id: number; location_id: number | null; starts_on: string; ends_on: string; dagdeel: Dagdeel | null };

export function closuresBetween(db: Knex, from: string, until: string): Promise<ProblemClosure[]> {
  return db("closures").where("starts_on", "<=", until).where("ends_on", ">=", from).select("provider_id", "location_id", "starts_on", "ends_on", "dagdeel");
}
