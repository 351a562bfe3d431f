import fs from "node:fs";
import path from "node:path";
import knex, { type Knex } from "knex";
import { sqliteFile } from "../config";
import { MigrationFiles } from "./migration-source";
import { isPostgres } from "./dialect";

export const MIGRATIONS_DIR = path.resolve(__dirname, "../../db/migrations");

const CONNECTION_PRAGMAS = ["PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000"];

/**
 * A database file is written through a write-ahead log: a write appends to the log instead of
 * rewriting pages through a rollback journal with an fsync each time (a page view that touched
 * its session took ~150 ms on a region-sized file), and synchronous=NORMAL is durable in WAL
 * mode up to a power cut. A 32 MB page cache keeps the hot part of a region's indexes in memory.
 */
export const FILE_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -32768"];

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
          const pragmas = [...CONNECTION_PRAGMAS, ...(file === ":memory:" ? [] : FILE_PRAGMAS)];
          const next = (i: number) => {
            if (i === pragmas.length) return done(null, conn);
            conn.run(pragmas[i], (err: Error | null) => (err ? done(err, conn) : next(i + 1)));
          };
          next(0);
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

/**
 * Statistics for the query planner. PostgreSQL keeps its own (autovacuum); SQLite has none until
 * asked, and without them picks a location's whole schedule list over a client's two rows. Cheap
 * on a database that has them (PRAGMA optimize only looks again where much changed); run at
 * start-up and after a bulk load.
 */
export async function optimizeDatabase(db: Knex): Promise<void> {
  if (isPostgres(db)) return;
  await db.raw("PRAGMA analysis_limit = 1000");
  await db.raw("PRAGMA optimize = 0x10002");
}

