import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { copyPostgresTemplate, copySqliteTemplate, databaseUrl, serverConnection, type TemplateKind } from "./templates";

// Tests run on SQLite, the embedded default. TEST_POSTGRES_URL names a PostgreSQL server whose
// user may create databases (e.g. postgres://postgres@127.0.0.1:5433/postgres): the
// PostgreSQL tests use it, and with TEST_APP_DATABASE=postgres every HTTP test app gets a
// fresh PostgreSQL database too, dropped again at close — the same suite on both.

let counter = 0;

export type TestDatabase = { url: string; drop(): Promise<void> };

/**
 * A new database of its own: "app" on SQLite, or on PostgreSQL with TEST_APP_DATABASE=postgres;
 * "postgres" or "sqlite" whatever that says. Empty, or a copy of a template (./templates): every
 * migration run, or the demo data loaded too.
 */
export async function freshTestDatabase(kind: "app" | "postgres" | "sqlite" = "app", from: "empty" | TemplateKind = "empty"): Promise<TestDatabase> {
  const wantsPostgres = kind === "postgres" || (kind === "app" && process.env.TEST_APP_DATABASE === "postgres");
  const server = wantsPostgres ? process.env.TEST_POSTGRES_URL : undefined;
  if (!server) {
    if (kind === "postgres") throw new Error("TEST_POSTGRES_URL is not set");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-test-"));
    const file = path.join(dir, "test.sqlite");
    if (from !== "empty") await copySqliteTemplate(from, file);
    return {
      url: `sqlite:${file}`,
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `dagdeel_t_${process.pid}_${++counter}`;
  const admin = serverConnection(server);
  try {
    // Identifiers cannot be bound; the name is built from digits and a fixed prefix only.
    if (from === "empty") await admin.raw(`create database ${name}`);
    else await copyPostgresTemplate(admin, server, from, name);
  } finally {
    await admin.destroy();
  }
  return {
    url: databaseUrl(server, name),
    async drop() {
      const again = serverConnection(server);
      await again.raw(`drop database if exists ${name} with (force)`);
      await again.destroy();
    },
  };
}

export type OpenTestDatabase = { db: Knex; close(): Promise<void> };

/** freshTestDatabase, connected: closing disconnects and drops it. */
export async function openTestDatabase(kind: "app" | "postgres" | "sqlite", from: "empty" | TemplateKind): Promise<OpenTestDatabase> {
  const database = await freshTestDatabase(kind, from);
  const db = createDb(database.url);
  return {
    db,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}
