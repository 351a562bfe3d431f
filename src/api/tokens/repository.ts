import type { Knex } from "knex";
import { withTotal } from "../../db/with-total";

type Db = Knex | Knex.Transaction;

export type TokenAccess = "read" | "write";
export const TOKEN_ACCESS = ["read", "write"] as const;

export type TokenRow = {
  id: number;
  organisation_id: number;
  organisation_name: string;
  organisation_kind: "provider" | "purchaser";
  label: string;
  token_hint: string;
  access: TokenAccess;
  expires_on: string;
  created_by: number;
  created_by_name: string;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
};

function tokenQuery(db: Db) {
  return db("api_tokens as t")
    .join("organisations as o", "o.id", "t.organisation_id")
    .join("users as u", "u.id", "t.created_by")
    .select(
      "t.id",
      "t.organisation_id",
      "o.name as organisation_name",
      "o.kind as organisation_kind",
      "t.label",
      "t.token_hint",
      "t.access",
      "t.expires_on",
      "t.created_by",
      "u.name as created_by_name",
      "t.last_used_at",
      "t.revoked_at",
      "t.created_at",
    );
}

/** One page of tokens, newest first; organisationId null: every organisation's (the admin's list). */
export async function listTokens(db: Db, organisationId: number | null, page: { limit: number; offset: number }): Promise<{ total: number; rows: TokenRow[] }> {
  const filter = (q: Knex.QueryBuilder) => (organisationId === null ? q : q.where("t.organisation_id", organisationId));
  // The page and the count in one query: an organisation has a few tokens.
  return withTotal<TokenRow>(
    db as Knex,
    filter(tokenQuery(db))
      .orderBy([{ column: "t.created_at", order: "desc" }, { column: "t.id", order: "desc" }])
      .limit(page.limit)
      .offset(page.offset),
    () => filter(db("api_tokens as t")),
    page.offset,
  );
}

export function findToken(db: Db, id: number): Promise<TokenRow | undefined> {
  return tokenQuery(db).where("t.id", id).first();
}

/** What a presented token opens: the token, its organisation and whether its creator is still active. */
export type TokenGrant = TokenRow & { organisation_active: boolean | number; creator_active: boolean | number };

export function findTokenByHash(db: Db, hash: string): Promise<TokenGrant | undefined> {
  return tokenQuery(db).where("t.token_hash", hash).select("o.active as organisation_active", "u.active as creator_active").first();
}

export async function insertToken(
  db: Db,
  row: { organisation_id: number; label: string; token_hash: string; token_hint: string; access: TokenAccess; expires_on: string; created_by: number; created_at: string; updated_at: string },
): Promise<number> {
  const [inserted] = await db("api_tokens").insert(row).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

export async function revokeToken(db: Db, id: number, by: number, at: string): Promise<void> {
  await db("api_tokens").where({ id }).whereNull("revoked_at").update({ revoked_at: at, revoked_by: by, updated_at: at });
}

export async function touchToken(db: Db, id: number, at: string): Promise<void> {
  await db("api_tokens").where({ id }).update({ last_used_at: at });
}

export type OrganisationOption = { id: number; name: string; kind: string };

export function tokenOrganisations(db: Db): Promise<OrganisationOption[]> {
  return db("organisations").where("active", true).select("id", "name", "kind").orderBy([{ column: "kind" }, { column: "sort_key" }]);
}

export function findOrganisation(db: Db, id: number): Promise<OrganisationOption | undefined> {
  return db("organisations").where({ id, active: true }).first("id", "name", "kind");
}
