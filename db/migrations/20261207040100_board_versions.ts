import type { Knex } from "knex";
import { dropVersionTriggers } from "../../src/data-version/triggers";

// Issue 11: the planning board kept between requests. The row 'board' of data_versions is one
// number that database triggers raise in the same transaction as any write to what a board
// shows (its occupancy, names, the waiting list and its funding); a kept board is used only
// while the number stands where it stood when the board was made. The triggers are created
// (and, should a table be rebuilt without them on SQLite, created again) by
// src/data-version/triggers.ts from src/data-version/watched.ts.

export async function up(knex: Knex): Promise<void> {
  await knex("data_versions").insert({ name: "board", version: 1 });
}

export async function down(knex: Knex): Promise<void> {
  // The triggers write into the row: they go first.
  await dropVersionTriggers(knex, "board");
  await knex("data_versions").where({ name: "board" }).delete();
}
