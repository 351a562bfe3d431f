import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildAttendanceWorld, type AttendanceWorld } from "../support/attendance-fixtures";
import { withNameKeys } from "../../src/db/name-keys";
import { WHOLE_LIST_LOCATIONS } from "../../src/attendance/transport";

// The driver's list (/vervoer) on Monday 23 November 2026. Location A runs 09:30–12:30 and
// 13:30–16:30 (the default clock times), location B 09:00–12:00. Who travels: Bert (flag,
// wheelchair) and Cor (vervoer toewijzing) at A on Monday morning, Dina (flag) at B on Monday
// morning, and Gert (flag), added here, at A all day on Monday. Anna is at A all day but
// travels on her own.

/** The part of the page from a heading's id to the end of its table (or its "nobody" line). */
function part(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return "";
  const next = html.indexOf("<h3", start + 1);
  const end = html.indexOf("</section>", start);
  return html.slice(start, next >= 0 && next < end ? next : end);
}

describe("HTTP: the transport list", () => {
  let ctx: TestContext;
  let aw: AttendanceWorld;
  let providerA: Agent;
  let coordinator: Agent;
  let gert: number;

  before(async () => {
    ctx = await startTestApp();
    aw = await buildAttendanceWorld(ctx.db, ctx.world);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    await ctx.db("locations").where({ id: ctx.world.locationB }).update({ morning_start: "09:00", morning_end: "12:00" });
    const at = "2026-11-01T08:00:00.000Z";
    const [g] = await ctx.db("clients")
      .insert({ first_name: "Gert", last_name: "Geurts", village_id: ctx.world.village, street: "Beekstraat 7", postcode: "5988 JK", phone: "077-7777777", needs_transport: true, wheelchair: false, created_at: at, updated_at: at })
      .returning("id");
    gert = Number(typeof g === "object" ? g.id : g);
    const [s] = await ctx.db("schedules")
      .insert({ client_id: gert, location_id: ctx.world.locationA, funding: "pgb", valid_from: "2026-09-01", valid_until: null, week_parity: "elke", created_at: at, updated_at: at })
      .returning("id");
    const scheduleId = Number(typeof s === "object" ? s.id : s);
    await ctx.db("schedule_slots").insert([
      { schedule_id: scheduleId, weekday: 1, dagdeel: "ochtend", created_at: at, updated_at: at },
      { schedule_id: scheduleId, weekday: 1, dagdeel: "middag", created_at: at, updated_at: at },
    ]);
  });
  after(async () => ctx.close());

  it("shows the whole day by default: per dagdeel the rides out (heen) and back (terug) with the location's times", async () => {
    const res = await providerA.get("/vervoer?datum=2026-11-23");
    expect(res.status).to.equal(200);
    const morningOut = part(res.text, "tr-ochtend-heen");
    expect(morningOut).to.contain("Heen: 3 cliënten ophalen");
    for (const name of ["Bert Bos", "Cor Claes", "Gert Geurts"]) expect(morningOut).to.contain(name);
    expect(morningOut).to.contain("09:30");
    expect(morningOut).to.contain("Kerkstraat 2");
    expect(morningOut).to.contain("5988 CD");
    expect(morningOut).to.contain('href="tel:06-22222222"');
    expect(morningOut).to.match(/Bert Bos[\s\S]*?<strong>ja<\/strong>/); // wheelchair
    expect(morningOut).to.match(/Gert Geurts <span class="att-tag">blijft de hele dag<\/span>/);
    expect(morningOut).to.not.contain("Anna Aarts"); // no transport
    expect(morningOut).to.not.contain("Dina Dirks"); // provider B's location

    // The whole-day client is not taken home at noon, nor fetched again after lunch.
    const morningBack = part(res.text, "tr-ochtend-terug");
    expect(morningBack).to.contain("Terug: 2 cliënten thuisbrengen");
    expect(morningBack).to.contain("Bert Bos");
    expect(morningBack).to.contain("Cor Claes");
    expect(morningBack).to.contain("12:30");
    expect(morningBack).to.not.contain("Gert Geurts");
    const afternoonOut = part(res.text, "tr-middag-heen");
    expect(afternoonOut).to.contain("hoeft niemand te worden opgehaald");
    const afternoonBack = part(res.text, "tr-middag-terug");
    expect(afternoonBack).to.contain("Terug: 1 cliënt thuisbrengen");
    expect(afternoonBack).to.contain("Gert Geurts");
    expect(afternoonBack).to.contain("16:30");
    expect(afternoonBack).to.contain("sinds de ochtend");
  });

  it("one dagdeel on request: the afternoon shows only Gert going home", async () => {
    const res = await providerA.get("/vervoer?datum=2026-11-23&dagdeel=middag");
    expect(res.status).to.equal(200);
    expect(res.text).to.not.contain('id="tr-ochtend"');
    expect(part(res.text, "tr-middag-heen")).to.contain("hoeft niemand te worden opgehaald");
    expect(part(res.text, "tr-middag-terug")).to.contain("Gert Geurts");
  });

  it("the coordinator sees every location (with each location's own times), or one", async () => {
    const all = await coordinator.get("/vervoer?datum=2026-11-23");
    const out = part(all.text, "tr-ochtend-heen");
    expect(out).to.match(/09:00<\/td>\s*<th scope="row">Dina Dirks/);
    expect(part(all.text, "tr-ochtend-terug")).to.match(/12:00<\/td>\s*<th scope="row">Dina Dirks/);
    const one = await coordinator.get(`/vervoer?datum=2026-11-23&locatie=${ctx.world.locationB}`);
    expect(one.text).to.contain("Dina Dirks");
    expect(one.text).to.not.contain("Bert Bos");
  });

  it("with a region's locations it asks for one location or a village first, then lists that village", async () => {
    const fresh = await startTestApp();
    try {
      await buildAttendanceWorld(fresh.db, fresh.world);
      const [v] = await fresh.db("villages").insert(withNameKeys("villages", { name: "Baarlo", municipality: "Peel en Maas", gemeentecode: "1894", province: "LI", created_at: "x", updated_at: "x" })).returning("id");
      const baarlo = Number(typeof v === "object" ? v.id : v);
      for (let i = 0; i < WHOLE_LIST_LOCATIONS; i++) await fresh.db("locations").insert(withNameKeys("locations", { provider_id: fresh.world.providerA, name: `Baarlo ${i}`, street: "Markt 1", postcode: "5991 AA", village_id: baarlo, created_at: "x", updated_at: "x" }));
      const agent = await loginAs(fresh.app, fresh.world.users.coordinator.email);
      const all = await agent.get("/vervoer?datum=2026-11-23");
      expect(all.status).to.equal(200);
      expect(all.text).to.contain("Kies een locatie of een kern").and.to.not.contain("Bert");
      const helden = await agent.get(`/vervoer?datum=2026-11-23&kern=${fresh.world.village}`);
      expect(helden.text).to.contain("Bert").and.to.not.contain("Kies een locatie of een kern");
      expect((await agent.get("/vervoer?kern=abc")).status).to.equal(422);
    } finally {
      await fresh.close();
    }
  });

  it("an absent client is 'niet ophalen'; absent in the morning only, a whole-day client is fetched after lunch", async () => {
    let res = await postForm(providerA, `/aanwezigheid/locaties/${ctx.world.locationA}/registreren`, { client_id: String(aw.bert), date: "2026-11-23", dagdeel: "ochtend", status: "afgemeld" }, "/aanwezigheid");
    expect(res.status).to.equal(303);
    res = await postForm(providerA, `/aanwezigheid/locaties/${ctx.world.locationA}/registreren`, { client_id: String(gert), date: "2026-11-23", dagdeel: "ochtend", status: "ziek" }, "/aanwezigheid");
    expect(res.status).to.equal(303);
    const list = await providerA.get("/vervoer?datum=2026-11-23");
    const notComing = part(list.text, "tr-ochtend-niet");
    expect(notComing).to.contain("Niet ophalen: 2 cliënten afgemeld of ziek");
    expect(notComing).to.match(/Bert Bos[\s\S]*afgemeld/);
    expect(notComing).to.match(/Gert Geurts[\s\S]*ziek/);
    expect(part(list.text, "tr-ochtend-heen")).to.not.contain("Bert Bos");
    expect(part(list.text, "tr-ochtend-heen")).to.not.contain("Gert Geurts");
    expect(part(list.text, "tr-ochtend-terug")).to.not.contain("Bert Bos");
    // Gert still comes in the afternoon: out and back then, without the whole-day tag.
    const afternoonOut = part(list.text, "tr-middag-heen");
    expect(afternoonOut).to.contain("Gert Geurts");
    expect(afternoonOut).to.contain("13:30");
    expect(afternoonOut).to.not.contain("blijft de hele dag");
    expect(part(list.text, "tr-middag-terug")).to.contain("Gert Geurts");
  });

  it("speaks English too, with plurals", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    await postForm(agent, "/taal", { locale: "en", back: "/" });
    const res = await agent.get(`/vervoer?datum=2026-11-23&locatie=${ctx.world.locationB}`);
    expect(res.text).to.contain("Out: pick up 1 client");
    expect(res.text).to.contain("Back: take 1 client home");
  });

  it("is printable: print CSS gives the tables borders; on a phone each row is stacked", async () => {
    const css = await providerA.get("/static/app.css");
    expect(css.text).to.match(/@media print[\s\S]*\.att-transport-table/);
    expect(css.text).to.match(/@media \(max-width: 40rem\) \{\s*table\.att-stack/);
  });

  it("answers bad input with 422, another provider's location with 404, and needs a login", async () => {
    expect((await providerA.get("/vervoer?datum=2026-02-30")).status).to.equal(422);
    const bad = await providerA.get("/vervoer?datum=2026-11-23&dagdeel=avond");
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('value="2026-11-23"');
    expect((await providerA.get(`/vervoer?datum=2026-11-23&locatie=${ctx.world.locationB}`)).status).to.equal(404);
    expect((await providerA.get("/vervoer?locatie=abc")).status).to.equal(422);
    const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    expect((await purchaser.get("/vervoer")).status).to.equal(403);
  });
});
