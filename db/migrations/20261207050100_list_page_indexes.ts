import type { Knex } from "knex";

// Two indexes for lists that PostgreSQL read the long way (issue 11, PostgreSQL within 1.5× of
// SQLite):
// - clients (id, sort_key): a list of allocations is ordered by its client's name (sort_key);
//   with the pair in one index PostgreSQL finds each allocation's client in the index alone
//   instead of hashing the region's twenty thousand clients first (/toewijzingen, 19 → 5 ms).
// - allocations (product_id): the admin's product list counts each product's allocations;
//   without it that is a scan of every allocation per product.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("clients", (t) => {
    t.index(["id", "sort_key"], "clients_id_sort_key_index");
  });
  await knex.schema.alterTable("allocations", (t) => {
    t.index(["product_id"], "allocations_product_id_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("allocations", (t) => {
    t.dropIndex(["product_id"], "allocations_product_id_index");
  });
  await knex.schema.alterTable("clients", (t) => {
    t.dropIndex(["id", "sort_key"], "clients_id_sort_key_index");
  });
}
