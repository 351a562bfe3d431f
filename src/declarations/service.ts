import type { Knex } from "knex";
import { DateTime } from "luxon";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, today, ZONE, type Clock } from "../domain/clock";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { sameLines, totalCents, type DraftLine } from "../domain/pricing";
import { computeCorrection, computeFor, computeMonth, type Computed } from "./compute";
import { declarationNumber } from "./exports";
import * as repo from "./repository";
import { lockRow } from "../db/dialect";

// The declaration's life: a provider prepares a month (concept), previews and submits it
// (ingediend — this locks the month's attendance), the purchaser accepts or rejects it with a
// reason (afgewezen unlocks the month, so the provider can fix attendance and submit again).
// A month once accepted changes only through a correction: a new declaration of credit and
// debit lines. Every transition is one transaction with its audit entry.

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The months a provider may declare: the last twelve that are over. */
export function declarableMonths(clock: Clock): string[] {
  const first = DateTime.fromISO(`${today(clock).slice(0, 7)}-01`, { zone: ZONE });
  return Array.from({ length: 12 }, (_, i) => first.minus({ months: i + 1 }).toFormat("yyyy-MM"));
}

function assertProvider(actor: Actor, d: { provider_id: number }): void {
  if (actor.role !== "provider" || actor.organisationId !== d.provider_id) throw new ForbiddenError("only the provider acts on its declaration");
}

function assertPurchaser(actor: Actor, d: { purchaser_id: number }): void {
  if (actor.role !== "purchaser" || actor.organisationId !== d.purchaser_id) throw new ForbiddenError("only the purchaser decides");
}

async function visible(db: Knex | Knex.Transaction, scope: Scope, id: number): Promise<repo.DeclarationRow> {
  const d = await repo.findDeclaration(db, scope, id);
  if (!d) throw new NotFoundError("declaration");
  return d;
}

/**
 * On PostgreSQL two requests for one provider could each see "no declaration for this month
 * yet"; a row lock on the provider serialises them. SQLite has one writer anyway.
 */
async function lockProvider(trx: Knex.Transaction, providerId: number): Promise<void> {
  await lockRow(trx, "organisations", providerId);
}

async function store(trx: Knex.Transaction, clock: Clock, id: number, lines: DraftLine[], extra: Record<string, unknown> = {}): Promise<number> {
  const at = timestamp(clock);
  const total = totalCents(lines);
  await repo.replaceLines(trx, id, lines, at);
  await repo.updateDeclaration(trx, id, { total_cents: total, updated_at: at, ...extra });
  return total;
}

export async function prepareDeclaration(db: Knex, clock: Clock, actor: Actor, input: { purchaser_id: number; month: string }): Promise<number> {
  if (actor.role !== "provider" || actor.organisationId === null) throw new ForbiddenError("only a provider declares");
  const providerId = actor.organisationId;
  const errors: Record<string, string> = {};
  const purchasers = await repo.purchasersOf(db, providerId);
  if (!purchasers.some((p) => p.id === input.purchaser_id)) errors.purchaser_id = "declaration.errors.noContract";
  if (!MONTH.test(input.month)) errors.month = "declaration.errors.month";
  else if (input.month >= today(clock).slice(0, 7)) errors.month = "declaration.errors.monthNotOver";
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return db.transaction(async (trx) => {
    await lockProvider(trx, providerId);
    const existing = (await repo.declarationsOfMonth(trx, providerId, input.purchaser_id, input.month)).filter((d) => d.corrects_declaration_id === null);
    if (existing.length > 0) {
      throw new ValidationError({ _form: existing.some((d) => d.status === "geaccepteerd") ? "declaration.errors.acceptedUseCorrection" : "declaration.errors.exists" }, { number: declarationNumber(existing[0].id) });
    }
    const computed = await computeMonth(trx, providerId, input.purchaser_id, input.month);
    if (computed.lines.length === 0 && computed.unpriced.length === 0) throw new ValidationError({ month: "declaration.errors.nothingToDeclare" });
    const at = timestamp(clock);
    const id = await repo.insertDeclaration(trx, {
      provider_id: providerId,
      purchaser_id: input.purchaser_id,
      month: input.month,
      status: "concept",
      corrects_declaration_id: null,
      total_cents: 0,
      created_at: at,
      updated_at: at,
    });
    const total = await store(trx, clock, id, computed.lines);
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "prepareDeclaration",
      entity: "declaration",
      entityId: id,
      details: { purchaser_id: input.purchaser_id, month: input.month, lines: computed.lines.length, total_cents: total, unpriced: computed.unpriced.length },
    });
    return id;
  });
}

/** A concept or a rejected declaration takes what attendance says now. */
export async function recomputeDeclaration(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const d = await visible(trx, scope, id);
    assertProvider(actor, d);
    if (d.status !== "concept" && d.status !== "afgewezen") throw new ValidationError({ _form: "declaration.errors.notOpen" });
    const computed = await computeFor(trx, d);
    const total = await store(trx, clock, id, computed.lines);
    await recordAudit(trx, clock, { userId: actor.userId, action: "recomputeDeclaration", entity: "declaration", entityId: id, details: { lines: computed.lines.length, total_cents: total } });
  });
}

/**
 * Submits (or, after a rejection, submits again): the lines are computed once more inside the
 * transaction, so what is submitted is exactly what attendance says at that moment, and the
 * month is locked from then on.
 */
export async function submitDeclaration(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    assertProvider(actor, await visible(trx, scope, id));
    await lockProvider(trx, actor.organisationId!);
    const d = await visible(trx, scope, id); // read again under the lock
    if (d.status !== "concept" && d.status !== "afgewezen") throw new ValidationError({ _form: "declaration.errors.notOpen" });
    if (d.corrects_declaration_id === null) {
      const others = (await repo.declarationsOfMonth(trx, d.provider_id, d.purchaser_id, d.month)).filter(
        (x) => x.id !== d.id && x.corrects_declaration_id === null && repo.LOCKING.includes(x.status),
      );
      if (others.length > 0) throw new ValidationError({ _form: "declaration.errors.exists" });
    }
    const computed = await computeFor(trx, d);
    if (computed.lines.length === 0) throw new ValidationError({ _form: d.corrects_declaration_id === null ? "declaration.errors.emptySubmit" : "declaration.errors.nothingToCorrect" });
    const at = timestamp(clock);
    const total = await store(trx, clock, id, computed.lines, {
      status: "ingediend",
      submitted_at: at,
      submitted_by: actor.userId,
      decided_at: null,
      decided_by: null,
      rejection_reason: null,
    });
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "submitDeclaration",
      entity: "declaration",
      entityId: id,
      details: { month: d.month, purchaser_id: d.purchaser_id, lines: computed.lines.length, total_cents: total, again: d.status === "afgewezen", previousReason: d.rejection_reason },
    });
  });
}

export async function acceptDeclaration(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const d = await visible(trx, scope, id);
    assertPurchaser(actor, d);
    if (d.status !== "ingediend") throw new ValidationError({ _form: "declaration.errors.notSubmitted" });
    const at = timestamp(clock);
    await repo.updateDeclaration(trx, id, { status: "geaccepteerd", decided_at: at, decided_by: actor.userId, rejection_reason: null, updated_at: at });
    await recordAudit(trx, clock, { userId: actor.userId, action: "acceptDeclaration", entity: "declaration", entityId: id, details: { total_cents: d.total_cents } });
  });
}

export async function rejectDeclaration(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number, reason: string): Promise<void> {
  await db.transaction(async (trx) => {
    const d = await visible(trx, scope, id);
    assertPurchaser(actor, d);
    if (d.status !== "ingediend") throw new ValidationError({ _form: "declaration.errors.notSubmitted" });
    if (reason.trim() === "") throw new ValidationError({ reason: "declaration.errors.reasonRequired" });
    const at = timestamp(clock);
    await repo.updateDeclaration(trx, id, { status: "afgewezen", decided_at: at, decided_by: actor.userId, rejection_reason: reason.trim(), updated_at: at });
    await recordAudit(trx, clock, { userId: actor.userId, action: "rejectDeclaration", entity: "declaration", entityId: id, details: { reason: reason.trim(), total_cents: d.total_cents } });
  });
}

/**
 * After acceptance, a correction: a new declaration (pointing at the original) with what
 * attendance and tariffs now say against what was accepted. One open correction at a time.
 */
export async function correctDeclaration(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<number> {
  return db.transaction(async (trx) => {
    assertProvider(actor, await visible(trx, scope, id));
    await lockProvider(trx, actor.organisationId!);
    const d = await visible(trx, scope, id); // read again under the lock
    if (d.status !== "geaccepteerd") throw new ValidationError({ _form: "declaration.errors.notAccepted" });
    const rootId = d.corrects_declaration_id ?? d.id;
    const open = (await repo.chainOf(trx, rootId)).find((x) => x.status !== "geaccepteerd");
    if (open) throw new ValidationError({ _form: "declaration.errors.openCorrection" }, { number: declarationNumber(open.id) });
    const draft = { id: Number.MAX_SAFE_INTEGER, provider_id: d.provider_id, purchaser_id: d.purchaser_id, month: d.month, corrects_declaration_id: rootId };
    const computed = await computeCorrection(trx, draft);
    if (computed.lines.length === 0) throw new ValidationError({ _form: "declaration.errors.nothingToCorrect" });
    const at = timestamp(clock);
    const newId = await repo.insertDeclaration(trx, {
      provider_id: d.provider_id,
      purchaser_id: d.purchaser_id,
      month: d.month,
      status: "concept",
      corrects_declaration_id: rootId,
      total_cents: 0,
      created_at: at,
      updated_at: at,
    });
    const total = await store(trx, clock, newId, computed.lines);
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "correctDeclaration",
      entity: "declaration",
      entityId: newId,
      details: { corrects: rootId, month: d.month, lines: computed.lines.length, total_cents: total },
    });
    return newId;
  });
}

export async function deleteConcept(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const d = await visible(trx, scope, id);
    assertProvider(actor, d);
    if (d.status !== "concept") throw new ValidationError({ _form: "declaration.errors.onlyConceptDeleted" });
    await repo.deleteDeclaration(trx, id);
    await recordAudit(trx, clock, { userId: actor.userId, action: "deleteDeclaration", entity: "declaration", entityId: id, details: { month: d.month, purchaser_id: d.purchaser_id } });
  });
}

// --- reading ---------------------------------------------------------------------------------

export async function declarationsPage(db: Knex, clock: Clock, actor: Actor, scope: Scope) {
  const rows = await repo.listDeclarations(db, scope);
  // The purchaser's work first: what waits for a decision.
  if (actor.role === "purchaser") rows.sort((a, b) => Number(b.status === "ingediend") - Number(a.status === "ingediend"));
  const purchasers = actor.role === "provider" && actor.organisationId !== null ? await repo.purchasersOf(db, actor.organisationId) : [];
  return { rows, purchasers, months: actor.role === "provider" ? declarableMonths(clock) : [] };
}

export type DeclarationPage = {
  declaration: repo.DeclarationRow;
  lines: repo.LineView[];
  clients: { client_id: number; client_name: string; bsn: string | null; lines: repo.LineView[]; total_cents: number }[];
  chain: repo.DeclarationRow[];
  /** For an open declaration: attendance no longer gives these lines; recompute before submitting. */
  stale: boolean;
  unpriced: { client_name: string; date: string; product_id: number; units: number }[];
  canCorrect: boolean;
};

export async function declarationPage(db: Knex, actor: Actor, scope: Scope, id: number): Promise<DeclarationPage> {
  const declaration = await visible(db, scope, id);
  const rootId = declaration.corrects_declaration_id ?? declaration.id;
  const [lines, chainAll] = await Promise.all([repo.linesOf(db, [id]), repo.chainOf(db, rootId)]);
  // A purchaser never sees a provider's concepts, not even as part of a chain.
  const chain = actor.role === "purchaser" ? chainAll.filter((c) => c.status !== "concept") : chainAll;
  let stale = false;
  let unpriced: DeclarationPage["unpriced"] = [];
  const open = declaration.status === "concept" || declaration.status === "afgewezen";
  if (open && actor.role === "provider") {
    const computed: Computed = await computeFor(db, declaration);
    stale = !sameLines(computed.lines, lines);
    const names = await repo.clientNames(db, [...new Set(computed.unpriced.map((u) => u.client_id))]);
    unpriced = computed.unpriced.map((u) => ({ client_name: names.get(u.client_id) ?? "", date: u.date, product_id: u.product_id, units: u.units }));
  }
  const byClient = new Map<number, DeclarationPage["clients"][number]>();
  for (const l of lines) {
    const c = byClient.get(l.client_id) ?? { client_id: l.client_id, client_name: l.client_name, bsn: l.bsn, lines: [], total_cents: 0 };
    c.lines.push(l);
    c.total_cents += l.debit_credit === "C" ? -l.amount_cents : l.amount_cents;
    byClient.set(l.client_id, c);
  }
  return {
    declaration,
    lines,
    clients: [...byClient.values()],
    chain,
    stale,
    unpriced,
    canCorrect:
      actor.role === "provider" &&
      actor.organisationId === declaration.provider_id &&
      declaration.status === "geaccepteerd" &&
      !chainAll.some((c) => c.status !== "geaccepteerd"),
  };
}

/** The declaration and its lines for an export, within the scope. */
export async function exportData(db: Knex, scope: Scope, id: number) {
  const declaration = await visible(db, scope, id);
  return { declaration, lines: await repo.linesOf(db, [id]) };
}
