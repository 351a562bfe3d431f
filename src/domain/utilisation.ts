import { lineOn, amountCents, type TariffLine } from "./pricing";

// The use of a contract: realised (attended, to date) and planned (the schedules, from
// tomorrow to the contract's end), per line, per product and month, against the volume and
// budget ceilings; the forecast at the end is the two together. Money in whole cents; the
// percentages are whole percents rounded down, so "80 %" is never shown before 80 % is reached.
//
// Levels: at 70 % of a ceiling the VNG Contractstandaard Wmo 1.2 asks purchaser and provider to
// consult about the bestedingsruimte ("consult"), at 80 % dagdeel warns ("near"), at 100 % the
// ceiling is reached ("over").

export type Level = "none" | "consult" | "near" | "over";
export const CONSULT_PERCENT = 70;
export const NEAR_PERCENT = 80;
export const OVER_PERCENT = 100;

export type UsageContract = {
  id: number;
  kind: "inkoop" | "subsidie";
  valid_from: string;
  valid_until: string;
  budget_ceiling_cents: number | null;
  subsidy_amount_cents: number | null;
  subsidy_target_dagdelen: number | null;
};

export type UsageLine = TariffLine & { volume_ceiling: number | null };

/** A quantity already attributed to this contract and billable. */
export type UsageUnit = { product_id: number; date: string; units: number };

/** ≥ 100 % over, ≥ 80 % near, ≥ 70 % consult; compared in integers, no rounding involved. */
export function warningLevel(value: number, ceiling: number | null | undefined): Level {
  if (ceiling === null || ceiling === undefined || ceiling <= 0) return "none";
  if (value * 100 >= ceiling * OVER_PERCENT) return "over";
  if (value * 100 >= ceiling * NEAR_PERCENT) return "near";
  if (value * 100 >= ceiling * CONSULT_PERCENT) return "consult";
  return "none";
}

export function percentOf(value: number, ceiling: number | null | undefined): number | null {
  if (ceiling === null || ceiling === undefined || ceiling <= 0) return null;
  return Math.floor((value * 100) / ceiling);
}

const SEVERITY: Level[] = ["none", "consult", "near", "over"];

export function worst(...levels: Level[]): Level {
  return levels.reduce<Level>((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a), "none");
}

/** Rounds a/b half up to a whole number, in integers (for a cost per dagdeel in cents). */
export function divideRounded(a: number, b: number): number {
  if (b <= 0) throw new RangeError("divide by zero");
  return Math.floor((2 * a + b) / (2 * b));
}

export type Measure = { units: number; cents: number };
const zero = (): Measure => ({ units: 0, cents: 0 });

export type LineUse = {
  line: UsageLine;
  realised: Measure;
  planned: Measure;
  forecast: Measure;
  volumePercentRealised: number | null;
  volumePercentForecast: number | null;
  level: Level;
};

export type MonthUse = { month: string; product_id: number; realised: Measure; planned: Measure };

export type SubsidyUse = {
  amount_cents: number | null;
  target: number | null;
  realised: number;
  planned: number;
  forecast: number;
  percentRealised: number | null;
  percentForecast: number | null;
  costPerRealisedCents: number | null;
};

export type Utilisation = {
  lines: LineUse[];
  months: MonthUse[];
  realised: Measure;
  planned: Measure;
  forecast: Measure;
  /** Units with no line valid on their date: counted, never priced. */
  unpricedRealised: number;
  unpricedPlanned: number;
  budget: { ceiling: number | null; percentRealised: number | null; percentForecast: number | null; level: Level };
  subsidy: SubsidyUse | null;
  level: Level;
};

function add(m: Measure, units: number, cents: number): void {
  m.units += units;
  m.cents += cents;
}

export function utilisation(contract: UsageContract, lines: UsageLine[], realised: UsageUnit[], planned: UsageUnit[]): Utilisation {
  const inPeriod = (u: UsageUnit) => contract.valid_from <= u.date && u.date <= contract.valid_until;
  const byLine = new Map<number, LineUse>(
    lines.map((line) => [line.id, { line, realised: zero(), planned: zero(), forecast: zero(), volumePercentRealised: null, volumePercentForecast: null, level: "none" as Level }]),
  );
  const months = new Map<string, MonthUse>();
  const totals = { realised: zero(), planned: zero() };
  let unpricedRealised = 0;
  let unpricedPlanned = 0;

  const count = (u: UsageUnit, kind: "realised" | "planned") => {
    const month = u.date.slice(0, 7);
    const key = `${month}|${u.product_id}`;
    const m = months.get(key) ?? { month, product_id: u.product_id, realised: zero(), planned: zero() };
    months.set(key, m);
    // A subsidy is one amount for the period: its dagdelen are counted, not priced.
    const line = contract.kind === "inkoop" ? lineOn(lines, contract.id, u.product_id, u.date) : undefined;
    const cents = line ? amountCents(u.units, line.tariff_cents) : 0;
    if (contract.kind === "inkoop" && !line) {
      if (kind === "realised") unpricedRealised += u.units;
      else unpricedPlanned += u.units;
    }
    add(m[kind], u.units, cents);
    add(totals[kind], u.units, cents);
    if (line) add(byLine.get(line.id)![kind], u.units, cents);
  };
  for (const u of realised.filter(inPeriod)) count(u, "realised");
  for (const u of planned.filter(inPeriod)) count(u, "planned");

  for (const l of byLine.values()) {
    l.forecast = { units: l.realised.units + l.planned.units, cents: l.realised.cents + l.planned.cents };
    l.volumePercentRealised = percentOf(l.realised.units, l.line.volume_ceiling);
    l.volumePercentForecast = percentOf(l.forecast.units, l.line.volume_ceiling);
    l.level = warningLevel(l.forecast.units, l.line.volume_ceiling);
  }
  const forecast = { units: totals.realised.units + totals.planned.units, cents: totals.realised.cents + totals.planned.cents };
  const ceiling = contract.budget_ceiling_cents;
  const budgetLevel = contract.kind === "inkoop" ? warningLevel(forecast.cents, ceiling) : "none";

  let subsidy: SubsidyUse | null = null;
  if (contract.kind === "subsidie") {
    const target = contract.subsidy_target_dagdelen;
    const amount = contract.subsidy_amount_cents;
    subsidy = {
      amount_cents: amount,
      target,
      realised: totals.realised.units,
      planned: totals.planned.units,
      forecast: forecast.units,
      percentRealised: percentOf(totals.realised.units, target),
      percentForecast: percentOf(forecast.units, target),
      costPerRealisedCents: amount !== null && totals.realised.units > 0 ? divideRounded(amount, totals.realised.units) : null,
    };
  }

  const lineUses = [...byLine.values()].sort((a, b) => a.line.product_id - b.line.product_id || a.line.valid_from.localeCompare(b.line.valid_from));
  return {
    lines: lineUses,
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month) || a.product_id - b.product_id),
    realised: totals.realised,
    planned: totals.planned,
    forecast,
    unpricedRealised,
    unpricedPlanned,
    budget: {
      ceiling: contract.kind === "inkoop" ? ceiling : null,
      percentRealised: contract.kind === "inkoop" ? percentOf(totals.realised.cents, ceiling) : null,
      percentForecast: contract.kind === "inkoop" ? percentOf(forecast.cents, ceiling) : null,
      level: budgetLevel,
    },
    subsidy,
    level: worst(budgetLevel, ...lineUses.map((l) => l.level)),
  };
}

// --- When a ceiling will be reached --------------------------------------------------------
//
// The bestedingsruimte: beyond the percentage at the contract's end, the purchaser wants the
// day the budget will run out (and the day the 70 % consultation is due), from what was
// realised so far and what the schedules plan. Separate from utilisation() on purpose: that
// function stays the reference for use figures; these take the same dated units.

export type DatedAmount = { date: string; amount: number };

/** Each unit in the contract's period, priced at the line valid on its date (unpriced ones count nothing). */
export function pricedPoints(contract: Pick<UsageContract, "id" | "valid_from" | "valid_until">, lines: UsageLine[], units: UsageUnit[]): DatedAmount[] {
  const out: DatedAmount[] = [];
  for (const u of units) {
    if (u.date < contract.valid_from || u.date > contract.valid_until) continue;
    const line = lineOn(lines, contract.id, u.product_id, u.date);
    if (line) out.push({ date: u.date, amount: amountCents(u.units, line.tariff_cents) });
  }
  return out;
}

/**
 * The first date on which the running total (in date order) reaches `percent` % of the
 * ceiling; null without a ceiling or when it is never reached. Compared in integers.
 */
export function reachedOn(ceiling: number | null, points: DatedAmount[], percent = OVER_PERCENT): string | null {
  if (ceiling === null || ceiling <= 0) return null;
  let total = 0;
  for (const p of [...points].sort((a, b) => a.date.localeCompare(b.date))) {
    total += p.amount;
    if (total * 100 >= ceiling * percent) return p.date;
  }
  return null;
}

export type BudgetForecast = { consultOn: string | null; ceilingOn: string | null };

/** For an inkoop contract with a budget ceiling: when 70 % and 100 % of it are reached, realised then planned. */
export function budgetForecast(contract: UsageContract, lines: UsageLine[], realised: UsageUnit[], planned: UsageUnit[]): BudgetForecast {
  const ceiling = contract.kind === "inkoop" ? contract.budget_ceiling_cents : null;
  if (ceiling === null) return { consultOn: null, ceilingOn: null };
  const points = pricedPoints(contract, lines, [...realised, ...planned]);
  return { consultOn: reachedOn(ceiling, points, CONSULT_PERCENT), ceilingOn: reachedOn(ceiling, points, OVER_PERCENT) };
}
