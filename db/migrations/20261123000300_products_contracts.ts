import type { Knex } from "knex";

function stamps(t: Knex.CreateTableBuilder): void {
  t.string("created_at", 30).notNullable();
  t.string("updated_at", 30).notNullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("products", (t) => {
    t.increments("id");
    t.string("code", 20).notNullable().unique();
    t.string("name", 200).notNullable();
    t.enu("unit", ["dagdeel", "uur", "etmaal", "rit"]).notNullable();
    // iWmo: ProductCategorie (07 dagbesteding, 08 vervoer), ProductCode (regional), Eenheid (16 = dagdeel).
    t.string("iwmo_category", 2).nullable();
    t.string("iwmo_code", 5).nullable();
    t.string("iwmo_unit", 2).nullable();
    // Wlz: the NZa prestatiecode.
    t.string("wlz_code", 10).nullable();
    t.boolean("active").notNullable().defaultTo(true);
    stamps(t);
  });

  await knex.schema.createTable("contracts", (t) => {
    t.increments("id");
    t.integer("purchaser_id").unsigned().notNullable().references("id").inTable("organisations");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    t.string("reference", 60).notNullable();
    t.enu("kind", ["inkoop", "subsidie"]).notNullable();
    t.string("valid_from", 10).notNullable();
    t.string("valid_until", 10).notNullable();
    t.enu("status", ["concept", "actief", "beeindigd"]).notNullable().defaultTo("concept");
    t.bigInteger("budget_ceiling_cents").nullable();
    // subsidie: the amount for the period and the dagdelen agreed as its target.
    t.bigInteger("subsidy_amount_cents").nullable();
    t.integer("subsidy_target_dagdelen").nullable();
    t.boolean("no_show_billable").notNullable().defaultTo(false);
    t.text("notes").nullable();
    stamps(t);
    t.unique(["purchaser_id", "reference"]);
    t.index(["provider_id", "purchaser_id", "status"]);
  });

  await knex.schema.createTable("contract_lines", (t) => {
    t.increments("id");
    t.integer("contract_id").unsigned().notNullable().references("id").inTable("contracts").onDelete("CASCADE");
    t.integer("product_id").unsigned().notNullable().references("id").inTable("products");
    t.integer("tariff_cents").notNullable().checkPositive();
    t.integer("volume_ceiling").nullable();
    t.string("valid_from", 10).notNullable();
    t.string("valid_until", 10).notNullable();
    stamps(t);
    t.unique(["contract_id", "product_id", "valid_from"]);
    t.index(["product_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("contract_lines");
  await knex.schema.dropTableIfExists("contracts");
  await knex.schema.dropTableIfExists("products");
}
