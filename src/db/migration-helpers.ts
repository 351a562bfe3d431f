import type { Knex } from "knex";

// What the migrations' down() steps share.

/**
 * Drops columns with a plain `ALTER TABLE … DROP COLUMN`, which PostgreSQL and SQLite (≥ 3.35)
 * both read. knex's SQLite fallback rebuilds the whole table instead, and that rebuild is
 * refused by the foreign keys pointing at tables such as organisations, users and clients.
 * Indexes on a column must be dropped before it.
 */
export async function dropColumns(knex: Knex, table: string, columns: string[]): Promise<void> {
  for (const column of columns) await knex.raw("alter table ?? drop column ??", [table, column]);
}
