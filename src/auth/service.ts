import type { Knex } from "knex";
import { timestamp, type Clock } from "../domain/clock";
import { dummyPasswordHash, verifyPassword } from "./password";
import { claimTotpStep, findUserByEmail, findUserById, findSessionUser, readSetting, recordLogin, sessionUserColumns, sessionUserFromRow, type SessionUserFound, type SessionUserRow } from "./repository";
import type { SessionUserRead } from "./session-store";
import { acceptedStep, mayUseTotp } from "./totp";
import type { Actor, UserRow } from "./types";
import { recordAudit } from "../audit/repository";

/** settings key: "1" when every coordinator must log in with a second factor. */
export const TOTP_REQUIRED_COORDINATORS = "totp_required_coordinators";

export function isActive(user: Pick<UserRow, "active">): boolean {
  return Boolean(user.active);
}

export function toActor(user: Pick<UserRow, "id" | "name" | "role" | "organisation_id">): Actor {
  return { userId: user.id, name: user.name, role: user.role, organisationId: user.organisation_id };
}

/**
 * The active user with this e-mail address and password, or null. Nothing is recorded yet: a
 * user with two-factor login is not logged in until the code is right too.
 */
export async function checkCredentials(db: Knex, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(db, email.trim());
  if (!user) {
    // As slow as a wrong password, so the answer's timing does not tell which addresses exist.
    await verifyPassword(password, await dummyPasswordHash());
    return null;
  }
  const ok = await verifyPassword(password, user.password_hash);
  return ok && isActive(user) ? user : null;
}

/** A completed login: when, and who, in the audit log. */
export async function recordSuccessfulLogin(db: Knex, clock: Clock, user: UserRow, secondFactor: boolean): Promise<void> {
  await recordLogin(db, user.id, timestamp(clock));
  await recordAudit(db, clock, { userId: user.id, action: "login", entity: "user", entityId: user.id, details: secondFactor ? { totp: true } : undefined });
}

/**
 * Checks the user's TOTP code. Each 30-second step is accepted once: a code seen over a
 * shoulder, or sent twice at the same moment, logs in only once.
 */
export async function verifySecondFactor(db: Knex, userId: number, code: string, now = Date.now()): Promise<boolean> {
  const user = await findUserById(db, userId);
  if (!user?.totp_secret || !isActive(user)) return false;
  const step = acceptedStep(user.totp_secret, code, now);
  if (step === null) return false;
  return claimTotpStep(db, userId, step);
}

/** Whether this user must log in with a second factor: the admin asked it of them, or of every coordinator. */
export async function totpRequired(db: Knex, user: Pick<UserRow, "role" | "totp_required">): Promise<boolean> {
  return totpRequiredBy(user, user.role === "coordinator" && mayUseTotp(user.role) && !user.totp_required ? await readSetting(db, TOTP_REQUIRED_COORDINATORS) : null);
}

/** totpRequired, given the setting already read. */
function totpRequiredBy(user: Pick<UserRow, "role" | "totp_required">, coordinatorsSetting: string | null): boolean {
  if (!mayUseTotp(user.role)) return false;
  if (user.totp_required) return true;
  return user.role === "coordinator" && coordinatorsSetting === "1";
}

/**
 * What every request with a session needs of its user, in one query: the user if it still exists
 * and is active, whether it must set up two-factor login first, and the data versions of the
 * planning board and the problem lists as they stood before the route reads anything.
 */
export type SessionUser = { user: SessionUserRow; mustEnrolTotp: boolean; boardVersion: number | null; problemsVersion: number | null };

export async function sessionUser(db: Knex, userId: number): Promise<SessionUser | null> {
  return loggedInAs(await findSessionUser(db, userId, TOTP_REQUIRED_COORDINATORS));
}

/** The same read in the session row's own query, when the session store knows the session's user (SessionStore). */
export const sessionUserRead: SessionUserRead = {
  columns: (knex) => sessionUserColumns(knex, TOTP_REQUIRED_COORDINATORS),
  from: (row) => loggedInAs(sessionUserFromRow(row)),
};

/** Who a session's user is logged in as: none once the user is gone or inactive. */
function loggedInAs(found: SessionUserFound | undefined): SessionUser | null {
  if (!found || !isActive(found.user)) return null;
  return {
    user: found.user,
    mustEnrolTotp: !found.user.has_totp && totpRequiredBy(found.user, found.setting),
    boardVersion: found.boardVersion,
    problemsVersion: found.problemsVersion,
  };
}

/** The session's user if it still exists and is active; otherwise the session must end. */
export async function currentUser(db: Knex, userId: number): Promise<UserRow | null> {
  const user = await findUserById(db, userId);
  return user && isActive(user) ? user : null;
}
