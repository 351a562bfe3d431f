import { AsyncLocalStorage } from "node:async_hooks";
import type { Knex } from "knex";
import { timestamp, type Clock } from "../domain/clock";

export type AuditEntry = {
  userId: number | null;
  action: string;
  entity: string;
  entityId?: number | null;
  details?: Record<string, unknown>;
};

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
  details: string | null;
  created_at: string;
};

export function latestAudit(db: Knex, limit: number): Promise<AuditRow[]> {
  return db("audit_log as a")
    .leftJoin("users as u", "u.id", "a.user_id")
    .select("a.*", "u.name as user_name")
    .orderBy("a.id", "desc")
    .limit(limit);
}
