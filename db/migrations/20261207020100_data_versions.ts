import type { Knex } from "knex";
import { dropVersionTriggers } from "../../src/data-version/triggers";

// A version of the data a kept answer was computed from (issue 11): one row per kind of answer
// ("problems": the problem lists and the coordinator's home; later migrations add "use" and
// "board"), raised in the same transaction by every write that can change that answer. Database
// triggers raise it, whatever code path, import or fixture wrote — they are created (and, should
// a table be rebuilt without them, created again with the version raised) by
// src/data-version/triggers.ts, as for the use tallies, which is why this migration holds only
// the table. `bumped_by` is PostgreSQL's
// transaction id of the last raise, so a transaction that writes many rows raises it once.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("data_versions", (t) => {
    t.string("name", 40).primary();
    t.bigInteger("version").notNullable().defaultTo(0);
    t.bigInteger("bumped_by").nullable();
  });
  await knex("data_versions").insert({ name: "problems", version: 0 });
}

export async function down(knex: Knex): Promise<void> {
  // The triggers write into the table: they go first (SQLite would keep them, failing every write).
  await dropVersionTriggers(knex);
  await knex.schema.dropTable("data_versions");
}
