import type { Knex } from "knex";
import { DateTime } from "luxon";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, today, ZONE, type Clock } from "../domain/clock";
import { MONTH_PATTERN, periodFor } from "../domain/declaration-period";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { totalCents, type DraftLine } from "../domain/pricing";
import { computeFor, computeMonth } from "./compute";
import { declarationNumber } from "./exports";
import { holdPeriods } from "./period-lock";
import * as repo from "./repository";
import { isUniqueViolation, lockRow } from "../db/dialect";

// The declaration's life. A provider prepares a month (concept), previews and submits it
// (ingediend: the month's attendance is locked from then on, sent in its DeclaratiePeriode).
// The purchaser answers per prestatie (see decisions.ts): geaccepteerd when at least one is
// toegekend, afgewezen when none. An answered month changes only through a correction the
// provider opens with a reason: that unlocks the month's attendance for this provider and
// purchaser only; on submit the correction credits each changed accepted prestatie exactly as
// it was and debits what is right now (refused prestaties are simply declared again), in the
// current declaration period. Every transition is one transaction with its audit entry.

/** The months a provider may declare: the last twelve that are over. */
export function declarableMonths(clock: Clock): string[] {
  const first = DateTime.fromISO(`${today(clock).slice(0, 7)}-01`, { zone: ZONE });
  return Array.from({ length: 12 }, (_, i) => first.minus({ months: i + 1 }).toFormat("yyyy-MM"));
}

export function assertProvider(actor: Actor, d: { provider_id: number }): void {
  if (actor.role !== "provider" || actor.organisationId !== d.provider_id) throw new ForbiddenError("only the provider acts on its declaration");
}

export function assertPurchaser(actor: Actor, d: { purchaser_id: number }): void {
  if (actor.role !== "purchaser" || actor.organisationId !== d.purchaser_id) throw new ForbiddenError("only the purchaser decides");
}

export async function visible(db: Knex | Knex.Transaction, scope: Scope, id: number): Promise<repo.DeclarationRow> {
  const d = await repo.findDeclaration(db, scope, id);
  if (!d) throw new NotFoundError("declaration");
  return d;
}

/**
 * Serialises a provider's declaring on PostgreSQL (which period is the last submitted, which
 * months exist). FOR NO KEY UPDATE, so inserts that merely reference the provider (their
 * foreign-key check takes KEY SHARE) are not held up. SQLite has one writer anyway.
 */
async function lockProvider(trx: Knex.Transaction, providerId: number): Promise<void> {
  await lockRow(trx, "organisations", providerId, "no key update");
}

/** Takes the month's lock row FOR UPDATE: attendance writes of this month wait, or are done. */
function holdMonth(trx: Knex.Transaction, clock: Clock, d: { provider_id: number; purchaser_id: number; month: string }): Promise<void> {
  return holdPeriods(trx, [{ providerId: d.provider_id, purchaserId: d.purchaser_id, month: d.month }], "update", timestamp(clock));
}

async function store(trx: Knex.Transaction, clock: Clock, id: number, lines: DraftLine[], extra: Record<string, unknown> = {}): Promise<number> {
  const at = timestamp(clock);
  const total = totalCents(lines);
  await repo.replaceLines(trx, id, lines, at);
  await repo.updateDeclaration(trx, id, { total_cents: total, updated_at: at, ...extra });
  return total;
}

/** A new concept: an original (corrects null) or a correction of `corrects` with its reason. */
function insertConcept(trx: Knex.Transaction, clock: Clock, of: { provider_id: number; purchaser_id: number; month: string }, corrects: number | null, reason: string | null): Promise<number> {
  const at = timestamp(clock);
  const row = { provider_id: of.provider_id, purchaser_id: of.purchaser_id, month: of.month, status: "concept" as const, total_cents: 0, created_at: at, updated_at: at };
  return repo.insertDeclaration(trx, { ...row, corrects_declaration_id: corrects, correction_reason: reason });
}

async function existingOriginal(db: Knex | Knex.Transaction, providerId: number, purchaserId: number, month: string): Promise<ValidationError | null> {
  const existing = (await repo.declarationsOfMonth(db, providerId, purchaserId, month)).filter((d) => d.corrects_declaration_id === null);
  if (existing.length === 0) return null;
  const answered = existing.some((d) => repo.ANSWERED.includes(d.status));
  return new ValidationError({ _form: answered ? "declaration.errors.acceptedUseCorrection" : "declaration.errors.exists" }, { number: declarationNumber(existing[0].id) });
}

export async function prepareDeclaration(db: Knex, clock: Clock, actor: Actor, input: { purchaser_id: number; month: string }): Promise<number> {
  if (actor.role !== "provider" || actor.organisationId === null) throw new ForbiddenError("only a provider declares");
  const providerId = actor.organisationId;
  const errors: Record<string, string> = {};
  const purchasers = await repo.purchasersOf(db, providerId);
  if (!purchasers.some((p) => p.id === input.purchaser_id)) errors.purchaser_id = "declaration.errors.noContract";
  if (!MONTH_PATTERN.test(input.month)) errors.month = "declaration.errors.month";
  else if (input.month >= today(clock).slice(0, 7)) errors.month = "declaration.errors.monthNotOver";
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  try {
    return await db.transaction(async (trx) => {
      await lockProvider(trx, providerId);
      const exists = await existingOriginal(trx, providerId, input.purchaser_id, input.month);
      if (exists) throw exists;
      const computed = await computeMonth(trx, providerId, input.purchaser_id, input.month);
      if (computed.lines.length === 0 && computed.unpriced.length === 0) throw new ValidationError({ month: "declaration.errors.nothingToDeclare" });
      const id = await insertConcept(trx, clock, { provider_id: providerId, purchaser_id: input.purchaser_id, month: input.month }, null, null);
      const total = await store(trx, clock, id, computed.lines);
      await recordAudit(trx, clock, {
        userId: actor.userId,
        action: "prepare",
        entity: "declaration",
        entityId: id,
        details: { purchaser_id: input.purchaser_id, month: input.month, lines: computed.lines.length, total_cents: total, unpriced: computed.unpriced.length },
      });
      return id;
    });
  } catch (err) {
    // Two prepares at once: the index allows one original per provider × purchaser × month.
    if (isUniqueViolation(err)) throw (await existingOriginal(db, providerId, input.purchaser_id, input.month)) ?? err;
    throw err;
  }
}

/** A concept takes what attendance says now. */
export async function recomputeDeclaration(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const d = await visible(trx, scope, id);
    assertProvider(actor, d);
    if (d.status !== "concept") throw new ValidationError({ _form: "declaration.errors.notOpen" });
    const computed = await computeFor(trx, d);
    const total = await store(trx, clock, id, computed.lines);
    await recordAudit(trx, clock, { userId: actor.userId, action: "recompute", entity: "declaration", entityId: id, details: { lines: computed.lines.length, total_cents: total } });
  });
}

/**
 * Submits a concept (an original or a correction). Under the month's lock row the lines are
 * computed once more from attendance, so what is submitted is exactly what attendance says,
 * and no attendance write of that month slips in between; the month is locked from then on.
 */
export async function submitDeclaration(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    assertProvider(actor, await visible(trx, scope, id));
    await lockProvider(trx, actor.organisationId!);
    const d = await visible(trx, scope, id); // read again under the lock
    if (d.status !== "concept") throw new ValidationError({ _form: "declaration.errors.notOpen" });
    await holdMonth(trx, clock, d);
    const computed = await computeFor(trx, d);
    const correction = d.corrects_declaration_id !== null;
    if (computed.lines.length === 0) throw new ValidationError({ _form: correction ? "declaration.errors.nothingToCorrect" : "declaration.errors.emptySubmit" });
    const last = await repo.lastSubmittedPeriod(trx, d.provider_id, d.purchaser_id, d.id);
    const period = periodFor(correction ? "correction" : "original", d.month, last, today(clock));
    const at = timestamp(clock);
    const total = await store(trx, clock, id, computed.lines, {
      status: "ingediend",
      period,
      submitted_at: at,
      submitted_by: actor.userId,
      decided_at: null,
      decided_by: null,
      rejection_reason: null,
      awarded_cents: null,
    });
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "submit",
      entity: "declaration",
      entityId: id,
      details: { month: d.month, period, purchaser_id: d.purchaser_id, lines: computed.lines.length, total_cents: total, correction_of: d.corrects_declaration_id },
    });
  });
}

/**
 * Opens a correction of an answered month: a new concept declaration pointing at the
 * original, with the provider's reason. While it is open the month's attendance is unlocked
 * for this provider and purchaser only (the attendance lock reads open corrections).
 */
export async function openCorrection(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number, reason: string): Promise<number> {
  return db.transaction(async (trx) => {
    assertProvider(actor, await visible(trx, scope, id));
    if (reason.trim() === "") throw new ValidationError({ reason: "declaration.errors.correctionReasonRequired" });
    await lockProvider(trx, actor.organisationId!);
    const d = await visible(trx, scope, id); // read again under the lock
    await holdMonth(trx, clock, d);
    const rootId = d.corrects_declaration_id ?? d.id;
    const chain = await repo.chainOf(trx, rootId);
    const pending = chain.find((x) => !repo.ANSWERED.includes(x.status));
    if (pending) {
      const key = pending.status === "concept" && pending.corrects_declaration_id !== null ? "declaration.errors.openCorrection" : "declaration.errors.notAnswered";
      throw new ValidationError({ _form: key }, { number: declarationNumber(pending.id) });
    }
    const newId = await insertConcept(trx, clock, d, rootId, reason.trim());
    const computed = await computeFor(trx, (await repo.getDeclaration(trx, newId))!);
    const total = await store(trx, clock, newId, computed.lines);
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "open_correction",
      entity: "declaration",
      entityId: newId,
      details: { corrects: rootId, month: d.month, purchaser_id: d.purchaser_id, reason: reason.trim(), lines: computed.lines.length, total_cents: total },
    });
    return newId;
  });
}

/** A concept goes; a concept correction going locks its month again. */
export async function deleteConcept(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const d = await visible(trx, scope, id);
    assertProvider(actor, d);
    if (d.status !== "concept") throw new ValidationError({ _form: "declaration.errors.onlyConceptDeleted" });
    await holdMonth(trx, clock, d);
    await repo.deleteDeclaration(trx, id);
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: d.corrects_declaration_id === null ? "delete" : "cancel_correction",
      entity: "declaration",
      entityId: id,
      details: { month: d.month, purchaser_id: d.purchaser_id, corrects: d.corrects_declaration_id },
    });
  });
}

/** The declaration and its lines for an export, within the scope. */
export async function exportData(db: Knex, scope: Scope, id: number) {
  const declaration = await visible(db, scope, id);
  return { declaration, lines: await repo.linesOf(db, [id]) };
}

/** A gemeente's own rule: whether it asks for a start message (WMO305) before a declaration. */
export async function changeSettings(db: Knex, clock: Clock, actor: Actor, input: { requires_start_message: boolean }): Promise<void> {
  if (actor.role !== "purchaser" || actor.organisationId === null) throw new ForbiddenError("only a purchaser sets its declaration rules");
  const purchaserId = actor.organisationId;
  if ((await repo.purchaserSubkind(db, purchaserId)) !== "gemeente") throw new ForbiddenError("start messages are iWmo: a gemeente's rule");
  await db.transaction(async (trx) => {
    const before = await repo.requiresStartMessage(trx, purchaserId);
    await repo.setRequiresStartMessage(trx, purchaserId, input.requires_start_message, timestamp(clock));
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "change_declaration_settings",
      entity: "organisation",
      entityId: purchaserId,
      details: { requires_start_message: { before, after: input.requires_start_message } },
    });
  });
}
