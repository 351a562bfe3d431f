import { expect } from "chai";
import type { Knex } from "knex";
import { forUpdate, isPostgres, isRetryableConflict, isUniqueViolation, readTogether, uniqueViolation } from "../../src/db/dialect";
import { createDb } from "../../src/db/knex";
import { freshTestDatabase, type TestDatabase } from "../support/database";
import { buildWorld, type World } from "../support/fixtures";

// The dialect helper reads real driver errors the same way on both databases (PostgreSQL when
// TEST_POSTGRES_URL is set): a unique violation by its code, with its table and columns; a
// foreign key or NOT NULL failure is not one; a deadlock is a conflict worth running again;
// independent reads run at once on the pool and one after another in a transaction.

const AT = "2026-11-01T00:00:00.000Z";

async function errorOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (err) {
    return err;
  }
  throw new Error("expected the database to refuse this");
}

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`dialect helper (${kind})`, function () {
    let database: TestDatabase;
    let db: Knex;
    let w: World;
    before(async function () {
      if (kind === "postgres" && !process.env.TEST_POSTGRES_URL) this.skip();
      database = await freshTestDatabase(kind === "postgres" ? "postgres" : "app");
      db = createDb(database.url);
      await db.migrate.latest();
      w = await buildWorld(db);
    });
    after(async () => {
      await db?.destroy();
      await database?.drop();
    });

    it("knows which database it talks to", () => {
      expect(isPostgres(db)).to.equal(kind === "postgres");
    });

    it("tells a unique violation by its code, with the table and the index's columns", async () => {
      const client = { first_name: "A", last_name: "B", bsn: "999990019", created_at: AT, updated_at: AT };
      await db("clients").insert(client);
      const bsn = await errorOf(db("clients").insert(client));
      expect(uniqueViolation(bsn)).to.deep.equal({ table: "clients", columns: ["bsn"] });
      expect(isUniqueViolation(bsn, "clients", "bsn")).to.equal(true);
      expect(isUniqueViolation(bsn, "clients", "first_name")).to.equal(false);
      expect(isUniqueViolation(bsn, "allocations")).to.equal(false);
      const pair = await errorOf(db("organisations").insert({ kind: "provider", subkind: "overig", name: "Zorgboerderij A", active: true, created_at: AT, updated_at: AT }));
      expect(uniqueViolation(pair)).to.deep.equal({ table: "organisations", columns: ["kind", "name"] });
    });

    it("does not take a foreign key, NOT NULL or other error for a unique violation", async () => {
      const foreign = await errorOf(db("locations").insert({ provider_id: 999999, name: "X", street: "Y", postcode: "1234 AB", village_id: w.village, created_at: AT, updated_at: AT }));
      expect(uniqueViolation(foreign)).to.equal(null);
      const missing = await errorOf(db("clients").insert({ first_name: "A", created_at: AT, updated_at: AT }));
      expect(uniqueViolation(missing)).to.equal(null);
      expect(isUniqueViolation(new Error("UNIQUE constraint failed: clients.bsn"))).to.equal(false);
      expect(isRetryableConflict(foreign)).to.equal(false);
    });

    it("locks rows for update on PostgreSQL only, where a second transaction then deadlocks", async function () {
      const sql = forUpdate(db, db("clients").select("id"), "clients").toString();
      expect(/for update/i.test(sql)).to.equal(kind === "postgres");
      if (kind !== "postgres") return;
      // Two transactions lock two rows in opposite orders: PostgreSQL breaks the cycle with 40P01.
      const [a, b] = [w.providerA, w.providerB];
      const lockIn = (first: number, second: number, gate: Promise<void>, ready: () => void) =>
        db.transaction(async (trx) => {
          await forUpdate(trx, trx("organisations").where({ id: first }).first("id"));
          ready();
          await gate;
          await forUpdate(trx, trx("organisations").where({ id: second }).first("id"));
        });
      let readyA!: () => void;
      let readyB!: () => void;
      const bothLocked = Promise.all([new Promise<void>((r) => (readyA = r)), new Promise<void>((r) => (readyB = r))]).then(() => undefined);
      const results = await Promise.allSettled([lockIn(a, b, bothLocked, readyA), lockIn(b, a, bothLocked, readyB)]);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(failed).to.have.length(1);
      expect(isRetryableConflict(failed[0].reason)).to.equal(true);
      expect(uniqueViolation(failed[0].reason)).to.equal(null);
    });

    it("reads together on the pool and one after another in a transaction, answers in order", async () => {
      // Each read notes when it starts and ends; in a transaction none may start before the last ended.
      const log: string[] = [];
      const read = (on: Knex | Knex.Transaction, name: string, value: number) => async () => {
        log.push(`start ${name}`);
        const row = await on.select(on.raw("? as n", [value])).first();
        log.push(`end ${name}`);
        return Number(row.n);
      };
      const pooled = await readTogether(db, [read(db, "a", 1), read(db, "b", 2)]);
      expect(pooled).to.deep.equal([1, 2]);
      // On the pool both start before either ends.
      expect(log.slice(0, 2)).to.deep.equal(["start a", "start b"]);
      log.length = 0;
      const inTransaction = await db.transaction((trx) => readTogether(trx, [read(trx, "a", 1), read(trx, "b", 2), read(trx, "c", 3)]));
      expect(inTransaction).to.deep.equal([1, 2, 3]);
      expect(log).to.deep.equal(["start a", "end a", "start b", "end b", "start c", "end c"]);
    });

    if (kind === "postgres") {
      it("refuses in the test runs two queries at once on one PostgreSQL connection, as pg@9 will", async () => {
        // test/support/pg-one-query.cjs: what node-postgres 8 only warns about fails here, so a test finds it.
        const both = db.transaction((trx) => Promise.all([trx.select(trx.raw("1 as n")), trx.select(trx.raw("2 as n"))]));
        expect(String(await errorOf(both))).to.match(/second query on a PostgreSQL connection/);
      });
    }
  });
}
