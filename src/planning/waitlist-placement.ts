import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { findEntry, setStatus } from "./waitlist-repository";

/**
 * Marks a waiting client as placed, inside the booking's transaction: the entry and the
 * schedule stand or fall together. Only a waiting entry of the booked client can be placed.
 */
export async function placeEntry(trx: Knex.Transaction, clock: Clock, actor: Actor, entryId: number, clientId: number, scheduleId: number): Promise<void> {
  const entry = await findEntry(trx, entryId);
  if (!entry || entry.status !== "wachtend" || entry.client_id !== clientId) throw new NotFoundError("waitlist entry");
  await setStatus(trx, entryId, "geplaatst", timestamp(clock));
  await recordAudit(trx, clock, { userId: actor.userId, action: "place", entity: "waitlist_entry", entityId: entryId, details: { schedule_id: scheduleId } });
}
