import { expect } from "chai";
import type { Knex } from "knex";
import { settledVersion, useVersion } from "../../src/use/repository";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";

// The use version as the use pages take it first (currentUseVersion, before counting anything):
// in one query with the look for marks waiting to be counted — null while any waits, else the
// version the 'use' row holds — on both databases (PostgreSQL when TEST_POSTGRES_URL is set).

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`settledVersion (${kind})`, function () {
    let open: OpenTestDatabase;
    let db: Knex;
    before(async function () {
      if (kind === "postgres" && !process.env.TEST_POSTGRES_URL) this.skip();
      open = await openTestDatabase(kind, "migrated");
      db = open.db;
    });
    after(async () => open?.close());

    it("is the use version while nothing waits to be counted, and null while anything does", async () => {
      await db("use_dirty").delete();
      await db("data_versions").where({ name: "use" }).update({ version: 7 });
      expect(await settledVersion(db)).to.equal(7);
      expect(await useVersion(db)).to.equal(7);
      await db("use_dirty").insert({ source: "client", source_id: 1, version: 1 });
      expect(await settledVersion(db)).to.equal(null);
      await db("use_dirty").delete();
      expect(await settledVersion(db)).to.equal(7);
    });
  });
}
