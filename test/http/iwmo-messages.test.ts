import { expect } from "chai";
import { validateIwmo } from "../../src/iwmo/schema";
import { readWmo305, readWmo307 } from "../../src/iwmo/wmo305-307";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildAttendanceWorld, type AttendanceWorld } from "../support/attendance-fixtures";
import { countRows, insertRow } from "../support/iwmo-fixtures";

// WMO305 (start) and WMO307 (stop) over HTTP, on Monday 2026-11-23: due when the first dagdeel
// is attended (or a schedule starts, by the gemeente's setting), stopped when the schedules end,
// the client ends or the allocation ends early; listed due / overdue (5 werkdagen) / sent per
// provider; downloaded as XML valid against the XSD and marked sent by the provider.

describe("HTTP: iWmo start and stop messages (Berichten)", function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let aw: AttendanceWorld;
  let providerA: Agent;
  let providerB: Agent;
  let coordinator: Agent;
  let gemeente: Agent;
  let locA: number;
  const TODAY = "2026-11-23";
  const ref = { anna: "104201", cor: "104202", corRit: "104203", els: "104204" };

  before(async () => {
    ctx = await startTestApp();
    aw = await buildAttendanceWorld(ctx.db, ctx.world);
    // A ToewijzingNummer is a number (the shared fixture uses words).
    for (const [from, to] of [["T-ANNA", ref.anna], ["T-COR", ref.cor], ["V-COR", ref.corRit], ["T-ELS", ref.els]]) await ctx.db("allocations").where({ reference: from }).update({ reference: to });
    await ctx.db("clients").where({ id: aw.cor }).update({ bsn: "999990020", birth_date: "1951-02-03" });
    await ctx.db("clients").where({ id: aw.anna }).update({ birth_date: "1950-05-04" });
    await ctx.db("clients").where({ id: aw.els }).update({ bsn: "999990032", birth_date: "1949-07-08" });
    locA = ctx.world.locationA;
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
  });
  after(async () => ctx.close());

  const listUrl = (date: string) => `/aanwezigheid/locaties/${locA}?datum=${date}`;
  const record = (client: number, date: string, status = "aanwezig", dagdeel = "ochtend") =>
    postForm(providerA, `/aanwezigheid/locaties/${locA}/registreren`, { client_id: String(client), date, dagdeel, status }, listUrl(date));
  const allocationOf = async (reference: string) => (await ctx.db("allocations").where({ reference }).first()).id as number;
  const messages = async (reference: string, status?: string) =>
    ctx.db("iwmo_messages").where({ allocation_id: await allocationOf(reference), ...(status ? { status } : {}) }).orderBy("id");
  const openOf = async (reference: string, kind: "start" | "stop") => (await messages(reference, "open")).find((m) => m.kind === kind);
  const markSent = (agent: Agent, id: number) => postForm(agent, `/berichten/${id}/verzonden`, {}, "/berichten");

  describe("start (WMO305)", () => {
    it("owes nothing before the first attended dagdeel", async () => {
      expect(await countRows(ctx.db, "iwmo_messages")).to.equal(0);
      const res = await providerA.get("/berichten");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Er zijn geen berichten te versturen.");
    });

    it("is due when the first dagdeel under the allocation is attended, to send within 5 werkdagen", async () => {
      expect((await record(aw.anna, "2026-11-16")).status).to.equal(303);
      const start = await openOf(ref.anna, "start");
      expect(start).to.include({ start_date: "2026-11-16", due_on: "2026-11-16", deadline: "2026-11-23", provider_id: ctx.world.providerA, purchaser_id: ctx.world.gemeente });
      const page = await providerA.get("/berichten?toon=open");
      expect(page.text).to.contain("Aarts, Anna");
      expect(page.text).to.contain("WMO305 start zorg");
      expect(page.text).to.contain("begonnen op 16-11-2026");
      expect(page.text).to.contain("23-11-2026");
      expect(page.text).to.not.contain(">te laat<");
    });

    it("moves to an earlier attended dagdeel, and is overdue after 5 werkdagen — on the provider's and coordinator's home pages too", async () => {
      await record(aw.anna, "2026-11-09");
      expect(await openOf(ref.anna, "start")).to.include({ start_date: "2026-11-09", deadline: "2026-11-16" });
      const list = await providerA.get("/berichten");
      expect(list.text).to.contain("Te laat: 1–1 van 1");
      expect(list.text).to.contain("te laat");
      const home = await providerA.get("/");
      expect(home.text).to.match(/<span class="figure">1<\/span> <a href="\/berichten\?toon=te-laat">bericht te laat \(start of stop\)/);
      expect(home.text).to.contain("Start- en stopberichten te laat");
      expect(home.text).to.contain("uiterlijk 16-11-2026");
      const coord = await coordinator.get("/");
      expect(coord.text).to.match(/<span class="figure">1<\/span> <a href="\/berichten\?toon=te-laat">/);
      const other = await providerB.get("/");
      expect(other.text).to.match(/<span class="figure">0<\/span> <a href="\/berichten\?toon=te-laat">/);
    });

    it("goes back when that recording is undone", async () => {
      const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/ongedaan-maken`, { client_id: String(aw.anna), date: "2026-11-09", dagdeel: "ochtend" }, listUrl("2026-11-09"));
      expect(res.status).to.equal(303);
      expect(await openOf(ref.anna, "start")).to.include({ start_date: "2026-11-16", deadline: "2026-11-23" });
      expect((await messages(ref.anna)).filter((m) => m.kind === "start")).to.have.length(1);
    });

    it("downloads as XML valid against WMO305.xsd, for the provider only", async () => {
      const start = await openOf(ref.anna, "start");
      const res = await providerA.get(`/berichten/${start.id}/bericht.xml`);
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.contain("application/xml");
      expect(res.headers["content-disposition"]).to.contain(`WMO305-DGD5${String(start.id).padStart(8, "0")}.xml`);
      expect((await validateIwmo("WMO305", res.text)).problems).to.deep.equal([]);
      const m = readWmo305(res.text);
      expect(m.header).to.include({ afzender: "98000001", ontvanger: "1894", dagtekening: TODAY });
      expect(m.client).to.deep.include({ bsn: aw.annaBsn, geboortedatum: "1950-05-04" });
      expect(m.producten).to.deep.equal([{ toewijzingNummer: ref.anna, categorie: "07", code: "07A01", toewijzingIngangsdatum: "2026-09-01", begindatum: "2026-11-16", statusAanlevering: "1" }]);
      // It carries the full BSN: who downloaded it is in the audit log.
      const audit = await ctx.db("audit_log").where({ entity: "iwmo_message", entity_id: start.id, action: "download" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.providerA.id);

      expect((await coordinator.get(`/berichten/${start.id}/bericht.xml`)).status).to.equal(403);
      expect((await gemeente.get(`/berichten/${start.id}/bericht.xml`)).status).to.equal(403);
      expect((await providerB.get(`/berichten/${start.id}/bericht.xml`)).status).to.equal(404);
      expect((await providerA.get("/berichten/99999/bericht.xml")).status).to.equal(404);
    });

    it("names what keeps a message from being written instead of sending an invalid one (422)", async () => {
      const start = await openOf(ref.anna, "start");
      await ctx.db("allocations").where({ reference: ref.anna }).update({ reference: "PM-T-104201" });
      try {
        const res = await providerA.get(`/berichten/${start.id}/bericht.xml`);
        expect(res.status).to.equal(422);
        expect(res.text).to.contain("Het toewijzingsnummer is geen getal van hoogstens 9 cijfers");
      } finally {
        await ctx.db("allocations").where({ reference: "PM-T-104201" }).update({ reference: ref.anna });
      }
    });
  });

  describe("stop (WMO307)", () => {
    let scheduleEnded = false;

    it("is due when the last schedule under the allocation ends, and waits for the start to be sent first", async () => {
      const res = await postForm(coordinator, `/roosters/${aw.annaSchedule}/beeindigen`, { valid_until: "2026-11-22" }, `/roosters/${aw.annaSchedule}`);
      expect(res.status).to.equal(303);
      scheduleEnded = true;
      const stop = await openOf(ref.anna, "stop");
      expect(stop).to.include({ start_date: "2026-11-16", end_date: "2026-11-22", cause: "schedulesEnded", reason: "23", due_on: "2026-11-22", deadline: "2026-11-27" });
      const refused = await markSent(providerA, stop.id);
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain("Verstuur eerst het startbericht");
      expect((await ctx.db("iwmo_messages").where({ id: stop.id }).first()).status).to.equal("open");
    });

    it("takes the provider's RedenBeeindiging (20 = temporary stop), audited; refuses a code not on the list", async () => {
      expect(scheduleEnded).to.equal(true);
      const stop = await openOf(ref.anna, "stop");
      const page = await providerA.get("/berichten?toon=open");
      expect(page.text).to.contain(`<select id="reason-${stop.id}" name="reason">`);
      const res = await postForm(providerA, `/berichten/${stop.id}/reden`, { reason: "20" }, "/berichten");
      expect(res.status).to.equal(303);
      expect(await ctx.db("iwmo_messages").where({ id: stop.id }).first()).to.include({ reason: "20" });
      const audit = await ctx.db("audit_log").where({ entity: "iwmo_message", entity_id: stop.id, action: "choose_reason" }).first();
      expect(JSON.parse(audit.details)).to.deep.equal({ before: "23", after: "20" });
      const bad = await postForm(providerA, `/berichten/${stop.id}/reden`, { reason: "99" }, "/berichten");
      expect(bad.status).to.equal(422);
      expect(bad.text).to.contain("Kies een reden uit de lijst.");
      expect((await postForm(providerB, `/berichten/${stop.id}/reden`, { reason: "02" }, "/berichten")).status).to.equal(404);
      expect((await postForm(coordinator, `/berichten/${stop.id}/reden`, { reason: "02" }, "/berichten")).status).to.equal(403);
      expect((await ctx.db("iwmo_messages").where({ id: stop.id }).first()).reason).to.equal("20");
    });

    it("marks the start and then the stop as sent, each once, audited; the sent XML passes WMO307.xsd", async () => {
      const start = await openOf(ref.anna, "start");
      const stop = await openOf(ref.anna, "stop");
      expect((await markSent(providerB, start.id)).status).to.equal(404);
      expect((await markSent(coordinator, start.id)).status).to.equal(403);
      expect((await markSent(providerA, start.id)).status).to.equal(303);
      const sent = await ctx.db("iwmo_messages").where({ id: start.id }).first();
      expect(sent).to.include({ status: "verzonden", bericht_identificatie: `DGD5${String(start.id).padStart(8, "0")}`, dagtekening: TODAY, sent_by: ctx.world.users.providerA.id });
      expect((await validateIwmo("WMO305", sent.xml)).valid).to.equal(true);
      expect(await ctx.db("audit_log").where({ entity: "iwmo_message", entity_id: start.id, action: "send_wmo305" }).first()).to.not.equal(undefined);
      const again = await markSent(providerA, start.id);
      expect(again.status).to.equal(422);
      expect(again.text).to.contain("Dit bericht is al verzonden.");

      expect((await markSent(providerA, stop.id)).status).to.equal(303);
      const xml = (await providerA.get(`/berichten/${stop.id}/bericht.xml`)).text;
      expect((await validateIwmo("WMO307", xml)).problems).to.deep.equal([]);
      expect(readWmo307(xml).producten[0]).to.include({ toewijzingNummer: ref.anna, begindatum: "2026-11-16", einddatum: "2026-11-22", redenBeeindiging: "20" });
      const page = await providerA.get("/berichten?toon=verzonden");
      expect(page.text).to.contain("Verzonden: 1–2 van 2");
      expect(page.text).to.contain(`DGD7${String(stop.id).padStart(8, "0")}`);
      expect(page.text).to.not.contain(`/berichten/${stop.id}/verzonden`);
    });

    it("after a temporary stop, owes a new start when care resumes", async () => {
      await insertRow(ctx.db, "schedules", { client_id: aw.anna, location_id: locA, funding: "toewijzing", allocation_id: await allocationOf(ref.anna), contract_id: ctx.world.contractA, product_id: aw.dagbesteding, valid_from: TODAY, valid_until: null, week_parity: "elke" }).then((id) =>
        insertRow(ctx.db, "schedule_slots", { schedule_id: id, weekday: 1, dagdeel: "ochtend" }),
      );
      expect(await openOf(ref.anna, "start")).to.equal(undefined);
      expect((await record(aw.anna, TODAY)).status).to.equal(303);
      expect(await openOf(ref.anna, "start")).to.include({ start_date: TODAY, deadline: "2026-11-30" });
    });

    it("is due when the client ends, for the ride allocation too", async () => {
      await record(aw.cor, "2026-11-16");
      const start = await openOf(ref.cor, "start");
      expect(start).to.include({ start_date: "2026-11-16" });
      // Rides start with the first attended dagdeel under the gemeente's day-care allocation.
      expect(await openOf(ref.corRit, "start")).to.include({ start_date: "2026-11-16" });
      await markSent(providerA, start.id);
      const res = await postForm(coordinator, `/clienten/${aw.cor}/beeindigen`, { ended_on: "2026-11-20" }, `/clienten/${aw.cor}/beeindigen`);
      expect(res.status).to.equal(303);
      expect(await openOf(ref.cor, "stop")).to.include({ start_date: "2026-11-16", end_date: "2026-11-20", cause: "client", deadline: "2026-11-27" });
      expect(await openOf(ref.corRit, "stop")).to.include({ end_date: "2026-11-20", cause: "client" });
    });

    it("is due when the allocation ends early", async () => {
      const extra = await postForm(providerA, `/aanwezigheid/locaties/${locA}/extra`, { client_id: String(aw.els), date: "2026-11-16", dagdeel: "middag" }, listUrl("2026-11-16"));
      expect(extra.status).to.equal(303);
      expect(await openOf(ref.els, "start")).to.include({ start_date: "2026-11-16" });
      expect((await openOf(ref.els, "stop"))?.end_date).to.equal("2027-08-31");
      const id = await allocationOf(ref.els);
      const res = await postForm(coordinator, `/toewijzingen/${id}/wijzigen`, {
        reference: ref.els, purchaser_id: String(ctx.world.gemeente), provider_id: String(ctx.world.providerA), product_id: String(aw.dagbesteding),
        volume: "3", frequency: "week", valid_from: "2026-09-01", valid_until: "2026-11-20",
      }, `/toewijzingen/${id}/wijzigen`);
      expect(res.status).to.equal(303);
      expect(await openOf(ref.els, "stop")).to.include({ end_date: "2026-11-20", due_on: "2026-11-20" });
    });

    it("is not sent before it is due", async () => {
      const future = await ctx.db("iwmo_messages").where("status", "open").where("due_on", ">", TODAY).where("provider_id", ctx.world.providerA).first();
      expect(future, "a stop planned for later").to.not.equal(undefined);
      const res = await markSent(providerA, future.id);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("nog niet aan de beurt");
    });
  });

  describe("the gemeente's setting and the pages per role", () => {
    it("with 'rooster', owes a start from the first day of a schedule, without attendance; audited; only the gemeente sets it", async () => {
      const dirk = await insertRow(ctx.db, "clients", { first_name: "Dirk", last_name: "Driessen", bsn: "999990044", birth_date: "1952-01-01", village_id: ctx.world.village, needs_transport: false, wheelchair: false });
      const allocation = await insertRow(ctx.db, "allocations", { client_id: dirk, purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA, product_id: aw.dagbesteding, volume: 2, frequency: "week", valid_from: "2026-11-01", valid_until: "2027-10-31", reference: "104205" });
      const s = await insertRow(ctx.db, "schedules", { client_id: dirk, location_id: locA, funding: "toewijzing", allocation_id: allocation, contract_id: ctx.world.contractA, product_id: aw.dagbesteding, valid_from: "2026-11-02", valid_until: "2027-10-31", week_parity: "elke" });
      await insertRow(ctx.db, "schedule_slots", { schedule_id: s, weekday: 2, dagdeel: "ochtend" });

      for (const agent of [providerA, coordinator, await loginAs(ctx.app, ctx.world.users.zorgkantoor.email)]) {
        const res = await postForm(agent, "/berichten/instellingen", { trigger: "rooster" }, "/");
        expect(res.status).to.equal(403);
      }
      expect((await ctx.db("organisations").where({ id: ctx.world.gemeente }).first()).iwmo_start_trigger).to.equal("aanwezigheid");
      const bad = await postForm(gemeente, "/berichten/instellingen", { trigger: "morgen" }, "/berichten");
      expect(bad.status).to.equal(422);

      const res = await postForm(gemeente, "/berichten/instellingen", { trigger: "rooster" }, "/berichten");
      expect(res.status).to.equal(303);
      expect((await ctx.db("organisations").where({ id: ctx.world.gemeente }).first()).iwmo_start_trigger).to.equal("rooster");
      const audit = await ctx.db("audit_log").where({ entity: "organisation", entity_id: ctx.world.gemeente, action: "update" }).orderBy("id", "desc").first();
      expect(JSON.parse(audit.details)).to.deep.equal({ iwmo_start_trigger: { before: "aanwezigheid", after: "rooster" } });
      expect(await openOf("104205", "start")).to.include({ start_date: "2026-11-02", deadline: "2026-11-09" });
      expect(await openOf("104205", "stop")).to.include({ end_date: "2027-10-31", cause: "allocationEnd", reason: "19" });
      // A start already sent stays as it was sent.
      expect((await messages(ref.anna, "verzonden")).map((m) => m.start_date)).to.deep.equal(["2026-11-16", "2026-11-16"]);
    });

    it("shows the coordinator every provider's counts, and each list read-only", async () => {
      const res = await coordinator.get("/berichten");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Per aanbieder");
      expect(res.text).to.contain(`href="/berichten?aanbieder&#x3D;${ctx.world.providerA}"`); // handlebars escapes "="
      expect(res.text).to.contain("Zorgboerderij A");
      expect(res.text).to.not.contain("Markeer als verzonden");
      const one = await coordinator.get(`/berichten?aanbieder=${ctx.world.providerA}&toon=te-laat`);
      expect(one.text).to.contain("Driessen, Dirk");
      expect(one.text).to.contain(`href="/clienten/`);
    });

    it("shows a provider only its own messages, and refuses the admin (403)", async () => {
      const b = await providerB.get("/berichten?toon=te-laat");
      expect(b.status).to.equal(200);
      expect(b.text).to.not.contain("Driessen");
      expect(b.text).to.contain("Er zijn geen berichten te laat.");
      // A provider cannot widen its list to another provider.
      const sneaky = await providerB.get(`/berichten?aanbieder=${ctx.world.providerA}&toon=te-laat`);
      expect(sneaky.text).to.not.contain("Driessen");
      const admin = await loginAs(ctx.app, ctx.world.users.admin.email);
      expect((await admin.get("/berichten")).status).to.equal(403);
      expect((await admin.get("/")).text).to.not.contain('href="/berichten"');
      expect((await providerA.get("/")).text).to.contain('href="/berichten"');
    });

    it("shows the gemeente its own page: the setting, the upload of received messages", async () => {
      const res = await gemeente.get("/berichten");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Wanneer telt de zorg als begonnen?");
      expect(res.text).to.match(/value="rooster" checked/);
      expect(res.text).to.contain('action="/berichten/ontvangen"');
    });
  });
});
