import { expect } from "chai";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { seedDemo } from "../../seeds/demo";
import { freshTestDatabase } from "../support/database";

// The same migrations and demo data on PostgreSQL. Runs when TEST_POSTGRES_URL points at a
// server (.ci/run starts a throw-away one); skipped otherwise.
describe("PostgreSQL: migrations and demo data", function () {
  this.timeout(120_000);

  before(function () {
    if (!process.env.TEST_POSTGRES_URL) this.skip();
  });

  it("migrates, rolls back the last batch, migrates again and loads the demo data", async () => {
    const database = await freshTestDatabase("postgres");
    const db = createDb(database.url);
    try {
      const [, up] = await db.migrate.latest();
      expect(up.length).to.be.greaterThan(0);
      await db.migrate.rollback();
      expect(await db.schema.hasTable("organisations")).to.equal(false);
      await db.migrate.latest();
      const summary = await seedDemo(db, { today: "2026-11-23", clock: fixedClock("2026-11-23T09:00:00") });
      expect(summary.clients).to.equal(150);
      const [{ n }] = await db("attendance").count({ n: "*" });
      expect(Number(n)).to.be.greaterThan(1000);
      // dates stay yyyy-MM-dd text on PostgreSQL too
      const row = await db("attendance").orderBy("id").first();
      expect(row.date).to.match(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
