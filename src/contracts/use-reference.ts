import type { Knex } from "knex";
import { readTogether } from "../db/dialect";
import type { BillingContract } from "../domain/billing";
import type { BillableUnit } from "../domain/pricing";
import { budgetForecast, utilisation, type BudgetForecast, type Utilisation } from "../domain/utilisation";
import { contractsOfProviders, linesOf, type ContractRow, type LineRow } from "./repository";
import { pairKey, plannedUnits, realisedUnits } from "./units-repository";
import { useWindow } from "./use-window";

// The reference for contract use: realised from the contract's start up to today, planned from
// tomorrow to its end, from the raw attendance and schedule rows through attribute() and the
// billing rules, one unit per dagdeel. Too slow for a region (it reads every attendance row of
// every pair), it is what the fast path in use.ts must equal: test/unit/use-fast.test.ts and
// test/http/contracts-use.test.ts compare the two.

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
 * A contract's use; `plannedUntil` is the last day planned use was counted (its end, or the horizon);
 * `forecast`: when 70 % and 100 % of the budget ceiling are reached (bestedingsruimte).
 */
export type ContractUse = { contract: ContractRow; lines: LineRow[]; use: Utilisation; plannedUntil: string; forecast: BudgetForecast };

/** The pairs (provider × purchaser) of these contracts, once each. */
export function pairsOf(contracts: { provider_id: number; purchaser_id: number }[]): { providerId: number; purchaserId: number }[] {
  return [...new Map(contracts.map((c) => [pairKey(c.provider_id, c.purchaser_id), { providerId: c.provider_id, purchaserId: c.purchaser_id }])).values()];
}

export async function useOfContractsReference(db: Knex, contracts: ContractRow[], today: string): Promise<Map<number, ContractUse>> {
  const out = new Map<number, ContractUse>();
  if (contracts.length === 0) return out;
  const providerIds = [...new Set(contracts.map((c) => c.provider_id))];
  // Read one after another when the reference is asked inside a transaction (one connection).
  const [lines, pairContracts] = await readTogether(db, [() => linesOf(db, contracts.map((c) => c.id)), () => contractsOfProviders(db, providerIds)]);
  const billing = pairContracts.map(toBillingContract);
  const pairs = pairsOf(contracts);

  const { signed, realisedFrom, realisedUntil, planFrom, horizon, planUntil } = useWindow(contracts, today);
  const [realised, planned] = await readTogether(db, [
    async () => (signed.length > 0 ? realisedUnits(db, pairs, billing, realisedFrom, realisedUntil) : new Map<string, BillableUnit[]>()),
    async () => (signed.length > 0 && planUntil >= planFrom ? plannedUnits(db, pairs, billing, planFrom, planUntil) : new Map<string, BillableUnit[]>()),
  ]);
  for (const c of contracts) {
    const key = pairKey(c.provider_id, c.purchaser_id);
    const own = (units: BillableUnit[] | undefined) => (units ?? []).filter((u) => u.contract_id === c.id && u.date <= c.valid_until && u.date >= c.valid_from);
    const contractLines = lines.filter((l) => l.contract_id === c.id);
    const realisedOwn = own(realised.get(key)).filter((u) => u.date <= today);
    const plannedOwn = own(planned.get(key)).filter((u) => u.date > today);
    out.set(c.id, {
      contract: c,
      lines: contractLines,
      use: utilisation(c, contractLines, realisedOwn, plannedOwn),
      plannedUntil: c.valid_until < horizon ? c.valid_until : horizon,
      forecast: budgetForecast(c, contractLines, realisedOwn, plannedOwn),
    });
  }
  return out;
}
