import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildAttendanceWorld, insertAttendance, type AttendanceWorld } from "../support/attendance-fixtures";

// What is read from recorded attendance: the overviews and their CSV, the absence signal on the
// coordinator's home page, and history that outlives its schedule (the transport list: transport.test.ts).

describe("HTTP: attendance overviews and the absence signal", () => {
  let ctx: TestContext;
  let aw: AttendanceWorld;
  let providerA: Agent;
  let coordinator: Agent;
  let locA: number;

  before(async () => {
    ctx = await startTestApp();
    aw = await buildAttendanceWorld(ctx.db, ctx.world);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    locA = ctx.world.locationA;

    // Anna's September at location A: 13 planned dagdelen (Mondays 7, 14, 21, 28 ochtend and
    // middag; Wednesdays 2, 9, 16, 23, 30 ochtend). Ill on the 2nd, reported absent on the 7th
    // (ochtend), nothing recorded on the 30th, present on the other 10; one extra visit on Tuesday the 8th.
    const planned: [string, "ochtend" | "middag"][] = [
      ["2026-09-02", "ochtend"], ["2026-09-07", "ochtend"], ["2026-09-07", "middag"], ["2026-09-09", "ochtend"],
      ["2026-09-14", "ochtend"], ["2026-09-14", "middag"], ["2026-09-16", "ochtend"], ["2026-09-21", "ochtend"],
      ["2026-09-21", "middag"], ["2026-09-23", "ochtend"], ["2026-09-28", "ochtend"], ["2026-09-28", "middag"],
    ];
    const status = (date: string, dagdeel: string) =>
      date === "2026-09-02" ? "ziek" : date === "2026-09-07" && dagdeel === "ochtend" ? "afgemeld" : "aanwezig";
    await insertAttendance(ctx.db, [
      ...planned.map(([date, dagdeel]) => ({ client_id: aw.anna, location_id: locA, date, dagdeel, status: status(date, dagdeel) })),
      { client_id: aw.anna, location_id: locA, date: "2026-09-08", dagdeel: "ochtend", status: "extra" },
    ]);

    // Dina (location B) ill or absent on her last three Mondays; Bert only twice.
    await insertAttendance(ctx.db, [
      { client_id: aw.dina, location_id: ctx.world.locationB, date: "2026-11-02", dagdeel: "ochtend", status: "ziek" },
      { client_id: aw.dina, location_id: ctx.world.locationB, date: "2026-11-09", dagdeel: "ochtend", status: "niet_verschenen" },
      { client_id: aw.dina, location_id: ctx.world.locationB, date: "2026-11-16", dagdeel: "ochtend", status: "ziek" },
      { client_id: aw.bert, location_id: locA, date: "2026-11-02", dagdeel: "ochtend", status: "aanwezig" },
      { client_id: aw.bert, location_id: locA, date: "2026-11-09", dagdeel: "ochtend", status: "ziek" },
      { client_id: aw.bert, location_id: locA, date: "2026-11-16", dagdeel: "ochtend", status: "ziek" },
    ]);
  });
  after(async () => ctx.close());

  describe("the overview per client per month", () => {
    it("counts planned against attended, absent by reason, and the share attended", async () => {
      const res = await providerA.get("/aanwezigheid/overzicht/clienten?van=2026-09-01&tot=2026-09-30");
      expect(res.status).to.equal(200);
      const anna = res.text.slice(res.text.indexOf("Anna Aarts"), res.text.indexOf("</tr>", res.text.indexOf("Anna Aarts")));
      const cells = [...anna.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
      // planned, attended, of which extra, afgemeld, ziek, niet verschenen, not recorded, share
      expect(cells).to.deep.equal(["13", "11", "1", "1", "1", "0", "1", "77%"]);
    });

    it("downloads as CSV: semicolons, a filename, ISO months, no BSN", async () => {
      const res = await providerA.get("/aanwezigheid/overzicht/clienten?van=2026-09-01&tot=2026-09-30&formaat=csv");
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.equal("text/csv; charset=utf-8");
      expect(res.headers["content-disposition"]).to.equal('attachment; filename="aanwezigheid-clienten-2026-09-01-2026-09-30.csv"');
      const lines = res.text.replace(/^\uFEFF/, "").trim().split("\r\n");
      expect(lines[0]).to.equal("client_id;achternaam;voornaam;maand;gepland;aanwezig;waarvan_extra;afgemeld;ziek;niet_verschenen;niet_geregistreerd;percentage_aanwezig");
      expect(lines).to.include(`${aw.anna};Aarts;Anna;2026-09;13;11;1;1;1;0;1;77`);
      expect(res.text).to.not.contain(aw.annaBsn);
    });

    it("counts nothing after today, and keeps each provider to its own clients", async () => {
      const res = await providerA.get("/aanwezigheid/overzicht/clienten?van=2026-11-23&tot=2026-12-31&formaat=csv");
      const lines = res.text.replace(/^\uFEFF/, "").trim().split("\r\n");
      // Only Monday 23 November counts: Anna ochtend + middag, Bert (reported absent) and Cor ochtend.
      expect(lines.find((l) => l.startsWith(`${aw.anna};`))).to.equal(`${aw.anna};Aarts;Anna;2026-11;2;0;0;0;0;0;2;0`);
      expect(res.text).to.not.contain("2026-12");
      expect(res.text).to.not.contain("Dirks");
      const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
      const theirs = await providerB.get("/aanwezigheid/overzicht/clienten?van=2026-09-01&tot=2026-09-30&formaat=csv");
      expect(theirs.text).to.not.contain("Aarts");
    });

    it("answers a bad period with 422", async () => {
      expect((await providerA.get("/aanwezigheid/overzicht/clienten?van=2026-09-30&tot=2026-09-01")).status).to.equal(422);
      expect((await providerA.get("/aanwezigheid/overzicht/clienten?van=2026-02-30")).status).to.equal(422);
      expect((await providerA.get("/aanwezigheid/overzicht/clienten?van=2024-01-01&tot=2026-01-01")).status).to.equal(422);
      expect((await providerA.get(`/aanwezigheid/overzicht/clienten?locatie=${ctx.world.locationB}`)).status).to.equal(404);
    });
  });

  describe("the overview per location per ISO week", () => {
    it("counts per week on screen and as CSV", async () => {
      // Week 37 (7–13 September): Anna Mon ochtend (afgemeld) + middag + Wed ochtend, Bert and Cor
      // Mon ochtend (not recorded) = 5 planned; 2 present on plan and 1 extra; share 2/5.
      const res = await providerA.get(`/aanwezigheid/overzicht/locaties?van=2026-09-07&tot=2026-09-13&locatie=${locA}&formaat=csv`);
      expect(res.headers["content-type"]).to.equal("text/csv; charset=utf-8");
      expect(res.headers["content-disposition"]).to.contain('filename="aanwezigheid-locaties-2026-09-07-2026-09-13.csv"');
      const lines = res.text.replace(/^\uFEFF/, "").trim().split("\r\n");
      expect(lines[0]).to.equal("locatie_id;locatie;aanbieder;week;week_vanaf;gepland;aanwezig;waarvan_extra;afgemeld;ziek;niet_verschenen;niet_geregistreerd;percentage_aanwezig");
      expect(lines[1]).to.equal(`${locA};Boerderij A;Zorgboerderij A;2026-W37;2026-09-07;5;3;1;1;0;0;2;40`);
      expect(lines).to.have.length(2);
      const page = await providerA.get(`/aanwezigheid/overzicht/locaties?van=2026-09-07&tot=2026-09-13`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("week 37, 2026");
      expect(page.text).to.contain("40%");
    });
  });

  describe("the absence signal on the coordinator's home page", () => {
    it("lists clients ill or absent on three planned dagdelen in a row, with a link to the client", async () => {
      const res = await coordinator.get("/");
      expect(res.status).to.equal(200);
      const start = res.text.indexOf('id="absences"');
      expect(start).to.be.greaterThan(0);
      const section = res.text.slice(start, res.text.indexOf("</section>", start));
      expect(section).to.contain(`<a href="/clienten/${aw.dina}">Dina Dirks</a>`);
      expect(section).to.contain("Dorpshuis B");
      expect(section).to.contain("2-11-2026");
      expect(section).to.not.contain("Bert Bos"); // ill twice, then reported absent: the run is broken
    });

    it("is gone once the client is recorded present on a later planned dagdeel", async () => {
      await postForm(coordinator, `/aanwezigheid/locaties/${ctx.world.locationB}/registreren`, { client_id: String(aw.dina), date: "2026-11-23", dagdeel: "ochtend", status: "aanwezig" });
      const res = await coordinator.get("/");
      expect(res.text).to.not.contain(`<a href="/clienten/${aw.dina}">Dina Dirks</a>`);
    });
  });

  describe("history outlives the plan", () => {
    it("keeps and shows recorded attendance after the schedule has ended", async () => {
      await ctx.db("schedules").where({ id: aw.annaSchedule }).update({ valid_until: "2026-09-10" });
      try {
        const page = await providerA.get(`/aanwezigheid/locaties/${locA}?datum=2026-09-14`);
        const start = page.text.indexOf(`id="c-${aw.anna}-ochtend"`);
        expect(start).to.be.greaterThan(0);
        const anna = page.text.slice(start, page.text.indexOf("</li>", start));
        expect(anna).to.contain("niet ingeroosterd");
        expect(anna).to.contain("aanwezig");
        expect(await ctx.db("attendance").where({ client_id: aw.anna }).whereBetween("date", ["2026-09-01", "2026-09-30"])).to.have.length(13);
        const csv = await providerA.get("/aanwezigheid/overzicht/clienten?van=2026-09-01&tot=2026-09-30&formaat=csv");
        // The plan now ends on the 10th (4 dagdelen, 2 attended); all 11 attended dagdelen stay counted.
        expect(csv.text).to.contain(`${aw.anna};Aarts;Anna;2026-09;4;11;9;1;1;0;0;50`);
      } finally {
        await ctx.db("schedules").where({ id: aw.annaSchedule }).update({ valid_until: null });
      }
    });
  });
});
