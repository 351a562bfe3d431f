import type { Knex } from "knex";

function stamps(t: Knex.CreateTableBuilder): void {
  t.string("created_at", 30).notNullable();
  t.string("updated_at", 30).notNullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("attendance", (t) => {
    t.increments("id");
    t.integer("client_id").unsigned().notNullable().references("id").inTable("clients");
    t.integer("location_id").unsigned().notNullable().references("id").inTable("locations");
    t.string("date", 10).notNullable();
    t.enu("dagdeel", ["ochtend", "middag"]).notNullable();
    t.enu("status", ["aanwezig", "afgemeld", "ziek", "niet_verschenen", "extra"]).notNullable();
    t.integer("recorded_by").unsigned().nullable().references("id").inTable("users");
    t.string("recorded_at", 30).notNullable();
    stamps(t);
    // One row per client, date and dagdeel, written by upsert: a client is in one place at a time.
    t.unique(["client_id", "date", "dagdeel"]);
    t.index(["location_id", "date"]);
  });

  await knex.schema.createTable("declarations", (t) => {
    t.increments("id");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    t.integer("purchaser_id").unsigned().notNullable().references("id").inTable("organisations");
    t.string("month", 7).notNullable();
    t.enu("status", ["concept", "ingediend", "geaccepteerd", "afgewezen"]).notNullable().defaultTo("concept");
    // A correction after acceptance is a new declaration pointing at the one it corrects.
    t.integer("corrects_declaration_id").unsigned().nullable().references("id").inTable("declarations");
    t.bigInteger("total_cents").notNullable().defaultTo(0);
    t.string("submitted_at", 30).nullable();
    t.integer("submitted_by").unsigned().nullable().references("id").inTable("users");
    t.string("decided_at", 30).nullable();
    t.integer("decided_by").unsigned().nullable().references("id").inTable("users");
    t.text("rejection_reason").nullable();
    stamps(t);
    t.index(["provider_id", "purchaser_id", "month"]);
    t.index(["purchaser_id", "status"]);
  });

  await knex.schema.createTable("declaration_lines", (t) => {
    t.increments("id");
    t.integer("declaration_id").unsigned().notNullable().references("id").inTable("declarations").onDelete("CASCADE");
    t.integer("client_id").unsigned().notNullable().references("id").inTable("clients");
    t.integer("allocation_id").unsigned().nullable().references("id").inTable("allocations");
    t.integer("product_id").unsigned().notNullable().references("id").inTable("products");
    t.integer("contract_line_id").unsigned().nullable().references("id").inTable("contract_lines");
    t.string("period_from", 10).notNullable();
    t.string("period_until", 10).notNullable();
    t.integer("units").notNullable();
    t.integer("tariff_cents").notNullable();
    t.bigInteger("amount_cents").notNullable();
    t.enu("debit_credit", ["D", "C"]).notNullable().defaultTo("D");
    stamps(t);
    t.index(["declaration_id"]);
    t.index(["client_id"]);
  });

  await knex.schema.createTable("calendar_feeds", (t) => {
    t.increments("id");
    t.string("token_hash", 64).notNullable().unique();
    t.enu("scope", ["client", "location"]).notNullable();
    t.integer("client_id").unsigned().nullable().references("id").inTable("clients");
    t.integer("location_id").unsigned().nullable().references("id").inTable("locations");
    t.string("label", 100).nullable();
    t.integer("created_by").unsigned().nullable().references("id").inTable("users");
    t.string("revoked_at", 30).nullable();
    stamps(t);
    t.index(["client_id"]);
    t.index(["location_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("calendar_feeds");
  await knex.schema.dropTableIfExists("declaration_lines");
  await knex.schema.dropTableIfExists("declarations");
  await knex.schema.dropTableIfExists("attendance");
}
