import { expect } from "chai";
import type { Knex } from "knex";
import { createApp, type App } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { totalCents } from "../../src/domain/pricing";
import { computeMonth } from "../../src/declarations/compute";
import { csrfToken, loginAs, type Agent } from "../support/app";
import { buildContractsWorld, type ContractsWorld } from "../support/contracts-fixtures";
import { freshTestDatabase, type TestDatabase } from "../support/database";
import { buildWorld, type World } from "../support/fixtures";
import { idFrom } from "../support/declaration-flow";

// Issue 12: a declaration submitted while the attendance of its month changes, on a real
// PostgreSQL with two app instances (two connection pools) on one database — SQLite's single
// connection would hide the race. The submit and the attendance writes serialise on the
// month's lock row (src/declarations/period-lock.ts), so after every round the submitted total
// is exactly what the attendance says; and a second original declaration for the same
// provider × purchaser × month cannot exist. Skipped only when TEST_POSTGRES_URL is unset.

const CLOCK = fixedClock("2026-11-23T10:00:00");
const ROUNDS = 8;

describe("PostgreSQL: declaring while attendance changes (two app instances)", function () {
  this.timeout(180_000);
  let database: TestDatabase;
  let dbs: Knex[] = [];
  let apps: App[] = [];
  let world: World;
  let cw: ContractsWorld;

  before(async function () {
    if (!process.env.TEST_POSTGRES_URL) return this.skip();
    database = await freshTestDatabase("postgres");
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: database.url, LOG_LEVEL: "silent" });
    dbs = [createDb(database.url), createDb(database.url)];
    await dbs[0].migrate.latest();
    world = await buildWorld(dbs[0]);
    cw = await buildContractsWorld(dbs[0], world);
    apps = dbs.map((db) => createApp({ db, clock: CLOCK, config }));
  });
  after(async () => {
    for (const app of apps) await app.close();
    for (const db of dbs) await db.destroy();
    await database?.drop();
  });

  /** Provider A logged in at one instance, with the CSRF token its session uses for every form. */
  async function providerAt(instance: number): Promise<{ agent: Agent; token: string }> {
    const agent = await loginAs(apps[instance], world.users.providerA.email);
    return { agent, token: await csrfToken(agent, "/declaraties") };
  }
  const post = (p: { agent: Agent; token: string }, url: string, body: Record<string, string>) => p.agent.post(url).type("form").send({ ...body, _csrf: p.token });

  it("a submit concurrent with attendance writes locks exactly the attendance: every round, any order", async () => {
    const submitter = await providerAt(0);
    const recorders = [await providerAt(1), await providerAt(1)];
    const cells = cw.attendance.filter((a) => a.location_id === world.locationA && a.date.startsWith("2026-10"));
    const statuses = new Map<number, number>();
    let refusedAfterSubmit = 0;
    let writtenBeforeSubmit = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const prepared = await post(submitter, "/declaraties", { purchaser_id: String(world.gemeente), month: "2026-10" });
      expect(prepared.status, `round ${round} prepare`).to.equal(303);
      const id = idFrom(prepared.headers.location);
      // The submit on instance 0, and at the same moment every October dagdeel at location A
      // flipped between aanwezig and afgemeld on instance 1.
      const writes = cells.map((cell, i) => {
        const next = (round + i) % 2 === 0 ? "afgemeld" : "aanwezig";
        return post(recorders[i % 2], `/aanwezigheid/locaties/${world.locationA}/registreren`, { client_id: String(cell.client_id), date: cell.date, dagdeel: cell.dagdeel, status: next });
      });
      const [submitted, ...written] = await Promise.all([post(submitter, `/declaraties/${id}/indienen`, {}), ...writes]);
      expect(submitted.status, `round ${round} submit`).to.equal(303);
      for (const w of written) {
        expect([303, 422], `round ${round}: ${w.status}`).to.include(w.status);
        statuses.set(w.status, (statuses.get(w.status) ?? 0) + 1);
        if (w.status === 422) refusedAfterSubmit++;
        else writtenBeforeSubmit++;
      }

      // What was locked is what attendance says now that everything has settled.
      const d = await dbs[0]("declarations").where({ id }).first();
      expect(d.status).to.equal("ingediend");
      const now = await computeMonth(dbs[0], world.providerA, world.gemeente, "2026-10");
      expect(Number(d.total_cents), `round ${round}: locked total vs attendance`).to.equal(totalCents(now.lines));
      const stored = await dbs[0]("declaration_lines").where({ declaration_id: id });
      expect(stored.reduce((s: number, l: { units: number }) => s + l.units, 0)).to.equal(now.lines.reduce((s, l) => s + l.units, 0));

      // Next round: the declaration goes (set-up, straight in the tables), October is open again.
      await dbs[0]("declaration_lines").where({ declaration_id: id }).delete();
      await dbs[0]("declarations").where({ id }).delete();
    }
    // Both orders happened over the rounds, so the lock was really contended.
    expect(writtenBeforeSubmit + refusedAfterSubmit).to.equal(ROUNDS * cells.length);
    expect(statuses.get(500) ?? 0).to.equal(0);
  });

  it("two instances preparing the same month at once: one original, the other gets 422", async () => {
    const first = await providerAt(0);
    const second = await providerAt(1);
    await dbs[0]("attendance").insert({ client_id: cw.clients.bert, location_id: world.locationA, date: "2026-09-15", dagdeel: "ochtend", status: "aanwezig", recorded_at: "2026-09-15T12:00:00.000Z", created_at: "2026-09-15T12:00:00.000Z", updated_at: "2026-09-15T12:00:00.000Z" });
    const body = { purchaser_id: String(world.gemeente), month: "2026-09" };
    const answers = await Promise.all([post(first, "/declaraties", body), post(second, "/declaraties", body)]);
    expect(answers.map((r) => r.status).sort()).to.deep.equal([303, 422]);
    const originals = await dbs[0]("declarations").where({ provider_id: world.providerA, purchaser_id: world.gemeente, month: "2026-09" }).whereNull("corrects_declaration_id");
    expect(originals).to.have.length(1);
    // And the database itself refuses a second original, whoever writes it.
    let refused: unknown = null;
    try {
      await dbs[1]("declarations").insert({ provider_id: world.providerA, purchaser_id: world.gemeente, month: "2026-09", status: "concept", total_cents: 0, created_at: "2026-11-23T09:00:00.000Z", updated_at: "2026-11-23T09:00:00.000Z" });
    } catch (err) {
      refused = err;
    }
    expect((refused as { code?: string } | null)?.code).to.equal("23505");
  });
});

