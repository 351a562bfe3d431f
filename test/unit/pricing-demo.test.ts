import { expect } from "chai";
import type { Knex } from "knex";
import { computeMonth } from "../../src/declarations/compute";
import { correctionLines, totalCents } from "../../src/domain/pricing";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";

// The demo's declarations were made by the seed's own simple rules; the app, attributing
// every dagdeel with attribute() and pricing each date at its line, must arrive at exactly
// the same lines and totals — including the index on 1 July, the farm that bills no-shows,
// and the rides.
describe("pricing against the demo data", function () {
  this.timeout(120_000);
  let demo: OpenTestDatabase;
  let db: Knex;

  before(async () => {
    demo = await openTestDatabase("sqlite", "demo");
    db = demo.db;
  });
  after(async () => demo?.close());

  it("recomputes every seeded declaration to the cent, line by line", async () => {
    const declarations: { id: number; provider_id: number; purchaser_id: number; month: string; total_cents: number | string }[] = await db("declarations").orderBy("id");
    expect(declarations.length).to.be.greaterThan(0);
    for (const d of declarations) {
      const stored = (await db("declaration_lines").where({ declaration_id: d.id })).map((l) => ({ ...l, amount_cents: Number(l.amount_cents) }));
      const computed = await computeMonth(db, d.provider_id, d.purchaser_id, d.month);
      expect(computed.unpriced, `declaration ${d.id}`).to.deep.equal([]);
      expect(totalCents(computed.lines), `declaration ${d.id}`).to.equal(Number(d.total_cents));
      // Same units, tariffs and amounts per client, allocation, product and tariff line: a
      // correction would find nothing. (The app cuts a line's period to the allocation's end
      // where the seed writes the whole month.)
      expect(correctionLines(stored, computed.lines), `declaration ${d.id}`).to.deep.equal([]);
      for (const l of computed.lines) {
        expect(l.period_from.slice(0, 7)).to.equal(d.month);
        expect(l.period_until.slice(0, 7)).to.equal(d.month);
        expect(l.period_from <= l.period_until).to.equal(true);
      }
    }
  });
});
