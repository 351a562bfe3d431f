// The purchase agreements: per calendar year an inkoop contract for every provider × purchaser
// pair that has clients under a toewijzing or indicatie (gemeente: basis, intensief, vervoer;
// zorgkantoor: the Wlz dagbesteding and vervoer prestaties), and a subsidy per village facility
// from its gemeente. Years before today's have ended; from October next year's are signed. A
// few concepts are being negotiated with gemeenten a farm has no clients from yet. Tariffs
// follow the yearly index (3.5 %); a tenth of this year's contracts index basis on 1 July.

import { dayNumber } from "../../src/domain/schedule";
import type { PlannedContract } from "../demo-contracts";
import type { ProductKey } from "../demo-data";
import type { Rng } from "../random";
import type { ClientBook, PlanSchedule } from "./clients";
import type { RegionDates } from "./options";
import type { Organisations } from "./organisations";

export type PlanLine = { id: number; contractId: number; product: ProductKey; tariff_cents: number; volume_ceiling: number | null; valid_from: string; valid_until: string };

/** The demo's contract, between organisations by id, for one calendar year. */
export type PlanContract = Omit<PlannedContract, "purchaser" | "providerIndex" | "lines"> & {
  id: number;
  purchaserId: number;
  providerId: number;
  year: number;
  lines: PlanLine[];
};

const INDEX = 1.035;
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const roundTo = (value: number, step: number) => Math.max(step, Math.round(value / step) * step);

/** The years contracts are needed for: from the first schedule or allocation to this (or next) year. */
export function contractYears(book: ClientBook, dates: RegionDates): number[] {
  const first = Math.min(...book.schedules.map((s) => Number(s.from.slice(0, 4))), ...book.allocations.map((a) => Number(a.from.slice(0, 4))), dates.year);
  const last = dates.nextYearSigned ? dates.year + 1 : dates.year;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** Dagdelen a pair's schedules plan in a year (a week of 46 in use: holidays and absence aside). */
function plannedInYear(schedules: PlanSchedule[], year: number): number {
  const from = dayNumber(`${year}-01-01`);
  const until = dayNumber(`${year}-12-31`);
  let total = 0;
  for (const s of schedules) {
    const a = Math.max(from, dayNumber(s.from));
    const b = Math.min(until, s.until === null ? until : dayNumber(s.until));
    if (b < a) continue;
    total += (s.slots.length * (s.parity === "elke" ? 1 : 0.5) * (b - a + 1) * 46) / (52 * 7);
  }
  return total;
}

export function planContracts(org: Organisations, book: ClientBook, dates: RegionDates, rng: Rng): PlanContract[] {
  const years = contractYears(book, dates);
  type Pair = { providerId: number; purchaserId: number; kind: "inkoop" | "subsidie"; schedules: PlanSchedule[]; periods: { from: string; until: string | null }[]; always: boolean };
  const pairs = new Map<string, Pair>();
  const pairOf = (providerId: number, purchaserId: number, kind: "inkoop" | "subsidie") => {
    const key = `${kind}|${providerId}|${purchaserId}`;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { providerId, purchaserId, kind, schedules: [], periods: [], always: false }));
    return p;
  };
  for (const a of book.allocations) pairOf(a.providerId, a.purchaserId, "inkoop").periods.push(a);
  for (const s of book.schedules) {
    if (s.funding !== "toewijzing" && s.funding !== "subsidie") continue;
    const pair = pairOf(s.location.providerId, s.purchaserId!, s.funding === "toewijzing" ? "inkoop" : "subsidie");
    pair.schedules.push(s);
    pair.periods.push(s);
  }
  // A village facility is subsidised every year of the window, with or without clients.
  for (const p of org.providers) {
    if (p.subkind === "dorpsdagvoorziening") pairOf(p.id, org.purchasers.find((x) => x.gemeente === p.gemeente)!.id, "subsidie").always = true;
  }
  const windowYear = Number(dates.windowStart.slice(0, 4));
  // From the window on, a pair has a contract every year it has care; before it, only the years
  // a schedule or allocation began in (the contract that schedule names).
  const needs = (pair: Pair, year: number): boolean =>
    year >= windowYear
      ? pair.always || pair.periods.some((p) => p.from <= `${year}-12-31` && (p.until === null || p.until >= `${year}-01-01`))
      : pair.periods.some((p) => p.from.startsWith(String(year)));

  const contracts: PlanContract[] = [];
  const counters = new Map<number, number>();
  let lineId = 0;
  const sorted = [...pairs.values()].sort((a, b) => a.purchaserId - b.purchaserId || a.providerId - b.providerId || a.kind.localeCompare(b.kind));
  for (const pair of sorted) {
    const purchaser = org.purchasers.find((p) => p.id === pair.purchaserId)!;
    const number = (counters.get(purchaser.id) ?? 0) + 1;
    counters.set(purchaser.id, number);
    const gemeente = purchaser.subkind === "gemeente";
    const noShow = gemeente && pair.kind === "inkoop" && rng.chance(0.15);
    const jitter = rng.int(-4, 6) * 10;
    const withBudget = gemeente && pair.kind === "inkoop" && rng.chance(0.4);
    const budgetShare = 0.9 + rng.next() * 0.25;
    const withCeiling = gemeente && pair.kind === "inkoop" && rng.chance(0.15);
    const indexedMidYear = pair.kind === "inkoop" && rng.chance(0.1);
    for (const year of years.filter((y) => needs(pair, y))) {
      const f = INDEX ** (year - dates.year);
      const at = (cents: number) => Math.round(cents * f);
      const from = `${year}-01-01`;
      const until = `${year}-12-31`;
      const planned = plannedInYear(pair.schedules, year);
      const id = contracts.length + 1;
      const line = (product: ProductKey, tariff: number, ceiling: number | null = null, lf = from, lu = until): PlanLine => ({ id: ++lineId, contractId: id, product, tariff_cents: tariff, volume_ceiling: ceiling, valid_from: lf, valid_until: lu });
      const lines: PlanLine[] = [];
      let notes: string | null = null;
      let subsidyAmount: number | null = null;
      let subsidyTarget: number | null = null;
      if (pair.kind === "subsidie") {
        subsidyTarget = roundTo(Math.max(planned, 200) * 0.95, 50);
        subsidyAmount = roundTo(subsidyTarget * at(2500), 100_000);
        lines.push(line("basis", Math.round(subsidyAmount / subsidyTarget)));
        notes = "Subsidie algemene voorziening dagbesteding.";
      } else if (gemeente) {
        const basis = at(5150 + jitter);
        const ceiling = withCeiling ? roundTo(planned * 0.85, 50) : null;
        if (indexedMidYear && year === dates.year) {
          lines.push(line("basis", basis, ceiling, from, `${year}-06-30`), line("basis", basis + 160, ceiling, `${year}-07-01`, until));
          notes = "Tarief dagbesteding basis geïndexeerd per 1 juli (OVA).";
        } else {
          lines.push(line("basis", basis, ceiling));
        }
        lines.push(line("intensief", at(6890 + jitter)), line("vervoer", at(1250)));
        if (noShow) notes = "Niet-verschenen zonder afmelding wordt gedeclareerd.";
      } else {
        lines.push(line("wlzDag", at(5890 + jitter)), line("wlzVervoer", at(1480)));
      }
      contracts.push({
        id,
        purchaserId: pair.purchaserId,
        providerId: pair.providerId,
        reference: reference(purchaser.gemeentecode, pair.kind, year, number),
        kind: pair.kind,
        year,
        valid_from: from,
        valid_until: until,
        status: year < dates.year ? "beeindigd" : "actief",
        budget_ceiling_cents: withBudget ? roundTo(planned * at(5150 + jitter) * budgetShare, 100_000) : null,
        subsidy_amount_cents: subsidyAmount,
        subsidy_target_dagdelen: subsidyTarget,
        no_show_billable: noShow,
        notes,
        lines,
      });
    }
  }

  // Concepts with gemeenten a farm has no clients from yet: nothing depends on them.
  const year = dates.nextYearSigned ? dates.year + 1 : dates.year;
  for (const p of org.providers.filter((x) => x.subkind === "zorgboerderij")) {
    const purchaser = rng.pick(org.purchasers.filter((x) => x.subkind === "gemeente"));
    if (!rng.chance(0.06) || pairs.has(`inkoop|${p.id}|${purchaser.id}`)) continue;
    const number = (counters.get(purchaser.id) ?? 0) + 1;
    counters.set(purchaser.id, number);
    const id = contracts.length + 1;
    const from = `${year}-01-01`;
    const until = `${year}-12-31`;
    const f = INDEX ** (year - dates.year);
    contracts.push({
      id, purchaserId: purchaser.id, providerId: p.id, reference: reference(purchaser.gemeentecode, "inkoop", year, number), kind: "inkoop", year,
      valid_from: from, valid_until: until, status: "concept", budget_ceiling_cents: null, subsidy_amount_cents: null, subsidy_target_dagdelen: null,
      no_show_billable: false, notes: "Concept, in onderhandeling.",
      lines: [
        { id: ++lineId, contractId: id, product: "basis", tariff_cents: Math.round(5150 * f), volume_ceiling: null, valid_from: from, valid_until: until },
        { id: ++lineId, contractId: id, product: "intensief", tariff_cents: Math.round(6890 * f), volume_ceiling: null, valid_from: from, valid_until: until },
      ],
    });
  }
  return contracts;
}

function reference(gemeentecode: string | null, kind: "inkoop" | "subsidie", year: number, number: number): string {
  if (gemeentecode === null) return `VGZ-${year}-DB-${pad(number, 4)}`;
  return `${kind === "subsidie" ? "SUB" : "WMO"}-${gemeentecode}-${year}-${pad(number, 3)}`;
}

/**
 * Names the contract each schedule falls under, as a booking would: the pair's contract in
 * force on the schedule's first day (toewijzing: the inkoop contract with the allocation's
 * purchaser; subsidie: the gemeente's subsidy).
 */
export function assignContracts(schedules: PlanSchedule[], contracts: PlanContract[]): void {
  const byKey = new Map<string, PlanContract>();
  for (const c of contracts) if (c.status !== "concept") byKey.set(`${c.kind}|${c.providerId}|${c.purchaserId}|${c.year}`, c);
  for (const s of schedules) {
    if (s.funding !== "toewijzing" && s.funding !== "subsidie") continue;
    const kind = s.funding === "toewijzing" ? "inkoop" : "subsidie";
    const c = byKey.get(`${kind}|${s.location.providerId}|${s.purchaserId}|${s.from.slice(0, 4)}`);
    if (!c) throw new Error(`region plan: no ${kind} contract for schedule ${s.id} from ${s.from}`);
    s.contractId = c.id;
  }
}

/** The last day every signed contract year covers. */
export function coverEndOf(dates: RegionDates): number {
  return dayNumber(`${dates.nextYearSigned ? dates.year + 1 : dates.year}-12-31`);
}
