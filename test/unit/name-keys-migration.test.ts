import { expect } from "chai";
import type { Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { personKeys } from "../../src/db/name-keys";
import { freshTestDatabase, type TestDatabase } from "../support/database";
import { buildWorld } from "../support/fixtures";

// The migration that adds the name keys fills them for the rows already there, on SQLite and
// (when TEST_POSTGRES_URL is set) PostgreSQL, and rolls back without losing a row.

const MIGRATION = "20261206210100_name_keys.ts";

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`migration ${MIGRATION} (${kind})`, function () {
    let database: TestDatabase;
    let db: Knex;
    before(async function () {
      if (kind === "postgres" && !process.env.TEST_POSTGRES_URL) this.skip();
      database = await freshTestDatabase(kind === "postgres" ? "postgres" : "app");
      db = createDb(database.url);
      await db.migrate.latest();
    });
    after(async () => {
      await db?.destroy();
      await database?.drop();
    });

    it("backfills the keys of existing rows and rolls back keeping them all", async () => {
      const w = await buildWorld(db);
      await db.migrate.down({ name: MIGRATION });
      expect(await db.schema.hasColumn("clients", "search_key")).to.equal(false);
      const at = "2026-11-01T00:00:00.000Z";
      await db("clients").insert({ first_name: "Ayşe", last_name: "Özdemir", village_id: w.village, created_at: at, updated_at: at });
      await db("clients").insert({ first_name: "Gijs", last_name: "van Lier", created_at: at, updated_at: at });
      const before = await Promise.all(["clients", "locations", "organisations", "users", "villages", "contracts"].map((t) => db(t).count({ n: "*" })));
      await db.migrate.up({ name: MIGRATION });
      const after = await Promise.all(["clients", "locations", "organisations", "users", "villages", "contracts"].map((t) => db(t).count({ n: "*" })));
      expect(after).to.deep.equal(before);
      const ozdemir = await db("clients").where({ last_name: "Özdemir" }).first("search_key", "sort_key");
      expect(ozdemir).to.deep.equal(personKeys("Ayşe", "Özdemir"));
      expect((await db("clients").where({ last_name: "van Lier" }).first("sort_key")).sort_key).to.equal(personKeys("Gijs", "van Lier").sort_key);
      for (const t of ["locations", "organisations", "users", "villages"]) {
        const [row] = await db(t).whereNull("search_key").orWhereNull("sort_key").count({ n: "*" });
        expect(Number(row.n), t).to.equal(0);
      }
      expect((await db("locations").where({ id: w.locationA }).first("search_key")).search_key).to.equal("boerderij a");
    });
  });
}
