import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeAllocation, makeClient, makeSchedule, planningWorld, postPlanning, scheduleForm, type PlanningWorld } from "../support/planning-fixtures";

// Issue 12.3: a date outside 2000-01-01 … 2100-12-31 is a typing mistake. Every form that takes
// a date (and every page that takes one in its address) answers 422 with a message naming the
// window — never a 500, never a frozen server, nothing saved. Birth dates have their own window.

const MESSAGE = "Kies een datum tussen 1-1-2000 en 31-12-2100.";

describe("HTTP: dates outside 2000–2100 on every form", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;
  let providerA: Agent;
  let purchaser: Agent;

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world);
    [coordinator, providerA, purchaser] = await Promise.all([
      loginAs(ctx.app, ctx.world.users.coordinator.email),
      loginAs(ctx.app, ctx.world.users.providerA.email),
      loginAs(ctx.app, ctx.world.users.purchaser.email),
    ]);
  });
  after(async () => ctx.close());

  const count = async (table: string) => Number((await ctx.db(table).count({ n: "*" }))[0].n);

  function expectRefused(res: { status: number; text: string }, what: string, message = MESSAGE) {
    expect(res.status, what).to.equal(422);
    expect(res.text, what).to.contain(message);
  }

  it("schedules: a new one, a change and an end", async () => {
    const client = await makeClient(ctx.db, "Datum");
    const before = await count("schedules");
    for (const [from, until] of [["9999-01-01", ""], ["2026-11-24", "9999-12-31"], ["1999-12-31", ""]]) {
      expectRefused(await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, funding: "eigen", slots: ["1-ochtend"], from, until })), `${from}/${until}`);
    }
    const schedule = await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[2, "ochtend"]], from: "2026-11-03" });
    expectRefused(await postPlanning(coordinator, `/roosters/${schedule}/wijzigen`, scheduleForm({ client, location: ctx.world.locationA, funding: "eigen", slots: ["2-middag"], from: "2200-01-01" })), "change");
    expectRefused(await postForm(coordinator, `/roosters/${schedule}/beeindigen`, { valid_until: "0202-02-02" }), "end");
    expect(await count("schedules")).to.equal(before + 1);
  });

  it("the waiting list", async () => {
    const client = await makeClient(ctx.db, "Wacht");
    const res = await postPlanning(coordinator, "/wachtlijst", { client_id: String(client), location_id: String(ctx.world.locationA), slots: ["2-ochtend"], since: "1900-01-01", priority: "2" });
    expectRefused(res, "since");
    expect(await ctx.db("waitlist_entries").where({ client_id: client })).to.have.length(0);
  });

  it("capacity and closures", async () => {
    const grid: Record<string, string> = {};
    for (let w = 1; w <= 7; w++) for (const d of ["ochtend", "middag"]) grid[`places_${w}_${d}`] = w <= 5 ? "5" : "";
    const rules = await count("capacity_rules");
    expectRefused(await postForm(providerA, `/locaties/${ctx.world.locationA}/capaciteit`, { ...grid, valid_from: "9999-12-31" }), "capacity from");
    expectRefused(await postForm(providerA, `/locaties/${ctx.world.locationA}/capaciteit`, { ...grid, valid_from: "2026-12-01", valid_until: "9999-12-31" }), "capacity until");
    expect(await count("capacity_rules")).to.equal(rules);
    expectRefused(await postForm(providerA, "/locaties/sluitingen", { location_id: "", starts_on: "9999-12-30", ends_on: "", dagdeel: "", reason: "Ver weg" }), "closure start");
    expectRefused(await postForm(providerA, "/locaties/sluitingen", { location_id: "", starts_on: "2026-12-01", ends_on: "9999-12-31", dagdeel: "", reason: "Lang" }), "closure end");
    expect(await count("closures")).to.equal(0);
  });

  it("clients (birth dates from 1900) and their end, allocations", async () => {
    const base = { first_name: "Oud", last_name: "Datum", bsn: "", village_id: "", street: "", postcode: "", phone: "", notes: "" };
    expectRefused(await postForm(coordinator, "/clienten/nieuw", { ...base, birth_date: "1850-06-01" }), "birth", "Kies een geboortedatum tussen 1-1-1900 en vandaag.");
    expect(await ctx.db("clients").where({ last_name: "Datum" })).to.have.length(0);
    expect((await postForm(coordinator, "/clienten/nieuw", { ...base, birth_date: "1931-06-01" })).status).to.equal(303);
    const client = await makeClient(ctx.db, "Einde");
    expectRefused(await postForm(coordinator, `/clienten/${client}/beeindigen`, { ended_on: "9999-12-31" }, `/clienten/${client}/beeindigen`), "client end");
    const allocation = { reference: "T-VER", purchaser_id: String(ctx.world.gemeente), provider_id: String(ctx.world.providerA), product_id: String(pw.basis), volume: "3", frequency: "week", valid_from: "2026-12-01" };
    expectRefused(await postForm(coordinator, `/clienten/${client}/toewijzingen/nieuw`, { ...allocation, valid_until: "9999-12-31" }), "allocation until");
    expectRefused(await postForm(coordinator, `/clienten/${client}/toewijzingen/nieuw`, { ...allocation, valid_from: "1000-01-01", valid_until: "" }), "allocation from");
    const existing = await makeAllocation(ctx.db, { client, purchaser: ctx.world.gemeente, provider: ctx.world.providerA, product: pw.basis, volume: 2 });
    expectRefused(await postForm(coordinator, `/toewijzingen/${existing}/wijzigen`, { ...allocation, reference: "T-VER-2", valid_until: "3000-01-01" }), "allocation change");
    expect(await ctx.db("allocations").where({ client_id: client })).to.have.length(1);
  });

  it("contracts and contract lines", async () => {
    const contract = { provider_id: String(ctx.world.providerA), reference: "PM-VER", kind: "inkoop", valid_from: "2027-01-01", valid_until: "9999-12-31", status: "concept", budget_ceiling: "", subsidy_amount: "", subsidy_target_dagdelen: "", notes: "" };
    expectRefused(await postForm(purchaser, "/contracten", contract, "/contracten/nieuw"), "contract");
    expect(await ctx.db("contracts").where({ reference: "PM-VER" })).to.have.length(0);
    expectRefused(await postForm(purchaser, `/contracten/${ctx.world.contractA}/regels`, { product_id: String(pw.basis), tariff: "10,00", volume_ceiling: "", valid_from: "2026-01-01", valid_until: "9999-12-31" }, `/contracten/${ctx.world.contractA}/regels/nieuw`), "line");
  });

  it("recording attendance and the provider's declaration month", async () => {
    const body = { client_id: "1", date: "9999-12-31", dagdeel: "ochtend", status: "aanwezig" };
    expectRefused(await postForm(providerA, `/aanwezigheid/locaties/${ctx.world.locationA}/registreren`, body), "record");
    expectRefused(await postForm(providerA, `/aanwezigheid/locaties/${ctx.world.locationA}/iedereen-aanwezig`, { date: "1999-01-04", dagdeel: "ochtend" }), "bulk");
    expect(await count("attendance")).to.equal(0);
    expectRefused(await postForm(providerA, "/declaraties", { purchaser_id: String(ctx.world.gemeente), month: "1999-12" }, "/declaraties"), "declaration month");
  });

  it("pages that take a date or week in their address", async () => {
    const loc = ctx.world.locationA;
    for (const [agent, url] of [
      [providerA, "/aanwezigheid?datum=9999-12-31"],
      [providerA, `/aanwezigheid/locaties/${loc}?datum=1999-12-31`],
      [providerA, "/aanwezigheid/overzicht/locaties?van=1999-01-01&tot=2026-11-01"],
      [providerA, "/vervoer?datum=9999-12-31"],
      [coordinator, "/planning?datum=9999-12-31"],
      [coordinator, `/planning/locaties/${loc}?datum=2101-01-01`],
      [providerA, `/locaties/${loc}?datum=9999-12-31`],
      [purchaser, "/contracten/dorpen?van=1999-01-01&tot=2026-11-01"],
      [purchaser, "/contracten/dorpen?van=2026-01-01&tot=9999-12-31"],
    ] as [Agent, string][]) {
      expectRefused(await agent.get(url), url);
    }
    // A week that lies outside the window does not exist, like week 53 of a 52-week year.
    expect((await coordinator.get(`/planning/locaties/${loc}?week=9999-W01`)).status).to.equal(404);
    expect((await providerA.get(`/aanwezigheid/locaties/${loc}/week?week=1999-W01`)).status).to.equal(422);
    expect((await providerA.get(`/locaties/${loc}?week=2101-W01`)).status).to.equal(422);
  });
});
