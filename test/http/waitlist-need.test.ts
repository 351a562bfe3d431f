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

// Issue 15.7: the waiting list by need. "Past nu" asks room and funding — the same allocation
// rule the schedule POST runs, so what the list offers the booking takes and what it holds
// back the booking refuses; every booking closes the client's entries at that location; the
// regional list narrows by gemeente, village and location.

/** The row of a client on the waiting list page. */
function rowOf(html: string, name: string): string {
  const at = html.indexOf(`>${name}</a></th>`);
  expect(at, `${name} on the list`).to.be.greaterThan(-1);
  return html.slice(at, html.indexOf("</tr>", at));
}

/** The schedule form's values as a body to post again (what the coordinator would save). */
function formBody(html: string): Record<string, string | string[]> {
  const value = (name: string) => html.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`))?.[1] ?? "";
  const selected = (name: string) => html.match(new RegExp(`<select id="f-${name}" name="${name}"[\\s\\S]*?<option value="([^"]+)" selected`))?.[1] ?? "";
  const checked = (name: string) => [...html.matchAll(new RegExp(`name="${name}" value="([^"]+)" checked`, "g"))].map((m) => m[1]);
  return {
    client_id: value("client_id"),
    waitlist_entry_id: value("waitlist_entry_id"),
    location_id: selected("location_id"),
    allocation_id: selected("allocation_id"),
    contract_id: selected("contract_id"),
    product_id: "",
    funding: checked("funding")[0],
    valid_from: html.match(/name="valid_from" type="date" value="([^"]*)"/)?.[1] ?? "",
    valid_until: html.match(/name="valid_until" type="date" value="([^"]*)"/)?.[1] ?? "",
    week_parity: checked("week_parity")[0],
    slots: checked("slots"),
  };
}

describe("HTTP: the waiting list by need (issue 15.7)", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  it("'past nu' only where the funding would let the booking through; the booking agrees with the list", async () => {
    const { db, world } = ctx;
    const location = await makeLocation(db, world, world.providerA, 3);
    await setPlaces(db, location, 3, "middag", 1);
    await makeSchedule(db, { client: await makeClient(db, "Bezet"), location, slots: [[3, "middag"]], funding: "eigen" });
    const wish: [number, "ochtend"][] = [[3, "ochtend"]];
    const basis = { purchaser: world.gemeente, provider: world.providerA, product: pw.basis };

    const funded = await makeClient(db, "Met", "Ruimte");
    await makeAllocation(db, { client: funded, ...basis, volume: 2 });
    const fundedEntry = await makeWaitlistEntry(db, { client: funded, location, slots: wish });

    await makeWaitlistEntry(db, { client: await makeClient(db, "Zonder", "Toewijzing"), location, slots: wish });

    const usedUp = await makeClient(db, "Volume", "Op");
    const usedAllocation = await makeAllocation(db, { client: usedUp, ...basis, volume: 1 });
    await makeSchedule(db, { client: usedUp, location: world.locationA, slots: [[1, "ochtend"]], allocation: usedAllocation, from: "2026-11-02" });
    const usedEntry = await makeWaitlistEntry(db, { client: usedUp, location, slots: wish });

    const elsewhere = await makeClient(db, "Andere", "Aanbieder");
    await makeAllocation(db, { client: elsewhere, purchaser: world.zorgkantoor, provider: world.providerB, product: pw.basis, volume: 3 });
    await makeWaitlistEntry(db, { client: elsewhere, location, slots: wish });

    await makeWaitlistEntry(db, { client: await makeClient(db, "Subsidie", "Zonder Contract"), location, slots: wish, funding: "subsidie" });
    await makeWaitlistEntry(db, { client: await makeClient(db, "Eigen", "Betaling"), location, slots: wish, funding: "eigen" });
    await makeWaitlistEntry(db, { client: await makeClient(db, "Geen", "Plek"), location, slots: [[3, "middag"]], funding: "eigen" });

    const list = (await coordinator.get(`/wachtlijst?locatie=${location}`)).text;
    expect(rowOf(list, "Met Ruimte")).to.contain("past nu");
    expect(rowOf(list, "Eigen Betaling")).to.contain("past nu");
    for (const name of ["Zonder Toewijzing", "Volume Op", "Andere Aanbieder", "Subsidie Zonder Contract"]) {
      expect(rowOf(list, name), name).to.contain("plaats vrij, financiering ontbreekt");
    }
    expect(rowOf(list, "Geen Plek")).to.contain("nog vol");

    const signal = (await coordinator.get("/signalen/past-nu")).text;
    expect(signal).to.contain("Met Ruimte").and.to.contain("Eigen Betaling");
    for (const name of ["Zonder Toewijzing", "Volume Op", "Andere Aanbieder", "Subsidie Zonder Contract", "Geen Plek"]) expect(signal, name).to.not.contain(name);
    const board = (await coordinator.get(`/planning/locaties/${location}`)).text;
    const fits = board.slice(board.indexOf("Wachtenden die nu passen"));
    expect(fits).to.contain("Met Ruimte").and.to.not.contain("Volume Op");

    // The booking says what the list said: the offered one goes through, the held-back one is
    // refused for its volume (the very rule), from the prefilled "inplannen" form as it stands.
    const refused = await postPlanning(coordinator, "/roosters", formBody((await coordinator.get(`/wachtlijst/${usedEntry}/inplannen`)).text));
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('id="f-allocation_id-error"');
    expect((await db("waitlist_entries").where({ id: usedEntry }).first()).status).to.equal("wachtend");
    const booked = await postPlanning(coordinator, "/roosters", formBody((await coordinator.get(`/wachtlijst/${fundedEntry}/inplannen`)).text));
    expect(booked.status).to.equal(303);
    expect((await db("waitlist_entries").where({ id: fundedEntry }).first()).status).to.equal("geplaatst");

    // A subsidy contract of the provider makes the subsidy entry fit.
    await db("contracts").insert({ purchaser_id: world.gemeente, provider_id: world.providerA, reference: "SUB-A", kind: "subsidie", valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief", created_at: "x", updated_at: "x" });
    expect(rowOf((await coordinator.get(`/wachtlijst?locatie=${location}`)).text, "Subsidie Zonder Contract")).to.contain("past nu");
  });

  it("any booking of the client at that location closes its waiting entry there, in the same transaction, audited", async () => {
    const { db, world } = ctx;
    const location = await makeLocation(db, world, world.providerA);
    const other = await makeLocation(db, world, world.providerA);
    const client = await makeClient(db, "Sluit", "Bij Boeking");
    const here = await makeWaitlistEntry(db, { client, location, slots: [[2, "middag"]], funding: "eigen" });
    const there = await makeWaitlistEntry(db, { client, location: other, slots: [[2, "middag"]], funding: "eigen" });
    // Booked through the plain form, without naming the entry.
    const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location, funding: "eigen", slots: ["5-ochtend"], from: "2026-11-23" }));
    expect(res.status).to.equal(303);
    const schedule = await db("schedules").where({ client_id: client }).first();
    expect((await db("waitlist_entries").where({ id: here }).first()).status).to.equal("geplaatst");
    expect((await db("waitlist_entries").where({ id: there }).first()).status).to.equal("wachtend");
    const audit = await db("audit_log").where({ entity: "waitlist_entry", entity_id: here, action: "place" }).first();
    expect(JSON.parse(audit.details)).to.deep.equal({ schedule_id: schedule.id });
    expect((await coordinator.get(`/wachtlijst?locatie=${location}`)).text).to.not.contain("Sluit Bij Boeking");

    // A refused booking closes nothing.
    const waiting = await makeClient(db, "Blijft", "Wachten");
    const entry = await makeWaitlistEntry(db, { client: waiting, location, slots: [[1, "ochtend"]], funding: "eigen" });
    const refused = await postPlanning(coordinator, "/roosters", scheduleForm({ client: waiting, location, funding: "eigen", slots: ["6-ochtend"], from: "2026-11-23" }));
    expect(refused.status).to.equal(422);
    expect((await db("waitlist_entries").where({ id: entry }).first()).status).to.equal("wachtend");
  });

  it("the regional list across locations, narrowed by gemeente, village or location; unknown filters 404; other roles 403", async () => {
    const { db, world } = ctx;
    const [venray] = await db("villages").insert({ name: "Oostrum", municipality: "Venray", gemeentecode: "0984", province: "LI", created_at: "x", updated_at: "x" }).returning("id");
    const villageId = typeof venray === "object" ? venray.id : venray;
    const [loc] = await db("locations").insert({ provider_id: world.providerB, name: "Hof Oostrum", street: "Brink 1", postcode: "5807 AA", village_id: villageId, created_at: "x", updated_at: "x" }).returning("id");
    const farAway = typeof loc === "object" ? loc.id : loc;
    await makeWaitlistEntry(db, { client: await makeClient(db, "Ver", "Weg"), location: farAway, slots: [[1, "ochtend"]], priority: 1 });
    await makeWaitlistEntry(db, { client: await makeClient(db, "Dicht", "Bij"), location: world.locationA, slots: [[1, "ochtend"]], priority: 1 });

    const all = (await coordinator.get("/wachtlijst")).text;
    expect(all).to.contain("Ver Weg").and.to.contain("Dicht Bij");
    expect(rowOf(all, "Ver Weg")).to.contain("Oostrum");
    const byGemeente = await coordinator.get("/wachtlijst?gemeente=0984");
    expect(byGemeente.status).to.equal(200);
    expect(byGemeente.text).to.contain("Ver Weg").and.to.not.contain("Dicht Bij");
    expect(byGemeente.text).to.contain("1 wachtende");
    const byVillage = (await coordinator.get(`/wachtlijst?dorp=${world.village}`)).text;
    expect(byVillage).to.contain("Dicht Bij").and.to.not.contain("Ver Weg");
    const byLocation = (await coordinator.get(`/wachtlijst?locatie=${farAway}`)).text;
    expect(byLocation).to.contain("Ver Weg").and.to.not.contain("Dicht Bij");

    for (const bad of ["gemeente=0000", "dorp=999999", "dorp=abc", "locatie=999999"]) expect((await coordinator.get(`/wachtlijst?${bad}`)).status, bad).to.equal(404);
    for (const email of [world.users.providerA.email, world.users.purchaser.email, world.users.admin.email]) {
      const agent = await loginAs(ctx.app, email);
      expect((await agent.get("/wachtlijst?gemeente=0984")).status, email).to.equal(403);
    }
  });

  it("'inplannen' is a page: the same prefilled form on every reload, 404 once the entry is closed or for another id", async () => {
    const { db, world } = ctx;
    const client = await makeClient(db, "Herladen", "Kan");
    const entry = await makeWaitlistEntry(db, { client, location: world.locationB, slots: [[4, "middag"]], funding: "pgb" });
    const first = await coordinator.get(`/wachtlijst/${entry}/inplannen`);
    const again = await coordinator.get(`/wachtlijst/${entry}/inplannen`);
    expect([first.status, again.status]).to.deep.equal([200, 200]);
    expect(first.text).to.match(/value="pgb" checked/);
    expect(first.text).to.match(/value="4-middag" checked/);
    // The room at the entry's location is on the page before anything is saved.
    expect(first.text).to.contain("Vrije plaatsen bij Dorpshuis B");
    expect(formBody(again.text)).to.deep.equal(formBody(first.text));
    await postPlanning(coordinator, `/wachtlijst/${entry}/vervallen`, {});
    expect((await coordinator.get(`/wachtlijst/${entry}/inplannen`)).status).to.equal(404);
  });
});
