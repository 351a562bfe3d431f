import type { Knex } from "knex";
import { isPostgres } from "../../src/db/dialect";

// Two indexes for lists that PostgreSQL read the long way (issue 11, PostgreSQL within 1.5× of
// SQLite):
// - clients (id, sort_key), on PostgreSQL: a list of allocations is ordered by its client's name
//   (sort_key); with the pair in one index PostgreSQL finds each allocation's client in the index
//   alone instead of hashing the region's twenty thousand clients first (/toewijzingen, 26 → 4 ms).
//   SQLite's planner looks each client up by its rowid already and needs none; there it would
//   also stand in the way of the name keys' rollback, which drops the sort_key column.
// - allocations (product_id), on both: the admin's product list counts each product's
//   allocations; without it that is a scan of every allocation per product.
export async function up(knex: Knex): Promise<void> {
  if (isPostgres(knex)) {
    await knex.schema.alterTable("clients", (t) => {
      t.index(["id", "sort_key"], "clients_id_sort_key_index");
    });
  }
  await knex.schema.alterTable("allocations", (t) => {
    t.index(["product_id"], "allocations_product_id_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("allocations", (t) => {
    t.dropIndex(["product_id"], "allocations_product_id_index");
  });
  if (isPostgres(knex)) {
    await knex.schema.alterTable("clients", (t) => {
      t.dropIndex(["id", "sort_key"], "clients_id_sort_key_index");
    });
  }
}
