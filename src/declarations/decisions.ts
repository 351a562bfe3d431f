import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import { awardedCents } from "../domain/declaration-answer";
import { isRefusalCode } from "../iwmo/retourcodes";
import * as repo from "./repository";
import { assertPurchaser, visible } from "./service";

// The purchaser's answer, per prestatie (iWmo: a prestatie is approved or refused as a whole;
// WMO325 lists the refused ones with their WJ001 retourcodes). A submitted declaration is
// answered once its last line is decided: geaccepteerd when anything is toegekend, afgewezen
// when nothing is; the toegekend total follows the lines. Until then a line's decision may
// still change. Every decision is audited.

export type LineDecision = { decision: repo.Decision; retourcode: string | null; note: string | null };

function refusal(input: { retourcode: string | null; note: string | null }): { retourcodes: string[]; note: string | null } {
  if (!input.retourcode) throw new ValidationError({ retourcode: "declaration.errors.retourcodeRequired" });
  if (!isRefusalCode(input.retourcode)) throw new ValidationError({ retourcode: "errors.choice" });
  return { retourcodes: [input.retourcode], note: input.note?.trim() || null };
}

async function open(trx: Knex.Transaction, actor: Actor, scope: Scope, id: number): Promise<repo.DeclarationRow> {
  const d = await visible(trx, scope, id);
  assertPurchaser(actor, d);
  if (d.status !== "ingediend") throw new ValidationError({ _form: "declaration.errors.notSubmitted" });
  return d;
}

/** When every line is decided: the answer stands. */
export async function finaliseIfComplete(trx: Knex.Transaction, clock: Clock, actor: Actor, id: number, via: "dagdeel" | "wmo325"): Promise<boolean> {
  const lines = await repo.linesOf(trx, [id]);
  if (lines.some((l) => l.decision === null)) return false;
  const awarded = awardedCents(lines);
  const accepted = lines.filter((l) => l.decision === "toegekend").length;
  const at = timestamp(clock);
  await repo.updateDeclaration(trx, id, {
    status: accepted > 0 ? "geaccepteerd" : "afgewezen",
    awarded_cents: awarded,
    decided_at: at,
    decided_by: actor.userId,
    updated_at: at,
  });
  await recordAudit(trx, clock, {
    userId: actor.userId,
    action: "answer",
    entity: "declaration",
    entityId: id,
    details: { via, accepted, rejected: lines.length - accepted, awarded_cents: awarded },
  });
  return true;
}

/** One prestatie toegekend or refused (with a retourcode and an optional note). */
export async function decideLine(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number, lineId: number, input: LineDecision): Promise<boolean> {
  return db.transaction(async (trx) => {
    const d = await open(trx, actor, scope, id);
    const line = (await repo.linesOf(trx, [d.id])).find((l) => l.id === lineId);
    if (!line) throw new NotFoundError("declaration line");
    const decided = input.decision === "afgewezen" ? { decision: input.decision, ...refusal(input) } : { decision: input.decision, retourcodes: [], note: input.note?.trim() || null };
    await repo.decideLines(trx, d.id, [line.id], decided, timestamp(clock));
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "decide_line",
      entity: "declaration",
      entityId: d.id,
      details: { line: line.id, decision: decided.decision, retourcodes: decided.retourcodes, note: decided.note, before: line.decision },
    });
    return finaliseIfComplete(trx, clock, actor, d.id, "dagdeel");
  });
}

/** Every prestatie not yet decided: toegekend, or refused with one retourcode and note. */
export async function decideRemaining(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number, input: LineDecision): Promise<void> {
  await db.transaction(async (trx) => {
    const d = await open(trx, actor, scope, id);
    const decided = input.decision === "afgewezen" ? { decision: input.decision, ...refusal(input) } : { decision: input.decision, retourcodes: [], note: null };
    const remaining = (await repo.linesOf(trx, [d.id])).filter((l) => l.decision === null).map((l) => l.id);
    await repo.decideLines(trx, d.id, remaining, decided, timestamp(clock));
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: input.decision === "toegekend" ? "approve_remaining" : "refuse_remaining",
      entity: "declaration",
      entityId: d.id,
      details: { lines: remaining.length, retourcodes: decided.retourcodes, note: decided.note },
    });
    await finaliseIfComplete(trx, clock, actor, d.id, "dagdeel");
  });
}
