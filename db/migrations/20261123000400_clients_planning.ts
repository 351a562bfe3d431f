import type { Knex } from "knex";

function stamps(t: Knex.CreateTableBuilder): void {
  t.string("created_at", 30).notNullable();
  t.string("updated_at", 30).notNullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("clients", (t) => {
    t.increments("id");
    t.string("first_name", 100).notNullable();
    t.string("last_name", 100).notNullable();
    // Not every client has a BSN on file (subsidy, PGB, self-pay); several NULLs are allowed.
    t.string("bsn", 9).nullable().unique();
    t.string("birth_date", 10).nullable();
    t.integer("village_id").unsigned().nullable().references("id").inTable("villages");
    t.string("street", 200).nullable();
    t.string("postcode", 7).nullable();
    t.string("phone", 40).nullable();
    t.boolean("needs_transport").notNullable().defaultTo(false);
    t.boolean("wheelchair").notNullable().defaultTo(false);
    t.text("notes").nullable();
    t.string("ended_on", 10).nullable();
    stamps(t);
    t.index(["last_name", "first_name"]);
    t.index(["village_id"]);
  });

  await knex.schema.createTable("allocations", (t) => {
    t.increments("id");
    t.integer("client_id").unsigned().notNullable().references("id").inTable("clients");
    t.integer("purchaser_id").unsigned().notNullable().references("id").inTable("organisations");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    t.integer("product_id").unsigned().notNullable().references("id").inTable("products");
    t.integer("volume").notNullable().checkPositive();
    // iWmo Frequentie: 2 = per week, 4 = per maand, 6 = totaal binnen de geldigheidsduur.
    t.enu("frequency", ["week", "maand", "totaal"]).notNullable();
    t.string("valid_from", 10).notNullable();
    t.string("valid_until", 10).nullable();
    t.string("reference", 40).notNullable();
    stamps(t);
    t.unique(["purchaser_id", "reference"]);
    t.index(["client_id"]);
    t.index(["provider_id", "valid_from"]);
  });

  await knex.schema.createTable("schedules", (t) => {
    t.increments("id");
    t.integer("client_id").unsigned().notNullable().references("id").inTable("clients");
    t.integer("location_id").unsigned().notNullable().references("id").inTable("locations");
    t.enu("funding", ["toewijzing", "subsidie", "pgb", "eigen"]).notNullable();
    t.integer("allocation_id").unsigned().nullable().references("id").inTable("allocations");
    t.integer("contract_id").unsigned().nullable().references("id").inTable("contracts");
    t.integer("product_id").unsigned().nullable().references("id").inTable("products");
    t.string("valid_from", 10).notNullable();
    t.string("valid_until", 10).nullable();
    t.enu("week_parity", ["elke", "even", "oneven"]).notNullable().defaultTo("elke");
    t.integer("created_by").unsigned().nullable().references("id").inTable("users");
    stamps(t);
    t.index(["location_id", "valid_from"]);
    t.index(["client_id"]);
    t.index(["allocation_id"]);
    t.index(["contract_id"]);
  });

  await knex.schema.createTable("schedule_slots", (t) => {
    t.increments("id");
    t.integer("schedule_id").unsigned().notNullable().references("id").inTable("schedules").onDelete("CASCADE");
    t.integer("weekday").notNullable().checkBetween([1, 7]);
    t.enu("dagdeel", ["ochtend", "middag"]).notNullable();
    stamps(t);
    t.unique(["schedule_id", "weekday", "dagdeel"]);
  });

  await knex.schema.createTable("waitlist_entries", (t) => {
    t.increments("id");
    t.integer("client_id").unsigned().notNullable().references("id").inTable("clients");
    t.integer("location_id").unsigned().notNullable().references("id").inTable("locations");
    t.string("since", 10).notNullable();
    t.integer("priority").notNullable().defaultTo(3).checkBetween([1, 5]);
    t.enu("status", ["wachtend", "geplaatst", "vervallen"]).notNullable().defaultTo("wachtend");
    t.text("note").nullable();
    stamps(t);
    t.index(["location_id", "status", "since"]);
    t.index(["client_id"]);
  });

  await knex.schema.createTable("waitlist_slots", (t) => {
    t.increments("id");
    t.integer("waitlist_entry_id").unsigned().notNullable().references("id").inTable("waitlist_entries").onDelete("CASCADE");
    t.integer("weekday").notNullable().checkBetween([1, 7]);
    t.enu("dagdeel", ["ochtend", "middag"]).notNullable();
    stamps(t);
    t.unique(["waitlist_entry_id", "weekday", "dagdeel"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("waitlist_slots");
  await knex.schema.dropTableIfExists("waitlist_entries");
  await knex.schema.dropTableIfExists("schedule_slots");
  await knex.schema.dropTableIfExists("schedules");
  await knex.schema.dropTableIfExists("allocations");
  await knex.schema.dropTableIfExists("clients");
}
