import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { noteAfter } from "../domain/absence-note";
import { allowedOnDate, type AttendanceStatus } from "../domain/attendance";
import { timestamp, today, type Clock } from "../domain/clock";
import type { Dagdeel } from "../domain/dagdeel";
import { NotFoundError, ValidationError } from "../domain/errors";
import type { OccupancyCell } from "../domain/occupancy";
import { hasDagdeel, occupancyCell } from "./expected";
import { assertNotLocked, cellKey, writableCells, type Cell } from "./lock";
import * as repo from "./repository";
import { refreshIwmoMessages } from "../iwmo/messages-service";

// The write side of attendance. Every path — one status, everyone present, an extra client,
// undo — runs in one transaction that reads the old row, checks the rules and the lock, writes,
// and audits old → new. Undo deletes the row: the dagdeel is "not yet recorded" again, and the
// audit log keeps what it was.

export type CellInput = { client_id: number; date: string; dagdeel: Dagdeel };
export type RecordInput = CellInput & {
  status: AttendanceStatus;
  /** A note with an absence; left out keeps the stored one (see noteAfter). */
  note?: string | null;
};
export type Outcome = { clientName: string; changed: boolean };

type Trx = Knex.Transaction;

async function locationOr404(trx: Trx, scope: Scope, locationId: number): Promise<repo.AttendanceLocation> {
  const location = await repo.findLocation(trx, scope, locationId);
  if (!location) throw new NotFoundError("location");
  return location;
}

/** Refuses a dagdeel the location does not have on that date: closed, or no capacity and nobody planned. */
function assertHasDagdeel(cell: OccupancyCell): void {
  if (cell.closed) throw new ValidationError({ _form: "attendance.errors.closed" }, { reason: cell.closureReasons.join(", ") });
  if (!hasDagdeel(cell)) throw new ValidationError({ _form: "attendance.errors.noDagdeel" }, { date: cell.date, dagdeel: cell.dagdeel });
}

function assertAllowedOnDate(status: AttendanceStatus, date: string, clock: Clock): void {
  if (!allowedOnDate(status, date, today(clock))) throw new ValidationError({ _form: "attendance.errors.future" });
}

async function nameOf(trx: Trx, clientId: number): Promise<string> {
  const [c] = await repo.clientNames(trx, [clientId]);
  return c ? `${c.first_name} ${c.last_name}` : `#${clientId}`;
}

// `extra` says whether a note was written, never what it says (health data stays out of the log).
function audit(trx: Trx, clock: Clock, actor: Actor, action: "record" | "undo" | "record_everyone_present", id: number, cell: Cell, old: AttendanceStatus | null, next: AttendanceStatus | null, extra: Record<string, unknown> = {}) {
  return recordAudit(trx, clock, {
    userId: actor.userId,
    action,
    entity: "attendance",
    entityId: id,
    details: { client_id: cell.client_id, location_id: cell.location_id, date: cell.date, dagdeel: cell.dagdeel, old, new: next, ...extra },
  });
}

/** One status for one expected client (or a change to a row already recorded here). */
export async function recordStatus(db: Knex, clock: Clock, actor: Actor, scope: Scope, locationId: number, input: RecordInput): Promise<Outcome> {
  return db.transaction(async (trx) => {
    const location = await locationOr404(trx, scope, locationId);
    const cell: Cell = { ...input, location_id: location.id };
    const occ = await occupancyCell(trx, location.id, input.date, input.dagdeel);
    const existing = await repo.findRow(trx, input.client_id, input.date, input.dagdeel);
    if (existing && existing.location_id !== location.id) throw new ValidationError({ _form: "attendance.errors.elsewhere" });
    assertHasDagdeel(occ);
    const expected = occ.scheduledClientIds.includes(input.client_id);
    if (!expected && !existing) throw new ValidationError({ _form: "attendance.errors.notExpected" });
    if (expected && input.status === "extra") throw new ValidationError({ status: "attendance.errors.extraForExpected" });
    assertAllowedOnDate(input.status, input.date, clock);
    await assertNotLocked(trx, [cell]);
    const clientName = await nameOf(trx, input.client_id);
    const note = noteAfter(input.status, input.note, existing?.note ?? null);
    if (existing?.status === input.status && note === (existing.note ?? null)) return { clientName, changed: false };
    const at = timestamp(clock);
    const values = { ...cell, status: input.status, note, recorded_by: actor.userId, recorded_at: at };
    let current = existing;
    let id: number | null = null;
    // Somebody may record this dagdeel between our read and our write (another app process,
    // "iedereen aanwezig"): then their row is the one we change, read again and now locked, and
    // the audit names what it replaced. (A row written and undone meanwhile: insert again.)
    for (let attempt = 0; !current && id === null; attempt++) {
      if (attempt === 3) throw new Error("attendance row keeps appearing and disappearing");
      id = await repo.insertRowIfAbsent(trx, values, at);
      if (id === null) current = await repo.findRow(trx, input.client_id, input.date, input.dagdeel);
    }
    if (current && current !== existing) {
      if (current.location_id !== location.id) throw new ValidationError({ _form: "attendance.errors.elsewhere" });
      if (current.status === input.status && note === (current.note ?? null)) return { clientName, changed: false };
    }
    if (current) {
      id = current.id;
      await repo.updateRow(trx, id, values, at);
    }
    await audit(trx, clock, actor, "record", id!, cell, current?.status ?? null, input.status, { note: note !== null, noteChanged: note !== (current?.note ?? null) });
    await refreshIwmoMessages(trx, clock, input.client_id, location.provider_id);
    return { clientName, changed: true };
  });
}

/**
 * Everyone expected on a dagdeel who has no row yet becomes aanwezig, in one transaction.
 * Dagdelen in a declared month are left as they are; when that is all of them, it is refused.
 */
export async function everyonePresent(
  db: Knex,
  clock: Clock,
  actor: Actor,
  scope: Scope,
  locationId: number,
  input: { date: string; dagdeel: Dagdeel },
): Promise<{ marked: number; skippedLocked: number }> {
  return db.transaction(async (trx) => {
    const location = await locationOr404(trx, scope, locationId);
    const occ = await occupancyCell(trx, location.id, input.date, input.dagdeel);
    assertHasDagdeel(occ);
    assertAllowedOnDate("aanwezig", input.date, clock);
    const rows = await repo.rowsOnDate(trx, location.id, input.date, occ.scheduledClientIds);
    const recorded = new Set(rows.filter((r) => r.dagdeel === input.dagdeel).map((r) => r.client_id));
    const targets: Cell[] = occ.scheduledClientIds
      .filter((id) => !recorded.has(id))
      .map((client_id) => ({ client_id, location_id: location.id, date: input.date, dagdeel: input.dagdeel }));
    const locked = await writableCells(trx, targets, timestamp(clock));
    const open = targets.filter((c) => !locked.has(cellKey(c)));
    if (targets.length > 0 && open.length === 0) await assertNotLocked(trx, targets);
    const at = timestamp(clock);
    // Only where no row exists, at the moment of writing: a status somebody recorded after the
    // list was read (a volunteer's "ziek") is never overwritten by the bulk.
    let marked = 0;
    for (const cell of open) {
      const id = await repo.insertRowIfAbsent(trx, { ...cell, status: "aanwezig", recorded_by: actor.userId, recorded_at: at }, at);
      if (id === null) continue;
      marked += 1;
      await audit(trx, clock, actor, "record_everyone_present", id, cell, null, "aanwezig");
      await refreshIwmoMessages(trx, clock, cell.client_id, location.provider_id);
    }
    return { marked, skippedLocked: targets.length - open.length };
  });
}

/** A client who came without being planned for this dagdeel here: recorded as `extra`. */
export async function addExtra(db: Knex, clock: Clock, actor: Actor, scope: Scope, locationId: number, input: CellInput): Promise<Outcome> {
  return db.transaction(async (trx) => {
    const location = await locationOr404(trx, scope, locationId);
    const cell: Cell = { ...input, location_id: location.id };
    const occ = await occupancyCell(trx, location.id, input.date, input.dagdeel);
    assertHasDagdeel(occ);
    assertAllowedOnDate("extra", input.date, clock);
    // A provider chooses among the clients known at its locations; anyone else is "not a choice".
    if (!(await repo.isExtraCandidate(trx, scope, input.client_id, input.date))) throw new ValidationError({ client_id: "errors.choice" });
    if (occ.scheduledClientIds.includes(input.client_id)) throw new ValidationError({ client_id: "attendance.errors.alreadyExpected" });
    if (await repo.findRow(trx, input.client_id, input.date, input.dagdeel)) throw new ValidationError({ client_id: "attendance.errors.alreadyRecorded" });
    await assertNotLocked(trx, [cell]);
    const at = timestamp(clock);
    // The check above saw no row; another app process may have written one since (the same
    // client as extra at another location): then this one is refused, as it would have been a moment later.
    const id = await repo.insertRowIfAbsent(trx, { ...cell, status: "extra", recorded_by: actor.userId, recorded_at: at }, at);
    if (id === null) throw new ValidationError({ client_id: "attendance.errors.alreadyRecorded" });
    await audit(trx, clock, actor, "record", id, cell, null, "extra");
    await refreshIwmoMessages(trx, clock, input.client_id, location.provider_id);
    return { clientName: await nameOf(trx, input.client_id), changed: true };
  });
}

/** Takes back a recording: the row goes, the dagdeel is "not yet recorded" again. */
export async function undoRecording(db: Knex, clock: Clock, actor: Actor, scope: Scope, locationId: number, input: CellInput): Promise<Outcome> {
  return db.transaction(async (trx) => {
    const location = await locationOr404(trx, scope, locationId);
    const existing = await repo.findRow(trx, input.client_id, input.date, input.dagdeel);
    if (!existing || existing.location_id !== location.id) throw new ValidationError({ _form: "attendance.errors.nothingToUndo" });
    const cell: Cell = { ...input, location_id: location.id };
    await assertNotLocked(trx, [cell]);
    await repo.deleteRow(trx, existing.id);
    await audit(trx, clock, actor, "undo", existing.id, cell, existing.status, null);
    await refreshIwmoMessages(trx, clock, input.client_id, location.provider_id);
    return { clientName: await nameOf(trx, input.client_id), changed: true };
  });
}
