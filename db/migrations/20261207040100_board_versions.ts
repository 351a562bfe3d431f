import type { Knex } from "knex";
import { dropBoardTriggers } from "../../src/planning/board-version";

// Issue 11: the planning board kept between requests. board_versions holds one counter that
// database triggers raise in the same transaction as any write to what a board shows (its
// occupancy, names, the waiting list and its funding); a kept board is used only while the
// counter stands where it stood when the board was made. The triggers are created (and, should
// a table be rebuilt without them on SQLite, created again) by src/planning/board-version.ts,
// as for the use tallies' triggers.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("board_versions", (t) => {
    t.string("key", 20).primary();
    t.bigInteger("version").notNullable().defaultTo(1);
    // PostgreSQL: the transaction that raised it last, so a transaction raises it once however many rows it writes.
    t.bigInteger("txid").nullable();
  });
  await knex("board_versions").insert({ key: "all", version: 1 });
}

export async function down(knex: Knex): Promise<void> {
  await dropBoardTriggers(knex);
  await knex.schema.dropTable("board_versions");
}
