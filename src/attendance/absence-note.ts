import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { isAbsence, noteAfter } from "../domain/absence-note";
import { timestamp, type Clock } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import { assertNotLocked, type Cell } from "./lock";
import type { CellInput, Outcome } from "./recording";
import * as repo from "./repository";

// The note with a recorded absence, written on its own: the row is read for update, so a note
// never brings back a status someone else changed in the meantime; a declared month stays
// locked; the audit log says that the note changed, never what it says (health data).

export async function saveAbsenceNote(db: Knex, clock: Clock, actor: Actor, scope: Scope, locationId: number, input: CellInput & { note: string }): Promise<Outcome> {
  return db.transaction(async (trx) => {
    const location = await repo.findLocation(trx, scope, locationId);
    if (!location) throw new NotFoundError("location");
    const existing = await repo.findRow(trx, input.client_id, input.date, input.dagdeel);
    if (!existing || existing.location_id !== location.id || !isAbsence(existing.status)) throw new ValidationError({ _form: "attendance.errors.noAbsence" });
    const cell: Cell = { ...input, location_id: location.id };
    await assertNotLocked(trx, [cell]);
    const [client] = await repo.clientNames(trx, [input.client_id]);
    const clientName = client ? `${client.first_name} ${client.last_name}` : `#${input.client_id}`;
    const note = noteAfter(existing.status, input.note, existing.note);
    if (note === existing.note) return { clientName, changed: false };
    await repo.setNote(trx, existing.id, note, timestamp(clock));
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "change_note",
      entity: "attendance",
      entityId: existing.id,
      details: { client_id: cell.client_id, location_id: cell.location_id, date: cell.date, dagdeel: cell.dagdeel, status: existing.status, note: note !== null },
    });
    return { clientName, changed: true };
  });
}
