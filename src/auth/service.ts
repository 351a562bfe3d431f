import type { Knex } from "knex";
import { timestamp, type Clock } from "../domain/clock";
import { dummyPasswordHash, verifyPassword } from "./password";
import { findUserByEmail, findUserById, recordLogin } from "./repository";
import type { Actor, UserRow } from "./types";
import { recordAudit } from "../audit/repository";

export function isActive(user: Pick<UserRow, "active">): boolean {
  return Boolean(user.active);
}

export function toActor(user: UserRow): Actor {
  return { userId: user.id, name: user.name, role: user.role, organisationId: user.organisation_id };
}

/** The user for these credentials, or null; a deactivated user cannot log in. */
export async function logIn(db: Knex, clock: Clock, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(db, email.trim());
  if (!user) {
    await verifyPassword(password, await dummyPasswordHash());
    return null;
  }
  const ok = await verifyPassword(password, user.password_hash);
  if (!ok || !isActive(user)) return null;
  const at = timestamp(clock);
  await recordLogin(db, user.id, at);
  await recordAudit(db, clock, { userId: user.id, action: "login", entity: "user", entityId: user.id });
  return user;
}

/** The session's user if it still exists and is active; otherwise the session must end. */
export async function currentUser(db: Knex, userId: number): Promise<UserRow | null> {
  const user = await findUserById(db, userId);
  return user && isActive(user) ? user : null;
}
