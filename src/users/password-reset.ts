import { createHash, randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import { hashPassword } from "../auth/password";
import type { Actor, UserRow } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import * as repo from "./repository";

// The admin's way back in for a user who forgot the password or lost the phone with the
// authenticator: a one-time link that expires. Only a hash of its token is stored, so the
// table (or a backup of it) opens no account. Making the link also ends the user's sessions,
// voids the old password and clears two-factor login: the link is the only way in, and the
// user sets up a new authenticator afterwards if it is required.

/** How long a reset link works. */
export const RESET_VALID_HOURS = 24;

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export type ResetLink = { token: string; expiresAt: string };

export async function createResetLink(db: Knex, clock: Clock, actor: Actor | null, userId: number): Promise<ResetLink> {
  const token = randomBytes(32).toString("base64url");
  const now = timestamp(clock);
  const expiresAt = new Date(Date.parse(now) + RESET_VALID_HOURS * 3600_000).toISOString();
  await db.transaction(async (trx) => {
    const user = await repo.findUser(trx, userId);
    if (!user) throw new NotFoundError("user");
    // An older link that was never used stops working: only the newest one counts.
    await trx("password_resets").where({ user_id: userId }).whereNull("used_at").update({ used_at: now, updated_at: now });
    await trx("password_resets").insert({ user_id: userId, token_hash: hashToken(token), created_by: actor?.userId ?? null, expires_at: expiresAt, created_at: now, updated_at: now });
    await trx("users")
      .where({ id: userId })
      .update({ password_hash: "", totp_secret: null, totp_enabled_at: null, totp_last_step: null, session_generation: user.session_generation + 1, updated_at: now });
    await recordAudit(trx, clock, { userId: actor?.userId ?? null, action: "create_reset_link", entity: "user", entityId: userId, details: { expires_at: expiresAt, totp_cleared: Boolean(user.totp_secret) } });
  });
  return { token, expiresAt };
}

export type ValidReset = { id: number; user: Pick<UserRow, "id" | "name" | "email"> };

/** The reset behind a token if it is unused and not expired; undefined otherwise (which, is not said). */
export async function findValidReset(db: Knex, clock: Clock, token: string): Promise<ValidReset | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const row = await db("password_resets as r")
    .join("users as u", "u.id", "r.user_id")
    .where("r.token_hash", hashToken(token))
    .whereNull("r.used_at")
    .where("r.expires_at", ">", timestamp(clock))
    .where("u.active", true)
    .first("r.id", "u.id as user_id", "u.name", "u.email");
  return row ? { id: row.id, user: { id: row.user_id, name: row.name, email: row.email } } : undefined;
}

/**
 * Sets the new password through a valid link, once: the link is marked used in the same
 * transaction, by a conditional update, so two submissions of one link cannot both succeed.
 */
export async function useResetLink(db: Knex, clock: Clock, token: string, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (trx) => {
    const reset = await findValidReset(trx, clock, token);
    if (!reset) return false;
    const now = timestamp(clock);
    const claimed = await trx("password_resets").where({ id: reset.id }).whereNull("used_at").update({ used_at: now, updated_at: now });
    if (claimed !== 1) return false;
    const user = await repo.findUser(trx, reset.user.id);
    if (!user) return false;
    await trx("users").where({ id: user.id }).update({ password_hash: passwordHash, password_changed_at: now, session_generation: user.session_generation + 1, updated_at: now });
    await recordAudit(trx, clock, { userId: user.id, action: "reset_password", entity: "user", entityId: user.id });
    return true;
  });
}
