import type { Knex } from "knex";

// Spreadsheet imports. An upload is kept as its parsed table (JSON text) between the preview
// and applying it, then emptied: the file's personal data does not stay behind. The column
// mapping a user chose is remembered per organisation (or per user without one) and kind.
// Outside a transaction: on SQLite, dropping the foreign-key column again (down) rebuilds the
// clients table, which needs foreign-key checks switched off — impossible inside a transaction.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("imports", (t) => {
    t.increments("id");
    t.enu("kind", ["clients", "schedules"]).notNullable();
    t.integer("user_id").unsigned().notNullable().references("id").inTable("users");
    t.integer("organisation_id").unsigned().nullable().references("id").inTable("organisations");
    t.string("file_name", 200).notNullable();
    t.integer("row_count").notNullable();
    // The header and the rows as JSON (string[][]); null once applied or discarded.
    t.text("table_json").nullable();
    t.enu("status", ["uploaded", "applied"]).notNullable().defaultTo("uploaded");
    // What applying did: counts, and per refused row its number and reasons (no personal data).
    t.text("result_json").nullable();
    t.string("applied_at", 30).nullable();
    t.string("created_at", 30).notNullable();
    t.string("updated_at", 30).notNullable();
    t.index(["user_id", "created_at"]);
  });

  await knex.schema.createTable("import_mappings", (t) => {
    t.increments("id");
    // "organisation:<id>", or "user:<id>" for a user without an organisation (a regional coordinator).
    t.string("owner_key", 40).notNullable();
    t.enu("kind", ["clients", "schedules"]).notNullable();
    // field → the header of the column it was taken from, as JSON.
    t.text("mapping_json").notNullable();
    t.string("created_at", 30).notNullable();
    t.string("updated_at", 30).notNullable();
    t.unique(["owner_key", "kind"]);
  });

  // A client a provider imported is one of its own, before any schedule or allocation says so.
  await knex.schema.alterTable("clients", (t) => {
    t.integer("registered_by_provider_id").unsigned().nullable().references("id").inTable("organisations");
    t.index(["registered_by_provider_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("clients", (t) => {
    t.dropIndex(["registered_by_provider_id"]);
    t.dropForeign(["registered_by_provider_id"]);
    t.dropColumn("registered_by_provider_id");
  });
  await knex.schema.dropTableIfExists("import_mappings");
  await knex.schema.dropTableIfExists("imports");
}
