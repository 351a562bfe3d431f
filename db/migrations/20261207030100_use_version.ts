import type { Knex } from "knex";

// A version of the counted use (issue 11): the row 'use' of data_versions, raised in the same
// transaction in which refreshUse() counts changed clients again (src/use/refresh.ts), so every
// app process on one database can tell whether use it computed earlier still holds. Kept in the
// database, not in a process: a change another process wrote and counted moves it for all.

export async function up(knex: Knex): Promise<void> {
  await knex("data_versions").insert({ name: "use", version: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex("data_versions").where({ name: "use" }).delete();
}
