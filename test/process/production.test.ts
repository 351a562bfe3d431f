import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { createDb } from "../../src/db/knex";
import { freshTestDatabase, type TestDatabase } from "../support/database";
import { ROOT, startProcess } from "../support/process";
import { DEMO_PASSWORD } from "../../seeds/demo";

// npm run build, then the compiled app as production runs it: plain node, no TypeScript, on
// PostgreSQL (CI) — or SQLite when no PostgreSQL server is named.
describe("production: npm run build, then NODE_ENV=production node dist/server.js", function () {
  this.timeout(240_000);
  const out = path.join(ROOT, "test-results", `build-${process.pid}`);
  const databases: TestDatabase[] = [];
  const SECRET = "a-long-random-production-secret-for-the-test";

  before(() => {
    const build = spawnSync(process.execPath, ["scripts/build.mjs", out], { cwd: ROOT, encoding: "utf8" });
    expect(build.status, build.stdout + build.stderr).to.equal(0);
  });
  after(async () => {
    fs.rmSync(out, { recursive: true, force: true });
    for (const d of databases) await d.drop();
  });

  async function database(from: "empty" | "migrated" = "empty"): Promise<TestDatabase> {
    const d = await freshTestDatabase(process.env.TEST_POSTGRES_URL ? "postgres" : "sqlite", from);
    databases.push(d);
    return d;
  }

  it("the build holds the entry point, compiled migrations and what the app reads at run time", () => {
    for (const file of ["server.js", "src/server.js", "src/app.js", "views/layouts/main.hbs", "src/web/public/app.css", "src/web/locales/nl/common.json", "src/iwmo/xsd/WMO323.xsd", "src/iwmo/retourcodes.tsv"]) {
      expect(fs.existsSync(path.join(out, file)), file).to.equal(true);
    }
    const migrations = fs.readdirSync(path.join(out, "db", "migrations")).filter((f) => f.endsWith(".js"));
    expect(migrations.length).to.equal(fs.readdirSync(path.join(ROOT, "db", "migrations")).filter((f) => f.endsWith(".ts")).length);
    expect(fs.readdirSync(path.join(out, "src")).some((f) => f.endsWith(".ts"))).to.equal(false);
  });

  it("serves /healthz, /login and the stylesheet, on a database migrated from source, with no demo data and no password printed", async () => {
    // Migrated from the sources first (as `npm start` would: a copy of the migrated template):
    // the build must take it as up to date.
    const db = await database("migrated");
    const app = startProcess([path.join(out, "server.js")], { NODE_ENV: "production", SESSION_SECRET: SECRET, DATABASE_URL: db.url });
    try {
      const port = await app.listening;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).to.equal(200);
      const login = await fetch(`http://127.0.0.1:${port}/login`);
      expect(login.status).to.equal(200);
      const html = await login.text();
      expect(html).to.contain("Inloggen");
      expect(login.headers.get("set-cookie") ?? "").to.not.contain("dagdeel.sid"); // no session before it is needed
      const css = await fetch(`http://127.0.0.1:${port}/static/app.css`);
      expect(css.status).to.equal(200);
      expect(app.output()).to.contain("De database is leeg");
      expect(app.output()).to.not.contain("database migrated");
      expect(app.output()).to.not.contain(DEMO_PASSWORD);
    } finally {
      expect(await app.stop(), app.output()).to.equal(0);
    }
    const check = createDb(db.url);
    try {
      expect(await check("organisations").first()).to.equal(undefined);
    } finally {
      await check.destroy();
    }
  });

  it("refuses to start with the development session secret, or without one", async () => {
    const db = await database();
    for (const env of [{ SESSION_SECRET: "dagdeel-development-secret-not-for-production" }, {}] as Record<string, string>[]) {
      const app = startProcess([path.join(out, "server.js")], { NODE_ENV: "production", DATABASE_URL: db.url, ...env });
      expect(await app.exited).to.equal(1);
      expect(app.output()).to.contain("SESSION_SECRET");
    }
  });

  it("loads the demo data only with DEMO_DATA=1, and even then prints no password", async () => {
    const db = await database();
    const app = startProcess([path.join(out, "server.js")], { NODE_ENV: "production", SESSION_SECRET: SECRET, DATABASE_URL: db.url, DEMO_DATA: "1", SEED_TODAY: "2026-11-23" });
    try {
      await app.listening;
      expect(app.output()).to.contain("Demodata geladen");
      expect(app.output()).to.not.contain(DEMO_PASSWORD);
    } finally {
      expect(await app.stop()).to.equal(0);
    }
  });
});
