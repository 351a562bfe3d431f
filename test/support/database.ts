import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knex from "knex";

// Tests run on SQLite, the embedded default. TEST_POSTGRES_URL names a PostgreSQL server whose
// user may create databases (e.g. postgres://postgres@127.0.0.1:5433/postgres): the
// PostgreSQL tests use it, and with TEST_APP_DATABASE=postgres every HTTP test app gets a
// fresh PostgreSQL database too, dropped again at close — the same suite on both.

let counter = 0;

export type TestDatabase = { url: string; drop(): Promise<void> };

export async function freshTestDatabase(kind: "app" | "postgres" = "app"): Promise<TestDatabase> {
  const wantsPostgres = kind === "postgres" || process.env.TEST_APP_DATABASE === "postgres";
  const server = wantsPostgres ? process.env.TEST_POSTGRES_URL : undefined;
  if (!server) {
    if (kind === "postgres") throw new Error("TEST_POSTGRES_URL is not set");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-test-"));
    return {
      url: `sqlite:${path.join(dir, "test.sqlite")}`,
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `dagdeel_t_${process.pid}_${++counter}`;
  const admin = knex({ client: "pg", connection: server, pool: { min: 0, max: 1 } });
  // Identifiers cannot be bound; the name is built from digits and a fixed prefix only.
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = knex({ client: "pg", connection: server, pool: { min: 0, max: 1 } });
      await again.raw(`drop database if exists ${name} with (force)`);
      await again.destroy();
    },
  };
}
