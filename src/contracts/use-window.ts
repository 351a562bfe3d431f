import { addDays } from "../domain/dates";
import type { ContractRow } from "./repository";

// The dates contract use is counted over, the same for the fast path (use.ts) and its reference
// (use-reference.ts): realised from the first signed contract's start up to today, planned from
// tomorrow to the last one's end, at most PLAN_YEARS ahead.

/**
 * Planned use is counted this many calendar years ahead at most: a contract running to 2100 (or
 * stored with 9999) would be counted week by week for decades; five years covers any real
 * purchase agreement, and the page says where counting stopped when a contract runs longer.
 */
export const PLAN_YEARS = 5;

export function planHorizon(today: string): string {
  return `${Number(today.slice(0, 4)) + PLAN_YEARS}-12-31`;
}

export type UseWindow = {
  /** Only signed contracts can have use; a concept counts once it is signed. */
  signed: ContractRow[];
  realisedFrom: string;
  realisedUntil: string;
  planFrom: string;
  horizon: string;
  planUntil: string;
};

export function useWindow(contracts: ContractRow[], today: string): UseWindow {
  const signed = contracts.filter((c) => c.status !== "concept");
  const realisedFrom = signed.reduce((m, c) => (c.valid_from < m ? c.valid_from : m), "9999-12-31");
  const lastEnd = signed.reduce((m, c) => (c.valid_until > m ? c.valid_until : m), "0000-01-01");
  const horizon = planHorizon(today);
  return {
    signed,
    realisedFrom,
    realisedUntil: lastEnd < today ? lastEnd : today,
    planFrom: addDays(today, 1),
    horizon,
    planUntil: lastEnd < horizon ? lastEnd : horizon,
  };
}
