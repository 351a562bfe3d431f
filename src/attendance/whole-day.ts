import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import type { AbsenceReason } from "../domain/attendance";
import type { Clock } from "../domain/clock";
import { DAGDELEN } from "../domain/dagdeel";
import { ValidationError } from "../domain/errors";
import { recordStatus, type Outcome } from "./recording";

// "Ziek, hele dag" in one tap for a client who comes morning and afternoon: both dagdelen of
// the date through the same recordStatus() as a single tap — every rule, the declaration lock
// and the audit entry per dagdeel — inside one transaction, so either both are recorded or
// neither is.

export type WholeDayInput = { client_id: number; date: string; status: AbsenceReason; note?: string | null };

export async function recordWholeDay(db: Knex, clock: Clock, actor: Actor, scope: Scope, locationId: number, input: WholeDayInput): Promise<Outcome> {
  return db.transaction(async (trx) => {
    let clientName = "";
    let changed = false;
    for (const dagdeel of DAGDELEN) {
      try {
        // A transaction is a Knex too: recordStatus's own transaction becomes a savepoint in this one.
        const outcome = await recordStatus(trx, clock, actor, scope, locationId, { ...input, dagdeel });
        clientName = outcome.clientName;
        changed = changed || outcome.changed;
      } catch (err) {
        // Not planned here on one of the two: the whole-day button was not for this client.
        if (err instanceof ValidationError && err.fields._form === "attendance.errors.notExpected") {
          throw new ValidationError({ _form: "attendance.errors.notWholeDay" });
        }
        throw err;
      }
    }
    return { clientName, changed };
  });
}
