import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import {
  makeAllocation,
  makeClient,
  makeLocation,
  makeSchedule,
  makeWaitlistEntry,
  planningWorld,
  postPlanning,
  scheduleForm,
  setPlaces,
  type PlanningWorld,
} from "../support/planning-fixtures";

const decode = (html: string) => html.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");

describe("HTTP: the waiting list", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  it("from a refused booking to the waiting list, to a freed place, to one action that plans the client", async () => {
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
    await setPlaces(ctx.db, location, 2, "ochtend", 1);
    const holder = await makeClient(ctx.db, "Houder");
    const blocking = await makeSchedule(ctx.db, { client: holder, location, slots: [[2, "ochtend"]], from: "2026-11-03", until: null, funding: "eigen" });
    const client = await makeClient(ctx.db, "Wachtende", "Willems");
    const allocation = await makeAllocation(ctx.db, { client, purchaser: ctx.world.gemeente, provider: ctx.world.providerA, product: pw.basis, volume: 3, until: "2027-03-31" });

    // 1. The booking is refused: the page offers the waiting list with the wished slots.
    const refused = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location, allocation, slots: ["2-ochtend"], until: "2027-03-31" }));
    expect(refused.status).to.equal(422);
    const link = decode(refused.text).match(/href="(\/wachtlijst\/nieuw\?[^"]+)"/)![1];

    // 2. The waiting-list form comes prefilled.
    const form = await coordinator.get(link);
    expect(form.status).to.equal(200);
    expect(form.text).to.match(new RegExp(`<option value="${client}" selected>`));
    expect(form.text).to.match(new RegExp(`<option value="${location}" selected>`));
    expect(form.text).to.match(/value="2-ochtend" checked/);
    expect(form.text).to.contain('value="2026-11-23"');

    const added = await postPlanning(coordinator, "/wachtlijst", { client_id: String(client), location_id: String(location), slots: ["2-ochtend"], since: "2026-11-23", priority: "2", note: "Graag dinsdag" });
    expect(added.status).to.equal(303);
    const entry = await ctx.db("waitlist_entries").where({ client_id: client }).first();
    expect(entry).to.include({ location_id: location, since: "2026-11-23", priority: 2, status: "wachtend", note: "Graag dinsdag" });
    expect(await ctx.db("waitlist_slots").where({ waitlist_entry_id: entry.id }).select("weekday", "dagdeel")).to.deep.equal([{ weekday: 2, dagdeel: "ochtend" }]);
    expect(await ctx.db("audit_log").where({ entity: "waitlist_entry", entity_id: entry.id, action: "create" }).first()).to.not.equal(undefined);

    const list = await coordinator.get(`/wachtlijst?locatie=${location}`);
    expect(list.text).to.contain("Wachtende Willems");
    expect(list.text).to.contain("nog vol");
    const again = await postPlanning(coordinator, "/wachtlijst", { client_id: String(client), location_id: String(location), slots: ["2-ochtend"], since: "2026-11-23", priority: "3" });
    expect(again.status).to.equal(422);
    expect(again.text).to.contain("staat al op de wachtlijst van deze locatie");

    // 3. A place frees up: the blocking schedule ends.
    expect((await postPlanning(coordinator, `/roosters/${blocking}/beeindigen`, { valid_until: "2026-11-23" })).status).to.equal(303);
    const fits = await coordinator.get(`/wachtlijst?locatie=${location}`);
    expect(fits.text).to.contain("past nu");
    const board = await coordinator.get(`/planning/locaties/${location}`);
    expect(board.text.slice(board.text.indexOf("Wachtenden die nu passen"))).to.contain("Wachtende Willems");
    const signal = await coordinator.get("/signalen/past-nu");
    expect(signal.text).to.contain("Wachtende Willems");

    // 4. One action plans the client under its one allocation, and the entry is placed.
    const planned = await postPlanning(coordinator, `/wachtlijst/${entry.id}/inplannen`, {});
    expect(planned.status).to.equal(303);
    const schedule = await ctx.db("schedules").where({ client_id: client }).first();
    expect(planned.headers.location).to.equal(`/roosters/${schedule.id}`);
    expect(schedule).to.include({ location_id: location, allocation_id: allocation, valid_from: "2026-11-23", valid_until: "2027-03-31", funding: "toewijzing" });
    expect((await ctx.db("waitlist_entries").where({ id: entry.id }).first()).status).to.equal("geplaatst");
    const audit = await ctx.db("audit_log").where({ entity: "waitlist_entry", entity_id: entry.id, action: "place" }).first();
    expect(JSON.parse(audit.details)).to.deep.equal({ schedule_id: schedule.id });
    expect((await coordinator.get(planned.headers.location)).text).to.contain("Wachtende Willems is ingepland en van de wachtlijst gehaald.");
    expect((await coordinator.get("/wachtlijst")).text).to.not.contain("Wachtende Willems");
  });

  it("without one allocation to take, 'inplannen' opens the schedule form prefilled; saving it places the entry", async () => {
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerB);
    const [subsidy] = await ctx.db("contracts")
      .insert({ purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerB, reference: "SUB-B", kind: "subsidie", valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief", created_at: "x", updated_at: "x" })
      .returning("id");
    const subsidyId = typeof subsidy === "object" ? subsidy.id : subsidy;
    await ctx.db("contract_lines").insert({ contract_id: subsidyId, product_id: pw.basis, tariff_cents: 2500, valid_from: "2026-01-01", valid_until: "2026-12-31", created_at: "x", updated_at: "x" });
    const client = await makeClient(ctx.db, "Zonder", "Toewijzing");
    const entry = await makeWaitlistEntry(ctx.db, { client, location, slots: [[3, "ochtend"], [3, "middag"]] });
    const res = await postPlanning(coordinator, `/wachtlijst/${entry}/inplannen`, {});
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Nieuw rooster");
    expect(res.text).to.match(/value="subsidie" checked/);
    // The provider's one subsidy contract is chosen already.
    expect(res.text).to.match(new RegExp(`<option value="${subsidyId}" selected>SUB-B`));
    expect(res.text).to.match(/value="3-ochtend" checked/);
    expect(res.text).to.match(/value="3-middag" checked/);
    expect(res.text).to.contain(`name="waitlist_entry_id" value="${entry}"`);
    expect(await ctx.db("schedules").where({ client_id: client })).to.have.length(0);

    const saved = await postPlanning(coordinator, "/roosters", {
      ...scheduleForm({ client, location, funding: "subsidie", contract: subsidyId, slots: ["3-ochtend", "3-middag"], from: "2026-11-23", until: "2026-12-31" }),
      waitlist_entry_id: String(entry),
    });
    expect(saved.status).to.equal(303);
    expect(await ctx.db("schedules").where({ client_id: client })).to.have.length(1);
    expect((await ctx.db("waitlist_entries").where({ id: entry }).first()).status).to.equal("geplaatst");
  });

  it("'inplannen' that a rule refuses comes back as the form with the reasons (422), nothing placed", async () => {
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
    await setPlaces(ctx.db, location, 4, "middag", 1);
    await makeSchedule(ctx.db, { client: await makeClient(ctx.db, "Zit"), location, slots: [[4, "middag"]], funding: "eigen" });
    const client = await makeClient(ctx.db, "Nog", "Steeds");
    await makeAllocation(ctx.db, { client, purchaser: ctx.world.gemeente, provider: ctx.world.providerA, product: pw.basis, volume: 2, until: "2026-12-31" });
    const entry = await makeWaitlistEntry(ctx.db, { client, location, slots: [[4, "middag"]] });
    const res = await postPlanning(coordinator, `/wachtlijst/${entry}/inplannen`, {});
    expect(res.status).to.equal(422);
    expect(res.text).to.contain("Geen plaats meer op do 26-11-2026 middag, elke week tot en met 31-12-2026 (vol: 1 van 1).");
    expect(await ctx.db("schedules").where({ client_id: client })).to.have.length(0);
    expect((await ctx.db("waitlist_entries").where({ id: entry }).first()).status).to.equal("wachtend");
  });

  it("an entry lapses ('vervallen'), audited, and leaves the list", async () => {
    const client = await makeClient(ctx.db, "Vervalt");
    const entry = await makeWaitlistEntry(ctx.db, { client, location: ctx.world.locationA, slots: [[5, "ochtend"]] });
    expect((await coordinator.get("/wachtlijst")).text).to.contain("Vervalt");
    const res = await postPlanning(coordinator, `/wachtlijst/${entry}/vervallen`, {});
    expect(res.status).to.equal(303);
    expect((await ctx.db("waitlist_entries").where({ id: entry }).first()).status).to.equal("vervallen");
    expect(await ctx.db("audit_log").where({ entity: "waitlist_entry", entity_id: entry, action: "lapse" }).first()).to.not.equal(undefined);
    expect((await coordinator.get("/wachtlijst")).text).to.not.contain("Vervalt");
    expect((await postPlanning(coordinator, `/wachtlijst/${entry}/vervallen`, {})).status).to.equal(404);
  });

  it("filters per location and sorts longest waiting first, then by priority", async () => {
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
    const [a, b, c] = [await makeClient(ctx.db, "Eerst", "Wachter"), await makeClient(ctx.db, "Dringend", "Later"), await makeClient(ctx.db, "Minder", "Dringend")];
    await makeWaitlistEntry(ctx.db, { client: b, location, slots: [[1, "ochtend"]], since: "2026-10-10", priority: 1 });
    await makeWaitlistEntry(ctx.db, { client: c, location, slots: [[1, "ochtend"]], since: "2026-10-10", priority: 4 });
    await makeWaitlistEntry(ctx.db, { client: a, location, slots: [[1, "ochtend"]], since: "2026-09-01", priority: 5 });
    const res = await coordinator.get(`/wachtlijst?locatie=${location}`);
    const order = ["Eerst Wachter", "Dringend Later", "Minder Dringend"].map((n) => res.text.indexOf(n));
    expect(order.every((i) => i > 0)).to.equal(true);
    expect([...order].sort((x, y) => x - y)).to.deep.equal(order);
    expect(res.text).to.not.contain("Vervalt");
    expect((await coordinator.get("/wachtlijst?locatie=abc")).status).to.equal(404);
  });

  it("bad input: 422 with the input kept; unknown ids: 404; providers: 403", async () => {
    const client = await makeClient(ctx.db, "Fout");
    const bad = await postPlanning(coordinator, "/wachtlijst", { client_id: String(client), location_id: String(ctx.world.locationA), since: "2026-13-01", priority: "9", note: "blijft staan" });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain("Kies minstens één dagdeel.");
    expect(bad.text).to.contain('id="f-since-error"');
    expect(bad.text).to.contain("blijft staan");
    const future = await postPlanning(coordinator, "/wachtlijst", { client_id: String(client), location_id: String(ctx.world.locationA), slots: ["1-ochtend"], since: "2026-12-01", priority: "3" });
    expect(future.status).to.equal(422);
    expect(future.text).to.contain("Deze datum ligt in de toekomst.");
    expect(await ctx.db("waitlist_entries").where({ client_id: client })).to.have.length(0);

    expect((await postPlanning(coordinator, "/wachtlijst", { client_id: "999999", location_id: String(ctx.world.locationA), slots: ["1-ochtend"], since: "2026-11-01", priority: "3" })).status).to.equal(404);
    expect((await postPlanning(coordinator, "/wachtlijst/999999/inplannen", {})).status).to.equal(404);
    expect((await postPlanning(coordinator, "/wachtlijst/999999/vervallen", {})).status).to.equal(404);

    const entry = await makeWaitlistEntry(ctx.db, { client, location: ctx.world.locationA, slots: [[1, "ochtend"]] });
    const provider = await loginAs(ctx.app, ctx.world.users.providerA.email);
    expect((await provider.get("/wachtlijst")).status).to.equal(403);
    expect((await postPlanning(provider, `/wachtlijst/${entry}/inplannen`, {})).status).to.equal(403);
    expect((await postPlanning(provider, "/wachtlijst", { client_id: String(client), location_id: String(ctx.world.locationA), slots: ["1-ochtend"], since: "2026-11-01", priority: "3" })).status).to.equal(403);
    expect((await ctx.db("waitlist_entries").where({ id: entry }).first()).status).to.equal("wachtend");
  });

  it("comes 50 entries a page, longest waiting first, per location as well", async () => {
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
    for (let i = 0; i < 53; i++) {
      const day = String(1 + (i % 28)).padStart(2, "0");
      await makeWaitlistEntry(ctx.db, { client: await makeClient(ctx.db, "Rij", `Wachter${String(i).padStart(2, "0")}`), location, slots: [[3, "middag"]], since: `2025-${i < 28 ? "01" : "02"}-${day}` });
    }
    const names = (html: string) => [...html.matchAll(/>Rij (Wachter\d+)</g)].map((m) => m[1]);
    const first = await coordinator.get(`/wachtlijst?locatie=${location}`);
    expect(names(first.text)).to.have.length(50);
    expect(names(first.text)[0]).to.equal("Wachter00");
    expect(decode(first.text)).to.contain(`href="/wachtlijst?locatie=${location}&pagina=2" rel="next"`);
    const second = await coordinator.get(`/wachtlijst?locatie=${location}&pagina=2`);
    expect(names(second.text)).to.deep.equal(["Wachter50", "Wachter51", "Wachter52"]);
    expect(second.text).to.contain('rel="prev"').and.to.not.contain('rel="next"');
  });
});
