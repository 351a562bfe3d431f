import { expect } from "chai";
import type { Knex } from "knex";
import { runKept } from "../../src/db/sqlite-statements";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";

type Connection = { prepare: (...args: unknown[]) => unknown; on(event: "close", listener: () => void): unknown };

/** The pool's one SQLite connection, held only for a look. */
async function theConnection(db: Knex): Promise<Connection> {
  const client = db.client as unknown as { acquireConnection(): Promise<Connection>; releaseConnection(c: Connection): void };
  const connection = await client.acquireConnection();
  client.releaseConnection(connection);
  return connection;
}

// The session's queries run on SQLite through a statement each connection prepares once
// (issue 11: one trip to the thread pool a request instead of two).
describe("SQLite statements kept per connection (issue 11)", function () {
  this.timeout(60_000);
  let open: OpenTestDatabase;
  const SQL = "select id, email from users where role = ? and id >= ? order by id limit 3";

  beforeEach(async () => {
    open = await openTestDatabase("sqlite", "demo");
  });
  afterEach(async () => open?.close());

  it("answers as knex's own query, for each value, and prepares the text once per connection", async () => {
    const connection = await theConnection(open.db);
    const prepare = connection.prepare;
    let prepared = 0;
    connection.prepare = function (this: unknown, ...args: unknown[]) {
      prepared++;
      return prepare.apply(this, args);
    };
    try {
      for (const [role, id] of [["coordinator", 0], ["provider", 2], ["provider", 100000], ["geen'rol", 1], ["coordinator", 0]] as const) {
        expect(await runKept(open.db, SQL, [role, id])).to.deep.equal(await open.db.raw(SQL, [role, id]));
      }
      expect(prepared).to.equal(1);
    } finally {
      connection.prepare = prepare;
    }
  });

  it("tells the handle's query listeners as knex does: the query, then its rows or its error", async () => {
    const seen: string[] = [];
    const onQuery = (q: { sql: string; bindings: unknown[]; __knexQueryUid: string }) => seen.push(`query ${q.sql} ${JSON.stringify(q.bindings)}`);
    const onResponse = (rows: unknown[], q: { sql: string }) => seen.push(`rows ${rows.length} ${q.sql}`);
    const onError = (err: Error, q: { sql: string }) => seen.push(`error ${q.sql} ${/no such table/.test(err.message)}`);
    open.db.on("query", onQuery).on("query-response", onResponse).on("query-error", onError);
    try {
      await runKept(open.db, SQL, ["coordinator", 0]);
      await runKept(open.db, "select * from no_such_table", []).catch(() => undefined);
    } finally {
      open.db.removeListener("query", onQuery).removeListener("query-response", onResponse).removeListener("query-error", onError);
    }
    expect(seen).to.deep.equal([`query ${SQL} ["coordinator",0]`, `rows 1 ${SQL}`, "query select * from no_such_table []", "error select * from no_such_table true"]);
  });

  it("gives a query that fails its error, keeps no broken statement and gives the connection back", async () => {
    let err: unknown;
    await runKept(open.db, "select * from later_table", []).catch((e) => (err = e));
    expect(String(err)).to.match(/no such table: later_table/);
    await open.db.schema.createTable("later_table", (t) => t.integer("n"));
    await open.db("later_table").insert({ n: 7 });
    expect(await runKept(open.db, "select * from later_table", [])).to.deep.equal([{ n: 7 }]);
  });

  it("answers with a table's new columns after a migration changed it (SQLite prepares the kept statement again)", async () => {
    const sql = "select * from products where id >= ? order by id limit 2";
    await runKept(open.db, sql, [0]);
    await open.db.schema.alterTable("products", (t) => t.integer("kept_test").nullable());
    const rows = await runKept<Record<string, unknown>>(open.db, sql, [0]);
    expect(rows[0]).to.have.property("kept_test", null);
    expect(rows).to.deep.equal(await open.db.raw(sql, [0]));
  });

  it("waits for a running transaction and then sees what it committed", async () => {
    const [before] = await runKept<{ name: string }>(open.db, "select name from users where id = ?", [1]);
    let answered: string | null = null;
    await open.db.transaction(async (trx) => {
      await trx("users").where({ id: 1 }).update({ name: "Tijdens de transactie" });
      const reading = runKept<{ name: string }>(open.db, "select name from users where id = ?", [1]).then(([row]) => (answered = row.name));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The pool's one connection is the transaction's: the kept statement's query waits.
      expect(answered).to.equal(null);
      void reading;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).to.equal("Tijdens de transactie");
    expect(before.name).to.not.equal("Tijdens de transactie");
  });

  it("finalizes its statements before knex closes the connection (SQLite refuses to close one with statements open)", async () => {
    await runKept(open.db, SQL, ["coordinator", 0]);
    await runKept(open.db, "select count(*) as n from users", []);
    const connection = await theConnection(open.db);
    let closed = false;
    connection.on("close", () => (closed = true));
    await open.db.destroy();
    expect(closed).to.equal(true);
  });
});
