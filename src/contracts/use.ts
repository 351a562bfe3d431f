import type { Knex } from "knex";
import type { BillingContract } from "../domain/billing";
import { addDays } from "../domain/dates";
import type { BillableUnit } from "../domain/pricing";
import { budgetForecast, utilisation, type BudgetForecast, type Utilisation } from "../domain/utilisation";
import { contractsOfProviders, linesOf, type ContractRow, type LineRow } from "./repository";
import { pairKey, plannedUnits, realisedUnits } from "./units-repository";

// The use of many contracts at once, for the contract page and the overviews: realised from
// the contract's start up to today, planned from tomorrow to its end. About fifteen queries
// for any number of contracts, clients and days.

export function toBillingContract(c: ContractRow): BillingContract {
  return {
    id: c.id,
    purchaser_id: c.purchaser_id,
    provider_id: c.provider_id,
    kind: c.kind,
    valid_from: c.valid_from,
    valid_until: c.valid_until,
    status: c.status,
    no_show_billable: c.no_show_billable,
  };
}

/**
 * Planned use is counted this many calendar years ahead at most. Every planned dagdeel is
 * expanded, priced and attributed, so a contract running to 2100 (or stored with 9999) would
 * make its page count for a minute; five years covers any real purchase agreement, and the page
 * says where counting stopped when a contract runs longer.
 */
export const PLAN_YEARS = 5;

export function planHorizon(today: string): string {
  return `${Number(today.slice(0, 4)) + PLAN_YEARS}-12-31`;
}

/**
 * A contract's use; `plannedUntil` is the last day planned use was counted (its end, or the horizon);
 * `forecast`: when 70 % and 100 % of the budget ceiling are reached (bestedingsruimte).
 */
export type ContractUse = { contract: ContractRow; lines: LineRow[]; use: Utilisation; plannedUntil: string; forecast: BudgetForecast };

export async function useOfContracts(db: Knex, contracts: ContractRow[], today: string): Promise<Map<number, ContractUse>> {
  const out = new Map<number, ContractUse>();
  if (contracts.length === 0) return out;
  const providerIds = [...new Set(contracts.map((c) => c.provider_id))];
  const [lines, pairContracts] = await Promise.all([linesOf(db, contracts.map((c) => c.id)), contractsOfProviders(db, providerIds)]);
  const billing = pairContracts.map(toBillingContract);
  const pairs = [...new Map(contracts.map((c) => [pairKey(c.provider_id, c.purchaser_id), { providerId: c.provider_id, purchaserId: c.purchaser_id }])).values()];

  // Only signed contracts can have use; a concept counts once it is signed.
  const signed = contracts.filter((c) => c.status !== "concept");
  const realisedFrom = signed.reduce((m, c) => (c.valid_from < m ? c.valid_from : m), "9999-12-31");
  const lastEnd = signed.reduce((m, c) => (c.valid_until > m ? c.valid_until : m), "0000-01-01");
  const realisedUntil = lastEnd < today ? lastEnd : today;
  const planFrom = addDays(today, 1);
  const horizon = planHorizon(today);
  const planUntil = lastEnd < horizon ? lastEnd : horizon;
  const [realised, planned] = await Promise.all([
    signed.length > 0 ? realisedUnits(db, pairs, billing, realisedFrom, realisedUntil) : Promise.resolve(new Map<string, BillableUnit[]>()),
    signed.length > 0 && planUntil >= planFrom ? plannedUnits(db, pairs, billing, planFrom, planUntil) : Promise.resolve(new Map<string, BillableUnit[]>()),
  ]);
  for (const c of contracts) {
    const key = pairKey(c.provider_id, c.purchaser_id);
    const own = (units: BillableUnit[] | undefined) => (units ?? []).filter((u) => u.contract_id === c.id && u.date <= c.valid_until && u.date >= c.valid_from);
    const contractLines = lines.filter((l) => l.contract_id === c.id);
    const realisedUnits = own(realised.get(key)).filter((u) => u.date <= today);
    const plannedUnits = own(planned.get(key)).filter((u) => u.date > today);
    out.set(c.id, {
      contract: c,
      lines: contractLines,
      use: utilisation(c, contractLines, realisedUnits, plannedUnits),
      plannedUntil: c.valid_until < horizon ? c.valid_until : horizon,
      forecast: budgetForecast(c, contractLines, realisedUnits, plannedUnits),
    });
  }
  return out;
}
