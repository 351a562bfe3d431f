import type { Knex } from "knex";

// A version of the counted use (issue 11): raised in the same transaction in which refreshUse()
// counts changed clients again (src/use/refresh.ts), so every app process on one database can
// tell whether use it computed earlier still holds. Kept in the database, not in a process: a
// change another process wrote and counted moves it for all of them.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("use_version", (t) => {
    t.integer("id").primary();
    t.bigInteger("version").notNullable().defaultTo(0);
  });
  await knex("use_version").insert({ id: 1, version: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("use_version");
}
