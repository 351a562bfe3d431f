import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeAllocation, makeClient, makeClosure, makeLocation, makeSchedule, planningWorld, postPlanning, scheduleForm, setPlaces, type PlanningWorld } from "../support/planning-fixtures";

// Issue 15.6: the schedule form shows the room at the chosen location before anything is
// submitted, and a contract gap is told next to the field that causes it.

const decode = (html: string) => html.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");

/** The room table's cell text for a weekday row and a dagdeel column (0 ochtend, 1 middag). */
function roomCell(html: string, weekday: string, column: 0 | 1): string {
  const table = html.slice(html.indexOf('<table class="data room-table">'), html.indexOf("</table>", html.indexOf('<table class="data room-table">')));
  const row = table.match(new RegExp(`<th scope="row">${weekday}</th>([\\s\\S]*?)</tr>`))?.[1];
  expect(row, `${weekday} in the room table`).to.be.a("string");
  const cells = [...row!.matchAll(/<td class="room-\w+">([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ""));
  return cells[column];
}

describe("HTTP: free places on the schedule form (issue 15.6)", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  it("after choosing a location: per weekday × dagdeel the least free places over eight weeks, the first full date, closures; the other fields kept", async () => {
    const { db, world } = ctx;
    const location = await makeLocation(db, world, world.providerA, 3);
    await setPlaces(db, location, 1, "ochtend", 1);
    await setPlaces(db, location, 5, "middag", 0);
    await makeSchedule(db, { client: await makeClient(db, "Maandag"), location, slots: [[1, "ochtend"]], from: "2026-12-07", funding: "eigen" });
    await makeSchedule(db, { client: await makeClient(db, "Dinsdag", "Een"), location, slots: [[2, "ochtend"]], funding: "eigen" });
    await makeClosure(db, { provider: world.providerA, location, from: "2026-11-26", until: "2026-11-26", reason: "Studiedag" });
    const client = await makeClient(db, "Nieuwe", "Plek");

    // Without a location: no table, and the location chooser is there.
    const before = await coordinator.get(`/roosters/nieuw?client=${client}`);
    expect(before.text).to.not.contain("room-table");
    expect(before.text).to.contain('id="f-room-location"');

    // The GET of the chooser, as the browser sends it, with what the coordinator had filled in.
    const res = await coordinator.get(`/roosters/nieuw?client=${client}&financiering=eigen&vanaf=2026-11-23&tot=2027-02-28&weken=elke&dagdelen=3-middag%2C4-ochtend&locatie=${location}`);
    expect(res.status).to.equal(200);
    const html = decode(res.text);
    expect(html).to.contain('<caption id="room-caption">Vrije plaatsen bij Extra locatie');
    expect(html).to.contain("8 weken van 23-11-2026 tot en met 17-1-2027");
    expect(roomCell(html, "maandag", 0)).to.equal("vol op 7-12-2026");
    expect(roomCell(html, "maandag", 1)).to.equal("3 plaatsen vrij");
    expect(roomCell(html, "dinsdag", 0)).to.equal("2 plaatsen vrij");
    expect(roomCell(html, "donderdag", 0)).to.equal("3 plaatsen vrij (1 keer gesloten)");
    expect(roomCell(html, "vrijdag", 1)).to.equal("niet open");
    expect(html).to.not.contain('<th scope="row">zaterdag</th>');
    // Headers for the table, and every other field kept.
    expect(html).to.contain('<th scope="col">ochtend</th>');
    expect(html).to.match(/value="eigen" checked/);
    expect(html).to.contain('name="valid_until" type="date" value="2027-02-28"');
    expect(html).to.match(/value="3-middag" checked/);
    expect(html).to.match(/value="4-ochtend" checked/);
    expect(html).to.match(new RegExp(`<select id="f-location_id" name="location_id"[\\s\\S]*?<option value="${location}" selected`));
    // The chooser carries them on as hidden fields (one for the slots).
    expect(html).to.contain('<input type="hidden" name="dagdelen" value="3-middag,4-ochtend">');

    // In English, with plurals.
    const en = decode((await coordinator.get(`/roosters/nieuw?client=${client}&locatie=${location}&lang=en`)).text);
    expect(en).to.contain("8 weeks from");
    expect(en).to.contain("2 places free").and.to.contain("closed once");
    await coordinator.get("/?lang=nl");
  });

  it("every other week counts only the schedule's own weeks; the client's own place does not count against it", async () => {
    const { db, world } = ctx;
    const location = await makeLocation(db, world, world.providerA, 1);
    // Week 48 (from 23-11) and every other week after it: the Wednesday morning is taken.
    await makeSchedule(db, { client: await makeClient(db, "Even", "Weken"), location, slots: [[3, "ochtend"]], from: "2026-11-23", parity: "even", funding: "eigen" });
    const client = await makeClient(db, "Om", "De Week");
    const every = decode((await coordinator.get(`/roosters/nieuw?client=${client}&locatie=${location}`)).text);
    expect(roomCell(every, "woensdag", 0)).to.equal("vol op 25-11-2026");
    const odd = decode((await coordinator.get(`/roosters/nieuw?client=${client}&locatie=${location}&weken=oneven`)).text);
    expect(roomCell(odd, "woensdag", 0)).to.equal("1 plaats vrij");
    expect(odd).to.contain("alleen de weken van dit rooster");
    const even = decode((await coordinator.get(`/roosters/nieuw?client=${client}&locatie=${location}&weken=even`)).text);
    expect(roomCell(even, "woensdag", 0)).to.equal("vol op 25-11-2026");

    const holder = (await db("schedules").where({ location_id: location }).first()).client_id;
    const own = decode((await coordinator.get(`/roosters/nieuw?client=${holder}&locatie=${location}`)).text);
    expect(roomCell(own, "woensdag", 0)).to.equal("1 plaats vrij");
  });

  it("bad or foreign input: an unknown location shows no table, odd values fall back; a provider is refused (403)", async () => {
    const client = await makeClient(ctx.db, "Rare", "Invoer");
    const unknown = await coordinator.get(`/roosters/nieuw?client=${client}&locatie=999999&vanaf=gisteren&weken=soms`);
    expect(unknown.status).to.equal(200);
    expect(unknown.text).to.not.contain("room-table");
    expect(unknown.text).to.contain('name="valid_from" type="date" value="2026-11-23"');
    expect(unknown.text).to.match(/value="elke" checked/);
    expect((await coordinator.get("/roosters/nieuw?client=999999&locatie=1")).status).to.equal(404);
    const provider = await loginAs(ctx.app, ctx.world.users.providerA.email);
    expect((await provider.get(`/roosters/nieuw?client=${client}&locatie=${ctx.world.locationA}`)).status).to.equal(403);
    const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    expect((await purchaser.get(`/roosters/nieuw?client=${client}&locatie=${ctx.world.locationA}`)).status).to.equal(403);
  });

  describe("a contract gap is told next to the field that causes it", () => {
    it("a schedule that runs past the cover: next to 'tot en met'", async () => {
      const { db, world } = ctx;
      const client = await makeClient(db, "Loopt", "Te Lang");
      const allocation = await makeAllocation(db, { client, purchaser: world.gemeente, provider: world.providerA, product: pw.basis, volume: 3, until: "2028-06-30" });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: world.locationA, allocation, slots: ["1-middag"], from: "2026-11-23", until: "2028-01-31" }));
      expect(res.status).to.equal(422);
      const field = res.text.match(/<div id="f-valid_until-error">([\s\S]*?)<\/div>/)?.[1];
      expect(field).to.be.a("string").and.to.contain("Geen actief contract met");
      expect(res.text).to.contain('<a href="#f-valid_until">');
      expect(res.text).to.not.contain('id="f-allocation_id-error"');
    });

    it("an open-ended schedule whose cover starts later: next to 'vanaf'", async () => {
      const { db, world } = ctx;
      const [p] = await db("products").insert({ code: "07A09", name: "Dagbesteding intensief", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A09", iwmo_unit: "16", active: true, created_at: "x", updated_at: "x" }).returning("id");
      const intensief = typeof p === "object" ? p.id : p;
      await db("contract_lines").insert({ contract_id: pw.contractA2027, product_id: intensief, tariff_cents: 7000, valid_from: "2027-01-01", valid_until: "2027-12-31", created_at: "x", updated_at: "x" });
      const client = await makeClient(db, "Begint", "Te Vroeg");
      const allocation = await makeAllocation(db, { client, purchaser: world.gemeente, provider: world.providerA, product: intensief, volume: 3 });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: world.locationA, allocation, slots: ["2-middag"], from: "2026-11-23" }));
      expect(res.status).to.equal(422);
      const field = res.text.match(/<div id="f-valid_from-error">([\s\S]*?)<\/div>/)?.[1];
      expect(field).to.be.a("string").and.to.contain("Geen actief contract met");
      expect(field).to.contain("23-11-2026 tot en met 31-12-2026");
      // Starting when the cover starts goes through.
      const later = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: world.locationA, allocation, slots: ["2-middag"], from: "2027-01-05" }));
      expect(later.status).to.equal(303);
    });

    it("an open-ended schedule with no cover at all: next to the allocation", async () => {
      const { db, world } = ctx;
      const client = await makeClient(db, "Nergens", "Gedekt");
      const allocation = await makeAllocation(db, { client, purchaser: world.zorgkantoor, provider: world.providerA, product: pw.basis, volume: 3 });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: world.locationA, allocation, slots: ["4-middag"], from: "2026-11-23" }));
      expect(res.status).to.equal(422);
      const field = res.text.match(/<div id="f-allocation_id-error">([\s\S]*?)<\/div>/)?.[1];
      expect(field).to.be.a("string").and.to.contain("Geen actief contract met");
    });
  });
});
