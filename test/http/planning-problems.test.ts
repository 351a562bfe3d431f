import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeAllocation, makeClient, makeLocation, makeSchedule, makeWaitlistEntry, planningWorld, setPlaces, type PlanningWorld } from "../support/planning-fixtures";

// Each problem list gets cases that belong on it and look-alikes that do not. Today: 23-11-2026.

describe("HTTP: the problem lists (signalen)", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;
  const ids: Record<string, number> = {};

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const { db, world } = ctx;
    const allocation = (client: number, extra: Partial<Parameters<typeof makeAllocation>[1]> = {}) =>
      makeAllocation(db, { client, purchaser: world.gemeente, provider: world.providerA, product: pw.basis, volume: 4, ...extra });

    // 1. Beyond the allocation: 1 a week allowed, Monday and Tuesday planned.
    ids.over = await makeClient(db, "Over", "Volume");
    ids.overAllocation = await allocation(ids.over, { volume: 1 });
    await makeSchedule(db, { client: ids.over, location: world.locationA, slots: [[1, "ochtend"]], allocation: ids.overAllocation });
    await makeSchedule(db, { client: ids.over, location: world.locationA, slots: [[2, "ochtend"]], allocation: ids.overAllocation });
    ids.within = await makeClient(db, "Binnen", "Volume");
    const withinAllocation = await allocation(ids.within, { volume: 2 });
    await makeSchedule(db, { client: ids.within, location: world.locationA, slots: [[1, "middag"], [2, "middag"]], allocation: withinAllocation });

    // 2. Allocation ending within four weeks while the schedule runs on.
    ids.ending = await makeClient(db, "Loopt", "Af");
    ids.endingAllocation = await allocation(ids.ending, { until: "2026-12-10" });
    ids.endingSchedule = await makeSchedule(db, { client: ids.ending, location: world.locationA, slots: [[3, "ochtend"]], allocation: ids.endingAllocation });
    ids.endsTogether = await makeClient(db, "Eindigt", "Samen");
    const together = await allocation(ids.endsTogether, { until: "2026-12-10" });
    await makeSchedule(db, { client: ids.endsTogether, location: world.locationA, slots: [[3, "middag"]], allocation: together, until: "2026-12-10" });
    ids.later = await makeClient(db, "Loopt", "Later");
    const later = await allocation(ids.later, { until: "2027-02-28" });
    await makeSchedule(db, { client: ids.later, location: world.locationA, slots: [[4, "ochtend"]], allocation: later });

    // 3. Schedules without a covering contract.
    ids.subsidyNoContract = await makeClient(db, "Subsidie", "Zonder");
    ids.subsidySchedule = await makeSchedule(db, { client: ids.subsidyNoContract, location: world.locationA, slots: [[5, "ochtend"]], funding: "subsidie", until: "2026-12-31" });
    ids.wlz = await makeClient(db, "Zorgkantoor", "Zonder");
    const wlzAllocation = await allocation(ids.wlz, { purchaser: world.zorgkantoor });
    ids.wlzSchedule = await makeSchedule(db, { client: ids.wlz, location: world.locationA, slots: [[5, "middag"]], allocation: wlzAllocation });
    ids.pgb = await makeClient(db, "Pgb", "Zelf");
    await makeSchedule(db, { client: ids.pgb, location: world.locationA, slots: [[4, "middag"]], funding: "pgb" });

    // 4. Allocations without a schedule: none at all, or only one that has ended.
    ids.unplanned = await makeClient(db, "Zonder", "Rooster");
    ids.unplannedAllocation = await allocation(ids.unplanned);
    ids.stopped = await makeClient(db, "Gestopt", "Rooster");
    const stopped = await allocation(ids.stopped);
    await makeSchedule(db, { client: ids.stopped, location: world.locationA, slots: [[1, "ochtend"]], allocation: stopped, from: "2026-09-01", until: "2026-10-31" });
    ids.transport = await makeClient(db, "Alleen", "Vervoer");
    await makeAllocation(db, { client: ids.transport, purchaser: world.gemeente, provider: world.providerA, product: pw.vervoer, volume: 4 });
    ids.past = await makeClient(db, "Voorbij", "Toewijzing");
    await allocation(ids.past, { until: "2026-10-31" });

    // 5. Waiting clients: one fits, one does not.
    const location = await makeLocation(db, world, world.providerA, 2);
    await setPlaces(db, location, 2, "ochtend", 1);
    await makeSchedule(db, { client: await makeClient(db, "Bezet", "Dinsdag"), location, slots: [[2, "ochtend"]], funding: "eigen" });
    ids.fits = await makeClient(db, "Past", "Wel");
    // Room alone is not enough: "Past Wel" has an allocation with room left under a contract.
    await makeAllocation(db, { client: ids.fits, purchaser: world.gemeente, provider: world.providerA, product: pw.basis, volume: 2 });
    await makeWaitlistEntry(db, { client: ids.fits, location, slots: [[3, "ochtend"]] });
    await makeWaitlistEntry(db, { client: await makeClient(db, "Ruimte", "Zonder Toewijzing"), location, slots: [[3, "ochtend"]] });
    ids.noFit = await makeClient(db, "Past", "Niet");
    await makeWaitlistEntry(db, { client: ids.noFit, location, slots: [[2, "ochtend"]] });
  });
  after(async () => ctx.close());

  it("the index counts each list and links to it", async () => {
    const res = await coordinator.get("/signalen");
    expect(res.status).to.equal(200);
    const row = (kind: string) => res.text.match(new RegExp(`href="/signalen/${kind}">[^<]+</a></th><td class="num">(\\d+)</td>`))?.[1];
    expect(row("boven-toewijzing")).to.equal("1");
    expect(row("toewijzing-loopt-af")).to.equal("1");
    expect(row("zonder-contract")).to.equal("2");
    expect(row("zonder-rooster")).to.equal("3"); // "Past Wel" waits with an allocation
    expect(row("past-nu")).to.equal("1");
    expect(res.text).to.contain("tot en met 23-5-2027");
  });

  it("clients scheduled beyond their allocation", async () => {
    const res = await coordinator.get("/signalen/boven-toewijzing");
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Over Volume");
    expect(res.text).to.contain(`/toewijzingen/${ids.overAllocation}`);
    expect(res.text).to.contain(`/clienten/${ids.over}`);
    expect(res.text).to.contain("23-11-2026 – 29-11-2026: 2");
    expect(res.text).to.not.contain("Binnen Volume");
  });

  it("allocations ending within four weeks while the schedule runs on", async () => {
    const res = await coordinator.get("/signalen/toewijzing-loopt-af");
    expect(res.text).to.contain("Loopt Af");
    expect(res.text).to.contain("10-12-2026");
    expect(res.text).to.contain(`/roosters/${ids.endingSchedule}`);
    expect(res.text).to.not.contain("Eindigt Samen");
    expect(res.text).to.not.contain("Loopt Later");
  });

  it("schedules without a covering contract", async () => {
    const res = await coordinator.get("/signalen/zonder-contract");
    expect(res.text).to.contain(`/roosters/${ids.subsidySchedule}">Subsidie Zonder`);
    expect(res.text).to.contain(`/roosters/${ids.wlzSchedule}">Zorgkantoor Zonder`);
    expect(res.text).to.contain("23-11-2026 – 17-1-2027");
    expect(res.text).to.not.contain("Pgb Zelf");
    expect(res.text).to.not.contain("Over Volume");
  });

  it("allocations without a schedule (none, or only ended ones); transport and ended allocations are not", async () => {
    const res = await coordinator.get("/signalen/zonder-rooster");
    expect(res.text).to.contain("Zonder Rooster");
    expect(res.text).to.contain("Gestopt Rooster");
    expect(res.text).to.contain(`/roosters/nieuw?client=${ids.unplanned}&amp;toewijzing=${ids.unplannedAllocation}`);
    expect(res.text).to.not.contain("Alleen Vervoer");
    expect(res.text).to.not.contain("Voorbij Toewijzing");
  });

  it("waiting clients who now fit", async () => {
    const res = await coordinator.get("/signalen/past-nu");
    expect(res.text).to.contain("Past Wel");
    expect(res.text).to.not.contain("Past Niet");
    expect(res.text).to.not.contain("Ruimte Zonder Toewijzing");
    expect(res.text).to.contain("/inplannen");
  });

  it("the coordinator's home page links to every list with its count", async () => {
    const res = await coordinator.get("/");
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Signalen in de planning");
    for (const kind of ["boven-toewijzing", "toewijzing-loopt-af", "zonder-contract", "zonder-rooster", "past-nu"]) expect(res.text).to.contain(`href="/signalen/${kind}"`);
    expect(res.text).to.match(/<span class="figure">3<\/span> <a href="\/signalen\/zonder-rooster">toewijzingen zonder rooster<\/a>/);
    expect(res.text).to.contain('<a href="/wachtlijst">');
  });

  it("an unknown list is not found; other roles are refused", async () => {
    expect((await coordinator.get("/signalen/bestaat-niet")).status).to.equal(404);
    for (const who of ["providerA", "purchaser"] as const) {
      const agent = await loginAs(ctx.app, ctx.world.users[who].email);
      expect((await agent.get("/signalen/zonder-contract")).status).to.equal(403);
    }
  });
});
