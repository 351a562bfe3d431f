import type { Knex } from "knex";
import { dropColumns } from "../../src/db/migration-helpers";

// iWmo messages: WMO301 imports (the gemeente's toewijzingen), the WMO305/307 start and stop
// messages a provider owes per allocation, and the ones a gemeente received back.

function stamps(t: Knex.CreateTableBuilder): void {
  t.string("created_at", 30).notNullable();
  t.string("updated_at", 30).notNullable();
}

export async function up(knex: Knex): Promise<void> {
  // A gemeente says when care has started: at the first attended dagdeel (default) or when a
  // schedule under the allocation starts.
  await knex.schema.alterTable("organisations", (t) => {
    t.string("iwmo_start_trigger", 20).notNullable().defaultTo("aanwezigheid");
  });

  // A WMO301 product is matched on its category and code: one dagdeel product per pair.
  await knex.schema.alterTable("products", (t) => {
    t.unique(["iwmo_category", "iwmo_code"], { indexName: "products_iwmo_code_unique" });
  });

  // The message obligations, kept up to date in the transaction of every change that moves them
  // (attendance, schedules, the client's end, the allocation): one open start and one open stop
  // per allocation at most, and every message the provider marked as sent.
  await knex.schema.createTable("iwmo_messages", (t) => {
    t.increments("id");
    t.enu("kind", ["start", "stop"]).notNullable();
    t.enu("status", ["open", "verzonden"]).notNullable().defaultTo("open");
    t.integer("allocation_id").unsigned().notNullable().references("id").inTable("allocations");
    t.integer("client_id").unsigned().notNullable().references("id").inTable("clients");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    t.integer("purchaser_id").unsigned().notNullable().references("id").inTable("organisations");
    // Begindatum of the delivery (both messages carry it); Einddatum for a stop.
    t.string("start_date", 10).notNullable();
    t.string("end_date", 10).nullable();
    // RedenBeeindiging (WMO588) of a stop; reason_chosen once the provider picked it itself.
    t.string("reason", 2).nullable();
    t.boolean("reason_chosen").notNullable().defaultTo(false);
    t.string("cause", 20).nullable();
    // Due from due_on (the day care started or stopped), overdue after deadline (5 werkdagen).
    t.string("due_on", 10).notNullable();
    t.string("deadline", 10).notNullable();
    t.string("bericht_identificatie", 12).nullable();
    t.string("dagtekening", 10).nullable();
    t.text("xml").nullable();
    t.string("sent_at", 30).nullable();
    t.integer("sent_by").unsigned().nullable().references("id").inTable("users");
    stamps(t);
    t.index(["provider_id", "status", "due_on"]);
    t.index(["status", "deadline"]);
    t.index(["allocation_id", "status"]);
    t.index(["status", "sent_at"]);
    t.index(["provider_id", "status", "sent_at"]);
  });

  // An upload of one or more WMO301 files, previewed before it is applied.
  await knex.schema.createTable("iwmo_import_batches", (t) => {
    t.increments("id");
    t.integer("uploaded_by").unsigned().notNullable().references("id").inTable("users");
    // The uploading provider (a provider imports only for itself); null for a coordinator.
    t.integer("provider_id").unsigned().nullable().references("id").inTable("organisations");
    t.enu("status", ["voorbeeld", "toegepast"]).notNullable().defaultTo("voorbeeld");
    t.string("applied_at", 30).nullable();
    t.integer("applied_by").unsigned().nullable().references("id").inTable("users");
    stamps(t);
    t.index(["provider_id", "created_at"]);
  });

  await knex.schema.createTable("iwmo_import_files", (t) => {
    t.increments("id");
    t.integer("batch_id").unsigned().notNullable().references("id").inTable("iwmo_import_batches").onDelete("CASCADE");
    t.string("file_name", 200).notNullable();
    t.string("bericht_identificatie", 12).notNullable();
    t.integer("purchaser_id").unsigned().notNullable().references("id").inTable("organisations");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    t.text("xml").notNullable();
    stamps(t);
    t.index(["batch_id"]);
  });

  // Start and stop messages a gemeente received (uploaded WMO305/WMO307), per allocation.
  await knex.schema.createTable("iwmo_reports", (t) => {
    t.increments("id");
    t.enu("kind", ["start", "stop"]).notNullable();
    t.integer("allocation_id").unsigned().notNullable().references("id").inTable("allocations");
    t.integer("purchaser_id").unsigned().notNullable().references("id").inTable("organisations");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    t.string("start_date", 10).notNullable();
    t.string("end_date", 10).nullable();
    t.string("reason", 2).nullable();
    t.string("status_aanlevering", 1).notNullable();
    t.string("bericht_identificatie", 12).notNullable();
    t.string("dagtekening", 10).notNullable();
    t.integer("uploaded_by").unsigned().nullable().references("id").inTable("users");
    stamps(t);
    t.unique(["allocation_id", "kind", "bericht_identificatie", "start_date"]);
    t.index(["purchaser_id", "allocation_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("iwmo_reports");
  await knex.schema.dropTableIfExists("iwmo_import_files");
  await knex.schema.dropTableIfExists("iwmo_import_batches");
  await knex.schema.dropTableIfExists("iwmo_messages");
  await knex.schema.alterTable("products", (t) => {
    t.dropUnique(["iwmo_category", "iwmo_code"], "products_iwmo_code_unique");
  });
  await dropColumns(knex, "organisations", ["iwmo_start_trigger"]);
}
