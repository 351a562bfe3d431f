import { expect } from "chai";
import type { Knex } from "knex";
import { withNameKeys } from "../../src/db/name-keys";
import { withTotal } from "../../src/db/with-total";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";
import { buildWorld } from "../support/fixtures";

// withTotal gives a page and its list's count in one query on both databases (PostgreSQL when
// TEST_POSTGRES_URL is set): the same rows as the page alone, without the count's column, and the
// same total as a count — on the first page, a middle one, the last, past the end and of nothing.

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`withTotal (${kind})`, function () {
    let open: OpenTestDatabase;
    let db: Knex;
    before(async function () {
      if (kind === "postgres" && !process.env.TEST_POSTGRES_URL) this.skip();
      open = await openTestDatabase(kind, "migrated");
      db = open.db;
      const w = await buildWorld(db);
      // Seven more villages like the world's one.
      const { id: _id, ...village } = await db("villages").where({ id: w.village }).first();
      for (let i = 0; i < 7; i++) await db("villages").insert(withNameKeys("villages", { ...village, name: `Kern ${i}` }));
      expect(w.village).to.be.a("number");
    });
    after(async () => open?.close());

    const list = (where: (q: Knex.QueryBuilder) => Knex.QueryBuilder) => where(db("villages")).select("id", "name").orderBy("sort_key").orderBy("id");

    it("counts the whole list beside any page of it, and leaves the rows as the page alone", async () => {
      const all: { id: number; name: string }[] = await list((q) => q);
      expect(all.length).to.be.greaterThan(6);
      for (const offset of [0, 3, all.length - 1, all.length, all.length + 10]) {
        const got = await withTotal<{ id: number; name: string }>(db, list((q) => q).limit(3).offset(offset), () => db("villages"), offset);
        expect(got, `offset ${offset}`).to.deep.equal({ total: all.length, rows: all.slice(offset, offset + 3) });
      }
    });

    it("counts nothing as 0", async () => {
      const got = await withTotal(db, list((q) => q.where("name", "niemand")).limit(3).offset(0), () => db("villages").where("name", "niemand"), 0);
      expect(got).to.deep.equal({ total: 0, rows: [] });
    });
  });
}
