import { expect } from "chai";
import type { Knex } from "knex";
import { createApp, type App } from "../../src/app";
import { createDb } from "../../src/db/knex";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildContractsWorld, type ContractsWorld } from "../support/contracts-fixtures";
import { addClosure, addScheduledClient, addWeekRules } from "../support/locations-fixtures";

// Issue 11: the use of contracts, the free places and the attendance start page are kept
// against a data version — use, or problems for the planned use and the free places — and the
// rows that shape them (src/data-version/kept.ts). After every kind of
// change — by the app or straight into the database — the page a warm process answers must be
// the page a fresh process (its own database handle, nothing kept) computes.

/** The page without what differs per session or request. */
const content = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, "").replace(/nonce="[^"]*"/g, "").replace(/<meta name="csrf-token"[^>]*>/g, "");

describe("HTTP: kept answers equal fresh ones after any change (issue 11)", () => {
  let ctx: TestContext;
  let cw: ContractsWorld;
  let freshDb: Knex;
  let fresh: App;
  const agents = new Map<string, { warm: Agent; fresh: Agent }>();

  before(async () => {
    ctx = await startTestApp(); // today: Monday 2026-11-23
    cw = await buildContractsWorld(ctx.db, ctx.world);
    await addWeekRules(ctx.db, ctx.world.locationA, 4, [1, 2, 3]);
    await addWeekRules(ctx.db, ctx.world.locationB, 3, [1, 2, 4]);
    for (const email of [ctx.world.users.coordinator.email, ctx.world.users.purchaser.email]) agents.set(email, { warm: await loginAs(ctx.app, email), fresh: await loginAs(ctx.app, email) });
  });
  after(async () => {
    await freshDb?.destroy();
    await ctx.close();
  });

  /** Asks the warm app twice (so the second is kept), then a fresh app on the same database: the same page. */
  async function expectSameAsFresh(email: string, path: string): Promise<string> {
    const { warm } = agents.get(email)!;
    await warm.get(path);
    const kept = await warm.get(path);
    freshDb = createDb(ctx.config.databaseUrl);
    fresh = createApp({ db: freshDb, clock: ctx.clock, config: ctx.config });
    const answer = await (await loginAs(fresh, email)).get(path);
    await freshDb.destroy();
    expect(kept.status).to.equal(200);
    expect(content(kept.text)).to.equal(content(answer.text));
    return kept.text;
  }

  const pages = () => [
    [ctx.world.users.purchaser.email, "/"],
    [ctx.world.users.purchaser.email, `/contracten/${ctx.world.contractA}`],
    [ctx.world.users.purchaser.email, "/contracten"],
    [ctx.world.users.coordinator.email, "/vrije-plaatsen"],
    [ctx.world.users.coordinator.email, "/aanwezigheid"],
  ];

  async function allSame(): Promise<string[]> {
    const out: string[] = [];
    for (const [email, path] of pages()) out.push(await expectSameAsFresh(email, path));
    return out;
  }

  it("at the start", async () => {
    await allSame();
  });

  it("after a budget ceiling and a tariff change", async () => {
    const before = await allSame();
    await ctx.db("contracts").where({ id: ctx.world.contractA }).update({ budget_ceiling_cents: 50_000 });
    await ctx.db("contract_lines").where({ id: cw.lines.basisLate }).update({ tariff_cents: cw.TARIFF_LATE * 2 });
    const after = await allSame();
    expect(after[1]).to.not.equal(before[1]);
  });

  it("after attendance, a schedule and a slot change straight in the database", async () => {
    const before = await allSame();
    await ctx.db("attendance").insert({ client_id: cw.clients.bert, location_id: ctx.world.locationA, date: "2026-11-23", dagdeel: "ochtend", status: "extra", recorded_by: ctx.world.users.providerA.id, recorded_at: "2026-11-23T09:00:00.000Z", created_at: "2026-11-23T09:00:00.000Z", updated_at: "2026-11-23T09:00:00.000Z" });
    await addScheduledClient(ctx.db, ctx.world.locationA, ["Nieuwe", "Klant"], [{ weekday: 1, dagdeel: "middag" }, { weekday: 2, dagdeel: "ochtend" }]);
    const after = await allSame();
    expect(after[3]).to.not.equal(before[3]);
    expect(after[4]).to.not.equal(before[4]);
  });

  it("after a closure, a capacity rule and a location switched off", async () => {
    const before = await allSame();
    await addClosure(ctx.db, { provider_id: ctx.world.providerA, location_id: ctx.world.locationA, starts_on: "2026-11-23", ends_on: "2026-12-01", dagdeel: null, reason: "Verbouwing" });
    const closed = await allSame();
    expect(closed[3]).to.not.equal(before[3]);
    await ctx.db("capacity_rules").where({ location_id: ctx.world.locationB }).update({ places: 9 });
    const wider = await allSame();
    expect(wider[3]).to.not.equal(closed[3]);
    await ctx.db("locations").where({ id: ctx.world.locationB }).update({ active: false });
    await allSame();
  });
});
