import type { Knex } from "knex";
import { timestamp, type Clock } from "../domain/clock";

export type AuditEntry = {
  userId: number | null;
  action: string;
  entity: string;
  entityId?: number | null;
  details?: Record<string, unknown>;
};

/** Appends to the audit log; pass the transaction so the entry stands or falls with the change. */
export async function recordAudit(db: Knex | Knex.Transaction, clock: Clock, entry: AuditEntry): Promise<void> {
  await db("audit_log").insert({
    user_id: entry.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
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
