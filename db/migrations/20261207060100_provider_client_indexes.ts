import type { Knex } from "knex";

// Two covering indexes for "the provider's clients" (src/clients/scope.ts: clients with a
// schedule at one of its locations, or an allocation with it), which every provider page that
// lists or finds clients asks (issue 11, PostgreSQL within 1.5× of SQLite):
// - schedules (location_id, client_id) and allocations (provider_id, client_id): the client ids
//   come from the index alone. Without them PostgreSQL reads each schedule and allocation row,
//   and for a provider of four locations hashed a scan of all the region's schedules instead
//   (the /clienten page of the largest provider 7.1 → 1.3 ms a query, the care farm's 1.0 → 0.5;
//   EXPLAIN ANALYZE on the region). SQLite takes them too (2 → 1 ms for the largest).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("schedules", (t) => {
    t.index(["location_id", "client_id"], "schedules_location_id_client_id_index");
  });
  await knex.schema.alterTable("allocations", (t) => {
    t.index(["provider_id", "client_id"], "allocations_provider_id_client_id_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("allocations", (t) => {
    t.dropIndex(["provider_id", "client_id"], "allocations_provider_id_client_id_index");
  });
  await knex.schema.alterTable("schedules", (t) => {
    t.dropIndex(["location_id", "client_id"], "schedules_location_id_client_id_index");
  });
}
