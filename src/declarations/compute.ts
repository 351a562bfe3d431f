import type { Knex } from "knex";
import { contractsOfPair, linesOf as contractLinesOf } from "../contracts/repository";
import { pairKey, realisedUnits } from "../contracts/units-repository";
import { toBillingContract } from "../contracts/use-reference";
import { isIsoDate } from "../domain/dates";
import { correctionLines, priceUnits, replayChain, type BillableUnit, type DraftLine } from "../domain/pricing";
import { allocationPeriods, ANSWERED, chainOf, linesOf, type DeclarationRow } from "./repository";

// What a month's attendance declares, and what a correction of an accepted month declares.
// Pass the transaction when submitting, so the lines and the lock see the same attendance.

type Db = Knex | Knex.Transaction;

/** A month's first and last day, by calendar arithmetic (it runs once per provider of a purchaser's month). */
export function monthBounds(month: string): { from: string; until: string } {
  const first = `${month}-01`;
  if (!isIsoDate(first)) throw new RangeError(`not a month: ${month}`);
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return { from: first, until: `${month}-${String(last).padStart(2, "0")}` };
}

/** The lines, the units nobody can price, and the billable units under a toewijzing they came from. */
export type Computed = { lines: DraftLine[]; unpriced: BillableUnit[]; units?: BillableUnit[] };

/**
 * The lines of one provider × purchaser × month: every billable dagdeel (and ride) under a
 * toewijzing, each date at its own tariff. Subsidie dagdelen are not declared per unit, and
 * PGB or self-pay have no purchaser at all.
 */
export async function computeMonth(db: Db, providerId: number, purchaserId: number, month: string): Promise<Computed> {
  const { from, until } = monthBounds(month);
  const contracts = await contractsOfPair(db, providerId, purchaserId);
  const units = (await realisedUnits(db, [{ providerId, purchaserId }], contracts.map(toBillingContract), from, until)).get(pairKey(providerId, purchaserId)) ?? [];
  const declarable = units.filter((u) => u.allocation_id !== null);
  // One after the other: inside a transaction there is one connection (pg warns about overlap).
  const tariffs = await contractLinesOf(db, contracts.map((c) => c.id));
  const allocations = await allocationPeriods(db, [...new Set(declarable.map((u) => u.allocation_id!))]);
  return { ...priceUnits(declarable, tariffs, { from, until }, allocations), units: declarable };
}

/**
 * What the purchaser has accepted so far in a chain, up to (not including) `beforeId`: per
 * answered declaration, its toegekend lines. A refused prestatie was never paid, so it is not
 * withdrawn by a correction; the correction simply declares it again.
 */
async function acceptedChain(db: Db, rootId: number, beforeId: number | null) {
  const chain = (await chainOf(db, rootId)).filter((d) => ANSWERED.includes(d.status) && (beforeId === null || d.id < beforeId));
  const lines = await linesOf(db, chain.map((d) => d.id));
  return chain.map((d) => lines.filter((l) => l.declaration_id === d.id && l.decision === "toegekend"));
}

type CorrectionOf = Pick<DeclarationRow, "id" | "provider_id" | "purchaser_id" | "month" | "corrects_declaration_id">;

/**
 * A correction of an answered month: what attendance (and the tariffs) say now against what
 * was accepted so far, as credit lines repeating the changed accepted lines and debit lines
 * of what is right now — refused prestaties included (see correctionLines).
 */
export async function computeCorrection(db: Db, declaration: CorrectionOf & { corrects_declaration_id: number }): Promise<Computed> {
  const chain = await acceptedChain(db, declaration.corrects_declaration_id, declaration.id);
  const now = await computeMonth(db, declaration.provider_id, declaration.purchaser_id, declaration.month);
  const { live } = replayChain(chain);
  return { lines: correctionLines(live, now.lines), unpriced: now.unpriced };
}

/** What a declaration should hold now: its month, or its correction. */
export function computeFor(db: Db, d: DeclarationRow): Promise<Computed> {
  const rootId = d.corrects_declaration_id;
  return rootId === null ? computeMonth(db, d.provider_id, d.purchaser_id, d.month) : computeCorrection(db, { ...d, corrects_declaration_id: rootId });
}

/** For a credit line of a correction: the accepted debit line it withdraws (iWmo VorigReferentieNummer). */
export async function withdrawnLines(db: Db, d: DeclarationRow): Promise<Map<number, number>> {
  if (d.corrects_declaration_id === null) return new Map();
  const chain = await acceptedChain(db, d.corrects_declaration_id, d.id);
  const own = await linesOf(db, [d.id]);
  return replayChain([...chain, own]).withdrawn;
}
