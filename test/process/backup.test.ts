import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import knex, { type Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { buildWorld } from "../support/fixtures";
import { freshTestDatabase } from "../support/database";
import { copySqliteTemplate } from "../support/templates";
import { ROOT } from "../support/process";
import { withNameKeys } from "../../src/db/name-keys";

// npm run db:backup and db:restore, as processes, on a database another process keeps writing to.
describe("backups: db:backup under write load, and db:restore back", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-backup-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cli = (script: string, databaseUrl: string, ...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", `src/cli/${script}.ts`, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" }, encoding: "utf8" });

  function sqlite(file: string): Knex {
    // The writer holds the write lock most of the time: wait for it, as the app does.
    const busy = (conn: { run(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) => conn.run("PRAGMA busy_timeout = 10000", (err) => done(err, conn));
    return knex({ client: "sqlite3", connection: { filename: file }, useNullAsDefault: true, pool: { min: 1, max: 1, afterCreate: busy } });
  }

  async function counts(file: string) {
    const db = sqlite(file);
    try {
      const villages = Number((await db("villages").where("municipality", "Last").count({ n: "*" }))[0].n); // the writer's, not the world's
      const audited = Number((await db("audit_log").where({ entity: "village" }).count({ n: "*" }))[0].n);
      const [integrity] = await db.raw("PRAGMA integrity_check");
      return { villages, audited, integrity: integrity.integrity_check };
    } finally {
      await db.destroy();
    }
  }

  /** The data versions (src/data-version) by name. */
  async function versionsIn(db: Knex): Promise<Record<string, number>> {
    const rows: { name: string; version: unknown }[] = await db("data_versions").select("name", "version");
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.version)]));
  }

  async function versions(file: string): Promise<Record<string, number>> {
    const db = sqlite(file);
    try {
      return await versionsIn(db);
    } finally {
      await db.destroy();
    }
  }

  /** Every version after a restore above both the replaced database's and the backup's: a running app keeps no answer of the data replaced. */
  function expectRaisedAbove(after: Record<string, number>, ...olds: Record<string, number>[]) {
    expect(Object.keys(after).sort()).to.deep.equal(["board", "problems", "use"]);
    for (const [name, version] of Object.entries(after)) {
      for (const old of olds) expect(version, name).to.be.greaterThan(old[name] ?? 0);
    }
  }

  const waitUntil = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 1200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  };

  describe("SQLite", () => {
    const live = path.join(dir, "live.sqlite");
    const copy = path.join(dir, "copy.sqlite");
    let atBackup: { villages: number; audited: number; integrity: string };
    let liveAfterBackup: number;

    // The backup is taken once, under load; the tests below look at it from every side.
    before(async () => {
      await copySqliteTemplate("migrated", live);
      const db = createDb(`sqlite:${live}`);
      await buildWorld(db);
      await db.destroy();
      const writer = spawn(process.execPath, ["--import", "tsx", "test/support/write-load.ts", live], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
      const writerExit = new Promise((resolve) => writer.on("exit", resolve));
      try {
        await waitUntil(async () => (await counts(live)).villages > 200);
        const out = cli("backup", `sqlite:${live}`, copy);
        expect(out.status, out.stderr).to.equal(0);
        expect(out.stdout).to.contain("integrity ok");
        // the writer goes on after the copy was taken
        const taken = await counts(copy);
        await waitUntil(async () => (await counts(live)).villages > taken.villages + 200);
      } finally {
        writer.kill("SIGTERM");
        expect(await writerExit).to.equal(0);
      }
      atBackup = await counts(copy);
      liveAfterBackup = (await counts(live)).villages;
    });

    it("writes a consistent, intact copy while another process keeps writing", () => {
      expect(atBackup.integrity).to.equal("ok");
      expect(atBackup.villages).to.be.greaterThan(200);
      // every transaction either wholly in the copy or wholly out of it
      expect(atBackup.audited).to.equal(atBackup.villages);
      expect(liveAfterBackup).to.be.greaterThan(atBackup.villages);
    });

    it("refuses to overwrite an existing file", () => {
      const out = cli("backup", `sqlite:${live}`, copy);
      expect(out.status).to.equal(1);
      expect(out.stderr).to.contain("already exists");
    });

    it("restores the copy: the database is as it was at the backup, and the state before is kept", async () => {
      const [versionsBefore, versionsOfCopy] = [await versions(live), await versions(copy)];
      const out = cli("restore", `sqlite:${live}`, copy);
      expect(out.status, out.stderr).to.equal(0);
      const restored = await counts(live);
      expect(restored).to.deep.equal(atBackup);
      expectRaisedAbove(await versions(live), versionsBefore, versionsOfCopy);
      const kept = out.stdout.match(/kept in (\S+)/)![1];
      expect((await counts(kept)).villages).to.be.greaterThan(atBackup.villages);
      // and the app's own view of it: migrated, the world still there
      const db = createDb(`sqlite:${live}`);
      try {
        expect(await db.migrate.currentVersion()).to.not.equal("none");
        expect(await db("users").count({ n: "*" }).then((r) => Number(r[0].n))).to.equal(6);
      } finally {
        await db.destroy();
      }
    });

    it("refuses a file that is not a dagdeel backup, and leaves the database alone", async () => {
      const junk = path.join(dir, "junk.sqlite");
      fs.writeFileSync(junk, "this is not a database at all, just some text that is long enough to look like one");
      const before = await counts(live);
      for (const file of [junk, path.join(dir, "missing.sqlite")]) {
        const out = cli("restore", `sqlite:${live}`, file);
        expect(out.status, file).to.equal(1);
        expect(out.stderr).to.contain("Restore failed");
      }
      expect(await counts(live)).to.deep.equal(before);
    });
  });

  describe("PostgreSQL (pg_dump, pg_restore)", () => {
    before(function () {
      if (!process.env.TEST_POSTGRES_URL) this.skip();
    });

    it("backs up and restores a database", async () => {
      const database = await freshTestDatabase("postgres", "migrated");
      const file = path.join(dir, "pg.dump");
      const db = createDb(database.url);
      try {
        await buildWorld(db);
        const out = cli("backup", database.url, file);
        expect(out.status, out.stderr).to.equal(0);
        await db("users").where({ email: "admin@test.example" }).update({ name: "Na de backup" });
        await db("organisations").insert(withNameKeys("organisations", { kind: "provider", subkind: "overig", name: "Na de backup", active: true, created_at: "2026-11-23T00:00:00.000Z", updated_at: "2026-11-23T00:00:00.000Z" }));
        const versionsBefore = await versionsIn(db);
        const back = cli("restore", database.url, file);
        expect(back.status, back.stderr).to.equal(0);
        expectRaisedAbove(await versionsIn(db), versionsBefore);
        expect((await db("users").where({ email: "admin@test.example" }).first()).name).to.equal("User admin");
        expect(await db("organisations").where({ name: "Na de backup" }).first()).to.equal(undefined);
      } finally {
        await db.destroy();
        await database.drop();
      }
    });
  });
});
