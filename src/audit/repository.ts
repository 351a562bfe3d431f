import { AsyncLocalStorage } from "node:async_hooks";
import type { Knex } from "knex";
import { whereKeyHoldsWords } from "../db/name-keys";
import { searchWords } from "../domain/search-key";
import { timestamp, type Clock } from "../domain/clock";

export type AuditEntry = {
  userId: number | null;
  action: string;
  entity: string;
  entityId?: number | null;
  details?: Record<string, unknown>;
  /** The client the entry is about; found from the entity or its details when not given. */
  clientId?: number | null;
};

/** Entities that belong to one client, and the table that says which. */
const CLIENT_OF: Record<string, string> = { schedule: "schedules", allocation: "allocations", waitlist_entry: "waitlist_entries" };

async function clientOf(db: Knex | Knex.Transaction, entry: AuditEntry): Promise<number | null> {
  if (entry.clientId !== undefined) return entry.clientId;
  if (entry.entity === "client") return entry.entityId ?? null;
  const fromDetails = entry.details?.client_id;
  if (typeof fromDetails === "number") return fromDetails;
  const table = CLIENT_OF[entry.entity];
  if (!table || !entry.entityId) return null;
  const row = await db(table).where({ id: entry.entityId }).first("client_id");
  return row ? Number(row.client_id) : null;
}

/** How a change arrived when it was not through a page: the API token that made it. */
export type AuditSource = { api_token: { id: number; label: string } };

const source = new AsyncLocalStorage<AuditSource>();

/**
 * Runs `work` so that every audit entry written during it — by whichever service — names the
 * source (an API request names its token). The services stay unaware of how they were called,
 * and no write path can leave the token out.
 */
export function withAuditSource<T>(s: AuditSource, work: () => T): T {
  return source.run(s, work);
}

/** Appends to the audit log; pass the transaction so the entry stands or falls with the change. */
export async function recordAudit(db: Knex | Knex.Transaction, clock: Clock, entry: AuditEntry): Promise<void> {
  const via = source.getStore();
  const details = via ? { ...(entry.details ?? {}), ...via } : entry.details;
  await db("audit_log").insert({
    user_id: entry.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    client_id: await clientOf(db, entry),
    details: details ? JSON.stringify(details) : null,
    created_at: timestamp(clock),
  });
}

export type AuditRow = {
  id: number;
  user_id: number | null;
  user_name: string | null;
  action: string;
  entity: string;
  entity_id: number | null;
  client_id: number | null;
  details: string | null;
  created_at: string;
};

export type AuditFilter = {
  userId?: number | null;
  /** Part of a user's name: entries by every user whose name contains it. */
  userName?: string | null;
  clientId?: number | null;
  /** Part of a client's name: entries about every client whose name contains it. */
  clientName?: string | null;
  entity?: string | null;
  /** UTC bounds: from inclusive, until exclusive. */
  fromUtc?: string | null;
  untilUtc?: string | null;
  /** Only entries older than this id (the next page). */
  beforeId?: number | null;
};

/**
 * One page of the audit log, newest first, by keyset (ids below the previous page's last), so
 * a page deep in a long log costs as little as the first; one row more than asked tells whether
 * there is a next page.
 */
export function searchAudit(db: Knex, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  const q = db("audit_log as a")
    .leftJoin("users as u", "u.id", "a.user_id")
    .select("a.id", "a.user_id", "u.name as user_name", "a.action", "a.entity", "a.entity_id", "a.client_id", "a.details", "a.created_at")
    .orderBy("a.id", "desc")
    .limit(limit);
  if (filter.userId) q.where("a.user_id", filter.userId);
  // The user is joined already: its name key narrows the entries (the system's own have no user).
  if (filter.userName) whereKeyHoldsWords(q.whereNotNull("a.user_id"), "u.search_key", searchWords(filter.userName));
  if (filter.clientId) q.where("a.client_id", filter.clientId);
  if (filter.clientName) {
    q.whereIn("a.client_id", whereKeyHoldsWords(db("clients").select("id"), "search_key", searchWords(filter.clientName)));
  }
  if (filter.entity) q.where("a.entity", filter.entity);
  if (filter.fromUtc) q.where("a.created_at", ">=", filter.fromUtc);
  if (filter.untilUtc) q.where("a.created_at", "<", filter.untilUtc);
  if (filter.beforeId) q.where("a.id", "<", filter.beforeId);
  return q;
}

export function latestAudit(db: Knex, limit: number): Promise<AuditRow[]> {
  return searchAudit(db, {}, limit);
}
