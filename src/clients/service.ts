import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { NotFoundError, ValidationError } from "../domain/errors";
import * as repo from "./repository";
import { refreshIwmoMessages } from "../iwmo/messages-service";
import { isUniqueViolation, readTogether } from "../db/dialect";

export type ClientInput = repo.ClientFields;

/** Only coordinators see a BSN in full, and only on the client's own page (src/CONTEXT.md#privacy-and-scope, AVG). */
export function seesFullBsn(actor: Actor): boolean {
  return actor.role === "coordinator";
}

/** Rules across fields and rows that a form schema cannot see on its own. */
async function checkClient(db: Knex | Knex.Transaction, input: ClientInput, id: number | null, date: string): Promise<void> {
  const errors: Record<string, string> = {};
  const params: Record<string, string | number> = {};
  if (input.birth_date !== null && input.birth_date > date) errors.birth_date = "clients.errors.birthDateFuture";
  if (input.village_id !== null && !(await repo.villageExists(db, input.village_id))) errors.village_id = "errors.choice";
  if (input.bsn !== null) {
    const other = await repo.findClientByBsn(db, input.bsn);
    if (other && other.id !== id) {
      errors.bsn = "clients.errors.bsnTaken";
      // Only coordinators write clients, and they may know who the number belongs to.
      params.otherId = other.id;
      params.otherName = `${other.first_name} ${other.last_name}`;
    }
  } else if (id !== null && (await repo.countAllocations(db, id)) > 0) {
    errors.bsn = "clients.errors.bsnNeededForAllocations";
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, params);
}

/**
 * The same first and last name (ignoring case and spaces around them) and the same birth date
 * as a client already on file, ended ones included: most likely the same person entered twice.
 * Asked once; the coordinator confirms on a second submit when it really is someone else.
 */
async function checkNotDuplicate(db: Knex | Knex.Transaction, input: ClientInput): Promise<void> {
  if (input.birth_date === null) return;
  const same = (a: string, b: string) => a.trim().toLocaleLowerCase("nl") === b.trim().toLocaleLowerCase("nl");
  const twin = (await repo.clientsBornOn(db, input.birth_date)).find((c) => same(c.first_name, input.first_name) && same(c.last_name, input.last_name));
  if (twin) {
    throw new ValidationError(
      { confirm_duplicate: twin.ended_on ? "clients.errors.duplicateEnded" : "clients.errors.duplicate" },
      { otherId: twin.id, otherName: `${twin.first_name} ${twin.last_name}` },
    );
  }
}

export async function createClient(db: Knex, clock: Clock, actor: Actor, input: ClientInput, options: { confirmDuplicate?: boolean } = {}): Promise<number> {
  try {
    return await db.transaction(async (trx) => {
      if (!options.confirmDuplicate) await checkNotDuplicate(trx, input);
      return createClientIn(trx, clock, actor, input);
    });
  } catch (err) {
    if (isUniqueViolation(err, "clients", "bsn")) throw new ValidationError({ bsn: "clients.errors.bsnTaken" });
    throw err;
  }
}

/** Creates a client inside the caller's transaction (the form, a WMO301 import); `source` goes to the audit entry. */
export async function createClientIn(trx: Knex.Transaction, clock: Clock, actor: Actor, input: ClientInput, source?: Record<string, unknown>): Promise<number> {
  await checkClient(trx, input, null, today(clock));
  const at = timestamp(clock);
  const id = await repo.insertClient(trx, { ...input, created_at: at, updated_at: at });
  // The audit log names what happened, not the personal data itself.
  await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "client", entityId: id, details: { hasBsn: input.bsn !== null, village_id: input.village_id, ...source } });
  return id;
}

export async function updateClient(db: Knex, clock: Clock, actor: Actor, id: number, input: ClientInput): Promise<void> {
  try {
    await db.transaction(async (trx) => {
      const existing = await repo.findClient(trx, null, id);
      if (!existing) throw new NotFoundError("client");
      await checkClient(trx, input, id, today(clock));
      const changed = (Object.keys(input) as (keyof ClientInput)[]).filter((k) => String(existing[k] ?? "") !== String(input[k] ?? ""));
      await repo.updateClient(trx, id, { ...input, updated_at: timestamp(clock) });
      await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "client", entityId: id, details: { changed } });
    });
  } catch (err) {
    if (isUniqueViolation(err, "clients", "bsn")) throw new ValidationError({ bsn: "clients.errors.bsnTaken" });
    throw err;
  }
}

export type EndingConsequences = { schedulesEnded: number[]; schedulesRemoved: number[]; waitlistClosed: number[] };

/** What ending a client on `date` would do to its schedules and waiting-list entries. */
export async function endingConsequences(db: Knex | Knex.Transaction, clientId: number, date: string): Promise<EndingConsequences> {
  const [running, waiting] = await readTogether(db, [() => repo.schedulesRunningAfter(db, clientId, date), () => repo.waitingEntries(db, clientId)]);
  return {
    schedulesEnded: running.filter((s) => s.valid_from <= date).map((s) => s.id),
    schedulesRemoved: running.filter((s) => s.valid_from > date).map((s) => s.id),
    waitlistClosed: waiting.map((w) => w.id),
  };
}

/**
 * Ends a client: `endedOn` is the last day it attends. Its schedules end that day too (one
 * that would only start later is removed), and its waiting-list entries lapse, so nobody keeps
 * a place for someone who no longer comes. Allocations stay as the purchaser granted them.
 */
export async function endClient(db: Knex, clock: Clock, actor: Actor, id: number, endedOn: string): Promise<EndingConsequences> {
  return db.transaction(async (trx) => {
    await repo.lockClient(trx, id);
    const existing = await repo.findClient(trx, null, id);
    if (!existing) throw new NotFoundError("client");
    if (existing.ended_on !== null) throw new ValidationError({ _form: "clients.errors.alreadyEnded" });
    const at = timestamp(clock);
    const consequences = await endingConsequences(trx, id, endedOn);
    await repo.endSchedules(trx, consequences.schedulesEnded, endedOn, at);
    await repo.deleteSchedules(trx, consequences.schedulesRemoved);
    await repo.closeWaitingEntries(trx, consequences.waitlistClosed, at);
    await repo.updateClient(trx, id, { ended_on: endedOn, updated_at: at });
    await recordAudit(trx, clock, { userId: actor.userId, action: "end", entity: "client", entityId: id, details: { ended_on: endedOn, ...consequences } });
    await refreshIwmoMessages(trx, clock, id);
    return consequences;
  });
}

/** Undoes an end that was a mistake; schedules that were ended stay ended (plan them anew). */
export async function reopenClient(db: Knex, clock: Clock, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    await repo.lockClient(trx, id);
    const existing = await repo.findClient(trx, null, id);
    if (!existing) throw new NotFoundError("client");
    if (existing.ended_on === null) return;
    await repo.updateClient(trx, id, { ended_on: null, updated_at: timestamp(clock) });
    await recordAudit(trx, clock, { userId: actor.userId, action: "reopen", entity: "client", entityId: id, details: { was_ended_on: existing.ended_on } });
    await refreshIwmoMessages(trx, clock, id);
  });
}

/** Records that the actor was shown this client's full BSN; call it whenever a page shows one. */
export async function recordBsnView(db: Knex, clock: Clock, actor: Actor, client: { id: number; bsn: string | null }, where: string): Promise<void> {
  if (!client.bsn) return;
  await recordAudit(db, clock, { userId: actor.userId, action: "view_bsn", entity: "client", entityId: client.id, details: { where } });
}

export const ATTENDANCE_WEEKS = 8;

/**
 * Everything the client page shows, within the actor's scope, in a fixed number of queries.
 * A coordinator sees the BSN in full, and that view is written to the audit log.
 */
export async function clientPage(db: Knex, clock: Clock, scope: Scope, id: number) {
  const client = await repo.findClient(db, scope, id);
  if (!client) throw new NotFoundError("client");
  const date = today(clock);
  const attendanceFrom = addDays(date, -7 * ATTENDANCE_WEEKS + 1);
  const [allocations, schedules, waitlist, attendance] = await Promise.all([
    repo.allocationsOfClient(db, scope, id),
    repo.listSchedules(db, scope, { clientId: id }),
    repo.waitlistOfClient(db, scope, id),
    repo.attendanceCounts(db, scope, id, attendanceFrom, date),
  ]);
  const fullBsn = seesFullBsn(scope.actor) && client.bsn !== null;
  if (fullBsn) await recordBsnView(db, clock, scope.actor, client, "page");
  return { client, fullBsn, allocations, schedules, waitlist, attendance, attendanceFrom, today: date };
}
