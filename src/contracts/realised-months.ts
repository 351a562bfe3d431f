import type { Knex } from "knex";
import type { BillableUnit } from "../domain/pricing";
import { locationsWithRowsAfter, type PairTally } from "../use/repository";
import { Turns } from "../web/turns";
import { CANDIDATE_STATUSES, pairKey, realisedUnits } from "./units-repository";
import type { PairContracts } from "./use-months";

// Realised use between two dates the fast way, for whoever sums it (contract use per contract,
// spending per village): every month whose days all count alike from the monthly use tallies,
// the other months from their attendance rows through the reference attribution. Which tallies
// (per pair, or per pair and village) the caller says; what it adds up too.

/** The last day of a month ("yyyy-MM"). */
export const monthEnd = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

export function monthsBetween(from: string, until: string): string[] {
  const out: string[] = [];
  for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); `${y}-${String(m).padStart(2, "0")}` <= until.slice(0, 7); m === 12 ? (y++, (m = 1)) : m++) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
  }
  return out;
}

export type RealisedTaker<T extends PairTally> = {
  /** A month's tally of a pair, dated on the month's first day. */
  tally(t: T, pair: PairContracts, date: string): void;
  /** One billable unit of a month read from its rows. */
  unit(u: BillableUnit): void;
};

/**
 * Realised use of these pairs between two dates: whole months from the tallies `read` gives
 * (providers, purchasers, first and last month), dated on their first day; months counted day
 * by day, the first or last month when the period cuts it, and the last month when attendance
 * lies past its last day, from the attendance rows (one reference pass per month).
 */
export async function realisedInMonths<T extends PairTally>(
  db: Knex,
  byPair: Map<string, PairContracts>,
  from: string,
  until: string,
  today: string,
  read: (providerIds: number[], purchaserIds: number[], fromMonth: string, untilMonth: string) => Promise<T[]>,
  take: RealisedTaker<T>,
): Promise<void> {
  const keys = [...byPair.keys()];
  const providerIds = [...new Set(keys.map((k) => Number(k.split("|")[0])))];
  const purchaserIds = [...new Set(keys.map((k) => Number(k.split("|")[1])))];
  const locations: { id: number; provider_id: number }[] = await db("locations").whereIn("provider_id", providerIds).select("id", "provider_id");
  const [tallies, later] = await Promise.all([
    read(providerIds, purchaserIds, from.slice(0, 7), until.slice(0, 7)),
    locationsWithRowsAfter(db, locations.map((l) => l.id), until, CANDIDATE_STATUSES),
  ]);
  const cutProviders = new Set(locations.filter((l) => later.has(l.id)).map((l) => l.provider_id));
  // A month is read from the rows when its days do not all count alike: a contract or tariff
  // changes inside it, it holds the first or last day counted, or rows lie past the last day.
  const fromRows = (key: string, month: string) => {
    const pair = byPair.get(key)!;
    if (pair.daily.has(month)) return true;
    if (month === from.slice(0, 7) && !from.endsWith("-01")) return true;
    if (month === until.slice(0, 7) && until !== monthEnd(month)) return until < today || cutProviders.has(Number(key.split("|")[0]));
    return false;
  };
  const turns = new Turns();
  for (const t of tallies) {
    if (turns.due()) await turns.pass();
    const key = pairKey(t.provider_id, t.purchaser_id);
    const pair = byPair.get(key);
    if (!pair || fromRows(key, t.month)) continue;
    take.tally(t, pair, `${t.month}-01`);
  }
  // The months read from the rows, one pass per month for the pairs that need it.
  const perMonth = new Map<string, { providerId: number; purchaserId: number }[]>();
  for (const key of keys) {
    for (const month of monthsBetween(from, until)) {
      if (!fromRows(key, month)) continue;
      const [providerId, purchaserId] = key.split("|").map(Number);
      perMonth.set(month, [...(perMonth.get(month) ?? []), { providerId, purchaserId }]);
    }
  }
  const billing = [...byPair.values()].flatMap((p) => p.contracts);
  for (const [month, pairs] of perMonth) {
    const start = `${month}-01` < from ? from : `${month}-01`;
    const end = monthEnd(month) > until ? until : monthEnd(month);
    for (const units of (await realisedUnits(db, pairs, billing, start, end)).values()) for (const u of units) take.unit(u);
  }
}
