import type { Knex } from "knex";
import { RIDES_PER_DAY, type BillingContract } from "../domain/billing";
import type { Dagdeel } from "../domain/dagdeel";
import { dayNumber } from "../domain/schedule";
import { isoDayNumber, weekRhythm } from "../domain/fast-calendar";
import { attribute, type Funding, type FundingSchedule } from "../domain/funding";
import type { FundingContext } from "../domain/funding";
import { RIDE_STATUS, type TallyKind } from "../domain/use-tally";
import { loadFundingContext } from "../funding/repository";
import { contractFor, UnitsByContract, type PairContracts } from "./use-months";
import { closuresOfProviders } from "../occupancy/repository";
import { locationsOfPairs, pairKey, unitsByPairInTurns, type AttendanceRow } from "./units-repository";
import { Turns } from "../web/turns";
import { expandSchedule, dateOfDayNumber, weekdayOfDayNumber, type WeekParity } from "../domain/schedule";
import { joinedSlots, slotsOf } from "../db/sql";
import { addToGroup } from "../domain/groups";

// Planned use from the schedules, counted per week pattern: a schedule's dagdelen are counted
// per month (or per day in a month counted day by day) by stepping through the weeks it runs,
// instead of one row per planned dagdeel attributed one by one. A client with more than one
// schedule in the window (where two could plan the same dagdeel, or attribute() could pick
// another one) goes the reference way: every occurrence, deduplicated, attributed.
// plannedUnits() in units-repository.ts is the reference; test/unit/use-fast.test.ts compares.

type Db = Knex | Knex.Transaction;

type PlannedSchedule = {
  id: number;
  client_id: number;
  location_id: number;
  valid_from: string;
  valid_until: string | null;
  week_parity: WeekParity;
  slots: { weekday: number; dagdeel: Dagdeel }[];
};

type Closure = { provider_id: number; location_id: number | null; starts_on: string; ends_on: string; dagdeel: Dagdeel | null };

const DD: Record<Dagdeel, number> = { ochtend: 0, middag: 1 };

/** One number per location, day and dagdeel (day numbers stay below 100,000 until the year 2243). */
const cellNumber = (location: number, n: number, dagdeel: number) => (location * 100_000 + n) * 2 + dagdeel;

/** Which (location, day, dagdeel) are closed in the window, as a set of numbers. */
function closedCells(closures: Closure[], locationsOf: Map<number, number[]>, fromN: number, untilN: number): Set<number> {
  const closed = new Set<number>();
  for (const c of closures) {
    const start = Math.max(fromN, isoDayNumber(c.starts_on));
    const end = Math.min(untilN, isoDayNumber(c.ends_on));
    for (const loc of c.location_id === null ? (locationsOf.get(c.provider_id) ?? []) : [c.location_id]) {
      for (let n = start; n <= end; n++) {
        if (c.dagdeel !== "middag") closed.add(cellNumber(loc, n, 0));
        if (c.dagdeel !== "ochtend") closed.add(cellNumber(loc, n, 1));
      }
    }
  }
  return closed;
}

export async function plannedUse(
  db: Db,
  pairs: Map<string, PairContracts>,
  billing: BillingContract[],
  from: string,
  until: string,
): Promise<UnitsByContract> {
  const out = new UnitsByContract();
  if (pairs.size === 0 || until < from) return out;
  const { providerIds, locations } = await locationsOfPairs(db, [...pairs.keys()].map((k) => ({ providerId: Number(k.split("|")[0]) })));
  if (locations.length === 0) return out;
  const locationIds = locations.map((l) => l.id);
  const [scheduleRows, closures] = await Promise.all([
    // Every schedule at these locations in the window with its slots and funding: the patterns
    // to count and, the same rows, the schedules attribute() chooses from. One row per schedule,
    // its slots joined ("1ochtend,3middag"): three times fewer rows to read.
    db("schedules as s")
      .leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id")
      .whereIn("s.location_id", locationIds)
      .where("s.valid_from", "<=", until)
      .where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", from))
      .groupBy("s.id")
      .select("s.id", "s.client_id", "s.location_id", "s.funding", "s.allocation_id", "s.contract_id", "s.product_id", "s.valid_from", "s.valid_until", "s.week_parity", { slots: joinedSlots(db) })
      .orderBy("s.id") as Promise<(Omit<PlannedSchedule & FundingSchedule, "slots"> & { slots: string | null })[]>,
    closuresOfProviders(db, providerIds, from, until) as Promise<Closure[]>,
  ]);
  // Each row becomes its schedule, its slots read back: no copy of every row.
  const read: (PlannedSchedule & FundingSchedule)[] = scheduleRows.map((r) => {
    const schedule = r as unknown as PlannedSchedule & FundingSchedule;
    schedule.slots = slotsOf(r.slots);
    return schedule;
  });
  const schedules = read.filter((s) => s.slots.length > 0) as (PlannedSchedule & FundingSchedule)[];
  if (schedules.length === 0) return out;
  const ctx = await loadFundingContext(db, [...new Set(read.map((s) => s.client_id))], locationIds, from, until, read);

  const providerOf = new Map(locations.map((l) => [l.id, l.provider_id]));
  const allocationById = new Map(ctx.allocations.map((a) => [a.id, a]));
  // Ride allocations per client, in the order billableUnits() looks through them.
  const ridesOf = new Map<number, { purchaser: number; provider: number; product: number; from: number; until: number }[]>();
  for (const x of ctx.allocations) {
    if (x.product_unit !== "rit") continue;
    const ride = { purchaser: x.purchaser_id, provider: x.provider_id, product: x.product_id, from: isoDayNumber(x.valid_from), until: x.valid_until === null ? Infinity : isoDayNumber(x.valid_until) };
    addToGroup(ridesOf, x.client_id, ride);
  }
  const locationsOf = new Map<number, number[]>();
  for (const l of locations) addToGroup(locationsOf, l.provider_id, l.id);
  const fromN = dayNumber(from);
  const untilN = dayNumber(until);
  const closed = closedCells(closures, locationsOf, fromN, untilN);
  const isClosed = (location: number, n: number, dagdeel: Dagdeel) => closed.has(cellNumber(location, n, DD[dagdeel]));
  // Per day of the window: its date, and the month it is in (the buckets counts go into).
  const days = untilN - fromN + 1;
  const dayText: string[] = [];
  const monthOfDay = new Int32Array(days);
  const months: string[] = [];
  for (let d = 0; d < days; d++) {
    const date = dateOfDayNumber(fromN + d);
    dayText.push(date);
    if (months.length === 0 || months[months.length - 1] !== date.slice(0, 7)) months.push(date.slice(0, 7));
    monthOfDay[d] = months.length - 1;
  }
  const dateOf = (n: number) => dayText[n - fromN];
  const dailyMonths = new Map<PairContracts, Uint8Array>();
  const dailyOf = (pair: PairContracts) => {
    let flags = dailyMonths.get(pair);
    if (!flags) dailyMonths.set(pair, (flags = Uint8Array.from(months, (m) => (pair.daily.has(m) ? 1 : 0))));
    return flags;
  };
  /** A bucket: a day (for a month counted day by day) or a month; and the date it is counted on. */
  const bucketOf = (daily: Uint8Array, d: number) => (daily[monthOfDay[d]] ? d : days + monthOfDay[d]);
  const dateOfBucket = (b: number) => (b < days ? dayText[b] : `${months[b - days]}-01`);

  // A client whose schedules here never run on the same day is counted schedule by schedule;
  // one with overlapping schedules (a dagdeel planned twice, attribute() choosing) the reference way.
  const perClient = new Map<number, (PlannedSchedule & FundingSchedule)[]>();
  for (const s of schedules) addToGroup(perClient, s.client_id, s);
  const complex: PlannedSchedule[] = [];
  // A client's patterns run up to five years: the clock is read every few clients.
  const turns = new Turns(4);
  for (const own of perClient.values()) {
    if (turns.due()) await turns.pass();
    const sorted = [...own].sort((a, b) => (a.valid_from < b.valid_from ? -1 : a.valid_from > b.valid_from ? 1 : 0));
    const apart = sorted.every((x, i) => i === 0 || (sorted[i - 1].valid_until !== null && sorted[i - 1].valid_until! < x.valid_from));
    if (apart) for (const x of own) countPattern(x);
    else complex.push(...own);
  }
  if (complex.length > 0) await countTheReferenceWay(complex);
  return out;

  /** A schedule that alone plans its client's days: its attribution is the same on every one of them. */
  function countPattern(s: PlannedSchedule & FundingSchedule): void {
    const providerId = providerOf.get(s.location_id)!;
    let startN = Math.max(fromN, isoDayNumber(s.valid_from));
    let endN = Math.min(untilN, s.valid_until === null ? untilN : isoDayNumber(s.valid_until));
    // An allocation pays within its own period only: outside it the schedule's dagdelen fall under nobody.
    const allocation = s.funding === "toewijzing" && s.allocation_id !== null ? allocationById.get(s.allocation_id) : undefined;
    if (allocation) {
      startN = Math.max(startN, isoDayNumber(allocation.valid_from));
      if (allocation.valid_until !== null) endN = Math.min(endN, isoDayNumber(allocation.valid_until));
    }
    if (endN < startN || s.slots.length === 0) return;
    const runs = weekRhythm(s);
    // Attributed on a day the schedule plans: on any other day attribute() falls back to the
    // client's first schedule at the location, which may be another one (one without slots, say).
    const first = firstPlannedDay(s, runs, startN, endN);
    if (first === null) return;
    const a = attribute(ctx, { client_id: s.client_id, location_id: s.location_id, date: dateOf(first.n), dagdeel: first.dagdeel });
    if (a.purchaser_id === null || a.product_id === null) return;
    const pair = pairs.get(pairKey(providerId, a.purchaser_id));
    if (!pair) return;
    const kind = kindOf(a.funding, a.allocation_id, a.contract_id);
    if (kind === null) return;
    const counted = { kind, named_contract_id: a.contract_id ?? 0, via_schedule: true, product_id: a.product_id, status: "aanwezig" };
    const rides = kind === "toewijzing" ? (ridesOf.get(s.client_id) ?? []).filter((x) => x.purchaser === a.purchaser_id && x.provider === providerId) : [];
    const daily = dailyOf(pair);
    const firstWeekday = weekdayOfDayNumber(startN);
    const dagdelen = new Map<number, number>();
    const rideDays = new Map<number, Map<number, number>>();
    for (const weekday of new Set(s.slots.map((x) => x.weekday))) {
      const ofDay = s.slots.filter((x) => x.weekday === weekday).map((x) => DD[x.dagdeel]);
      for (let n = startN + ((weekday - firstWeekday + 7) % 7); n <= endN; n += 7) {
        if (!runs(n)) continue;
        let open = 0;
        for (const dd of ofDay) if (!closed.has(cellNumber(s.location_id, n, dd))) open++;
        if (open === 0) continue;
        const bucket = bucketOf(daily, n - fromN);
        dagdelen.set(bucket, (dagdelen.get(bucket) ?? 0) + open);
        const ride = rides.find((x) => x.from <= n && n <= x.until);
        if (ride) {
          let perBucket = rideDays.get(ride.product);
          if (!perBucket) rideDays.set(ride.product, (perBucket = new Map()));
          perBucket.set(bucket, (perBucket.get(bucket) ?? 0) + 1);
        }
      }
    }
    for (const [bucket, n] of dagdelen) {
      const on = dateOfBucket(bucket);
      const contract = contractFor(pair, counted, on);
      if (contract !== null) out.add(contract, counted.product_id, on, n);
    }
    for (const [product, perBucket] of rideDays) {
      const ride = { ...counted, kind: "rit" as const, product_id: product, status: RIDE_STATUS };
      for (const [bucket, n] of perBucket) {
        const on = dateOfBucket(bucket);
        const contract = contractFor(pair, ride, on);
        if (contract !== null) out.add(contract, product, on, n * RIDES_PER_DAY);
      }
    }
  }

  /** Clients with several schedules: every occurrence, once per dagdeel, through billableUnits(). */
  async function countTheReferenceWay(list: PlannedSchedule[]): Promise<void> {
    const rows: AttendanceRow[] = [];
    const seen = new Set<string>();
    for (const s of [...list].sort((x, y) => x.id - y.id)) {
      const providerId = providerOf.get(s.location_id);
      for (const o of expandSchedule(s, from, until, (date, dagdeel) => isClosed(s.location_id, isoDayNumber(date), dagdeel))) {
        const k = `${s.client_id}|${o.date}|${o.dagdeel}`;
        if (seen.has(k) || providerId === undefined) continue;
        seen.add(k);
        rows.push({ client_id: s.client_id, location_id: s.location_id, date: o.date, dagdeel: o.dagdeel, status: "aanwezig" });
      }
    }
    rows.sort((a, b) => a.date.localeCompare(b.date) || a.client_id - b.client_id);
    const wanted = [...pairs.keys()].map((k) => ({ providerId: Number(k.split("|")[0]), purchaserId: Number(k.split("|")[1]) }));
    for (const [key, units] of await unitsByPairInTurns(rows, ctx as FundingContext, billing, wanted)) {
      const pair = pairs.get(key)!;
      for (const u of units) {
        if (u.contract_id === null) continue;
        const month = u.date.slice(0, 7);
        out.add(u.contract_id, u.product_id, pair.daily.has(month) ? u.date : `${month}-01`, u.units);
      }
    }
  }
}

/** The first day from `startN` to `endN` on which the schedule plans a dagdeel (its week rhythm and a slot's weekday), or null. */
function firstPlannedDay(s: PlannedSchedule, runs: (n: number) => boolean, startN: number, endN: number): { n: number; dagdeel: Dagdeel } | null {
  // Two weeks hold every weekday of an every-other-week rhythm once.
  for (let n = startN; n <= Math.min(endN, startN + 13); n++) {
    if (!runs(n)) continue;
    const weekday = weekdayOfDayNumber(n);
    const slot = s.slots.find((x) => x.weekday === weekday);
    if (slot) return { n, dagdeel: slot.dagdeel };
  }
  return null;
}

function kindOf(funding: Funding | null, allocationId: number | null, contractId: number | null): TallyKind | null {
  if (funding === "toewijzing" && allocationId !== null) return "toewijzing";
  if (funding === "subsidie" && contractId !== null) return "subsidie";
  return null;
}
