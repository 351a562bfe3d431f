import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import { readSetting } from "../auth/repository";
import { TOTP_REQUIRED_COORDINATORS } from "../auth/service";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";

/** Whether every coordinator must log in with a second factor. */
export async function totpRequiredForCoordinators(db: Knex): Promise<boolean> {
  return (await readSetting(db, TOTP_REQUIRED_COORDINATORS)) === "1";
}

export async function setTotpRequiredForCoordinators(db: Knex, clock: Clock, actor: Actor, required: boolean): Promise<void> {
  await db.transaction(async (trx) => {
    const at = timestamp(clock);
    await trx("settings")
      .insert({ key: TOTP_REQUIRED_COORDINATORS, value: required ? "1" : "0", updated_by: actor.userId, created_at: at, updated_at: at })
      .onConflict("key")
      .merge(["value", "updated_by", "updated_at"]);
    await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "setting", details: { [TOTP_REQUIRED_COORDINATORS]: required } });
  });
}
