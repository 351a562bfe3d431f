import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import { hashPassword, verifyPassword } from "../auth/password";
import { totpRequired } from "../auth/service";
import { acceptedStep, mayUseTotp } from "../auth/totp";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import * as repo from "./repository";

// What every user does to their own account: change the password, and — coordinators and
// admins — turn two-factor login (TOTP) on or off.

async function ownUser(db: Knex, actor: Actor) {
  const user = await repo.findUser(db, actor.userId);
  if (!user) throw new NotFoundError("user");
  return user;
}

/**
 * A new password, after the current one. Raises the session generation: every other session
 * of this user ends (the caller starts a fresh one for the browser that asked).
 */
export async function changeOwnPassword(db: Knex, clock: Clock, actor: Actor, current: string, next: string): Promise<number> {
  const user = await ownUser(db, actor);
  if (!(await verifyPassword(current, user.password_hash))) throw new ValidationError({ current_password: "account.errors.currentPasswordWrong" });
  if (current === next) throw new ValidationError({ new_password: "account.errors.passwordUnchanged" });
  const passwordHash = await hashPassword(next);
  const generation = user.session_generation + 1;
  await db.transaction(async (trx) => {
    const at = timestamp(clock);
    await repo.updateUser(trx, user.id, { password_hash: passwordHash, password_changed_at: at, session_generation: generation, updated_at: at });
    await recordAudit(trx, clock, { userId: user.id, action: "change_password", entity: "user", entityId: user.id });
  });
  return generation;
}

/** Turns TOTP on with the secret shown to the user, once a code from their app matches it. */
export async function enableTotp(db: Knex, clock: Clock, actor: Actor, secret: string, code: string): Promise<void> {
  if (!mayUseTotp(actor.role)) throw new ForbiddenError("totp");
  const step = acceptedStep(secret, code);
  if (step === null) throw new ValidationError({ code: "account.errors.codeWrong" });
  await db.transaction(async (trx) => {
    const at = timestamp(clock);
    await repo.updateUser(trx, actor.userId, { totp_secret: secret, totp_enabled_at: at, totp_last_step: step, updated_at: at });
    await recordAudit(trx, clock, { userId: actor.userId, action: "enable_totp", entity: "user", entityId: actor.userId });
  });
}

/** Turns TOTP off, with the password as proof; not while the admin requires it. */
export async function disableTotp(db: Knex, clock: Clock, actor: Actor, password: string): Promise<void> {
  const user = await ownUser(db, actor);
  if (await totpRequired(db, user)) throw new ValidationError({ _form: "account.errors.totpRequired" });
  if (!(await verifyPassword(password, user.password_hash))) throw new ValidationError({ password: "account.errors.currentPasswordWrong" });
  await db.transaction(async (trx) => {
    const at = timestamp(clock);
    await repo.updateUser(trx, user.id, { totp_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: at });
    await recordAudit(trx, clock, { userId: user.id, action: "disable_totp", entity: "user", entityId: user.id });
  });
}
