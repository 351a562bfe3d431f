import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeClient, makeLocation, makeSchedule, planningWorld, postPlanning } from "../support/planning-fixtures";

// Issue 15.3: a provider switching a location off while schedules still run there. Like a
// closure: first who is affected and an explicit confirmation, then audited, and the schedules
// on /signalen and the coordinator's home until a coordinator ends or moves them.

describe("HTTP: deactivating a location with running schedules (issue 15.3)", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let providerA: Agent;
  let providerB: Agent;

  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
  });
  after(async () => ctx.close());

  async function formOf(id: number): Promise<Record<string, string>> {
    const l = await ctx.db("locations").where({ id }).first();
    return {
      name: l.name, street: l.street, postcode: l.postcode, village_id: String(l.village_id),
      morning_start: l.morning_start, morning_end: l.morning_end, afternoon_start: l.afternoon_start, afternoon_end: l.afternoon_end,
    };
  }

  it("asks for confirmation naming the clients, then audits and signals until the schedule ends", async () => {
    const { db, world } = ctx;
    const loc = await makeLocation(db, world, world.providerA);
    const schedule = await makeSchedule(db, { client: await makeClient(db, "Uit", "Gezet"), location: loc, slots: [[3, "ochtend"]], from: "2026-11-04" });
    const url = `/locaties/${loc}`;
    const fields = await formOf(loc);

    // Unchecked "active": a confirmation page first, nothing saved.
    const preview = await postForm(providerA, url, fields, `${url}/bewerken`);
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain("Uit Gezet").and.to.contain("25 november 2026").and.to.contain("niet meer actief");
    expect(preview.text).to.match(/name="confirm" value="1"/);
    expect(Boolean((await db("locations").where({ id: loc }).first()).active)).to.equal(true);

    // Back to the form keeps the input.
    const edit = await postForm(providerA, url, { ...fields, street: "Andere straat 2", edit: "1" }, `${url}/bewerken`);
    expect(edit.status).to.equal(200);
    expect(edit.text).to.contain("Andere straat 2");

    const done = await postForm(providerA, url, { ...fields, confirm: "1" }, `${url}/bewerken`);
    expect(done.status).to.equal(303);
    expect(Boolean((await db("locations").where({ id: loc }).first()).active)).to.equal(false);
    const audit = await db("audit_log").where({ entity: "location", entity_id: loc, action: "update" }).orderBy("id", "desc").first();
    expect(audit.details).to.contain('"confirmed":true').and.to.contain('"affected"');

    const list = await coordinator.get("/signalen/boven-capaciteit");
    const body = list.text.slice(list.text.indexOf("<tbody>"), list.text.indexOf("</tbody>"));
    expect(body).to.contain("Uit Gezet").and.to.contain("wo 25-11-2026 ochtend").and.to.contain("1/0");
    const home = await coordinator.get("/");
    const section = home.text.slice(home.text.indexOf('id="over-capacity-home"'), home.text.indexOf("</ul>", home.text.indexOf('id="over-capacity-home"')));
    expect(section).to.contain("Uit Gezet");

    // Resolved: the coordinator ends the schedule.
    expect((await postPlanning(coordinator, `/roosters/${schedule}/beeindigen`, { valid_until: "2026-11-23" })).status).to.equal(303);
    expect((await coordinator.get("/signalen/boven-capaciteit")).text).to.not.contain("Uit Gezet");
    expect((await coordinator.get("/")).text).to.not.contain("Uit Gezet");
  });

  it("deactivates at once when no schedule runs there, and reactivating needs no confirmation", async () => {
    const { db, world } = ctx;
    const loc = await makeLocation(db, world, world.providerA);
    await makeSchedule(db, { client: await makeClient(db, "Oud", "Rooster"), location: loc, slots: [[1, "ochtend"]], from: "2026-01-05", until: "2026-06-30" });
    const fields = await formOf(loc);
    expect((await postForm(providerA, `/locaties/${loc}`, fields, `/locaties/${loc}/bewerken`)).status).to.equal(303);
    expect((await postForm(providerA, `/locaties/${loc}`, { ...fields, active: "1" }, `/locaties/${loc}/bewerken`)).status).to.equal(303);
  });

  it("422 with the input kept, 403 for the wrong role, 404 for another provider's location", async () => {
    const { db, world } = ctx;
    const loc = await makeLocation(db, world, world.providerA);
    await makeSchedule(db, { client: await makeClient(db, "Blijft", "Staan"), location: loc, slots: [[2, "middag"]], from: "2026-11-03" });
    const fields = await formOf(loc);
    const bad = await postForm(providerA, `/locaties/${loc}`, { ...fields, name: "", street: "Bewaarde straat 9", confirm: "1" }, `/locaties/${loc}/bewerken`);
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain("Bewaarde straat 9");
    expect((await postForm(coordinator, `/locaties/${loc}`, { ...fields, confirm: "1" }, "/locaties")).status).to.equal(403);
    expect((await postForm(providerB, `/locaties/${loc}`, { ...fields, confirm: "1" }, "/locaties")).status).to.equal(404);
    expect(Boolean((await db("locations").where({ id: loc }).first()).active)).to.equal(true);
  });
});
