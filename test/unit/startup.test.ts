import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { prepareDatabase } from "../../src/startup";

describe("start-up: migrate, and load the demo data only into an empty database", function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-startup-"));
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: `sqlite:${path.join(dir, "nested", "dagdeel.sqlite")}`, SEED_TODAY: "2026-11-23" });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a first start creates the file, migrates and seeds; a second start keeps all data", async () => {
    const clock = fixedClock("2026-11-23T09:00:00");
    let db = createDb(config.databaseUrl);
    const first = await prepareDatabase(db, config, clock);
    expect(first.seeded).to.equal(true);
    expect(first.migrations.length).to.be.greaterThan(0);
    expect(fs.existsSync(path.join(dir, "nested", "dagdeel.sqlite"))).to.equal(true);
    // What a user adds between starts must still be there afterwards.
    const [org] = await db("organisations").where({ kind: "purchaser" }).orderBy("id").limit(1);
    await db("organisations").where({ id: org.id }).update({ phone: "077 000 00 00" });
    const counts = async () => ({
      clients: Number((await db("clients").count({ n: "*" }))[0].n),
      attendance: Number((await db("attendance").count({ n: "*" }))[0].n),
      users: Number((await db("users").count({ n: "*" }))[0].n),
    });
    const before = await counts();
    await db.destroy();

    db = createDb(config.databaseUrl);
    const second = await prepareDatabase(db, config, fixedClock("2026-11-30T09:00:00"));
    expect(second.seeded).to.equal(false);
    expect(second.migrations).to.deep.equal([]);
    expect(await counts()).to.deep.equal(before);
    expect((await db("organisations").where({ id: org.id }).first()).phone).to.equal("077 000 00 00");
    await db.destroy();
  });

  it("production loads no demo data into an empty database; DEMO_DATA=1 does", async () => {
    const secret = { NODE_ENV: "production", SESSION_SECRET: "a-long-random-production-secret", SEED_TODAY: "2026-11-23" };
    const clock = fixedClock("2026-11-23T09:00:00");
    const plain = loadConfig({ ...secret, DATABASE_URL: `sqlite:${path.join(dir, "production.sqlite")}` });
    let db = createDb(plain.databaseUrl);
    const prepared = await prepareDatabase(db, plain, clock);
    expect(prepared).to.include({ seeded: false, empty: true });
    expect(await db("users").first()).to.equal(undefined);
    await db.destroy();

    const demo = loadConfig({ ...secret, DEMO_DATA: "1", DATABASE_URL: `sqlite:${path.join(dir, "production-demo.sqlite")}` });
    db = createDb(demo.databaseUrl);
    expect((await prepareDatabase(db, demo, clock)).seeded).to.equal(true);
    await db.destroy();
  });
});
