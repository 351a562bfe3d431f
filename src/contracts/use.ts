import type { Knex } from "knex";
import { readTogether } from "../db/dialect";
import type { BillingContract } from "../domain/billing";
import { budgetForecast, utilisation, type BudgetForecast, type UsageUnit } from "../domain/utilisation";
import { closuresOfProviders } from "../occupancy/repository";
import { pairTallies } from "../use/repository";
import { KeptAnswers, keptAt, keyOf } from "../data-version/kept";
import { currentUseVersion } from "../use/version";
import { giveWay, Turns } from "../web/turns";
import { plannedUse } from "./planned";
import { contractsOfProviders, linesOf, type ContractRow, type LineRow } from "./repository";
import { pairKey, realisedUnitsIn } from "./units-repository";
import { monthEnd, realisedInMonths } from "./realised-months";
import { contractFor, pairContracts, UnitsByContract, type PairContracts } from "./use-months";
import { pairsOf, toBillingContract, type ContractUse } from "./use-reference";
import { useWindow } from "./use-window";
import { addToGroup } from "../domain/groups";

export type { ContractUse } from "./use-reference";
export { toBillingContract } from "./use-reference";

// The use of many contracts at once, for the contract page, the overviews and the purchaser's
// home: realised from the contract's start up to today, planned from tomorrow to its end,
// through the reference utilisation(). Realised comes from the monthly use tallies (kept by
// src/use/, counted through attribute()), a month in which a contract or tariff starts or ends
// mid-month from the attendance rows of that month; planned from the schedules per week pattern
// (planned.ts). A fixed number of queries, whatever the number of contracts, clients and days.
// use-reference.ts is the slow reference it equals (test/unit/use-fast.test.ts). The answer is
// kept against the use version and the rows it was computed from (src/data-version/kept.ts).

type Computed = Pick<ContractUse, "use" | "plannedUntil" | "forecast">;

/** A few answers per database handle: the home page's, a page or two of an overview. */
const keptUse = new KeptAnswers<Map<number, Computed>>(12);

/**
 * Planned use does not change with attendance, which raises the use version all day long at
 * region scale (every dagdeel recorded anywhere): it is kept apart, against the problems
 * version, which every write to schedules, slots, allocations, closures, contracts, lines,
 * products and locations raises (src/data-version/watched.ts), and the rows in its key. After
 * a dagdeel was recorded a gemeente's contracts then count only their realised use again.
 * Read-only once kept: callers only take copies (UnitsByContract.of).
 */
const keptPlans = new KeptAnswers<UnitsByContract>(24);
const keptPlan = (db: Knex, key: unknown[], compute: () => Promise<UnitsByContract>) => keptAt(keptPlans, db, "problems", keyOf(key), compute);

export async function useOfContracts(db: Knex, contracts: ContractRow[], today: string): Promise<Map<number, ContractUse>> {
  const out = new Map<number, ContractUse>();
  if (contracts.length === 0) return out;
  const pairs = pairsOf(contracts);
  const providerIds = [...new Set(pairs.map((p) => p.providerId))];
  const purchaserIds = [...new Set(pairs.map((p) => p.purchaserId))];
  const wanted = new Set(pairs.map((p) => pairKey(p.providerId, p.purchaserId)));
  const { signed, realisedFrom, realisedUntil, planFrom, horizon, planUntil } = useWindow(contracts, today);
  // The use version, the pairs' contracts with their lines, and the closures at once (on
  // PostgreSQL two round trips instead of four one after the other). The version is still read
  // before everything computed under it (inside the kept answer); these rows are in the key.
  // Closures shape the planned use and have no part in the use version: their rows go in the key.
  const [version, [everyContract, allLines], closures] = await readTogether(db, [
    () => currentUseVersion(db),
    async () => {
      const every = (await contractsOfProviders(db, providerIds)).filter((c) => wanted.has(pairKey(c.provider_id, c.purchaser_id)));
      return [every, await linesOf(db, every.map((c) => c.id))] as const;
    },
    async () => (planFrom <= planUntil ? closuresOfProviders(db, providerIds, planFrom, planUntil) : []),
  ]);
  const billing = everyContract.map(toBillingContract);
  const linesByContract = new Map<number, typeof allLines>();
  for (const l of allLines) addToGroup(linesByContract, l.contract_id, l);
  const linesOfContract = (id: number) => linesByContract.get(id) ?? [];
  const ofPair = new Map<string, typeof billing>();
  for (const c of billing) addToGroup(ofPair, pairKey(c.provider_id, c.purchaser_id), c);
  const byPair = new Map<string, PairContracts>();
  for (const key of wanted) {
    const own = ofPair.get(key) ?? [];
    byPair.set(key, pairContracts(own, own.flatMap((c) => linesOfContract(c.id))));
  }

  const key = keyOf([today, contracts, everyContract, allLines, closures]);
  // What the planned use is made of besides the schedules, allocations and the rest the
  // problems version watches.
  const planKey = keyOf([today, everyContract, allLines, closures]);
  const computed = await keptUse.answer(db, key, version, async () => {
    const [realised, planned] = await Promise.all([
      signed.length > 0 && realisedFrom <= realisedUntil ? realisedUse(db, byPair, realisedFrom, realisedUntil, today) : new UnitsByContract(),
      signed.length > 0 && planFrom <= planUntil ? keptPlan(db, [planKey, planFrom, planUntil], () => plannedUse(db, byPair, billing, planFrom, planUntil)) : new UnitsByContract(),
    ]);
    const own = (units: UsageUnit[], c: ContractRow) => units.filter((u) => u.date >= c.valid_from && u.date <= c.valid_until);
    const counted = contracts.map((c) => ({ c, lines: linesOfContract(c.id), realised: own(realised.of(c.id), c), planned: own(planned.of(c.id), c) }));
    const forecasts = await forecastsOf(db, counted, byPair, billing, { realisedFrom, realisedUntil, planFrom, planUntil, today }, planKey);
    const turns = new Turns();
    const answer = new Map<number, Computed>();
    for (const { c, lines, realised: r, planned: p } of counted) {
      if (turns.due()) await turns.pass();
      answer.set(c.id, { use: utilisation(c, lines, r, p), plannedUntil: c.valid_until < horizon ? c.valid_until : horizon, forecast: forecasts.get(c.id)! });
    }
    // The page renders next: on a slice of its own.
    await giveWay();
    return answer;
  });
  for (const c of contracts) out.set(c.id, { contract: c, lines: linesOfContract(c.id), ...computed.get(c.id)! });
  return out;
}

type Days = { realisedFrom: string; realisedUntil: string; planFrom: string; planUntil: string; today: string };
type Counted = { c: ContractRow; lines: LineRow[]; realised: UsageUnit[]; planned: UsageUnit[] };

/**
 * When 70 % and 100 % of each budget ceiling are reached. The fast path dates a month counted
 * together on its first day, so a ceiling crossed inside such a month is found to the day by
 * counting those months again day by day (a month's total is the same, so the month of crossing
 * is too): the crossing months of every contract at once, realised from their attendance rows
 * and planned from the schedules, a fixed number of queries.
 */
async function forecastsOf(db: Knex, counted: Counted[], byPair: Map<string, PairContracts>, billing: BillingContract[], days: Days, planKey: string): Promise<Map<number, BudgetForecast>> {
  const out = new Map<number, BudgetForecast>();
  const refine = new Map<string, Set<string>>(); // pair → its crossing months counted together
  const monthsOf = new Map<number, Set<string>>();
  const turns = new Turns();
  for (const { c, lines, realised, planned } of counted) {
    if (turns.due()) await turns.pass();
    const first = budgetForecast(c, lines, realised, planned);
    out.set(c.id, first);
    const key = pairKey(c.provider_id, c.purchaser_id);
    const months = [first.consultOn, first.ceilingOn].filter((d): d is string => d !== null).map((d) => d.slice(0, 7)).filter((m) => !byPair.get(key)!.daily.has(m));
    if (months.length === 0) continue;
    monthsOf.set(c.id, new Set(months));
    refine.set(key, new Set([...(refine.get(key) ?? []), ...months]));
  }
  if (refine.size === 0) return out;
  // Every pair's schedules are read again, not only the refined pairs': a client planned twice on
  // one dagdeel (at two providers) is planned once, by the oldest schedule, whichever pair it is in.
  const byDay = new Map([...byPair].map(([key, pair]) => [key, refine.has(key) ? { ...pair, daily: new Set([...pair.daily, ...refine.get(key)!]) } : pair]));
  const allMonths = [...new Set([...refine.values()].flatMap((m) => [...m]))].sort();
  const clip = (from: string, until: string) => (m: string) => ({ from: `${m}-01` > from ? `${m}-01` : from, until: monthEnd(m) < until ? monthEnd(m) : until });
  const pairs = [...refine.keys()].map((k) => ({ providerId: Number(k.split("|")[0]), purchaserId: Number(k.split("|")[1]) }));
  const providerMonths = [...new Map([...refine].flatMap(([key, months]) => [...months].map((month) => [`${key.split("|")[0]}|${month}`, { providerId: Number(key.split("|")[0]), month }]))).values()];
  const planWindow = allMonths.map(clip(days.planFrom, days.planUntil)).filter((w) => w.from <= w.until);
  const [realisedByPair, plannedByDay] = await Promise.all([
    // Each provider's own crossing months only: a gemeente's contracts cross in many months.
    realisedUnitsIn(db, pairs, billing, providerMonths.map(({ providerId, month }) => ({ ...clip(days.realisedFrom, days.realisedUntil)(month), providerId }))),
    planWindow.length > 0
      ? keptPlan(db, [planKey, [...refine].map(([k, months]) => [k, [...months].sort()]).sort(), planWindow], () => plannedUse(db, byDay, billing, planWindow[0].from, planWindow[planWindow.length - 1].until))
      : new UnitsByContract(),
  ]);
  const realisedByDay = new UnitsByContract();
  for (const units of realisedByPair.values()) for (const u of units) if (u.contract_id !== null) realisedByDay.add(u.contract_id, u.product_id, u.date, u.units);
  for (const { c, lines, realised, planned } of counted) {
    if (turns.due()) await turns.pass();
    const months = monthsOf.get(c.id);
    if (!months) continue;
    const inPeriod = (u: UsageUnit) => u.date >= c.valid_from && u.date <= c.valid_until;
    const swap = (units: UsageUnit[], byDayUnits: UsageUnit[]) => [
      ...units.filter((u) => !months.has(u.date.slice(0, 7))),
      ...byDayUnits.filter((u) => months.has(u.date.slice(0, 7)) && inPeriod(u)),
    ];
    out.set(c.id, budgetForecast(c, lines, swap(realised, realisedByDay.of(c.id)), swap(planned, plannedByDay.of(c.id))));
  }
  return out;
}

/** Realised use of these pairs between two dates (until ≤ today), per contract (realisedInMonths). */
async function realisedUse(db: Knex, byPair: Map<string, PairContracts>, from: string, until: string, today: string): Promise<UnitsByContract> {
  const out = new UnitsByContract();
  await realisedInMonths(db, byPair, from, until, today, (providerIds, purchaserIds, fromMonth, untilMonth) => pairTallies(db, providerIds, purchaserIds, fromMonth, untilMonth), {
    tally: (t, pair, date) => {
      const contract = contractFor(pair, t, date);
      if (contract !== null) out.add(contract, t.product_id, date, t.units);
    },
    unit: (u) => {
      if (u.contract_id !== null) out.add(u.contract_id, u.product_id, u.date, u.units);
    },
  });
  return out;
}
