import { expect } from "chai";
import fc from "fast-check";
import type { Knex } from "knex";
import { listContracts } from "../../src/contracts/repository";
import { useOfContracts, type ContractUse } from "../../src/contracts/use";
import { useOfContractsReference } from "../../src/contracts/use-reference";
import { Scope } from "../../src/auth/scope";
import { addDays } from "../../src/domain/dates";
import { isPostgres } from "../../src/db/dialect";
import { createDb } from "../../src/db/knex";
import { freshTestDatabase, type TestDatabase } from "../support/database";
import { buildUseBase, USE_TODAY, useWorldArb, writeUseWorld, type UseBase } from "../support/use-world";

// Contract use the fast way (monthly tallies kept by triggers, planned per week pattern) against
// the reference (every attendance row and every planned dagdeel attributed and billed one by
// one), on random small worlds: realised, planned and forecast per contract, per line and per
// month, the days a budget ceiling's 70 % and 100 % are reached, whichever contracts are asked for together.

/** What a use page shows of a contract: its use and when its budget ceiling's 70 % and 100 % are reached. */
const figures = (u: ContractUse) => ({ use: u.use, forecast: u.forecast });

describe("contract use: fast path against the reference (property)", function () {
  this.timeout(300_000);
  let database: TestDatabase;
  let db: Knex;
  let base: UseBase;

  before(async () => {
    database = await freshTestDatabase();
    db = createDb(database.url);
    await db.migrate.latest();
    base = await buildUseBase(db);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("gives the same use for every contract, asked for all together and a few at a time", async () => {
    const scope = new Scope(db, { userId: 0, role: "coordinator", organisationId: null } as never);
    await fc.assert(
      fc.asyncProperty(useWorldArb, fc.array(fc.nat(10), { minLength: 1, maxLength: 3 }), async (spec, picks) => {
        await writeUseWorld(db, base, spec);
        const contracts = await listContracts(db, scope);
        const subset = [...new Set(picks.map((p) => contracts[p % contracts.length]))];
        for (const asked of [contracts, subset]) {
          const [fast, reference] = [await useOfContracts(db, asked, USE_TODAY), await useOfContractsReference(db, asked, USE_TODAY)];
          for (const c of asked) expect(figures(fast.get(c.id)!), `contract ${c.reference}`).to.deep.equal(figures(reference.get(c.id)!));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("stays equal while attendance, schedules and allocations change afterwards, by any path", async () => {
    const scope = new Scope(db, { userId: 0, role: "coordinator", organisationId: null } as never);
    const change = fc.record({ op: fc.constantFrom("status", "undo", "endAllocation", "moveSchedule", "otherAllocation", "slot"), pick: fc.nat(100), day: fc.integer({ min: -40, max: 40 }) });
    await fc.assert(
      fc.asyncProperty(useWorldArb, fc.array(change, { minLength: 1, maxLength: 4 }), async (spec, changes) => {
        await writeUseWorld(db, base, spec);
        const contracts = await listContracts(db, scope);
        await useOfContracts(db, contracts, USE_TODAY); // counted once, then changed underneath
        for (const c of changes) {
          const one = async (table: string) => {
            const rows: { id: number }[] = await db(table).select("id").orderBy("id");
            return rows.length === 0 ? null : rows[c.pick % rows.length].id;
          };
          if (c.op === "status") {
            const id = await one("attendance");
            if (id) await db("attendance").where({ id }).update({ status: ["aanwezig", "ziek", "niet_verschenen", "extra"][c.pick % 4] });
          } else if (c.op === "undo") {
            const id = await one("attendance");
            if (id) await db("attendance").where({ id }).delete();
          } else if (c.op === "endAllocation") {
            const id = await one("allocations");
            if (id) await db("allocations").where({ id }).update({ valid_until: addDays(USE_TODAY, c.day) });
          } else if (c.op === "moveSchedule") {
            const id = await one("schedules");
            if (id) await db("schedules").where({ id }).update({ valid_from: addDays("2026-11-01", c.day) });
          } else if (c.op === "otherAllocation") {
            const [id, allocation] = [await one("schedules"), await one("allocations")];
            if (id && allocation) await db("schedules").where({ id }).update({ funding: "toewijzing", allocation_id: allocation });
          } else {
            const id = await one("schedule_slots");
            if (id) await db("schedule_slots").where({ id }).delete();
          }
        }
        const [fast, reference] = [await useOfContracts(db, contracts, USE_TODAY), await useOfContractsReference(db, contracts, USE_TODAY)];
        for (const c of contracts) expect(figures(fast.get(c.id)!), `contract ${c.reference}`).to.deep.equal(figures(reference.get(c.id)!));
      }),
      { numRuns: 100 },
    );
  });

  it("dates a budget ceiling the same when a client is planned twice on one dagdeel at two providers (seed 1497781860)", async () => {
    // The budget's crossing month is counted again day by day; the client's other provider, whose
    // older schedule takes the Monday morning, must be read again too.
    const spec = {
      contracts: [
        { pair: [0, 1], kind: "inkoop", from: "2026-01-01", until: "2027-12-31", status: "actief", noShow: false, split: null, ceiling: 10000 },
        { pair: [0, 0], kind: "inkoop", from: "2026-01-01", until: "2026-11-20", status: "actief", noShow: false, split: null, ceiling: null },
      ],
      allocations: [],
      schedules: [
        { client: 2, location: 0, funding: "toewijzing", ownAllocation: null, allocation: 0, contract: null, product: null, from: "2026-09-01", until: null, parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }] },
        { client: 2, location: 2, funding: "toewijzing", ownAllocation: 0, allocation: 0, contract: null, product: null, from: "2026-09-01", until: null, parity: "elke", slots: [{ weekday: 1, dagdeel: "middag" }, { weekday: 1, dagdeel: "ochtend" }] },
      ],
      recorded: [null],
      closures: [],
      attendance: [],
    };
    await writeUseWorld(db, base, spec as unknown as Parameters<typeof writeUseWorld>[2]);
    const contracts = await listContracts(db, new Scope(db, { userId: 0, role: "coordinator", organisationId: null } as never));
    const [fast, reference] = [await useOfContracts(db, contracts, USE_TODAY), await useOfContractsReference(db, contracts, USE_TODAY)];
    const budgeted = contracts.find((c) => fast.get(c.id)!.forecast.ceilingOn !== null || reference.get(c.id)!.forecast.ceilingOn !== null);
    expect(budgeted, "a contract whose ceiling is reached").to.not.equal(undefined);
    for (const c of contracts) expect(figures(fast.get(c.id)!), `contract ${c.reference}`).to.deep.equal(figures(reference.get(c.id)!));
  });

  it("attributes a schedule's planned dagdelen on a day it plans, not on a day another schedule of the client would take (seed 1601716378)", async () => {
    // Two schedules of one client at one location from the same date: the one with the
    // allocation plans Monday mornings; the other, unfunded, has lost its only slot. On a
    // Thursday attribute() falls back to the client's first schedule there — the unfunded one —
    // so the planned dagdelen were attributed to nobody when asked on the window's first day.
    const spec = {
      contracts: [
        { pair: [0, 0], kind: "inkoop", from: "2026-01-01", until: "2027-03-31", status: "actief", noShow: false, split: null, ceiling: null },
        { pair: [0, 0], kind: "inkoop", from: "2026-01-01", until: "2026-11-20", status: "actief", noShow: false, split: null, ceiling: null },
      ],
      allocations: [],
      schedules: [
        { client: 4, location: 0, funding: "toewijzing", ownAllocation: 0, allocation: 0, contract: null, product: null, from: "2026-09-01", until: null, parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }] },
        { client: 4, location: 0, funding: "toewijzing", ownAllocation: null, allocation: 0, contract: null, product: null, from: "2026-09-01", until: null, parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }] },
      ],
      recorded: [null],
      closures: [],
      attendance: [],
    };
    await writeUseWorld(db, base, spec as unknown as Parameters<typeof writeUseWorld>[2]);
    const unfunded = await db("schedules").whereNull("allocation_id").first("id");
    await db("schedule_slots").where({ schedule_id: unfunded.id }).delete();
    const contracts = await listContracts(db, new Scope(db, { userId: 0, role: "coordinator", organisationId: null } as never));
    const [fast, reference] = [await useOfContracts(db, contracts, USE_TODAY), await useOfContractsReference(db, contracts, USE_TODAY)];
    expect(contracts.some((c) => reference.get(c.id)!.use.planned.units > 0), "a contract with planned use").to.equal(true);
    for (const c of contracts) expect(figures(fast.get(c.id)!), `contract ${c.reference}`).to.deep.equal(figures(reference.get(c.id)!));
  });

  it("counts everything again when a rebuilt table lost its triggers, as SQLite's table rebuilds do", async () => {
    const scope = new Scope(db, { userId: 0, role: "coordinator", organisationId: null } as never);
    // A world whose use changes when every recorded dagdeel turns into a no-show.
    let contracts: Awaited<ReturnType<typeof listContracts>> = [];
    let differs = false;
    for (const spec of fc.sample(useWorldArb, { numRuns: 50, seed: 11 })) {
      await writeUseWorld(db, base, spec);
      contracts = await listContracts(db, scope);
      const uses = async (handle: Knex) => JSON.stringify([...(await useOfContractsReference(handle, contracts, USE_TODAY)).values()].map((u) => u.use));
      const before = await uses(db);
      await useOfContracts(db, contracts, USE_TODAY); // counted as it stands
      await db.transaction(async (trx) => {
        await trx("attendance").update({ status: "niet_verschenen" });
        differs = (await uses(trx as unknown as Knex)) !== before;
        await trx.rollback();
      }).catch(() => undefined);
      if (differs) break;
    }
    expect(differs, "a world whose use changes").to.equal(true);
    // A migration rebuilds the attendance table (knex on SQLite copies columns and indexes, not
    // triggers); meanwhile attendance changes without marking anyone.
    if (isPostgres(db)) await db.raw("DROP TRIGGER use_dirty_attendance_update ON attendance");
    else await db.raw("DROP TRIGGER use_dirty_attendance_update");
    await db("attendance").update({ status: "niet_verschenen" });
    const again = createDb(database.url); // the app after the migration: a new handle
    try {
      const [fast, reference] = [await useOfContracts(again, contracts, USE_TODAY), await useOfContractsReference(again, contracts, USE_TODAY)];
      for (const c of contracts) expect(figures(fast.get(c.id)!), `contract ${c.reference}`).to.deep.equal(figures(reference.get(c.id)!));
      expect(await again("use_dirty").count({ n: "*" })).to.deep.equal([{ n: isPostgres(db) ? "0" : 0 }]);
    } finally {
      await again.destroy();
    }
  });
});
