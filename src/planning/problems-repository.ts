import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { Frequency } from "../domain/allocation";
import type { ContractLineSpan } from "../domain/booking-rules";
import type { Dagdeel } from "../domain/dagdeel";
import type { Funding } from "../domain/funding";
import type { Slot, WeekParity } from "../domain/schedule";

// What the problem lists look at, in four queries whatever the number of rows: the schedules
// that still run (and every schedule of a running "totaal" allocation, whose count reaches
// back to its start), the allocations that still run or fund such a schedule, all contract
// lines and the closures over the horizon.

export type ProblemSchedule = {
  id: number;
  client_id: number;
  client_name: string;
  location_id: number;
  location_name: string;
  provider_id: number;
  funding: Funding;
  allocation_id: number | null;
  contract_id: number | null;
  product_id: number | null;
  valid_from: string;
  valid_until: string | null;
  week_parity: WeekParity;
  slots: Slot[];
};

export type ProblemAllocation = {
  id: number;
  client_id: number;
  client_name: string;
  purchaser_id: number;
  purchaser_name: string;
  provider_id: number;
  provider_name: string;
  product_id: number;
  product_name: string;
  product_unit: string;
  volume: number;
  frequency: Frequency;
  valid_from: string;
  valid_until: string | null;
  reference: string;
};

export async function runningSchedules(db: Knex, scope: Scope, date: string): Promise<ProblemSchedule[]> {
  const totaal = db("allocations").where("frequency", "totaal").where((w) => w.whereNull("valid_until").orWhere("valid_until", ">=", date)).select("id");
  const q = db("schedules as s")
    .join("clients as c", "c.id", "s.client_id")
    .join("locations as l", "l.id", "s.location_id")
    .leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
    .where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", date).orWhereIn("s.allocation_id", totaal))
    .select(
      "s.id", "s.client_id", db.raw("c.first_name || ' ' || c.last_name as client_name"), "s.location_id", "l.name as location_name",
      "l.provider_id", "s.funding", "s.allocation_id", "s.contract_id", "s.product_id", "s.valid_from", "s.valid_until", "s.week_parity",
      "ss.weekday", "ss.dagdeel",
    )
    .orderBy([{ column: "s.valid_from" }, { column: "s.id" }]);
  const rows: (Omit<ProblemSchedule, "slots"> & { weekday: number | null; dagdeel: Dagdeel | null })[] = await scope.providers(q, "l.provider_id");
  const byId = new Map<number, ProblemSchedule>();
  for (const { weekday, dagdeel, ...rest } of rows) {
    const s = byId.get(rest.id) ?? { ...rest, slots: [] };
    if (weekday !== null && dagdeel !== null) s.slots.push({ weekday, dagdeel });
    byId.set(rest.id, s);
  }
  return [...byId.values()];
}

/** Allocations that run on or after the date, or fund a schedule that does. */
export function relevantAllocations(db: Knex, scope: Scope, date: string): Promise<ProblemAllocation[]> {
  const funding = db("schedules").whereNotNull("allocation_id").where((w) => w.whereNull("valid_until").orWhere("valid_until", ">=", date)).select("allocation_id");
  const q = db("allocations as a")
    .join("clients as c", "c.id", "a.client_id")
    .join("products as p", "p.id", "a.product_id")
    .join("organisations as pu", "pu.id", "a.purchaser_id")
    .join("organisations as pr", "pr.id", "a.provider_id")
    .where((w) => w.whereNull("a.valid_until").orWhere("a.valid_until", ">=", date).orWhereIn("a.id", funding))
    .select(
      "a.id", "a.client_id", db.raw("c.first_name || ' ' || c.last_name as client_name"), "a.purchaser_id", "pu.name as purchaser_name",
      "a.provider_id", "pr.name as provider_name", "a.product_id", "p.name as product_name", "p.unit as product_unit", "a.volume",
      "a.frequency", "a.valid_from", "a.valid_until", "a.reference",
    )
    .orderBy([{ column: "c.last_name" }, { column: "c.first_name" }, { column: "a.valid_from" }]);
  return scope.purchasers(scope.providers(q, "a.provider_id"), "a.purchaser_id");
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
