import type { Knex } from "knex";
import { recordAudit } from "../../audit/repository";
import type { Actor, Role } from "../../auth/types";
import { timestamp, today, type Clock } from "../../domain/clock";
import { addDays } from "../../domain/dates";
import { ForbiddenError, NotFoundError, ValidationError } from "../../domain/errors";
import * as repo from "./repository";
import { hashApiToken, isApiTokenShaped, newApiToken, tokenHint } from "./secret";

// API tokens belong to an organisation: an admin issues them for any organisation, any user of
// an organisation for its own. A token acts as its organisation — a provider's as a provider, a
// gemeente's or zorgkantoor's as a purchaser — within that organisation's scope, never as the
// person who made it; the person stays on record as the one who answers for it.

export const MAX_DAYS = 365;
export const DEFAULT_DAYS = 180;
export const PAGE_SIZE = 50;

export type TokenInput = { organisation_id: number | null; label: string; access: repo.TokenAccess; expires_on: string };

/** Whose tokens the actor keeps: null = every organisation's (admin). A user without an organisation keeps none. */
export function tokenKeeper(actor: Actor): { all: true } | { all: false; organisationId: number } {
  if (actor.role === "admin") return { all: true };
  if (actor.organisationId === null) throw new ForbiddenError("no organisation to issue tokens for");
  return { all: false, organisationId: actor.organisationId };
}

export function canKeepTokens(actor: Actor): boolean {
  return actor.role === "admin" || actor.organisationId !== null;
}

export function roleOfOrganisation(kind: string): Role {
  return kind === "provider" ? "provider" : "purchaser";
}

export async function tokensPage(db: Knex, actor: Actor, page: number) {
  const keeper = tokenKeeper(actor);
  const result = await repo.listTokens(db, keeper.all ? null : keeper.organisationId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const organisations = keeper.all ? await repo.tokenOrganisations(db) : [];
  return { ...result, organisations, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)) };
}

export type TokenState = "active" | "expired" | "revoked";

export function tokenState(t: Pick<repo.TokenRow, "revoked_at" | "expires_on">, date: string): TokenState {
  if (t.revoked_at !== null) return "revoked";
  return t.expires_on < date ? "expired" : "active";
}

/** Creates a token; the secret is returned here once and stored nowhere. */
export async function createToken(db: Knex, clock: Clock, actor: Actor, input: TokenInput): Promise<{ id: number; token: string; row: repo.TokenRow }> {
  const keeper = tokenKeeper(actor);
  const date = today(clock);
  const errors: Record<string, string> = {};
  const organisationId = keeper.all ? input.organisation_id : keeper.organisationId;
  if (organisationId === null) errors.organisation_id = "errors.required";
  else if (!(await repo.findOrganisation(db, organisationId))) errors.organisation_id = "errors.choice";
  if (input.expires_on <= date) errors.expires_on = "apiTokens.errors.expiryPast";
  else if (input.expires_on > addDays(date, MAX_DAYS)) errors.expires_on = "apiTokens.errors.expiryTooFar";
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, { days: MAX_DAYS });

  const token = newApiToken();
  const at = timestamp(clock);
  const id = await db.transaction(async (trx) => {
    // A label names the token in the audit log: two live tokens of one organisation may not share one.
    const same = await trx("api_tokens").where({ organisation_id: organisationId, label: input.label }).whereNull("revoked_at").first("id");
    if (same) throw new ValidationError({ label: "apiTokens.errors.labelTaken" });
    const newId = await repo.insertToken(trx, {
      organisation_id: organisationId!,
      label: input.label,
      token_hash: hashApiToken(token),
      token_hint: tokenHint(token),
      access: input.access,
      expires_on: input.expires_on,
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "create",
      entity: "api_token",
      entityId: newId,
      details: { organisation_id: organisationId, label: input.label, access: input.access, expires_on: input.expires_on },
    });
    return newId;
  });
  return { id, token, row: (await repo.findToken(db, id))! };
}

/** A token the actor keeps, or not found. */
async function keptToken(db: Knex | Knex.Transaction, actor: Actor, id: number): Promise<repo.TokenRow> {
  const keeper = tokenKeeper(actor);
  const token = await repo.findToken(db, id);
  if (!token || (!keeper.all && token.organisation_id !== keeper.organisationId)) throw new NotFoundError("api token");
  return token;
}

export async function revokeToken(db: Knex, clock: Clock, actor: Actor, id: number): Promise<repo.TokenRow> {
  return db.transaction(async (trx) => {
    const token = await keptToken(trx, actor, id);
    if (token.revoked_at !== null) return token;
    await repo.revokeToken(trx, id, actor.userId, timestamp(clock));
    await recordAudit(trx, clock, { userId: actor.userId, action: "revoke", entity: "api_token", entityId: id, details: { label: token.label } });
    return token;
  });
}

export type ApiCaller = { actor: Actor; token: { id: number; label: string; access: repo.TokenAccess } };

// Writing "last used" on every request would turn each read into a write; a few minutes' precision is enough.
const TOUCH_AFTER_MS = 5 * 60 * 1000;

/**
 * The caller a presented token stands for, or null when it is malformed, unknown, revoked,
 * expired (expires_on is its last day), or its organisation or creator was deactivated.
 */
export async function authenticate(db: Knex, clock: Clock, presented: string): Promise<ApiCaller | null> {
  if (!isApiTokenShaped(presented)) return null;
  const grant = await repo.findTokenByHash(db, hashApiToken(presented));
  if (!grant || tokenState(grant, today(clock)) !== "active") return null;
  if (!grant.organisation_active || !grant.creator_active) return null;
  const now = clock.now();
  if (grant.last_used_at === null || now.toMillis() - Date.parse(grant.last_used_at) > TOUCH_AFTER_MS) {
    await repo.touchToken(db, grant.id, timestamp(clock));
  }
  return {
    actor: { userId: grant.created_by, name: grant.label, role: roleOfOrganisation(grant.organisation_kind), organisationId: grant.organisation_id },
    token: { id: grant.id, label: grant.label, access: grant.access },
  };
}
