import { expect } from "chai";
import fc from "fast-check";
import type { Knex } from "knex";
import { Scope } from "../../src/auth/scope";
import { spendingPerVillage, VILLAGE_GROUPINGS } from "../../src/contracts/villages";
import { spendingPerVillageReference } from "../../src/contracts/villages-reference";
import { withNameKeys } from "../../src/db/name-keys";
import { createDb } from "../../src/db/knex";
import { freshTestDatabase, type TestDatabase } from "../support/database";
import { buildUseBase, USE_TODAY, useWorldArb, writeUseWorld, type UseBase } from "../support/use-world";

// Spending per village (/contracten/dorpen) the fast way — whole months from the client use
// tallies summed per village in the database, the other months from their rows — against the
// reference that reads and prices every attended dagdeel of the period, on random small worlds:
// for each purchaser, both groupings (the client's village, the location's) and periods that
// start and end on and off a month's edge, before, on and after today.

const PERIODS: [string, string][] = [
  ["2026-01-01", USE_TODAY],
  ["2026-10-15", "2026-11-30"],
  ["2026-11-01", "2026-12-10"],
  ["2026-12-01", "2026-12-31"],
  ["2026-09-20", "2027-01-31"],
];

describe("spending per village: fast path against the reference (property)", function () {
  this.timeout(300_000);
  let database: TestDatabase;
  let db: Knex;
  let base: UseBase;
  let villages: number[];

  before(async () => {
    database = await freshTestDatabase();
    db = createDb(database.url);
    await db.migrate.latest();
    base = await buildUseBase(db);
    // A second village: location P2 lies there, and clients live in either, or none on file.
    const [row] = await db("villages").insert(withNameKeys("villages", { name: "Beringe", municipality: "Peel en Maas", gemeentecode: "1894", province: "LI", created_at: "2026-11-01T08:00:00.000Z", updated_at: "2026-11-01T08:00:00.000Z" })).returning("id");
    const beringe = typeof row === "object" ? row.id : row;
    await db("locations").where({ id: base.locations[1].id }).update({ village_id: beringe });
    villages = [(await db("villages").whereNot({ id: beringe }).first("id")).id, beringe];
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("gives the same rows and total for every purchaser, grouping and period", async () => {
    // How many comparisons had something spent, and in more than one village: the worlds must
    // give the property figures to compare, not empty lists.
    let compared = 0;
    let spent = 0;
    let split = 0;
    const homes = fc.array(fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }), { minLength: 5, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(useWorldArb, homes, fc.constantFrom(...PERIODS), async (spec, home, [from, until]) => {
        await writeUseWorld(db, base, spec);
        const clients: { id: number }[] = await db("clients").orderBy("id").select("id");
        for (const [i, c] of clients.entries()) await db("clients").where({ id: c.id }).update({ village_id: home[i] === null ? null : villages[home[i]!] });
        for (const purchaser of base.purchasers) {
          const scope = new Scope(db, { userId: 0, role: "purchaser", organisationId: purchaser } as never);
          for (const by of VILLAGE_GROUPINGS) {
            const fast = await spendingPerVillage(db, scope, from, until, by, USE_TODAY);
            const reference = await spendingPerVillageReference(db, scope, from, until, by);
            expect(fast, `purchaser ${purchaser} by ${by} ${from}–${until}`).to.deep.equal(reference);
            compared += 1;
            if (reference.total.dagdelenInkoop + reference.total.dagdelenSubsidie + reference.total.rides > 0) spent += 1;
            if (reference.rows.length > 1) split += 1;
          }
        }
      }),
      { numRuns: 120 },
    );
    expect(spent, `${spent} of ${compared} comparisons spent something`).to.be.greaterThan(compared / 8);
    expect(split, `${split} of ${compared} comparisons spread over villages`).to.be.greaterThan(0);
  });
});
