import { expect } from "chai";
import { compiledOnce, NAMED_VALUES_AT_MOST, prepared } from "../../src/db/compiled";
import { findSessionUser } from "../../src/auth/repository";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";

// The queries every request runs, compiled by knex once and run as SQL after: the same rows as
// the query built anew, on both databases, for any value (issue 11).
for (const kind of ["sqlite", "postgres"] as const) {
  describe(`Queries compiled once on ${kind === "sqlite" ? "SQLite" : "PostgreSQL"} (issue 11)`, function () {
    this.timeout(120_000);
    let open: OpenTestDatabase;

    before(async function () {
      if (kind === "postgres" && !process.env.TEST_POSTGRES_URL) this.skip();
      open = await openTestDatabase(kind, "demo");
    });
    after(async () => open?.close());

    it("answer as the query built anew, for each value and the constants bound with them", async () => {
      const query = compiledOnce<[string, number]>((db, role, id) => db("users").where({ role, active: true }).where("id", ">=", id).orderBy("id").select("id", "email").limit(3));
      for (const [role, id] of [["coordinator", 0], ["provider", 2], ["provider", 100000], ["geen'rol", 1]] as const) {
        const built = await open.db("users").where({ role, active: true }).where("id", ">=", id).orderBy("id").select("id", "email").limit(3);
        expect(await query(open.db, role, id)).to.deep.equal(built);
      }
    });

    it("answers again after a migration changed a table it reads (PostgreSQL: the text prepared once per connection)", async () => {
      const query = compiledOnce<[number]>((db, id) => db("products").where("id", ">=", id).orderBy("id").select("*").limit(2));
      for (let i = 0; i < 12; i++) expect(await query(open.db, 0)).to.deep.equal(await open.db("products").where("id", ">=", 0).orderBy("id").select("*").limit(2));
      await open.db.schema.alterTable("products", (t) => t.integer("compiled_test").nullable());
      try {
        for (let i = 0; i < 12; i++) {
          const rows = await query<Record<string, unknown>>(open.db, 0);
          expect(rows[0]).to.have.property("compiled_test", null);
          expect(rows).to.deep.equal(await open.db("products").where("id", ">=", 0).orderBy("id").select("*").limit(2));
        }
      } finally {
        await open.db.schema.alterTable("products", (t) => t.dropColumn("compiled_test"));
      }
    });

    it("a prepared read answers as the query itself, for each value, run after run", async () => {
      const list = (role: string, id: number) => open.db("users").where({ role }).where("id", ">=", id).orderBy("id").select("id", "email").limit(3);
      for (let round = 0; round < 3; round++) {
        for (const [role, id] of [["coordinator", 0], ["provider", 2], ["provider", 100000], ["geen'rol", 1]] as const) {
          expect(await prepared(open.db, list(role, id))).to.deep.equal(await list(role, id));
        }
      }
    });

    it("names a read on PostgreSQL only while its values are few: a long IN list runs unnamed, and still answers", async () => {
      const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
      const list = (n: number) => open.db("users").whereIn("id", ids(n)).orderBy("id").select("id", "email");
      const nameOf = (n: number) => (prepared(open.db, list(n)).toSQL() as unknown as { options?: { name?: string } }).options?.name;
      // SQLite names nothing (its statements are not kept by name).
      if (kind === "postgres") expect(nameOf(NAMED_VALUES_AT_MOST), "a short list").to.match(/^dagdeel_/);
      else expect(nameOf(NAMED_VALUES_AT_MOST), "a short list").to.equal(undefined);
      expect(nameOf(NAMED_VALUES_AT_MOST + 1), "a long list").to.equal(undefined);
      expect(await prepared(open.db, list(NAMED_VALUES_AT_MOST + 1))).to.deep.equal(await list(NAMED_VALUES_AT_MOST + 1));
    });

    it("refuses a query that does not bind each argument as a value", async () => {
      const query = compiledOnce<[string]>((db) => db("users").select("id"));
      let failed: unknown = null;
      await query(open.db, "x").catch((err) => (failed = err));
      expect(String(failed)).to.contain("each argument must be bound once");
    });

    it("the session's user: the row, the setting and the board version as before", async () => {
      const users = await open.db("users").orderBy("id").select("id");
      const version = (await open.db("data_versions").where({ name: "board" }).first("version")).version;
      for (const { id } of users.slice(0, 4)) {
        const found = await findSessionUser(open.db, id, "no-such-setting");
        // What a request needs of its user, and whether two-factor is set up (not the secret itself).
        const row = await open.db("users").where({ id }).first();
        const { id: _id, name, role, organisation_id, active, session_generation, totp_required } = row;
        expect(found?.user).to.deep.equal({ id, name, role, organisation_id, active, session_generation, totp_required, has_totp: row.totp_secret !== null });
        expect(found?.setting).to.equal(null);
        expect(found?.boardVersion).to.equal(Number(version));
      }
      expect(await findSessionUser(open.db, -1, "x")).to.equal(undefined);
    });
  });
}
