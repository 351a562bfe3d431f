import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { lockEntry, setStatus, waitingAt } from "./waitlist-repository";

/**
 * Closes the waiting list behind a booking, inside the booking's transaction (the entries and
 * the schedule stand or fall together): the entry the booking names, if any — it must be a
 * waiting entry of the booked client — and every other waiting entry of that client at that
 * location, whichever way the booking came (form, waiting list, import). Each one audited.
 * Every entry's row is locked before its status is read (lockEntry, waitingAt), so one that a
 * coordinator lets lapse at the same moment is closed once, by whichever comes first.
 */
export async function placeEntries(
  trx: Knex.Transaction,
  clock: Clock,
  actor: Actor,
  booked: { clientId: number; locationId: number; scheduleId: number; entryId?: number | null },
): Promise<void> {
  if (booked.entryId) {
    const entry = await lockEntry(trx, booked.entryId);
    if (!entry || entry.status !== "wachtend" || entry.client_id !== booked.clientId) throw new NotFoundError("waitlist entry");
    await place(trx, clock, actor, booked.entryId, booked.scheduleId);
  }
  for (const { id } of await waitingAt(trx, booked.clientId, booked.locationId)) {
    if (id !== booked.entryId) await place(trx, clock, actor, id, booked.scheduleId);
  }
}

async function place(trx: Knex.Transaction, clock: Clock, actor: Actor, entryId: number, scheduleId: number): Promise<void> {
  await setStatus(trx, entryId, "geplaatst", timestamp(clock));
  await recordAudit(trx, clock, { userId: actor.userId, action: "place", entity: "waitlist_entry", entityId: entryId, details: { schedule_id: scheduleId } });
}
