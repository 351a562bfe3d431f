import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildAttendanceWorld, insertAttendance, type AttendanceWorld } from "../support/attendance-fixtures";

// Recording attendance over HTTP on Monday 2026-11-23: one status, a change, undo, everyone
// present, an extra client; the lock of a declared month; scope and roles; bad input.

describe("HTTP: recording attendance", () => {
  let ctx: TestContext;
  let aw: AttendanceWorld;
  let providerA: Agent;
  let locA: number;
  const TODAY = "2026-11-23";

  before(async () => {
    ctx = await startTestApp();
    aw = await buildAttendanceWorld(ctx.db, ctx.world);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    locA = ctx.world.locationA;
  });
  after(async () => ctx.close());

  const listUrl = (date = TODAY, location = locA) => `/aanwezigheid/locaties/${location}?datum=${date}`;
  const record = (agent: Agent, body: Record<string, string | number>, location = locA) =>
    postForm(agent, `/aanwezigheid/locaties/${location}/registreren`, stringify(body), listUrl(TODAY, location));
  const row = (client: number, date = TODAY, dagdeel = "ochtend") => ctx.db("attendance").where({ client_id: client, date, dagdeel }).first();
  const audits = (client: number, action?: string) =>
    ctx.db("audit_log").where({ entity: "attendance" }).orderBy("id").then((rows) =>
      rows.filter((a) => JSON.parse(a.details).client_id === client && (!action || a.action === action)).map((a) => ({ ...a, details: JSON.parse(a.details) })),
    );

  describe("the daily list", () => {
    it("shows everyone expected per dagdeel, with one button per status", async () => {
      const res = await providerA.get(listUrl());
      expect(res.status).to.equal(200);
      const ochtend = section(res.text, "ochtend");
      const middag = section(res.text, "middag");
      for (const name of ["Anna Aarts", "Bert Bos", "Cor Claes"]) expect(ochtend).to.contain(name);
      expect(middag).to.contain("Anna Aarts");
      expect(middag).to.not.contain("Bert Bos");
      expect(res.text).to.not.contain("Dina Dirks"); // provider B's location
      expect(ochtend).to.contain(`id="c-${aw.anna}-ochtend"`);
      for (const status of ["aanwezig", "afgemeld", "ziek", "niet_verschenen"]) expect(ochtend).to.contain(`name="status" value="${status}"`);
      expect(ochtend).to.contain("Iedereen aanwezig (3 cliënten)");
    });

    it("shows a closed dagdeel as closed, with nobody expected and no buttons", async () => {
      const res = await providerA.get(listUrl("2026-11-18"));
      expect(res.status).to.equal(200);
      expect(section(res.text, "ochtend")).to.contain("Gesloten: Studiedag");
      expect(res.text).to.not.contain('name="status"');
    });

    it("offers only afgemeld for a day after today", async () => {
      const res = await providerA.get(listUrl("2026-11-30"));
      expect(res.text).to.contain('value="afgemeld"');
      expect(res.text).to.not.contain('value="aanwezig"');
      expect(res.text).to.not.contain("iedereen-aanwezig");
    });
  });

  describe("one status, a change and undo", () => {
    it("records aanwezig, redirects back to the client's place in the list, and audits it", async () => {
      const res = await record(providerA, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "aanwezig" });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/aanwezigheid/locaties/${locA}?datum=${TODAY}#c-${aw.anna}-ochtend`);
      const saved = await row(aw.anna);
      expect(saved.status).to.equal("aanwezig");
      expect(saved.location_id).to.equal(locA);
      expect(saved.recorded_by).to.equal(ctx.world.users.providerA.id);
      const [audit] = await audits(aw.anna, "record");
      expect(audit.user_id).to.equal(ctx.world.users.providerA.id);
      expect(audit.entity_id).to.equal(saved.id);
      expect(audit.details).to.include({ client_id: aw.anna, date: TODAY, dagdeel: "ochtend", old: null, new: "aanwezig" });
      const page = await providerA.get(res.headers.location);
      expect(page.text).to.contain("Anna Aarts: aanwezig (ochtend).");
      expect(entry(page.text, aw.anna, "ochtend")).to.contain('value="aanwezig" class="att-button att-aanwezig is-current" aria-pressed="true"');
    });

    // Each test below starts from the state the one before leaves; alone it makes that state.
    const annaThisMorning = async (status: string) => {
      if ((await row(aw.anna))?.status !== status) await record(providerA, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status });
    };

    it("changes it: still one row, audited old → new", async () => {
      await annaThisMorning("aanwezig");
      const res = await record(providerA, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "ziek" });
      expect(res.status).to.equal(303);
      const rows = await ctx.db("attendance").where({ client_id: aw.anna, date: TODAY, dagdeel: "ochtend" });
      expect(rows).to.have.length(1);
      expect(rows[0].status).to.equal("ziek");
      const changes = await audits(aw.anna, "record");
      expect(changes.at(-1)!.details).to.include({ old: "aanwezig", new: "ziek" });
    });

    it("the same status again changes nothing and writes no audit", async () => {
      await annaThisMorning("ziek");
      const before = (await audits(aw.anna)).length;
      const res = await record(providerA, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "ziek" });
      expect(res.status).to.equal(303);
      expect((await audits(aw.anna)).length).to.equal(before);
    });

    it("undo deletes the row: back to not yet recorded, audited", async () => {
      await annaThisMorning("ziek");
      const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/ongedaan-maken`, stringify({ client_id: aw.anna, date: TODAY, dagdeel: "ochtend" }), listUrl());
      expect(res.status).to.equal(303);
      expect(await row(aw.anna)).to.equal(undefined);
      const [undo] = await audits(aw.anna, "undo");
      expect(undo.details).to.include({ old: "ziek", new: null });
      const page = await providerA.get(listUrl());
      expect(entry(page.text, aw.anna, "ochtend")).to.contain("Nog niet geregistreerd");
    });

    it("undo of nothing is refused (422)", async () => {
      const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/ongedaan-maken`, stringify({ client_id: aw.anna, date: TODAY, dagdeel: "ochtend" }), listUrl());
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("niets geregistreerd om ongedaan te maken");
    });
  });

  describe("everyone present", () => {
    it("marks everyone expected without a row as aanwezig in one go, and leaves recorded ones alone", async () => {
      await record(providerA, { client_id: aw.bert, date: TODAY, dagdeel: "ochtend", status: "afgemeld" });
      const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/iedereen-aanwezig`, { date: TODAY, dagdeel: "ochtend" }, listUrl());
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.match(/#d-ochtend$/);
      expect((await row(aw.anna)).status).to.equal("aanwezig");
      expect((await row(aw.cor)).status).to.equal("aanwezig");
      expect((await row(aw.bert)).status).to.equal("afgemeld");
      expect(await row(aw.anna, TODAY, "middag")).to.equal(undefined);
      const bulk = await ctx.db("audit_log").where({ entity: "attendance", action: "record_everyone_present" });
      expect(bulk).to.have.length(2);
      const page = await providerA.get(res.headers.location);
      expect(page.text).to.contain("2 cliënten aanwezig gemeld (ochtend).");
      expect(section(page.text, "ochtend")).to.not.contain("iedereen-aanwezig");
    });
  });

  describe("an extra client", () => {
    it("adds a client known at the provider as extra, shown apart from the plan", async () => {
      const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/extra`, stringify({ client_id: aw.els, date: TODAY, dagdeel: "middag" }), listUrl());
      expect(res.status).to.equal(303);
      expect((await row(aw.els, TODAY, "middag")).status).to.equal("extra");
      const [audit] = await audits(aw.els, "record");
      expect(audit.details).to.include({ old: null, new: "extra" });
      const page = await providerA.get(listUrl());
      const els = entry(page.text, aw.els, "middag");
      expect(els).to.contain("Els Evers");
      expect(els).to.contain("niet ingeroosterd");
      expect(els).to.contain("ongedaan-maken");
    });

    it("lists only clients known at the provider's locations to choose from", async () => {
      const page = await providerA.get(listUrl());
      const select = page.text.slice(page.text.indexOf('id="f-client_id"'));
      expect(select).to.contain("Evers, Els");
      expect(select).to.not.contain("Faes, Fien");
      expect(select).to.not.contain("Dirks, Dina");
      const searched = await providerA.get(`${listUrl()}&zoek=eve`);
      const list = searched.text.slice(searched.text.indexOf('id="f-client_id"'));
      expect(list).to.contain("Evers, Els");
      expect(list).to.not.contain("Aarts, Anna");
    });

    it("refuses another provider's client, a client already expected, and a second row (422, nothing saved)", async () => {
      const foreign = await postForm(providerA, `/aanwezigheid/locaties/${locA}/extra`, stringify({ client_id: aw.fien, date: TODAY, dagdeel: "middag" }), listUrl());
      expect(foreign.status).to.equal(422);
      expect(foreign.text).to.contain('id="f-client_id-error"');
      expect(await row(aw.fien, TODAY, "middag")).to.equal(undefined);
      const expected = await postForm(providerA, `/aanwezigheid/locaties/${locA}/extra`, stringify({ client_id: aw.anna, date: TODAY, dagdeel: "middag" }), listUrl());
      expect(expected.status).to.equal(422);
      expect(expected.text).to.contain("staat op dit dagdeel al op de lijst");
      const twice = await postForm(providerA, `/aanwezigheid/locaties/${locA}/extra`, stringify({ client_id: aw.els, date: TODAY, dagdeel: "middag" }), listUrl());
      expect(twice.status).to.equal(422);
      expect(twice.text).to.contain("al geregistreerd");
    });

    it("a coordinator may add anyone, at any location", async () => {
      const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
      const res = await postForm(coordinator, `/aanwezigheid/locaties/${locA}/extra`, stringify({ client_id: aw.fien, date: "2026-11-20", dagdeel: "ochtend" }), listUrl());
      expect(res.status).to.equal(303);
      expect((await row(aw.fien, "2026-11-20")).status).to.equal("extra");
    });
  });

  describe("the lock of a declared month", () => {
    const OCT = "2026-10-05"; // a Monday in October: provider A declared October to the gemeente

    it("refuses a change in a declared month with a pointer to a correction declaration (422)", async () => {
      const res = await record(providerA, { client_id: aw.anna, date: OCT, dagdeel: "ochtend", status: "aanwezig" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("oktober 2026 is al gedeclareerd");
      expect(res.text).to.contain("correctiedeclaratie");
      expect(await row(aw.anna, OCT)).to.equal(undefined);
    });

    it("never locks a PGB client in the same month", async () => {
      const res = await record(providerA, { client_id: aw.bert, date: OCT, dagdeel: "ochtend", status: "aanwezig" });
      expect(res.status).to.equal(303);
      expect((await row(aw.bert, OCT)).status).to.equal("aanwezig");
    });

    it("shows locked dagdelen as locked, without buttons", async () => {
      const page = await providerA.get(listUrl(OCT));
      const anna = entry(page.text, aw.anna, "ochtend");
      expect(anna).to.contain("Vergrendeld: gedeclareerd");
      expect(anna).to.not.contain('name="status"');
      expect(entry(page.text, aw.bert, "ochtend")).to.contain('name="status"');
    });

    it("refuses undo of a declared row, and an extra in a declared month", async () => {
      await insertAttendance(ctx.db, [{ client_id: aw.cor, location_id: locA, date: OCT, dagdeel: "ochtend", status: "aanwezig" }]);
      const undo = await postForm(providerA, `/aanwezigheid/locaties/${locA}/ongedaan-maken`, stringify({ client_id: aw.cor, date: OCT, dagdeel: "ochtend" }), listUrl());
      expect(undo.status).to.equal(422);
      expect(undo.text).to.contain("correctiedeclaratie");
      expect((await row(aw.cor, OCT)).status).to.equal("aanwezig");
      // Els has a gemeente toewijzing with provider A: an extra visit would be the gemeente's to pay.
      const extra = await postForm(providerA, `/aanwezigheid/locaties/${locA}/extra`, stringify({ client_id: aw.els, date: "2026-10-07", dagdeel: "ochtend" }), listUrl());
      expect(extra.status).to.equal(422);
      expect(extra.text).to.contain("correctiedeclaratie");
      expect(await row(aw.els, "2026-10-07")).to.equal(undefined);
    });

    it("everyone present skips the locked and marks the rest", async () => {
      const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/iedereen-aanwezig`, { date: "2026-10-12", dagdeel: "ochtend" }, listUrl());
      expect(res.status).to.equal(303);
      expect((await row(aw.bert, "2026-10-12")).status).to.equal("aanwezig");
      expect(await row(aw.anna, "2026-10-12")).to.equal(undefined);
      expect(await row(aw.cor, "2026-10-12")).to.equal(undefined);
      const page = await providerA.get(res.headers.location);
      expect(page.text).to.contain("2 overgeslagen: vergrendeld (gedeclareerd)");
    });

    it("everyone present on a dagdeel where all are locked is refused (422)", async () => {
      const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/iedereen-aanwezig`, { date: "2026-10-12", dagdeel: "middag" }, listUrl());
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("correctiedeclaratie");
    });

    it("a concept declaration locks nothing", async () => {
      // November has a concept declaration for provider A and the gemeente.
      const res = await record(providerA, { client_id: aw.anna, date: "2026-11-16", dagdeel: "middag", status: "aanwezig" });
      expect(res.status).to.equal(303);
    });
  });

  describe("scope and roles", () => {
    it("provider B cannot open or record at provider A's location (404), and nothing is saved", async () => {
      const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
      expect((await providerB.get(listUrl())).status).to.equal(404);
      expect((await providerB.get(`/aanwezigheid/locaties/${locA}/week`)).status).to.equal(404);
      const before = await ctx.db("attendance").count({ n: "*" }).first();
      for (const [path, body] of [
        ["registreren", { client_id: aw.anna, date: TODAY, dagdeel: "middag", status: "aanwezig" }],
        ["iedereen-aanwezig", { date: TODAY, dagdeel: "middag" }],
        ["extra", { client_id: aw.fien, date: TODAY, dagdeel: "middag" }],
        ["ongedaan-maken", { client_id: aw.anna, date: TODAY, dagdeel: "ochtend" }],
      ] as const) {
        const res = await postForm(providerB, `/aanwezigheid/locaties/${locA}/${path}`, stringify(body), "/aanwezigheid");
        expect(res.status, path).to.equal(404);
      }
      expect(await ctx.db("attendance").count({ n: "*" }).first()).to.deep.equal(before);
      const chooser = await providerB.get("/aanwezigheid");
      expect(chooser.text).to.contain("Dorpshuis B");
      expect(chooser.text).to.not.contain("Boerderij A");
    });

    it("a coordinator records at any location", async () => {
      const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
      const res = await record(coordinator, { client_id: aw.dina, date: TODAY, dagdeel: "ochtend", status: "aanwezig" }, ctx.world.locationB);
      expect(res.status).to.equal(303);
      expect((await row(aw.dina)).recorded_by).to.equal(ctx.world.users.coordinator.id);
    });

    for (const who of ["purchaser", "admin"] as const) {
      it(`the ${who} gets 403 on every attendance page and write`, async () => {
        const agent = await loginAs(ctx.app, ctx.world.users[who].email);
        for (const url of ["/aanwezigheid", listUrl(), `/aanwezigheid/locaties/${locA}/week`, "/vervoer", "/aanwezigheid/overzicht/clienten", "/aanwezigheid/overzicht/locaties?formaat=csv"]) {
          expect((await agent.get(url)).status, url).to.equal(403);
        }
        const res = await postForm(agent, `/aanwezigheid/locaties/${locA}/registreren`, stringify({ client_id: aw.anna, date: TODAY, dagdeel: "middag", status: "aanwezig" }));
        expect(res.status).to.equal(403);
        expect(await row(aw.anna, TODAY, "middag")).to.equal(undefined);
        const home = await agent.get("/");
        expect(home.text).to.not.contain('href="/aanwezigheid"');
      });
    }

    it("shows the navigation entries to providers and coordinators", async () => {
      const home = await providerA.get("/");
      expect(home.text).to.contain('href="/aanwezigheid"');
      expect(home.text).to.contain('href="/vervoer"');
    });
  });

  describe("bad input", () => {
    it("an unknown status is 422 with a message, nothing saved", async () => {
      const res = await record(providerA, { client_id: aw.anna, date: TODAY, dagdeel: "middag", status: "half_aanwezig" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Deze status bestaat niet");
      expect(await row(aw.anna, TODAY, "middag")).to.equal(undefined);
    });

    it("a date that does not exist is 422", async () => {
      const res = await record(providerA, { client_id: aw.anna, date: "2026-02-30", dagdeel: "ochtend", status: "aanwezig" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Vul een bestaande datum in");
      expect(await ctx.db("attendance").where({ date: "2026-02-30" }).first()).to.equal(undefined);
      expect((await providerA.get(listUrl("2026-02-30"))).status).to.equal(422);
      expect((await providerA.get("/aanwezigheid?datum=2026-13-01")).status).to.equal(422);
    });

    it("an unknown dagdeel and a client id that is not a number are 422", async () => {
      expect((await record(providerA, { client_id: aw.anna, date: TODAY, dagdeel: "avond", status: "aanwezig" })).status).to.equal(422);
      expect((await record(providerA, { client_id: "abc", date: TODAY, dagdeel: "ochtend", status: "aanwezig" })).status).to.equal(422);
    });

    it("a date/dagdeel the location does not have (no capacity, nobody scheduled) is 422", async () => {
      // Saturday 2026-11-21: location A has no capacity rule and nobody is scheduled.
      const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/extra`, stringify({ client_id: aw.els, date: "2026-11-21", dagdeel: "ochtend" }), listUrl());
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("heeft op 21-11-2026 geen ochtend");
      const bulk = await postForm(providerA, `/aanwezigheid/locaties/${locA}/iedereen-aanwezig`, { date: "2026-11-21", dagdeel: "middag" }, listUrl());
      expect(bulk.status).to.equal(422);
      expect(bulk.text).to.contain("geen middag");
      expect(await ctx.db("attendance").where({ date: "2026-11-21" }).first()).to.equal(undefined);
    });

    it("a closed dagdeel is 422", async () => {
      const res = await record(providerA, { client_id: aw.anna, date: "2026-11-18", dagdeel: "ochtend", status: "aanwezig" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("gesloten (Studiedag)");
    });

    it("a client not expected on that dagdeel cannot be recorded as if planned (422)", async () => {
      const res = await record(providerA, { client_id: aw.els, date: TODAY, dagdeel: "ochtend", status: "aanwezig" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Voeg hem of haar toe als extra");
    });

    it("extra is not a status for a client who is expected (422)", async () => {
      const res = await record(providerA, { client_id: aw.anna, date: TODAY, dagdeel: "middag", status: "extra" });
      expect(res.status).to.equal(422);
    });

    it("only afgemeld may be recorded ahead of time", async () => {
      const future = "2026-11-30";
      const present = await record(providerA, { client_id: aw.anna, date: future, dagdeel: "ochtend", status: "aanwezig" });
      expect(present.status).to.equal(422);
      expect(present.text).to.contain("alleen ‘afgemeld’");
      const reported = await record(providerA, { client_id: aw.anna, date: future, dagdeel: "ochtend", status: "afgemeld" });
      expect(reported.status).to.equal(303);
      expect((await row(aw.anna, future)).status).to.equal("afgemeld");
      const bulk = await postForm(providerA, `/aanwezigheid/locaties/${locA}/iedereen-aanwezig`, { date: future, dagdeel: "ochtend" }, listUrl());
      expect(bulk.status).to.equal(422);
    });

    it("an unknown location id is 404", async () => {
      expect((await providerA.get("/aanwezigheid/locaties/99999")).status).to.equal(404);
      expect((await providerA.get("/aanwezigheid/locaties/abc")).status).to.equal(404);
      expect((await record(providerA, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "aanwezig" }, 99999)).status).to.equal(404);
    });
  });

  describe("the week view", () => {
    // Last week's Monday, recorded here: the week view does not lean on the tests above.
    const MONDAY = "2026-11-16";
    before(async () => {
      for (const [client, status] of [[aw.anna, "aanwezig"], [aw.cor, "aanwezig"], [aw.bert, "afgemeld"]] as const) {
        const res = await postForm(providerA, `/aanwezigheid/locaties/${locA}/registreren`, stringify({ client_id: client, date: MONDAY, dagdeel: "ochtend", status }), listUrl(MONDAY));
        expect(res.status).to.equal(303);
      }
    });

    it("shows clients × days × dagdelen as abbreviations with a legend", async () => {
      const res = await providerA.get(`/aanwezigheid/locaties/${locA}/week?week=2026-W47`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Anna Aarts");
      expect(res.text).to.contain("Legenda");
      // Anna and Cor were present on Monday morning; Bert reported absent.
      expect(res.text).to.contain('<td class="att-mark is-aanwezig"><span aria-hidden="true">A</span><span class="visually-hidden">aanwezig</span></td>');
      expect(res.text).to.contain('<td class="att-mark is-afgemeld"><span aria-hidden="true">AF</span>');
      expect(res.text).to.contain(`href="/aanwezigheid/locaties/${locA}?datum=${MONDAY}"`);
    });

    it("answers a week that does not exist with 422", async () => {
      const res = await providerA.get(`/aanwezigheid/locaties/${locA}/week?week=2026-W60`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Deze week bestaat niet");
    });
  });
});

function stringify(body: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
}

/** The HTML of one dagdeel's section of the daily list. */
function section(html: string, dagdeel: string): string {
  const start = html.indexOf(`id="d-${dagdeel}"`);
  if (start < 0) throw new Error(`no section ${dagdeel}`);
  const end = html.indexOf("</section>", start);
  return html.slice(start, end);
}

/** The HTML of one client's entry in a dagdeel. */
function entry(html: string, clientId: number, dagdeel: string): string {
  const start = html.indexOf(`id="c-${clientId}-${dagdeel}"`);
  if (start < 0) throw new Error(`no entry for client ${clientId} ${dagdeel}`);
  const end = html.indexOf("</li>", start);
  return html.slice(start, end);
}
