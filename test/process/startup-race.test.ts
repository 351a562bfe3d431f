import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import knex from "knex";
import { freshTestDatabase, type TestDatabase } from "../support/database";
import { startServer, type AppProcess } from "../support/process";

// Two app processes started at the same moment on one empty database: both must end up serving,
// with the migrations run once and the demo data loaded once. Before start-up took a lock, the
// second process died with a unique-constraint error (knex_migrations, or the demo's organisations).
async function bothServe(databaseUrl: string): Promise<{ outputs: string[] }> {
  const env = { DATABASE_URL: databaseUrl, NODE_ENV: "development", SEED_TODAY: "2026-11-23" };
  const apps: AppProcess[] = [startServer(env), startServer(env)];
  try {
    const ports = await Promise.all(apps.map((a) => a.listening));
    for (const port of ports) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).to.equal(200);
      const login = await fetch(`http://127.0.0.1:${port}/login`);
      expect(login.status).to.equal(200);
    }
    return { outputs: apps.map((a) => a.output()) };
  } finally {
    const codes = await Promise.all(apps.map((a) => a.stop()));
    expect(codes, apps.map((a) => a.output()).join("\n---\n")).to.deep.equal([0, 0]);
  }
}

async function countsOf(url: string) {
  const client = url.startsWith("sqlite:") ? { client: "sqlite3", connection: { filename: url.slice(7) }, useNullAsDefault: true } : { client: "pg", connection: url };
  const db = knex(client);
  try {
    const count = async (table: string) => Number((await db(table).count({ n: "*" }))[0].n);
    const migrations = await db("knex_migrations").select("name");
    return { organisations: await count("organisations"), users: await count("users"), migrations: migrations.length, distinctMigrations: new Set(migrations.map((m) => m.name)).size };
  } finally {
    await db.destroy();
  }
}

describe("start-up: two processes at once on one empty database", function () {
  this.timeout(240_000);

  describe("PostgreSQL", () => {
    let database: TestDatabase | undefined;
    before(function () {
      if (!process.env.TEST_POSTGRES_URL) this.skip();
    });
    after(async () => database?.drop());

    it("both serve; migrations and the demo data ran once, under one advisory lock", async () => {
      database = await freshTestDatabase("postgres");
      const { outputs } = await bothServe(database.url);
      const counts = await countsOf(database.url);
      expect(counts.migrations).to.equal(counts.distinctMigrations);
      expect(counts.users).to.equal(6);
      expect(counts.organisations).to.equal(15);
      // exactly one of the two loaded the demo data; the other found it there
      expect(outputs.filter((o) => o.includes("Demodata geladen")).length, outputs.join("\n---\n")).to.equal(1);
    });
  });

  describe("SQLite", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-race-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("both serve; migrations and the demo data ran once", async () => {
      const url = `sqlite:${path.join(dir, "race.sqlite")}`;
      const { outputs } = await bothServe(url);
      const counts = await countsOf(url);
      expect(counts.migrations).to.equal(counts.distinctMigrations);
      expect(counts.users).to.equal(6);
      expect(outputs.filter((o) => o.includes("Demodata geladen")).length, outputs.join("\n---\n")).to.equal(1);
    });
  });
});
