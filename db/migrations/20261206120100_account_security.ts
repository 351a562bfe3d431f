import type { Knex } from "knex";
import { dropColumns } from "../../src/db/migration-helpers";

// Account security: a user's own password change, an admin's one-time reset link, TOTP
// two-factor login, and the setting that requires it for every coordinator.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    // Base32 TOTP secret; set once the user confirmed a code from the authenticator app.
    t.string("totp_secret", 64).nullable();
    t.string("totp_enabled_at", 30).nullable();
    // The last 30-second step a code was accepted for: the same code never logs in twice.
    t.integer("totp_last_step").nullable();
    // The admin requires TOTP of this user (see also settings.totp_required_coordinators).
    t.boolean("totp_required").notNullable().defaultTo(false);
    // Raised by a password change, a reset or deactivation: sessions of an older one end.
    t.integer("session_generation").notNullable().defaultTo(0);
    t.string("password_changed_at", 30).nullable();
  });

  await knex.schema.createTable("password_resets", (t) => {
    t.increments("id");
    t.integer("user_id").unsigned().notNullable().references("id").inTable("users").onDelete("CASCADE");
    // SHA-256 of the token in the link (hex); the token itself is never stored.
    t.string("token_hash", 64).notNullable().unique();
    t.integer("created_by").unsigned().nullable().references("id").inTable("users");
    t.string("expires_at", 30).notNullable();
    t.string("used_at", 30).nullable();
    t.string("created_at", 30).notNullable();
    t.string("updated_at", 30).notNullable();
    t.index(["user_id"]);
  });

  await knex.schema.createTable("settings", (t) => {
    t.string("key", 100).primary();
    t.text("value").notNullable();
    t.integer("updated_by").unsigned().nullable().references("id").inTable("users");
    t.string("created_at", 30).notNullable();
    t.string("updated_at", 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("settings");
  await knex.schema.dropTableIfExists("password_resets");
  await dropColumns(knex, "users", ["password_changed_at", "session_generation", "totp_required", "totp_last_step", "totp_enabled_at", "totp_secret"]);
}
