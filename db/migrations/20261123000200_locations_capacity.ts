import type { Knex } from "knex";

function stamps(t: Knex.CreateTableBuilder): void {
  t.string("created_at", 30).notNullable();
  t.string("updated_at", 30).notNullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("locations", (t) => {
    t.increments("id");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    t.string("name", 200).notNullable();
    t.string("street", 200).notNullable();
    t.string("postcode", 7).notNullable();
    t.integer("village_id").unsigned().notNullable().references("id").inTable("villages");
    // Clock times "HH:mm" in Europe/Amsterdam; a billing dagdeel is a unit, these are when it runs.
    t.string("morning_start", 5).notNullable().defaultTo("09:30");
    t.string("morning_end", 5).notNullable().defaultTo("12:30");
    t.string("afternoon_start", 5).notNullable().defaultTo("13:30");
    t.string("afternoon_end", 5).notNullable().defaultTo("16:30");
    t.boolean("active").notNullable().defaultTo(true);
    stamps(t);
    t.unique(["provider_id", "name"]);
    t.index(["village_id"]);
  });

  await knex.schema.createTable("capacity_rules", (t) => {
    t.increments("id");
    t.integer("location_id").unsigned().notNullable().references("id").inTable("locations").onDelete("CASCADE");
    t.integer("weekday").notNullable().checkBetween([1, 7]);
    t.enu("dagdeel", ["ochtend", "middag"]).notNullable();
    t.integer("places").notNullable().checkBetween([0, 999]);
    t.string("valid_from", 10).notNullable();
    t.string("valid_until", 10).nullable();
    stamps(t);
    t.unique(["location_id", "weekday", "dagdeel", "valid_from"]);
    t.index(["location_id", "valid_from"]);
  });

  await knex.schema.createTable("closures", (t) => {
    t.increments("id");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    // null: every location of the provider.
    t.integer("location_id").unsigned().nullable().references("id").inTable("locations").onDelete("CASCADE");
    t.string("starts_on", 10).notNullable();
    t.string("ends_on", 10).notNullable();
    // null: the whole day.
    t.enu("dagdeel", ["ochtend", "middag"]).nullable();
    t.string("reason", 200).notNullable();
    t.integer("created_by").unsigned().nullable().references("id").inTable("users");
    stamps(t);
    t.index(["provider_id", "starts_on"]);
    t.index(["location_id", "starts_on"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("closures");
  await knex.schema.dropTableIfExists("capacity_rules");
  await knex.schema.dropTableIfExists("locations");
}
