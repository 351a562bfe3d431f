// The declarations of every past month, computed by the app itself from the attendance already
// written, so they match it to the cent: computeMonth's own steps (the app's realisedUnits, its
// repositories and priceUnits), taken for all purchasers of a provider at once so a provider's
// month is read once rather than once per purchaser. The region test and the bench check every
// declaration against computeMonth itself. Months before last were accepted; last month's were
// submitted on the 5th, except a few still being prepared (concept) — among them De Peelhoeve's
// to its gemeente, so the demo provider has one to preview — and a few sent back (afgewezen).

import type { Knex } from "knex";
import { contractsOfPair, linesOf as contractLinesOf, type ContractRow } from "../../src/contracts/repository";
import { pairKey, realisedUnits } from "../../src/contracts/units-repository";
import { toBillingContract } from "../../src/contracts/use";
import { isPostgres } from "../../src/db/dialect";
import { monthBounds, type Computed } from "../../src/declarations/compute";
import { allocationPeriods, type DeclarationRow, type DeclarationStatus } from "../../src/declarations/repository";
import { dateOfDayNumber, dayNumber } from "../../src/domain/schedule";
import { priceUnits, totalCents, type DraftLine } from "../../src/domain/pricing";
import type { Rng } from "../random";
import type { PlanContract } from "./contracts";
import { monthEnd, type RegionDates } from "./options";

/** A declaration as the app stores it (without the correction link, none is a correction), with its lines. */
export type PlanDeclaration = Pick<DeclarationRow, "id" | "month" | "status" | "total_cents" | "submitted_at" | "submitted_by" | "decided_at" | "decided_by" | "rejection_reason"> & {
  providerId: number;
  purchaserId: number;
  lines: DraftLine[];
};

const REJECTION = "Aantallen wijken af van de toewijzing; graag controleren en opnieuw indienen.";

/** The provider × purchaser pairs whose signed inkoop contract covers the month. */
export function declaredPairs(contracts: PlanContract[], month: string): { providerId: number; purchaserId: number }[] {
  const from = `${month}-01`;
  const until = monthEnd(month);
  const pairs = new Map<string, { providerId: number; purchaserId: number }>();
  for (const c of contracts) {
    if (c.kind !== "inkoop" || c.status === "concept" || c.valid_from > until || c.valid_until < from) continue;
    pairs.set(`${c.providerId}|${c.purchaserId}`, { providerId: c.providerId, purchaserId: c.purchaserId });
  }
  return [...pairs.values()].sort((a, b) => a.providerId - b.providerId || a.purchaserId - b.purchaserId);
}

export type DeclarationPeople = {
  /** The demo provider and its gemeente: their last month stays a concept. */
  previewPair: { providerId: number; purchaserId: number };
  /** The user who submits for a provider, when it has one. */
  submitterOf: (providerId: number) => number | null;
  /** The user who decides for a purchaser, when it has one. */
  deciderOf: (purchaserId: number) => number | null;
};

/** A month's declarations, numbered from `firstId`. */
export async function monthDeclarations(
  trx: Knex.Transaction,
  contracts: PlanContract[],
  month: string,
  dates: RegionDates,
  people: DeclarationPeople,
  firstId: number,
  rng: Rng,
): Promise<PlanDeclaration[]> {
  const last = month === dates.months[dates.months.length - 1];
  const pairs = declaredPairs(contracts, month);
  const providers = [...new Set(pairs.map((p) => p.providerId))];
  // On SQLite a few providers at a time: one's JavaScript runs while another's queries wait on
  // the database thread. A PostgreSQL transaction is one connection, one query at a time.
  const perProvider = await mapConcurrently(providers, isPostgres(trx) ? 1 : 3, (providerId) =>
    providerMonth(trx, providerId, pairs.filter((p) => p.providerId === providerId).map((p) => p.purchaserId), month),
  );
  const results = new Map(providers.flatMap((providerId, i) => [...perProvider[i]].map(([purchaserId, c]) => [`${providerId}|${purchaserId}`, c] as const)));
  const out: PlanDeclaration[] = [];
  for (const pair of pairs) {
    const computed = results.get(`${pair.providerId}|${pair.purchaserId}`)!;
    // A unit without a tariff would mean the plan scheduled care no contract covers.
    if (computed.unpriced.length > 0) throw new Error(`region seed: ${computed.unpriced.length} unpriced units for provider ${pair.providerId}, purchaser ${pair.purchaserId}, ${month}`);
    if (computed.lines.length === 0) continue;
    const preview = pair.providerId === people.previewPair.providerId && pair.purchaserId === people.previewPair.purchaserId;
    const r = rng.next();
    const status: DeclarationStatus = !last ? "geaccepteerd" : preview || r < 0.08 ? "concept" : r < 0.11 ? "afgewezen" : "ingediend";
    const fifth = dayNumber(monthEnd(month)) + 5;
    const submittedOn = dateOfDayNumber(Math.min(fifth, dates.todayN - 1));
    const decidedOn = dateOfDayNumber(Math.min(fifth + rng.int(3, 12), dates.todayN - 1));
    const minute = String(rng.int(0, 59)).padStart(2, "0");
    const submitted = status !== "concept";
    const decided = status === "geaccepteerd" || status === "afgewezen";
    out.push({
      id: firstId + out.length,
      providerId: pair.providerId,
      purchaserId: pair.purchaserId,
      month,
      status,
      total_cents: totalCents(computed.lines),
      submitted_at: submitted ? `${submittedOn}T08:${minute}:00.000Z` : null,
      submitted_by: submitted ? people.submitterOf(pair.providerId) : null,
      decided_at: decided ? `${decidedOn}T13:${minute}:00.000Z` : null,
      decided_by: decided ? people.deciderOf(pair.purchaserId) : null,
      rejection_reason: status === "afgewezen" ? REJECTION : null,
      lines: computed.lines,
    });
  }
  return out;
}

/** computeMonth (src/declarations/compute.ts) for several purchasers of one provider: the same steps, one read. */
async function providerMonth(trx: Knex.Transaction, providerId: number, purchaserIds: number[], month: string): Promise<Map<number, Computed>> {
  const { from, until } = monthBounds(month);
  const contracts = new Map<number, ContractRow[]>();
  for (const purchaserId of purchaserIds) contracts.set(purchaserId, await contractsOfPair(trx, providerId, purchaserId));
  const pairs = purchaserIds.map((purchaserId) => ({ providerId, purchaserId }));
  const units = await realisedUnits(trx, pairs, [...contracts.values()].flat().map(toBillingContract), from, until);
  const out = new Map<number, Computed>();
  for (const purchaserId of purchaserIds) {
    const declarable = (units.get(pairKey(providerId, purchaserId)) ?? []).filter((u) => u.allocation_id !== null);
    const tariffs = await contractLinesOf(trx, contracts.get(purchaserId)!.map((c) => c.id));
    const allocations = await allocationPeriods(trx, [...new Set(declarable.map((u) => u.allocation_id!))]);
    out.set(purchaserId, priceUnits(declarable, tariffs, { from, until }, allocations));
  }
  return out;
}

async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
