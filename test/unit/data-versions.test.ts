import { expect } from "chai";
import { dropVersionTriggers, ensureVersionTriggers, VERSION_TRIGGERS } from "../../src/data-version/triggers";
import { dataVersion, readVersion } from "../../src/data-version/versions";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";

// The one data-version mechanism (src/data-version/): the triggers built from watched.ts raise
// 'problems' and 'board' with the writes each watches — on PostgreSQL once per transaction,
// however many rows it writes — and are created again, their versions raised, when missing.

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`Data versions on ${kind === "sqlite" ? "SQLite" : "PostgreSQL"} (issues 11, 17)`, function () {
    this.timeout(120_000);
    let open: OpenTestDatabase;

    before(async function () {
      if (kind === "postgres" && !process.env.TEST_POSTGRES_URL) this.skip();
      open = await openTestDatabase(kind, "demo");
      await ensureVersionTriggers(open.db);
    });
    after(async () => open?.close());

    const versions = async () => ({ problems: await dataVersion(open.db, "problems"), board: await dataVersion(open.db, "board"), use: await dataVersion(open.db, "use") });

    it("keeps every version in one table, one named row each", async () => {
      const names = (await open.db("data_versions").select("name")).map((r: { name: string }) => r.name).sort();
      expect(names).to.deep.equal(["board", "problems", "use"]);
      expect(await open.db.schema.hasTable("board_versions")).to.equal(false);
      expect(await open.db.schema.hasTable("use_version")).to.equal(false);
    });

    it("raises the board, not the problem lists, with an ordinary attendance record; both with a write to locations", async () => {
      const before = await versions();
      const row = await open.db("attendance").whereNot("status", "extra").first("id", "note");
      await open.db("attendance").where({ id: row.id }).update({ note: "gezien" });
      const afterAttendance = await versions();
      expect(afterAttendance.board).to.be.greaterThan(before.board);
      expect(afterAttendance.problems).to.equal(before.problems);
      expect(afterAttendance.use).to.equal(before.use);
      await open.db("locations").update({ name: open.db.ref("name") });
      const afterLocations = await versions();
      expect(afterLocations.board).to.be.greaterThan(afterAttendance.board);
      expect(afterLocations.problems).to.be.greaterThan(afterAttendance.problems);
    });

    if (kind === "postgres") {
      it("raises each version once per transaction, however many rows it writes", async () => {
        const before = await versions();
        const n = (await open.db("locations").count({ n: "*" }))[0].n;
        expect(Number(n)).to.be.greaterThan(1);
        await open.db.transaction(async (trx) => {
          await trx("locations").update({ name: trx.ref("name") });
          await trx("schedules").update({ valid_from: trx.ref("valid_from") });
        });
        const after = await versions();
        expect(after.board).to.equal(before.board + 1);
        expect(after.problems).to.equal(before.problems + 1);
      });
    }

    it("creates missing triggers again and raises only their versions", async () => {
      await dropVersionTriggers(open.db, "board");
      const before = { problems: await readVersion(open.db, "problems"), board: await readVersion(open.db, "board") };
      expect(await ensureVersionTriggers(open.db)).to.equal(true);
      const after = { problems: await readVersion(open.db, "problems"), board: await readVersion(open.db, "board") };
      expect(after.board).to.equal(before.board + 1);
      expect(after.problems).to.equal(before.problems);
      const present = kind === "postgres"
        ? (await open.db.raw("SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal")).rows
        : await open.db.raw("SELECT name FROM sqlite_master WHERE type = 'trigger'");
      const names = new Set(present.map((r: { name: string }) => r.name));
      expect(VERSION_TRIGGERS.filter((t) => !names.has(t))).to.deep.equal([]);
      // Checked: a second look costs nothing and creates nothing.
      expect(await ensureVersionTriggers(open.db)).to.equal(false);
    });
  });
}
