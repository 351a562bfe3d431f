import type { BillingContract } from "../domain/billing";
import { contractOn, isBillable, type TariffLine } from "../domain/pricing";
import type { TallyKind } from "../domain/use-tally";
import type { UsageUnit } from "../domain/utilisation";

// Months as the unit of counting use. Within a month in which no contract and no tariff line
// of a provider × purchaser pair starts or ends, every day picks the same contract (contractOn)
// and the same tariff (lineOn): its dagdelen can be counted together and priced once, dated on
// a day of that month. A month where one does start or end mid-month is counted day by day.

export type PairContracts = {
  /** Every contract of the pair, in id order (an extra visit prefers the first). */
  contracts: BillingContract[];
  inkoop: BillingContract[];
  subsidies: BillingContract[];
  /** The months ("yyyy-MM") counted day by day. */
  daily: Set<string>;
};

const lastDayOf = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

/** The months in which one of these periods starts after the 1st or ends before the last day. */
export function splitMonths(periods: { valid_from: string; valid_until: string | null }[]): Set<string> {
  const out = new Set<string>();
  for (const p of periods) {
    if (!p.valid_from.endsWith("-01")) out.add(p.valid_from.slice(0, 7));
    if (p.valid_until !== null && p.valid_until !== lastDayOf(p.valid_until.slice(0, 7))) out.add(p.valid_until.slice(0, 7));
  }
  return out;
}

export function pairContracts(contracts: BillingContract[], lines: TariffLine[]): PairContracts {
  const sorted = [...contracts].sort((a, b) => a.id - b.id);
  const ids = new Set(sorted.map((c) => c.id));
  return {
    contracts: sorted,
    inkoop: sorted.filter((c) => c.kind === "inkoop"),
    subsidies: sorted.filter((c) => c.kind === "subsidie"),
    daily: splitMonths([...sorted, ...lines.filter((l) => ids.has(l.contract_id))]),
  };
}

/** A counted quantity before its contract is chosen: what a tally row or a planned dagdeel says. */
export type Counted = { kind: TallyKind; named_contract_id: number; via_schedule: boolean; product_id: number; status: string };

/**
 * Whether a quantity on this date is billed, and under which contract — null when it is not
 * billed at all; a contract id of null when it is billed under no contract (an allocation's
 * dagdeel or ride on a day no inkoop contract covers: unpriced). The choice billableUnits()
 * makes per row, made here per month (or per day).
 */
export function billedUnder(pair: PairContracts, q: Counted, date: string): { contractId: number | null } | null {
  if (q.kind === "rit") return { contractId: contractOn(pair.inkoop, date)?.id ?? null };
  if (q.kind === "subsidie") {
    const c = contractOn(pair.subsidies, date, q.named_contract_id || null);
    return c && isBillable(q.status, c.no_show_billable) ? { contractId: c.id } : null;
  }
  // An allocation's dagdeel: the contract its schedule names first; outside a schedule, the pair's first contract.
  const preferred = q.via_schedule ? q.named_contract_id || null : (pair.contracts[0]?.id ?? null);
  const c = contractOn(pair.inkoop, date, preferred);
  return isBillable(q.status, c?.no_show_billable ?? false) ? { contractId: c?.id ?? null } : null;
}

/** The contract a quantity on this date falls under, or null when it falls under none or is not billable. */
export function contractFor(pair: PairContracts, q: Counted, date: string): number | null {
  return billedUnder(pair, q, date)?.contractId ?? null;
}

/** Units per contract, merged by product and date as they come in. */
export class UnitsByContract {
  private readonly byContract = new Map<number, Map<string, UsageUnit>>();

  add(contractId: number, productId: number, date: string, units: number): void {
    let own = this.byContract.get(contractId);
    if (!own) this.byContract.set(contractId, (own = new Map()));
    const key = `${productId}|${date}`;
    const u = own.get(key);
    if (u) u.units += units;
    else own.set(key, { product_id: productId, date, units });
  }

  of(contractId: number): UsageUnit[] {
    return [...(this.byContract.get(contractId)?.values() ?? [])].sort((a, b) => a.date.localeCompare(b.date) || a.product_id - b.product_id);
  }
}
