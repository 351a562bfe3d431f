import fs from "node:fs";
import path from "node:path";
import knex, { type Knex } from "knex";
import { sqliteFile } from "../config";
import { MigrationFiles } from "./migration-source";

export const MIGRATIONS_DIR = path.resolve(__dirname, "../../db/migrations");

/** The knex configuration for a DATABASE_URL: `sqlite:<path>` or `postgres://…`. */
export function knexConfig(databaseUrl: string): Knex.Config {
  const migrations: Knex.MigratorConfig = {
    migrationSource: new MigrationFiles(MIGRATIONS_DIR),
    tableName: "knex_migrations",
  };
  const file = sqliteFile(databaseUrl);
  if (file !== null) {
    return {
      client: "sqlite3",
      connection: { filename: file },
      useNullAsDefault: true,
      // SQLite has a single writer: one connection makes every transaction, and so every
      // capacity check with its write, run strictly one after the other.
      pool: {
        min: 1,
        max: 1,
        afterCreate: (conn: any, done: (err: Error | null, conn: unknown) => void) => {
          conn.run("PRAGMA foreign_keys = ON", (err: Error | null) => {
            if (err) return done(err, conn);
            conn.run("PRAGMA busy_timeout = 5000", (err2: Error | null) => done(err2, conn));
          });
        },
      },
      migrations,
    };
  }
  return {
    client: "pg",
    connection: databaseUrl,
    pool: { min: 0, max: 10 },
    migrations,
  };
}

export function createDb(databaseUrl: string): Knex {
  const file = sqliteFile(databaseUrl);
  if (file && file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  return knex(knexConfig(databaseUrl));
}

export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest();
}

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === "pg";
}
