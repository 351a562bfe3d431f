import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { timestamp, type Clock } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import { recordAudit } from "../audit/repository";
import type { Actor } from "../auth/types";
import { pageOrLast } from "../web/pagination";
import type { OrganisationFilter } from "./list-filter";
import * as repo from "./repository";

export const SUBKINDS: Record<repo.OrganisationKind, repo.OrganisationSubkind[]> = {
  purchaser: ["gemeente", "zorgkantoor"],
  provider: ["dorpsdagvoorziening", "zorgboerderij", "overig"],
};

/**
 * The page asked for of the organisations the actor may see (null: every one) that match the
 * filter, and how many match. A page past the end — a kept link after the list shrank — is the
 * last page, read again: the rare case costs a query, the common one is one query.
 */
export async function organisationListPage(db: Knex, scope: Scope | null, filter: OrganisationFilter, requested: number, pageSize: number): Promise<{ total: number; page: number; rows: repo.OrganisationRow[] }> {
  const { total, page, rows } = await pageOrLast(requested, pageSize, (limit, offset) => repo.pageOfOrganisations(db, scope, filter, limit, offset));
  return { total, page, rows };
}

/** An organisation the actor may see, with its locations and contracts; otherwise not found. */
export async function organisationPage(db: Knex, scope: Scope, id: number) {
  const organisation = await repo.findOrganisation(db, scope, id);
  if (!organisation) throw new NotFoundError("organisation");
  const [locations, contracts] = await Promise.all([
    organisation.kind === "provider" ? repo.locationsOf(db, id) : Promise.resolve([]),
    repo.contractsOf(db, scope, id),
  ]);
  return { organisation, locations, contracts };
}

/** Rules across fields that a form schema cannot see on its own. */
async function checkOrganisation(db: Knex | Knex.Transaction, input: repo.OrganisationInput, id: number | null) {
  const errors: Record<string, string> = {};
  if (!SUBKINDS[input.kind].includes(input.subkind)) errors.subkind = "errors.subkindForKind";
  if (input.kind === "provider" && !input.agb_code) errors.agb_code = "errors.agbRequired";
  if (input.kind === "purchaser" && input.subkind === "gemeente" && !input.gemeentecode) {
    errors.gemeentecode = "errors.gemeentecodeRequired";
  }
  const sameName = await repo.findOrganisationByName(db, input.kind, input.name);
  if (sameName && sameName.id !== id) errors.name = "errors.nameTaken";
  if (input.agb_code) {
    const sameAgb = await repo.findOrganisationByAgb(db, input.agb_code);
    if (sameAgb && sameAgb.id !== id) errors.agb_code = "errors.agbTaken";
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export async function createOrganisation(db: Knex, clock: Clock, actor: Actor, input: repo.OrganisationInput): Promise<number> {
  return db.transaction(async (trx) => {
    await checkOrganisation(trx, input, null);
    const at = timestamp(clock);
    const id = await repo.insertOrganisation(trx, { ...input, created_at: at, updated_at: at });
    await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "organisation", entityId: id, details: { ...input } });
    return id;
  });
}

export async function updateOrganisation(db: Knex, clock: Clock, actor: Actor, id: number, input: repo.OrganisationInput): Promise<void> {
  await db.transaction(async (trx) => {
    const existing = await repo.findOrganisation(trx as unknown as Knex, null, id);
    if (!existing) throw new NotFoundError("organisation");
    await checkOrganisation(trx, input, id);
    // A provider with locations and contracts turned into a purchaser (or the reverse) would
    // leave everything that points at it pointing at the wrong kind: only an unused one may change.
    if (input.kind !== existing.kind && (await repo.dependentCount(trx, id)) > 0) throw new ValidationError({ kind: "errors.kindInUse" });
    await repo.updateOrganisation(trx, id, { ...input, updated_at: timestamp(clock) });
    await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "organisation", entityId: id, details: { ...input } });
  });
}

/** Deactivating an organisation also deactivates its users, so nobody keeps working for it. */
export async function setOrganisationActive(db: Knex, clock: Clock, actor: Actor, id: number, active: boolean): Promise<void> {
  await db.transaction(async (trx) => {
    const existing = await repo.findOrganisation(trx as unknown as Knex, null, id);
    if (!existing) throw new NotFoundError("organisation");
    const at = timestamp(clock);
    await repo.updateOrganisation(trx, id, { active, updated_at: at });
    if (!active) await trx("users").where({ organisation_id: id }).update({ active: false, updated_at: at });
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: active ? "activate" : "deactivate",
      entity: "organisation",
      entityId: id,
    });
  });
}
