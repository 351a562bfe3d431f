import type { Knex } from "knex";

// API tokens: an organisation's key to /api/v1. Only the SHA-256 of a token is stored (the
// token itself is shown once); the last four characters help a user tell tokens apart.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("api_tokens", (t) => {
    t.increments("id");
    t.integer("organisation_id").unsigned().notNullable().references("id").inTable("organisations");
    t.string("label", 100).notNullable();
    t.string("token_hash", 64).notNullable().unique();
    t.string("token_hint", 4).notNullable();
    t.enu("access", ["read", "write"]).notNullable();
    t.string("expires_on", 10).notNullable();
    t.integer("created_by").unsigned().notNullable().references("id").inTable("users");
    t.string("last_used_at", 30).nullable();
    t.string("revoked_at", 30).nullable();
    t.integer("revoked_by").unsigned().nullable().references("id").inTable("users");
    t.string("created_at", 30).notNullable();
    t.string("updated_at", 30).notNullable();
    t.index(["organisation_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("api_tokens");
}
