// The declarations of every past month, computed by the app itself (computeMonth, the same
// code a provider's "prepare" runs) from the attendance already written, so they match it to
// the cent. Months before last were accepted; last month's were submitted on the 5th, except a
// few still being prepared (concept) — among them De Peelhoeve's to its gemeente, so the demo
// provider has one to preview — and a few the purchaser sent back (afgewezen).

import type { Knex } from "knex";
import { isPostgres } from "../../src/db/knex";
import { computeMonth } from "../../src/declarations/compute";
import type { DeclarationRow, DeclarationStatus } from "../../src/declarations/repository";
import { dateOfDayNumber, dayNumber } from "../../src/domain/schedule";
import { totalCents, type DraftLine } from "../../src/domain/pricing";
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
  // On SQLite a few at a time: one pair's JavaScript runs while another's queries wait on the
  // database thread. A PostgreSQL transaction is one connection, which takes one query at a time.
  const results = await mapConcurrently(pairs, isPostgres(trx) ? 1 : 4, (pair) => computeMonth(trx, pair.providerId, pair.purchaserId, month));
  const out: PlanDeclaration[] = [];
  for (const [i, pair] of pairs.entries()) {
    const computed = results[i];
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
