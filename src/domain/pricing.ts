import { periodContains } from "./dates";

// Turning attended dagdelen into money: which units are billable, which contract line prices a
// date, and how priced units become declaration lines. Money is integer eurocents throughout;
// a line's amount is units × tariff, exact, so "rounded per line to whole cents" never has
// anything to round while tariffs are whole cents.

export type AttendanceStatus = "aanwezig" | "afgemeld" | "ziek" | "niet_verschenen" | "extra";
export type DebitCredit = "D" | "C";

/**
 * Billable: present (`aanwezig`) and extra visits always; a no-show only when the contract
 * says so; a cancelled (`afgemeld`) or sick (`ziek`) dagdeel never.
 */
export function isBillable(status: string, noShowBillable: boolean): boolean {
  if (status === "aanwezig" || status === "extra") return true;
  if (status === "niet_verschenen") return noShowBillable;
  return false;
}

/** Actually there: the client travelled, so rides count. A no-show travelled nowhere. */
export function isAttended(status: string): boolean {
  return status === "aanwezig" || status === "extra";
}

export type TariffLine = {
  id: number;
  contract_id: number;
  product_id: number;
  tariff_cents: number;
  valid_from: string;
  valid_until: string;
};

export type PricingContract = {
  id: number;
  valid_from: string;
  valid_until: string;
  status: string;
  no_show_billable: boolean;
};

/**
 * The contract that governs a date between one provider and one purchaser: a signed one
 * (not `concept`) whose period holds the date, preferring the one the schedule names.
 */
export function contractOn<C extends PricingContract>(contracts: C[], date: string, preferredId: number | null = null): C | undefined {
  const valid = contracts.filter((c) => c.status !== "concept" && periodContains(c.valid_from, c.valid_until, date));
  // The latest start wins; between two that start on one day, the older contract (lower id).
  return valid.find((c) => c.id === preferredId) ?? valid.sort((a, b) => b.valid_from.localeCompare(a.valid_from) || a.id - b.id)[0];
}

/** The line of a contract that prices a product on a date; a tariff index is a new line. */
export function lineOn<L extends TariffLine>(lines: L[], contractId: number | null, productId: number, date: string): L | undefined {
  if (contractId === null) return undefined;
  return lines.find((l) => l.contract_id === contractId && l.product_id === productId && periodContains(l.valid_from, l.valid_until, date));
}

/** units × tariff in whole cents; refuses anything that is not an exact integer. */
export function amountCents(units: number, tariffCents: number): number {
  if (!Number.isSafeInteger(units) || !Number.isSafeInteger(tariffCents)) throw new RangeError(`not whole: ${units} × ${tariffCents}`);
  const amount = units * tariffCents;
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount out of range: ${units} × ${tariffCents}`);
  return amount;
}

/** One billable quantity of one client on one date, already attributed to a contract. */
export type BillableUnit = {
  client_id: number;
  allocation_id: number | null;
  product_id: number;
  contract_id: number | null;
  date: string;
  units: number;
  /** Where it was delivered, when known (spending per village). */
  location_id?: number;
};

export type DraftLine = {
  client_id: number;
  allocation_id: number | null;
  product_id: number;
  contract_line_id: number | null;
  period_from: string;
  period_until: string;
  units: number;
  tariff_cents: number;
  amount_cents: number;
  debit_credit: DebitCredit;
};

export type Period = { from: string; until: string };
export type OpenPeriod = { valid_from: string; valid_until: string | null };

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/**
 * Prices units and groups them into declaration lines: one per client × allocation × product ×
 * tariff line. A tariff change mid-month therefore gives two lines, each with its own period
 * (the month, cut to the tariff line's and the allocation's validity). Units without a valid
 * tariff on their date are returned apart, never priced at a guess.
 */
export function priceUnits(
  units: BillableUnit[],
  lines: TariffLine[],
  period: Period,
  allocations: Map<number, OpenPeriod> = new Map(),
): { lines: DraftLine[]; unpriced: BillableUnit[] } {
  const groups = new Map<string, DraftLine>();
  const unpriced: BillableUnit[] = [];
  for (const u of units) {
    if (u.date < period.from || u.date > period.until) continue;
    const line = lineOn(lines, u.contract_id, u.product_id, u.date);
    if (!line) {
      unpriced.push(u);
      continue;
    }
    const key = `${u.client_id}|${u.allocation_id ?? ""}|${u.product_id}|${line.id}`;
    let g = groups.get(key);
    if (!g) {
      const allocation = u.allocation_id === null ? undefined : allocations.get(u.allocation_id);
      let from = later(period.from, line.valid_from);
      let until = earlier(period.until, line.valid_until);
      if (allocation) {
        from = later(from, allocation.valid_from);
        if (allocation.valid_until !== null) until = earlier(until, allocation.valid_until);
      }
      g = {
        client_id: u.client_id,
        allocation_id: u.allocation_id,
        product_id: u.product_id,
        contract_line_id: line.id,
        period_from: from,
        period_until: until,
        units: 0,
        tariff_cents: line.tariff_cents,
        amount_cents: 0,
        debit_credit: "D",
      };
      groups.set(key, g);
    }
    g.units += u.units;
    g.amount_cents = amountCents(g.units, g.tariff_cents);
  }
  return { lines: [...groups.values()].filter((l) => l.units > 0).sort(compareLines), unpriced };
}

export function compareLines(a: DraftLine, b: DraftLine): number {
  return (
    a.client_id - b.client_id ||
    (a.allocation_id ?? 0) - (b.allocation_id ?? 0) ||
    a.product_id - b.product_id ||
    a.period_from.localeCompare(b.period_from) ||
    (a.debit_credit === b.debit_credit ? 0 : a.debit_credit === "C" ? -1 : 1)
  );
}

/** What a declaration asks: debit lines add, credit lines subtract (iWmo IV086). */
export function totalCents(lines: Pick<DraftLine, "amount_cents" | "debit_credit">[]): number {
  let total = 0;
  for (const l of lines) total += l.debit_credit === "C" ? -l.amount_cents : l.amount_cents;
  if (!Number.isSafeInteger(total)) throw new RangeError("total out of range");
  return total;
}

// --- Corrections after acceptance ---------------------------------------------------------
//
// iWmo 3.2 (invulinstructie IV091) says a credit prestatie is identical to the debit prestatie
// it withdraws, with DebetCredit C and VorigReferentieNummer pointing at it; a new debit
// prestatie then states what is right (IV086 allows both in one message). So a correction
// withdraws every accepted line of a group (client × allocation × product × tariff line) whose
// content changed and debits the line attendance gives now. Its total is the difference.

export type StoredLine = DraftLine & { id: number };

const groupKey = (l: DraftLine) => `${l.client_id}|${l.allocation_id ?? ""}|${l.product_id}|${l.contract_line_id ?? ""}`;
/** What a line asks for: units, tariff and amount of its group. */
const substanceKey = (l: DraftLine) => `${groupKey(l)}|${l.units}|${l.tariff_cents}|${l.amount_cents}`;
/** The line exactly, as a credit must repeat it. */
const identityKey = (l: DraftLine) => `${substanceKey(l)}|${l.period_from}|${l.period_until}`;

/**
 * Replays a chain of accepted declarations (the original first, then its corrections in
 * order): which debit lines still stand, and which debit line each credit line withdrew.
 */
export function replayChain(chain: StoredLine[][]): { live: StoredLine[]; withdrawn: Map<number, number> } {
  const live: StoredLine[] = [];
  const withdrawn = new Map<number, number>();
  for (const lines of chain) {
    for (const l of lines.filter((x) => x.debit_credit === "C")) {
      const i = live.findIndex((d) => identityKey(d) === identityKey(l));
      if (i >= 0) {
        withdrawn.set(l.id, live[i].id);
        live.splice(i, 1);
      }
    }
    live.push(...lines.filter((x) => x.debit_credit === "D"));
  }
  return { live, withdrawn };
}

/** The lines of a correction: credits of changed accepted lines, debits of what is right now. */
export function correctionLines(live: DraftLine[], current: DraftLine[]): DraftLine[] {
  const keys = new Set([...live.map(groupKey), ...current.map(groupKey)]);
  const out: DraftLine[] = [];
  for (const key of keys) {
    const was = live.filter((l) => groupKey(l) === key);
    const now = current.filter((l) => groupKey(l) === key);
    // A period drawn a little differently (say, cut to an allocation's end) asks for no money
    // back or more: only units, tariff or amount make a correction.
    const same =
      was.length === now.length &&
      was.map(substanceKey).sort().join("\n") === now.map(substanceKey).sort().join("\n");
    if (same) continue;
    for (const l of was) out.push({ ...strip(l), debit_credit: "C" });
    for (const l of now) out.push({ ...strip(l), debit_credit: "D" });
  }
  return out.sort(compareLines);
}

function strip(l: DraftLine): DraftLine {
  return {
    client_id: l.client_id,
    allocation_id: l.allocation_id,
    product_id: l.product_id,
    contract_line_id: l.contract_line_id,
    period_from: l.period_from,
    period_until: l.period_until,
    units: l.units,
    tariff_cents: l.tariff_cents,
    amount_cents: l.amount_cents,
    debit_credit: l.debit_credit,
  };
}

/** Do two sets of lines say the same (order aside)? */
export function sameLines(a: DraftLine[], b: DraftLine[]): boolean {
  const key = (l: DraftLine) => `${identityKey(l)}|${l.debit_credit}`;
  return a.length === b.length && a.map(key).sort().join("\n") === b.map(key).sort().join("\n");
}
