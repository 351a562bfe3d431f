import type { Knex } from "knex";

// Timestamps are UTC ISO-8601 text, written by the application (src/db/time.ts), so both
// SQLite and PostgreSQL hand back the same string.
function stamps(t: Knex.CreateTableBuilder): void {
  t.string("created_at", 30).notNullable();
  t.string("updated_at", 30).notNullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("organisations", (t) => {
    t.increments("id");
    t.enu("kind", ["purchaser", "provider"]).notNullable();
    t.enu("subkind", ["gemeente", "zorgkantoor", "dorpsdagvoorziening", "zorgboerderij", "overig"]).notNullable();
    t.string("name", 200).notNullable();
    t.string("agb_code", 8).nullable().unique();
    t.string("kvk_number", 8).nullable();
    t.string("gemeentecode", 4).nullable();
    t.string("email", 200).nullable();
    t.string("phone", 40).nullable();
    t.boolean("active").notNullable().defaultTo(true);
    stamps(t);
    t.unique(["kind", "name"]);
    t.index(["kind", "subkind"]);
  });

  await knex.schema.createTable("villages", (t) => {
    t.increments("id");
    t.string("name", 100).notNullable();
    t.string("municipality", 100).notNullable();
    t.string("gemeentecode", 4).notNullable();
    // ISO 3166-2 subdivision without the country, e.g. "LI": Carnaval closures follow it.
    t.string("province", 2).notNullable();
    stamps(t);
    t.unique(["gemeentecode", "name"]);
  });

  await knex.schema.createTable("users", (t) => {
    t.increments("id");
    t.string("email", 200).notNullable().unique();
    t.string("name", 200).notNullable();
    t.string("password_hash", 300).notNullable();
    t.enu("role", ["coordinator", "provider", "purchaser", "admin"]).notNullable();
    // provider → its provider; purchaser → its purchaser; coordinator → its purchaser region or null for all.
    t.integer("organisation_id").unsigned().nullable().references("id").inTable("organisations");
    t.boolean("active").notNullable().defaultTo(true);
    t.string("locale", 5).notNullable().defaultTo("nl");
    t.string("last_login_at", 30).nullable();
    stamps(t);
    t.index(["organisation_id"]);
  });

  // The shape connect-session-knex expects (it is told not to create the table itself).
  await knex.schema.createTable("sessions", (t) => {
    t.string("sid", 255).primary();
    t.text("sess").notNullable();
    t.timestamp("expired").notNullable().index();
  });

  await knex.schema.createTable("audit_log", (t) => {
    t.increments("id");
    t.integer("user_id").unsigned().nullable().references("id").inTable("users");
    t.string("action", 60).notNullable();
    t.string("entity", 60).notNullable();
    t.integer("entity_id").nullable();
    t.text("details").nullable();
    t.string("created_at", 30).notNullable();
    t.index(["entity", "entity_id"]);
    t.index(["created_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("audit_log");
  await knex.schema.dropTableIfExists("sessions");
  await knex.schema.dropTableIfExists("users");
  await knex.schema.dropTableIfExists("villages");
  await knex.schema.dropTableIfExists("organisations");
}
