import { expect } from "chai";
import type { Knex } from "knex";
import { realisedUnitsIn } from "../../src/contracts/units-repository";
import { createDb } from "../../src/db/knex";
import { buildWorld, type World } from "../support/fixtures";
import { makeLocation } from "../support/planning-fixtures";
import { freshTestDatabase, type TestDatabase } from "../support/database";

// The realised rows of a few providers' months (contract use's crossing months, declarations,
// spending per village) are read through the (location, date, …) index, not through (status,
// date): on a region's database, whose statistics SQLite samples (PRAGMA analysis_limit at
// start-up), the status index looked as selective, and the read went through every location's
// candidate rows of those months — 0.6–1.4 s where 16,000 rows were kept. These are the
// statistics the region's database had (sqlite_stat1 after the start-up's PRAGMA optimize).
const SAMPLED_STATS: [string, string][] = [
  ["attendance_location_date_covering", "3801209 1001 32 12 1 1"],
  ["attendance_status_date_index", "3801209 1001 401"],
  ["attendance_client_id_date_dagdeel_unique", "3801209 126 2 1"],
];

describe("realised rows: read by location and date whatever the sampled statistics say (SQLite plan)", () => {
  let database: TestDatabase;
  let db: Knex;
  let world: World;

  before(async () => {
    database = await freshTestDatabase("sqlite");
    db = createDb(database.url);
    await db.migrate.latest();
    world = await buildWorld(db);
    // Six locations a provider, as the gemeente's crossing months read (12 locations, 11 windows).
    for (let n = 0; n < 5; n++) for (const provider of [world.providerA, world.providerB]) await makeLocation(db, world, provider);
    await db.raw("ANALYZE");
    await db("sqlite_stat1").where({ tbl: "attendance" }).delete();
    await db("sqlite_stat1").insert(SAMPLED_STATS.map(([idx, stat]) => ({ tbl: "attendance", idx, stat })));
    // The planner reads sqlite_stat1 again.
    await db.raw("ANALYZE sqlite_schema");
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("plans the attendance read of two providers' twelve locations over nine windows through the location index", async () => {
    const reads: { sql: string; bindings: unknown[] }[] = [];
    const onQuery = (q: { sql: string; bindings: unknown[] }) => {
      if (/from `attendance`/.test(q.sql)) reads.push(q);
    };
    db.on("query", onQuery);
    const months = ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11"];
    const windows = months.flatMap((m, i) => [world.providerA, world.providerB].slice(0, i === 4 ? 1 : 2).map((providerId) => ({ from: `${m}-01`, until: `${m}-28`, providerId })));
    await realisedUnitsIn(db, [{ providerId: world.providerA, purchaserId: world.gemeente }, { providerId: world.providerB, purchaserId: world.gemeente }], [], windows);
    db.removeListener("query", onQuery);
    expect(reads).to.not.be.empty;
    for (const read of reads) {
      const plan: { detail: string }[] = await db.raw(`EXPLAIN QUERY PLAN ${read.sql}`, read.bindings as Knex.RawBinding[]);
      const details = plan.map((p) => p.detail).join("\n");
      expect(details).to.contain("attendance_location_date_covering").and.not.contain("attendance_status_date_index");
    }
  });
});
