import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import { hashPassword } from "../auth/password";
import { mayUseTotp } from "../auth/totp";
import type { Actor, Role } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import * as repo from "./repository";

export type UserInput = {
  email: string;
  name: string;
  role: Role;
  organisation_id: number | null;
  locale: "nl" | "en";
  password: string | null;
  /** The admin requires two-factor login of this user (coordinators and admins only). */
  totp_required: boolean;
};

/** Which organisation a role must (or may) belong to. */
async function checkOrganisationForRole(db: Knex, input: UserInput): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const org = input.organisation_id
    ? await db("organisations").where({ id: input.organisation_id }).first()
    : undefined;
  if (input.organisation_id && !org) errors.organisation_id = "errors.choice";
  switch (input.role) {
    case "provider":
      if (!org || org.kind !== "provider") errors.organisation_id = "errors.providerOrganisationRequired";
      break;
    case "purchaser":
      if (!org || org.kind !== "purchaser") errors.organisation_id = "errors.purchaserOrganisationRequired";
      break;
    case "coordinator":
      // A coordinator works for a purchaser region, or for all of them (no organisation).
      if (org && org.kind !== "purchaser") errors.organisation_id = "errors.purchaserOrganisationRequired";
      break;
    case "admin":
      if (org) errors.organisation_id = "errors.adminNoOrganisation";
      break;
  }
  return errors;
}

async function check(db: Knex, input: UserInput, id: number | null): Promise<void> {
  const errors = await checkOrganisationForRole(db, input);
  if (input.totp_required && !mayUseTotp(input.role)) errors.totp_required = "users.totpRoleOnly";
  const sameEmail = await repo.findUserByEmail(db, input.email);
  if (sameEmail && sameEmail.id !== id) errors.email = "errors.emailTaken";
  if (id === null && !input.password) errors.password = "errors.required";
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export async function createUser(db: Knex, clock: Clock, actor: Actor, input: UserInput): Promise<number> {
  const passwordHash = input.password ? await hashPassword(input.password) : "";
  return db.transaction(async (trx) => {
    await check(trx, input, null);
    const at = timestamp(clock);
    const id = await repo.insertUser(trx, {
      email: input.email,
      name: input.name,
      role: input.role,
      organisation_id: input.organisation_id,
      password_hash: passwordHash,
      locale: input.locale,
      totp_required: input.totp_required,
      active: true,
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "create",
      entity: "user",
      entityId: id,
      details: { email: input.email, role: input.role, organisation_id: input.organisation_id, totp_required: input.totp_required },
    });
    return id;
  });
}

export async function updateUser(db: Knex, clock: Clock, actor: Actor, id: number, input: UserInput): Promise<void> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  await db.transaction(async (trx) => {
    const existing = await repo.findUser(trx, id);
    if (!existing) throw new NotFoundError("user");
    await check(trx, input, id);
    await repo.updateUser(trx, id, {
      email: input.email,
      name: input.name,
      role: input.role,
      organisation_id: input.organisation_id,
      locale: input.locale,
      totp_required: input.totp_required,
      // A password the admin sets ends the user's open sessions, as a reset does.
      ...(passwordHash ? { password_hash: passwordHash, password_changed_at: timestamp(clock), session_generation: existing.session_generation + 1 } : {}),
      updated_at: timestamp(clock),
    });
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "update",
      entity: "user",
      entityId: id,
      details: { email: input.email, role: input.role, organisation_id: input.organisation_id, totp_required: input.totp_required, passwordChanged: Boolean(passwordHash) },
    });
  });
}

/**
 * A deactivated user cannot log in, and its open sessions end at their next request
 * (the session middleware re-reads the user every time).
 */
export async function setUserActive(db: Knex, clock: Clock, actor: Actor, id: number, active: boolean): Promise<void> {
  if (id === actor.userId && !active) throw new ValidationError({ _form: "errors.cannotDeactivateSelf" });
  await db.transaction(async (trx) => {
    if (!(await repo.findUser(trx, id))) throw new NotFoundError("user");
    await repo.updateUser(trx, id, { active, updated_at: timestamp(clock) });
    await recordAudit(trx, clock, { userId: actor.userId, action: active ? "activate" : "deactivate", entity: "user", entityId: id });
  });
}
