import type { Knex } from "knex";
import { forUpdate, isPostgres } from "../db/dialect";

// The lock that makes a declaration and the attendance it is made of agree (issue 12).
//
// One row per provider × purchaser × month in declaration_periods. Every attendance write takes
// the rows of the months it touches FOR SHARE before it asks whether they are locked; a submit,
// or the opening of a correction, takes its month's row FOR UPDATE before it reads attendance.
// So on PostgreSQL a submit waits until the writes in flight have committed and then reads
// what they wrote, and a write that comes after it waits for the submit and then sees the
// month locked. Rows are created on first use (INSERT … ON CONFLICT DO NOTHING, which itself
// waits for a concurrent insert of the same key) and taken in one order, so no two
// transactions wait for each other in a circle. SQLite has one writer: the rows are written
// there too, but nothing needs locking.

export type PeriodKey = { providerId: number; purchaserId: number; month: string };

const keyOf = (k: PeriodKey) => `${k.providerId}|${k.purchaserId}|${k.month}`;

function ordered(keys: PeriodKey[]): PeriodKey[] {
  const unique = new Map(keys.map((k) => [keyOf(k), k]));
  return [...unique.values()].sort((a, b) => a.providerId - b.providerId || a.purchaserId - b.purchaserId || a.month.localeCompare(b.month));
}

export async function holdPeriods(trx: Knex.Transaction, keys: PeriodKey[], mode: "share" | "update", at: string): Promise<void> {
  const rows = ordered(keys);
  if (rows.length === 0) return;
  await trx("declaration_periods")
    .insert(rows.map((k) => ({ provider_id: k.providerId, purchaser_id: k.purchaserId, month: k.month, created_at: at, updated_at: at })))
    .onConflict(["provider_id", "purchaser_id", "month"])
    .ignore();
  if (!isPostgres(trx)) return;
  const q = trx("declaration_periods")
    .whereIn(
      ["provider_id", "purchaser_id", "month"],
      rows.map((k) => [k.providerId, k.purchaserId, k.month]),
    )
    .orderBy(["provider_id", "purchaser_id", "month"])
    .select("id");
  await forUpdate(trx, q, undefined, mode);
}
