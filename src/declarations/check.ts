import type { Knex } from "knex";
import { today, type Clock } from "../domain/clock";
import { checkDeclaration, type Finding } from "../domain/declaration-check";
import { addMonths, monthsBetween, periodFindings, periodFor, type PeriodFinding } from "../domain/declaration-period";
import { computeFor, computeMonth, monthBounds } from "./compute";
import * as repo from "./repository";
import { startsSentBy } from "../iwmo/messages-repository";

// Gathers what the check before sending (src/domain/declaration-check.ts) needs for one
// declaration to a gemeente: its lines, the allocations and contract tariffs behind them, the
// units attendance gives per date, what was declared on the same allocations in other months,
// the periods submitted so far, and whether the gemeente asks for start messages.

/**
 * Whether each toewijzing's start was reported: a WMO305 with a Begindatum on or before the
 * month's end, marked sent on the Berichten page (src/iwmo).
 */
export async function startReports(db: Knex, allocationIds: number[], month: string): Promise<Map<number, boolean>> {
  const sent = await startsSentBy(db, allocationIds, monthBounds(month).until);
  return new Map(allocationIds.map((id) => [id, sent.has(id)]));
}

/** The months between the last period submitted and this one in which care was delivered. */
async function monthsWithCare(db: Knex, d: repo.DeclarationRow, months: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const m of months) if ((await computeMonth(db, d.provider_id, d.purchaser_id, m)).lines.length > 0) out.push(m);
  return out;
}

async function periodCheck(db: Knex, clock: Clock, d: repo.DeclarationRow): Promise<PeriodFinding[]> {
  // Only a concept still chooses its period; a submitted one was sent as it was.
  if (d.status !== "concept") return [];
  const kind = d.corrects_declaration_id === null ? "original" : "correction";
  const last = await repo.lastSubmittedPeriod(db, d.provider_id, d.purchaser_id, d.id);
  if (last === null) return [];
  const period = periodFor(kind, d.month, last, today(clock));
  const between = monthsBetween(last, period).filter((m) => m !== d.month);
  const declared = between.length > 0 ? await repo.declaredMonthsOf(db, d.provider_id, d.purchaser_id, addMonths(last, 1), period) : [];
  const care = await monthsWithCare(db, d, between.filter((m) => !declared.includes(m)));
  return periodFindings({ kind, month: d.month, lastSubmitted: last, today: today(clock), monthsWithCare: care, declaredMonths: declared });
}

export async function checkBeforeSending(db: Knex, clock: Clock, d: repo.DeclarationRow, lines: repo.LineView[]): Promise<Finding[]> {
  if (d.purchaser_subkind !== "gemeente") return [];
  const allocationIds = [...new Set(lines.map((l) => l.allocation_id).filter((id): id is number => id !== null))];
  const allocations = await repo.allocationVolumes(db, allocationIds);
  const computed = await computeFor(db, d);
  const units = (computed.units ?? (await computeMonth(db, d.provider_id, d.purchaser_id, d.month)).units ?? []).filter((u) => u.allocation_id !== null);
  return checkDeclaration({
    lines,
    allocations: new Map(allocations.map((a) => [a.id, a])),
    units: units.map((u) => ({ allocation_id: u.allocation_id!, date: u.date, units: u.units })),
    declaredElsewhere: await repo.unitsDeclaredElsewhere(db, allocations.filter((a) => a.frequency === "totaal").map((a) => a.id), d.month),
    tariffs: await repo.contractTariffs(db, [...new Set(lines.map((l) => l.contract_line_id).filter((id): id is number => id !== null))]),
    period: await periodCheck(db, clock, d),
    startMessage: { required: await repo.requiresStartMessage(db, d.purchaser_id), reported: await startReports(db, allocationIds, d.month) },
  });
}
