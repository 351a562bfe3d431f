import type { Knex } from "knex";
import { prepared } from "../db/compiled";
import type { Scope } from "../auth/scope";
import { toNumberOrNull } from "../db/numbers";
import { versionSubquery } from "../data-version/versions";

// calendar_feeds: one row per subscribable link. The token itself is never stored, only its
// SHA-256 (token_hash); a revoked feed keeps its row (revoked_at) for the audit trail.

export type FeedScope = "client" | "location";

export type FeedRow = {
  id: number;
  token_hash: string;
  scope: FeedScope;
  client_id: number | null;
  location_id: number | null;
  label: string | null;
  created_by: number | null;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
};

export async function insertFeed(db: Knex | Knex.Transaction, row: Omit<FeedRow, "id" | "revoked_at">): Promise<number> {
  const [inserted] = await db("calendar_feeds").insert({ ...row, revoked_at: null }).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

/**
 * The feed a presented token opens (active feeds only) with, in the same query, the planning
 * data version ('board', src/data-version/versions.ts) as it stands before anything else is read.
 */
export async function findActiveFeedWithVersion(db: Knex, tokenHash: string): Promise<(FeedRow & { data_version: number | null }) | undefined> {
  const row = await db("calendar_feeds")
    .where({ token_hash: tokenHash })
    .whereNull("revoked_at")
    .select("calendar_feeds.*", versionSubquery(db, "board").as("data_version"))
    .first();
  return row ? { ...row, data_version: toNumberOrNull(row.data_version) } : undefined;
}

/** A feed with what decides who may manage it: its location's provider. */
export type FeedWithOwner = FeedRow & { provider_id: number | null };

export function findFeed(db: Knex | Knex.Transaction, id: number): Promise<FeedWithOwner | undefined> {
  return db("calendar_feeds as f")
    .leftJoin("locations as l", "l.id", "f.location_id")
    .where("f.id", id)
    .select("f.*", "l.provider_id")
    .first();
}

export async function markRevoked(db: Knex | Knex.Transaction, id: number, at: string): Promise<void> {
  await db("calendar_feeds").where({ id }).whereNull("revoked_at").update({ revoked_at: at, updated_at: at });
}

export type FeedListItem = {
  id: number;
  scope: FeedScope;
  label: string | null;
  created_at: string;
  created_by_name: string | null;
  client_id: number | null;
  client_name: string | null;
  location_id: number | null;
  location_name: string | null;
};

function feedList(db: Knex): Knex.QueryBuilder {
  return db("calendar_feeds as f")
    .leftJoin("users as u", "u.id", "f.created_by")
    .leftJoin("clients as c", "c.id", "f.client_id")
    .leftJoin("locations as l", "l.id", "f.location_id")
    .whereNull("f.revoked_at")
    .select(
      "f.id",
      "f.scope",
      "f.label",
      "f.created_at",
      "u.name as created_by_name",
      "f.client_id",
      db.raw("c.first_name || ' ' || c.last_name as client_name"),
      "f.location_id",
      "l.name as location_name",
    )
    .orderBy([{ column: "f.created_at", order: "desc" }, { column: "f.id", order: "desc" }]);
}

// The feed lists are named statements on PostgreSQL: planning their four joins took five times
// as long as running them (src/db/compiled.ts).

/** Active client feeds, of one client or of all (coordinators see every client). */
export function activeClientFeeds(db: Knex, clientId: number | null): Promise<FeedListItem[]> {
  const q = feedList(db).where("f.scope", "client");
  return prepared(db, clientId === null ? q : q.where("f.client_id", clientId));
}

/** Active location feeds within the actor's scope, of one location or of all it may see. */
export function activeLocationFeeds(db: Knex, scope: Scope, locationId: number | null): Promise<FeedListItem[]> {
  const q = feedList(db).where("f.scope", "location");
  if (locationId !== null) q.where("f.location_id", locationId);
  return prepared(db, scope.providers(q, "l.provider_id"));
}
