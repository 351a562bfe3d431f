import { volumeUsage, type AllocationVolume } from "./allocation";
import { isValidBsn } from "./bsn";
import { addDays, toDateTime } from "./dates";
import type { PeriodFinding } from "./declaration-period";
import { isToewijzingNummer } from "./toewijzing-nummer";

// The check before sending (issue 13.5): which prestaties of a WMO323 a gemeente would refuse,
// by the iWmo 3.2 rules dagdeel can check from its own data, each with the WJ001 retourcode the
// gemeente would give and what to do about it. Pure: the service gathers the facts.
//
//   0001        a BSN that fails the 11-test (the message is refused as a whole)
//   9338        a ToewijzingNummer that is not the gemeente's (not a number of a WMO301)
//   0611        a tariff other than the contract's (TR418)
//   9307/9308   a ProductPeriode starting before or ending after the toewijzing (TR307/308)
//   9319        a ProductPeriode not within one calendar month (TR319)
//   9387/9388   a ProductPeriode not from the 1st / to the last of the month while the
//               toewijzing does not start / end within it (TR387/388)
//   9321/9322   more units than allocated per week or month / in total (TR321/322)
//   8214        a DeclaratiePeriode that does not follow the last one (TR318; see declaration-period)
//   start       a gemeente that asks for a start message (WMO305) first; iWmo itself does not
//               let a gemeente refuse a declaration for that, so this is a warning

export type CheckLine = {
  id: number;
  client_id: number;
  client_name: string;
  bsn: string | null;
  allocation_id: number | null;
  allocation_reference: string | null;
  contract_line_id: number | null;
  product_name: string;
  period_from: string;
  period_until: string;
  units: number;
  tariff_cents: number;
  debit_credit: "D" | "C";
};

export type CheckAllocation = AllocationVolume & { id: number };
export type ContractTariff = { tariff_cents: number; valid_from: string; valid_until: string };
export type DatedUnits = { allocation_id: number; date: string; units: number };

export type Finding = {
  /** WJ001 retourcode, or "start" for the gemeente's own start-message rule. */
  code: string;
  /** "refuse": the gemeente would refuse it; "info": dagdeel handles it, or it is not a reason to refuse. */
  severity: "refuse" | "info";
  /** Locale keys under declaration.check.problems / declaration.check.fixes. */
  problem: string;
  fix: string;
  lineId: number | null;
  client: string | null;
  params: Record<string, string | number>;
};

export type CheckInput = {
  lines: CheckLine[];
  allocations: Map<number, CheckAllocation>;
  /** The billable units of the month per allocation and date, as attendance gives them now. */
  units: DatedUnits[];
  /** Units of each allocation already declared in other months and not refused. */
  declaredElsewhere: Map<number, number>;
  tariffs: Map<number, ContractTariff>;
  period: PeriodFinding[];
  startMessage: { required: boolean; reported: Map<number, boolean> };
};

const firstOfMonth = (date: string) => `${date.slice(0, 7)}-01`;
const lastOfMonth = (date: string) => toDateTime(date).endOf("month").toISODate()!;

function lineFindings(l: CheckLine, input: CheckInput): Finding[] {
  const out: Finding[] = [];
  const at = (code: string, problem: string, params: Record<string, string | number> = {}, fix = problem): Finding => ({
    code,
    severity: "refuse",
    problem,
    fix,
    lineId: l.id,
    client: l.client_name,
    params: { product: l.product_name, from: l.period_from, until: l.period_until, ...params },
  });
  if (l.allocation_id !== null && !isToewijzingNummer(l.allocation_reference)) out.push(at("9338", "toewijzingNummer", { reference: l.allocation_reference ?? "" }));
  const tariff = l.contract_line_id === null ? undefined : input.tariffs.get(l.contract_line_id);
  // A credit repeats what was declared then; only what is debited now must match the contract.
  if (l.debit_credit === "D" && tariff && tariff.tariff_cents !== l.tariff_cents) out.push(at("0611", "tariff", { declared: l.tariff_cents, contract: tariff.tariff_cents }));
  // A credit repeats an approved prestatie exactly (IV091): its period was accepted once already.
  if (l.debit_credit === "C") return out;
  if (l.period_from.slice(0, 7) !== l.period_until.slice(0, 7)) out.push(at("9319", "periodMonths"));
  const allocation = l.allocation_id === null ? undefined : input.allocations.get(l.allocation_id);
  if (allocation) {
    if (l.period_from < allocation.valid_from) out.push(at("9307", "beforeAllocation", { start: allocation.valid_from }));
    if (allocation.valid_until !== null && l.period_until > allocation.valid_until) out.push(at("9308", "afterAllocation", { end: allocation.valid_until }));
    if (l.period_from !== firstOfMonth(l.period_from) && l.period_from !== allocation.valid_from) out.push(at("9387", "notFromFirst"));
    if (l.period_until !== lastOfMonth(l.period_until) && l.period_until !== allocation.valid_until) out.push(at("9388", "notToLast"));
  }
  return out;
}

/** 9321 per week or month, 9322 in total: from the dated units, one finding per allocation. */
function volumeFindings(input: CheckInput, names: Map<number, string>): Finding[] {
  const out: Finding[] = [];
  const byAllocation = new Map<number, string[]>();
  for (const u of input.units) {
    const dates = byAllocation.get(u.allocation_id) ?? [];
    for (let i = 0; i < u.units; i++) dates.push(u.date);
    byAllocation.set(u.allocation_id, dates);
  }
  for (const [id, dates] of byAllocation) {
    const allocation = input.allocations.get(id);
    if (!allocation) continue;
    const client = names.get(id) ?? null;
    if (allocation.frequency === "totaal") {
      const total = (input.declaredElsewhere.get(id) ?? 0) + dates.length;
      if (total > allocation.volume) {
        out.push({ code: "9322", severity: "refuse", problem: "volumeTotal", fix: "volumeTotal", lineId: null, client, params: { used: total, volume: allocation.volume } });
      }
      continue;
    }
    const over = volumeUsage(allocation, dates).windows.filter((w) => w.over);
    if (over.length === 0) continue;
    const worst = over.reduce((a, b) => (b.used > a.used ? b : a));
    out.push({
      code: "9321",
      severity: "refuse",
      problem: allocation.frequency === "week" ? "volumeWeek" : "volumeMonth",
      fix: "volume",
      lineId: null,
      client,
      params: { count: over.length, from: worst.from, until: worst.until ?? addDays(worst.from, 6), used: worst.used, volume: allocation.volume },
    });
  }
  return out;
}

export function checkDeclaration(input: CheckInput): Finding[] {
  const out: Finding[] = [];
  const seenBsn = new Set<number>();
  for (const l of input.lines) {
    if (!seenBsn.has(l.client_id) && (l.bsn === null || !isValidBsn(l.bsn))) {
      seenBsn.add(l.client_id);
      out.push({ code: "0001", severity: "refuse", problem: "bsn", fix: "bsn", lineId: l.id, client: l.client_name, params: {} });
    }
    out.push(...lineFindings(l, input));
  }
  const names = new Map(input.lines.filter((l) => l.allocation_id !== null).map((l) => [l.allocation_id!, l.client_name]));
  out.push(...volumeFindings(input, names));
  for (const p of input.period) {
    out.push(
      p.kind === "gap"
        ? { code: "8214", severity: "refuse", problem: "periodGap", fix: "periodGap", lineId: null, client: null, params: { last: p.lastSubmitted, period: p.period, missing: p.missing.join(", ") } }
        : { code: "8214", severity: "info", problem: "periodMovedUp", fix: "periodMovedUp", lineId: null, client: null, params: { last: p.lastSubmitted, period: p.period } },
    );
  }
  if (input.startMessage.required) {
    const missing = [...names].filter(([id]) => input.startMessage.reported.get(id) !== true);
    for (const [, client] of missing) out.push({ code: "start", severity: "info", problem: "startMissing", fix: "startMissing", lineId: null, client, params: {} });
  }
  return out;
}
