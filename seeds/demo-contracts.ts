// The purchase agreements of the demo: an inkoop contract per care farm with the gemeente (one
// with a tariff index on 1 July), Wlz contracts with the zorgkantoor, a subsidy per village
// facility, one contract from last year, and next year's (signed from October on, else a concept).

import { addDays } from "../src/domain/dates";
import { DORPSDAGVOORZIENINGEN, ZORGBOERDERIJEN, type ProductKey } from "./demo-data";
import type { SeedDates } from "./demo-dates";
import type { Plan } from "./demo-plan";

export type PlannedLine = { product: ProductKey; tariff_cents: number; volume_ceiling: number | null; valid_from: string; valid_until: string };

export type PlannedContract = {
  purchaser: "gemeente" | "zorgkantoor";
  providerIndex: number;
  reference: string;
  kind: "inkoop" | "subsidie";
  valid_from: string;
  valid_until: string;
  status: "concept" | "actief" | "beeindigd";
  budget_ceiling_cents: number | null;
  subsidy_amount_cents: number | null;
  subsidy_target_dagdelen: number | null;
  no_show_billable: boolean;
  notes: string | null;
  lines: PlannedLine[];
};

/** The farm × purchaser pairs with declarations (farm index among the zorgboerderijen). */
export const DECLARED: [number, "gemeente" | "zorgkantoor"][] = [
  [0, "gemeente"],
  [1, "gemeente"],
  [2, "gemeente"],
  [3, "gemeente"],
  [0, "zorgkantoor"],
];

/** Dagdelen per year a provider's current clients of one purchaser are planned for (46 weeks). */
function plannedPerYear(plan: Plan, providerIndex: number, wlz: boolean): number {
  let weekly = 0;
  for (const c of plan.clients) {
    if (c.providerIndex !== providerIndex || c.allocation === null || (c.category === "wlz") !== wlz) continue;
    const current = c.segments.find((s) => s.until === null || s.until >= plan.today);
    weekly += current ? current.slots.length / (current.parity === "elke" ? 1 : 2) : 0;
  }
  return weekly * 46;
}

const roundTo = (value: number, step: number): number => Math.max(step, Math.round(value / step) * step);
const pad = (n: number): string => String(n).padStart(2, "0");

// Per farm: basis / intensief tariff, budget ceiling as a share of what is planned (null: none),
// a volume ceiling on basis, and whether no-shows are billed.
const FARM_TERMS = [
  { basis: 5150, intensief: 6890, budget: 1.08, volumeCeiling: false, noShow: false },
  // The budget factors of the second, fourth and sixth farm are tight on purpose: with the
  // demo's attendance their forecasts reach the 70 % consultation moment, the 80 % warning and
  // the ceiling itself before the year is out.
  { basis: 5150, intensief: 6890, budget: 0.67, volumeCeiling: true, noShow: false },
  { basis: 5095, intensief: 6820, budget: null, volumeCeiling: false, noShow: true },
  { basis: 5210, intensief: 6940, budget: 0.43, volumeCeiling: false, noShow: false },
  { basis: 5150, intensief: 6890, budget: null, volumeCeiling: true, noShow: false },
  { basis: 5180, intensief: 6910, budget: 0.36, volumeCeiling: false, noShow: false },
  { basis: 5120, intensief: 6860, budget: null, volumeCeiling: false, noShow: false },
];

export function planContracts(plan: Plan, dates: SeedDates): PlannedContract[] {
  const { year, yearStart, yearEnd } = dates;
  const out: PlannedContract[] = [];
  const base = { subsidy_amount_cents: null, subsidy_target_dagdelen: null, no_show_billable: false, notes: null, budget_ceiling_cents: null };
  const line = (product: ProductKey, tariff_cents: number, volume_ceiling: number | null = null, valid_from = yearStart, valid_until = yearEnd): PlannedLine =>
    ({ product, tariff_cents, volume_ceiling, valid_from, valid_until });

  ZORGBOERDERIJEN.forEach((farm, fi) => {
    const providerIndex = DORPSDAGVOORZIENINGEN.length + fi;
    const terms = FARM_TERMS[fi];
    const perYear = plannedPerYear(plan, providerIndex, false);
    const midYear = `${year}-07-01`;
    const basisLines =
      fi === 0
        ? [line("basis", terms.basis, null, yearStart, addDays(midYear, -1)), line("basis", terms.basis + 160, null, midYear, yearEnd)]
        : [line("basis", terms.basis, terms.volumeCeiling ? roundTo(perYear * 0.85, 50) : null)];
    out.push({
      ...base,
      purchaser: "gemeente",
      providerIndex,
      reference: `PM-${year}-ZB-${pad(fi + 1)}`,
      kind: "inkoop",
      valid_from: yearStart,
      valid_until: yearEnd,
      status: "actief",
      budget_ceiling_cents: terms.budget === null ? null : roundTo(perYear * terms.basis * terms.budget, 100000),
      no_show_billable: terms.noShow,
      notes: fi === 0 ? "Tarief dagbesteding basis geïndexeerd per 1 juli (OVA)." : terms.noShow ? "Niet-verschenen zonder afmelding wordt gedeclareerd." : null,
      lines: [...basisLines, line("intensief", terms.intensief), line("vervoer", 1250)],
    });
    if (farm.wlz) {
      const wlzPerYear = plannedPerYear(plan, providerIndex, true);
      out.push({
        ...base,
        purchaser: "zorgkantoor",
        providerIndex,
        reference: `VGZ-${year}-DB-${String(310 + fi).padStart(4, "0")}`,
        kind: "inkoop",
        valid_from: yearStart,
        valid_until: yearEnd,
        status: "actief",
        budget_ceiling_cents: fi === 0 ? roundTo(wlzPerYear * 5890 * 1.05, 100000) : null,
        lines: [line("wlzDag", 5890 + 20 * fi), line("wlzVervoer", 1480)],
      });
    }
  });

  DORPSDAGVOORZIENINGEN.forEach((v, vi) => {
    const weeklyPlaces = v.locations.flatMap((l) => l.cells).reduce((sum, c) => sum + c.places, 0);
    const target = roundTo(weeklyPlaces * 44 * 0.8, 50);
    const amount = roundTo(target * 2500, 100000);
    out.push({
      ...base,
      purchaser: "gemeente",
      providerIndex: vi,
      reference: `PM-${year}-SUB-${pad(vi + 1)}`,
      kind: "subsidie",
      valid_from: yearStart,
      valid_until: yearEnd,
      status: "actief",
      subsidy_amount_cents: amount,
      subsidy_target_dagdelen: target,
      notes: "Subsidie algemene voorziening dagbesteding (Leven in het Dorp).",
      // A notional tariff (the subsidy over its target) so the dagdelen can be priced.
      lines: [line("basis", Math.round(amount / target))],
    });
  });

  // From October on next year's contracts have been signed: the farms and the village
  // facilities go on at indexed tariffs. One farm's renewal is still a concept, so its
  // open-ended schedules show up on the problem list as running past their contract.
  const next = year + 1;
  const nextFrom = `${next}-01-01`;
  const nextUntil = `${next}-12-31`;
  const index = (cents: number) => Math.round((cents * 1035) / 1000);
  const nextLine = (product: ProductKey, tariff_cents: number) => line(product, tariff_cents, null, nextFrom, nextUntil);
  if (Number(dates.today.slice(5, 7)) >= 10) {
    const conceptFarm = ZORGBOERDERIJEN.length - 1;
    ZORGBOERDERIJEN.forEach((farm, fi) => {
      const terms = FARM_TERMS[fi];
      const basis = fi === 0 ? terms.basis + 160 : terms.basis;
      out.push({
        ...base,
        purchaser: "gemeente",
        providerIndex: DORPSDAGVOORZIENINGEN.length + fi,
        reference: `PM-${next}-ZB-${pad(fi + 1)}`,
        kind: "inkoop",
        valid_from: nextFrom,
        valid_until: nextUntil,
        status: fi === conceptFarm ? "concept" : "actief",
        no_show_billable: terms.noShow,
        notes: fi === conceptFarm ? "Concept voor volgend jaar, nog niet getekend." : "Verlenging, tarieven na indexatie (OVA 3,5 %).",
        lines: [nextLine("basis", index(basis)), nextLine("intensief", index(terms.intensief)), nextLine("vervoer", index(1250))],
      });
      if (farm.wlz) {
        out.push({
          ...base,
          purchaser: "zorgkantoor",
          providerIndex: DORPSDAGVOORZIENINGEN.length + fi,
          reference: `VGZ-${next}-DB-${String(310 + fi).padStart(4, "0")}`,
          kind: "inkoop",
          valid_from: nextFrom,
          valid_until: nextUntil,
          status: "actief",
          lines: [nextLine("wlzDag", index(5890 + 20 * fi)), nextLine("wlzVervoer", index(1480))],
        });
      }
    });
    const current = out.filter((c) => c.kind === "subsidie" && c.valid_from === yearStart);
    for (const c of current) {
      out.push({
        ...c,
        reference: `PM-${next}-SUB-${pad(c.providerIndex + 1)}`,
        valid_from: nextFrom,
        valid_until: nextUntil,
        lines: c.lines.map((l) => nextLine(l.product, l.tariff_cents)),
      });
    }
  } else {
    out.push({
      ...base,
      purchaser: "gemeente",
      providerIndex: DORPSDAGVOORZIENINGEN.length,
      reference: `PM-${next}-ZB-01`,
      kind: "inkoop",
      valid_from: nextFrom,
      valid_until: nextUntil,
      status: "concept",
      notes: "Concept voor volgend jaar, tarieven na indexatie.",
      lines: [nextLine("basis", 5420), nextLine("intensief", 7250), nextLine("vervoer", 1310)],
    });
  }
  // Last year's contracts: one ended contract always, and those of the pairs declared for a
  // month of last year (early in the year the declared months fall before this year's contracts).
  const lastYear = year - 1;
  const lastYearPairs: [number, "gemeente" | "zorgkantoor"][] = [[DORPSDAGVOORZIENINGEN.length + 2, "gemeente"]];
  if (dates.acceptedMonth < yearStart) lastYearPairs.push(...DECLARED.filter(([f, p]) => !(f === 2 && p === "gemeente")));
  for (const [fi, purchaser] of lastYearPairs.map(([i, p]) => [i >= DORPSDAGVOORZIENINGEN.length ? i - DORPSDAGVOORZIENINGEN.length : i, p] as const)) {
    const from = `${lastYear}-01-01`;
    const until = `${lastYear}-12-31`;
    const terms = FARM_TERMS[fi];
    out.push({
      ...base,
      purchaser,
      providerIndex: DORPSDAGVOORZIENINGEN.length + fi,
      reference: purchaser === "gemeente" ? `PM-${lastYear}-ZB-${pad(fi + 1)}` : `VGZ-${lastYear}-DB-${String(310 + fi).padStart(4, "0")}`,
      kind: "inkoop",
      valid_from: from,
      valid_until: until,
      status: "beeindigd",
      no_show_billable: purchaser === "gemeente" && terms.noShow,
      lines:
        purchaser === "gemeente"
          ? [line("basis", terms.basis - 170, null, from, until), line("intensief", terms.intensief - 240, null, from, until), line("vervoer", 1210, null, from, until)]
          : [line("wlzDag", 5690 + 20 * fi, null, from, until), line("wlzVervoer", 1430, null, from, until)],
    });
  }
  return out;
}
