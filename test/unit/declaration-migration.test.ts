import path from "node:path";
import { expect } from "chai";
import type { Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { freshTestDatabase, type TestDatabase } from "../support/database";
import { buildWorld } from "../support/fixtures";

// The migration of issue 13 on a database that already had declarations: what it keeps, what
// it fills in, and the index that allows one original declaration per provider × purchaser ×
// month. Runs on SQLite, and on PostgreSQL too when TEST_POSTGRES_URL is set.

const MINE = "20261206100100_declaration_periods.ts";
const AT = "2026-11-01T08:00:00.000Z";

async function migrateUpTo(db: Knex, file: string): Promise<void> {
  for (;;) {
    const [, pending] = (await db.migrate.list()) as [unknown[], { file: string }[]];
    if (pending.length === 0 || path.basename(pending[0].file) === file) return;
    await db.migrate.up();
  }
}

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert({ created_at: AT, updated_at: AT, ...row }).returning("id");
  return typeof r === "object" ? r.id : r;
}

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`declaration migration (${kind})`, function () {
    this.timeout(60_000);
    let database: TestDatabase;
    let db: Knex;

    before(async function () {
      if (kind === "postgres" && !process.env.TEST_POSTGRES_URL) return this.skip();
      database = await freshTestDatabase(kind === "postgres" ? "postgres" : "app");
      if (kind === "sqlite" && !database.url.startsWith("sqlite:")) {
        await database.drop();
        return this.skip(); // TEST_APP_DATABASE=postgres: the postgres case covers it
      }
      db = createDb(database.url);
    });
    after(async () => {
      await db?.destroy();
      await database?.drop();
    });

    it("keeps what was there, fills in periods and decisions, and leaves allocation numbers alone", async () => {
      await migrateUpTo(db, MINE);
      const w = await buildWorld(db);
      const product = await insert(db, "products", { code: "07A01", name: "Dagbesteding", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A01", iwmo_unit: "16", active: true });
      const client = await insert(db, "clients", { first_name: "Anna", last_name: "Aerts", bsn: "999901011" });
      const allocation = await insert(db, "allocations", { client_id: client, purchaser_id: w.gemeente, provider_id: w.providerA, product_id: product, volume: 3, frequency: "week", valid_from: "2026-01-01", reference: "PM-T-104237" });
      const declaration = async (month: string, status: string, reason: string | null = null) => {
        const id = await insert(db, "declarations", { provider_id: w.providerA, purchaser_id: w.gemeente, month, status, total_cents: 5150, rejection_reason: reason });
        await insert(db, "declaration_lines", { declaration_id: id, client_id: client, allocation_id: allocation, product_id: product, period_from: `${month}-01`, period_until: `${month}-28`, units: 1, tariff_cents: 5150, amount_cents: 5150, debit_credit: "D" });
        return id;
      };
      const accepted = await declaration("2026-08", "geaccepteerd");
      const rejected = await declaration("2026-09", "afgewezen", "Tarief klopt niet");
      const concept = await declaration("2026-10", "concept");

      await db.migrate.latest();
      const rows = await db("declarations").orderBy("id");
      expect(rows.map((r) => [r.id, r.period, r.awarded_cents === null ? null : Number(r.awarded_cents)])).to.deep.equal([
        [accepted, "2026-08", 5150],
        [rejected, "2026-09", 0],
        [concept, null, null],
      ]);
      const lines = await db("declaration_lines").orderBy("declaration_id");
      expect(lines.map((l) => [l.decision, l.decision_note])).to.deep.equal([
        ["toegekend", null],
        ["afgewezen", "Tarief klopt niet"],
        [null, null],
      ]);
      expect((await db("allocations").where({ id: allocation }).first()).reference).to.equal("PM-T-104237");

      // One original per provider × purchaser × month; corrections of it are not counted.
      let refused = false;
      try {
        await insert(db, "declarations", { provider_id: w.providerA, purchaser_id: w.gemeente, month: "2026-08", status: "concept", total_cents: 0 });
      } catch {
        refused = true;
      }
      expect(refused).to.equal(true);
      await insert(db, "declarations", { provider_id: w.providerA, purchaser_id: w.gemeente, month: "2026-08", status: "concept", total_cents: 0, corrects_declaration_id: accepted });
      await insert(db, "declarations", { provider_id: w.providerA, purchaser_id: w.gemeente, month: "2026-08", status: "concept", total_cents: 0, corrects_declaration_id: accepted });
      await insert(db, "declarations", { provider_id: w.providerB, purchaser_id: w.gemeente, month: "2026-08", status: "concept", total_cents: 0 });
    });

    it("rolls back and forward again", async () => {
      await db.migrate.latest();
      await db("declaration_lines").delete();
      await db("declarations").whereNotNull("corrects_declaration_id").delete();
      await db("declarations").delete();
      const [, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
      expect(pending).to.have.length(0);
      // Undo migrations down to and including this one (later ones of other work first).
      for (;;) {
        const [done] = (await db.migrate.list()) as [{ name: string }[], unknown[]];
        const last = done[done.length - 1]?.name;
        await db.migrate.down();
        if (last === MINE) break;
      }
      expect(await db.schema.hasTable("declaration_periods")).to.equal(false);
      expect(await db.schema.hasColumn("declarations", "period")).to.equal(false);
      await db.migrate.latest();
      expect(await db.schema.hasColumn("declaration_lines", "decision")).to.equal(true);
    });
  });
}
