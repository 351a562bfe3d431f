import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { today, type Clock } from "../domain/clock";
import { periodFor } from "../domain/declaration-period";
import { sameLines } from "../domain/pricing";
import { isToewijzingNummer } from "../domain/toewijzing-nummer";
import { meaningOf } from "../iwmo/retourcodes";
import type { Finding } from "../domain/declaration-check";
import { checkBeforeSending } from "./check";
import { computeFor } from "./compute";
import * as repo from "./repository";
import { declarableMonths, visible } from "./service";

// What the declaration pages show: the list, and one declaration with its lines, its chain of
// corrections, its period and what each person may do with it.

export const PAGE_SIZE = 50;

export async function declarationsPage(db: Knex, clock: Clock, actor: Actor, scope: Scope, page = 1) {
  // The purchaser's work first: what waits for a decision (the repository orders it so).
  // The list, and the provider's purchasers or the purchaser's settings, at once.
  const organisationId = actor.organisationId;
  const [{ rows, total }, purchasers, own] = await Promise.all([
    repo.listDeclarations(db, scope, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    actor.role === "provider" && organisationId !== null ? repo.purchasersOf(db, organisationId) : [],
    actor.role === "purchaser" && organisationId !== null ? repo.purchaserSettings(db, organisationId) : null,
  ]);
  return {
    rows,
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    purchasers,
    months: actor.role === "provider" ? declarableMonths(clock) : [],
    settings: own?.subkind === "gemeente" ? { requires_start_message: own.requires_start_message } : null,
  };
}

export type LineRow = repo.LineView & { refusals: { code: string; meaning: string | null }[] };

export type BlockingAllocation = { allocation_id: number; reference: string; client_name: string };

export type DeclarationPage = {
  declaration: repo.DeclarationRow;
  lines: LineRow[];
  clients: { client_id: number; client_name: string; bsn: string | null; lines: LineRow[]; total_cents: number }[];
  chain: repo.DeclarationRow[];
  /** The DeclaratiePeriode: the one it was sent in, or the one submitting now would use. */
  period: string;
  /** For a concept: attendance no longer gives these lines; recompute before submitting. */
  stale: boolean;
  unpriced: { client_name: string; date: string; product_id: number; units: number }[];
  /** A gemeente's allocations in this declaration whose number is no iWmo ToewijzingNummer. */
  blocking: BlockingAllocation[];
  canSubmit: boolean;
  canDelete: boolean;
  canDecide: boolean;
  canCorrect: boolean;
  /** The provider may load a WMO325 it received while the declaration awaits its answer. */
  canUpload: boolean;
  /** A concept correction: the month's attendance is open for this provider and purchaser. */
  unlocked: boolean;
  /** What a gemeente would refuse (before sending, and while the purchaser decides). */
  findings: Finding[] | null;
};

function groupByClient(lines: LineRow[]): DeclarationPage["clients"] {
  const byClient = new Map<number, DeclarationPage["clients"][number]>();
  for (const l of lines) {
    const c = byClient.get(l.client_id) ?? { client_id: l.client_id, client_name: l.client_name, bsn: l.bsn, lines: [], total_cents: 0 };
    c.lines.push(l);
    c.total_cents += l.debit_credit === "C" ? -l.amount_cents : l.amount_cents;
    byClient.set(l.client_id, c);
  }
  return [...byClient.values()];
}

export function blockingAllocations(d: repo.DeclarationRow, lines: repo.LineView[]): BlockingAllocation[] {
  if (d.purchaser_subkind !== "gemeente") return [];
  const out = new Map<number, BlockingAllocation>();
  for (const l of lines) {
    if (l.allocation_id === null || isToewijzingNummer(l.allocation_reference)) continue;
    out.set(l.allocation_id, { allocation_id: l.allocation_id, reference: l.allocation_reference ?? "", client_name: l.client_name });
  }
  return [...out.values()];
}

export async function declarationPage(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<DeclarationPage> {
  const declaration = await visible(db, scope, id);
  const rootId = declaration.corrects_declaration_id ?? declaration.id;
  const [stored, chainAll] = await Promise.all([repo.linesOf(db, [id]), repo.chainOf(db, rootId)]);
  const lines: LineRow[] = stored.map((l) => ({ ...l, refusals: l.retourcodes.map((code) => ({ code, meaning: meaningOf(code) })) }));
  // A purchaser never sees a provider's concepts, not even as part of a chain.
  const chain = actor.role === "purchaser" ? chainAll.filter((c) => c.status !== "concept") : chainAll;
  const own = (role: string, orgId: number) => actor.role === role && actor.organisationId === orgId;
  const concept = declaration.status === "concept";
  let stale = false;
  let unpriced: DeclarationPage["unpriced"] = [];
  if (concept && own("provider", declaration.provider_id)) {
    const computed = await computeFor(db, declaration);
    stale = !sameLines(computed.lines, stored);
    const names = await repo.clientNames(db, [...new Set(computed.unpriced.map((u) => u.client_id))]);
    unpriced = computed.unpriced.map((u) => ({ client_name: names.get(u.client_id) ?? "", date: u.date, product_id: u.product_id, units: u.units }));
  }
  const correction = declaration.corrects_declaration_id !== null;
  const period =
    declaration.period ??
    periodFor(correction ? "correction" : "original", declaration.month, await repo.lastSubmittedPeriod(db, declaration.provider_id, declaration.purchaser_id, declaration.id), today(clock));
  return {
    declaration,
    lines,
    clients: groupByClient(lines),
    chain,
    period,
    stale,
    unpriced,
    blocking: blockingAllocations(declaration, stored),
    canSubmit: own("provider", declaration.provider_id) && concept,
    canDelete: own("provider", declaration.provider_id) && concept,
    canDecide: own("purchaser", declaration.purchaser_id) && declaration.status === "ingediend",
    canCorrect: own("provider", declaration.provider_id) && repo.ANSWERED.includes(declaration.status) && chainAll.every((c) => repo.ANSWERED.includes(c.status)),
    canUpload: own("provider", declaration.provider_id) && declaration.status === "ingediend" && declaration.purchaser_subkind === "gemeente" && declaration.decided_lines === 0,
    unlocked: concept && correction,
    findings: concept || declaration.status === "ingediend" ? await checkBeforeSending(db, clock, declaration, stored) : null,
  };
}

/** One line with its declaration, for the purchaser's decision form. */
export async function linePage(db: Knex, scope: Scope, id: number, lineId: number) {
  const declaration = await visible(db, scope, id);
  const line = (await repo.linesOf(db, [id])).find((l) => l.id === lineId);
  return { declaration, line };
}
