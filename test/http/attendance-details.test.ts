import { expect } from "chai";
import request from "supertest";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildAttendanceWorld, type AttendanceWorld } from "../support/attendance-fixtures";
import { addFeed } from "../support/calendar-fixtures";

// Attendance details (issue 15, point 8): a free-text note with an absence, kept on the row and
// shown on the attendance list only; and "ziek, hele dag" for a client who comes morning and
// afternoon: both dagdelen in one transaction, audited, under the declaration lock.
// The clock is Monday 23 November 2026; Anna comes to location A all day on Mondays, Bert only
// in the morning; October is declared (locked) for provider A and the gemeente.

const NOTE = "Griep met koorts, belt zelf als ze beter is";

describe("HTTP: attendance notes and 'ziek, hele dag'", () => {
  let ctx: TestContext;
  let aw: AttendanceWorld;
  let providerA: Agent;
  let coordinator: Agent;
  let locA: number;
  const list = (date = "2026-11-23") => `/aanwezigheid/locaties/${locA}?datum=${date}`;
  const row = (client: number, date: string, dagdeel: string) => ctx.db("attendance").where({ client_id: client, date, dagdeel }).first();
  const record = (agent: Agent, client: number, dagdeel: string, status: string, date = "2026-11-23") =>
    postForm(agent, `/aanwezigheid/locaties/${locA}/registreren`, { client_id: String(client), date, dagdeel, status }, list(date));
  const saveNote = (agent: Agent, client: number, dagdeel: string, note: string, location = locA) =>
    postForm(agent, `/aanwezigheid/locaties/${location}/notitie`, { client_id: String(client), date: "2026-11-23", dagdeel, note }, "/aanwezigheid");
  const wholeDay = (agent: Agent, client: number, status: string, date = "2026-11-23") =>
    postForm(agent, `/aanwezigheid/locaties/${locA}/hele-dag`, { client_id: String(client), date, status }, list(date));

  before(async () => {
    ctx = await startTestApp();
    aw = await buildAttendanceWorld(ctx.db, ctx.world);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    locA = ctx.world.locationA;
  });
  after(async () => ctx.close());

  describe("a note with an absence", () => {
    it("is stored with the row, shown on the list, and audited without its text", async () => {
      expect((await record(providerA, aw.cor, "ochtend", "ziek")).status).to.equal(303);
      const res = await saveNote(providerA, aw.cor, "ochtend", `  ${NOTE}  `);
      expect(res.status).to.equal(303);
      expect((await row(aw.cor, "2026-11-23", "ochtend")).note).to.equal(NOTE);
      const page = await providerA.get(list());
      expect(page.text).to.contain("De notitie bij Cor Claes (ochtend) is opgeslagen.");
      const entry = page.text.slice(page.text.indexOf(`id="c-${aw.cor}-ochtend"`), page.text.indexOf("</li>", page.text.indexOf(`id="c-${aw.cor}-ochtend"`)));
      expect(entry).to.contain(`value="${NOTE}"`);
      expect(entry).to.contain("Notitie bij de afwezigheid");
      // The coordinator sees it too.
      expect((await coordinator.get(list())).text).to.contain(NOTE);
      const audit = await ctx.db("audit_log").where({ action: "change_note", entity: "attendance" }).orderBy("id", "desc").first();
      expect(audit.user_id).to.equal(ctx.world.users.providerA.id);
      expect(JSON.parse(audit.details)).to.include({ client_id: aw.cor, date: "2026-11-23", dagdeel: "ochtend", note: true });
      const log = (await ctx.db("audit_log").select("details")).map((r) => String(r.details)).join("\n");
      expect(log).to.not.contain("Griep");
    });

    it("saving the same note again changes nothing; a blank note clears it", async () => {
      const before = await ctx.db("audit_log").count({ n: "*" }).first();
      await saveNote(providerA, aw.cor, "ochtend", NOTE);
      expect((await ctx.db("audit_log").count({ n: "*" }).first())!.n).to.equal(before!.n);
      await saveNote(providerA, aw.cor, "ochtend", "");
      expect((await row(aw.cor, "2026-11-23", "ochtend")).note).to.equal(null);
      await saveNote(providerA, aw.cor, "ochtend", NOTE);
    });

    it("goes from one absence to another, and is gone once the client is recorded present", async () => {
      await record(providerA, aw.cor, "ochtend", "afgemeld");
      expect((await row(aw.cor, "2026-11-23", "ochtend"))).to.include({ status: "afgemeld", note: NOTE });
      await record(providerA, aw.cor, "ochtend", "aanwezig");
      expect((await row(aw.cor, "2026-11-23", "ochtend"))).to.include({ status: "aanwezig", note: null });
      const page = await providerA.get(list());
      expect(page.text).to.not.contain(NOTE);
    });

    it("is refused without an absence, when too long, in a declared month, for another provider's location and for a purchaser", async () => {
      const present = await saveNote(providerA, aw.cor, "ochtend", "zomaar");
      expect(present.status).to.equal(422);
      expect(present.text).to.contain("Een notitie hoort bij een afwezigheid");
      const nothing = await saveNote(providerA, aw.anna, "middag", "zomaar");
      expect(nothing.status).to.equal(422);
      await record(providerA, aw.bert, "ochtend", "ziek");
      const long = await saveNote(providerA, aw.bert, "ochtend", "x".repeat(501));
      expect(long.status).to.equal(422);
      expect(long.text).to.contain("hoogstens 500 tekens");
      expect((await row(aw.bert, "2026-11-23", "ochtend")).note).to.equal(null);
      // October is declared: a note there would change a locked row.
      await ctx.db("attendance").insert({ client_id: aw.anna, location_id: locA, date: "2026-10-05", dagdeel: "ochtend", status: "ziek", recorded_at: "2026-10-05T08:00:00.000Z", created_at: "2026-10-05T08:00:00.000Z", updated_at: "2026-10-05T08:00:00.000Z" });
      const locked = await postForm(providerA, `/aanwezigheid/locaties/${locA}/notitie`, { client_id: String(aw.anna), date: "2026-10-05", dagdeel: "ochtend", note: NOTE }, "/aanwezigheid");
      expect(locked.status).to.equal(422);
      expect(locked.text).to.contain("vergrendeld");
      expect((await row(aw.anna, "2026-10-05", "ochtend")).note).to.equal(null);
      expect((await saveNote(providerA, aw.dina, "ochtend", NOTE, ctx.world.locationB)).status).to.equal(404);
      const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      expect((await postForm(purchaser, `/aanwezigheid/locaties/${locA}/notitie`, { client_id: String(aw.bert), date: "2026-11-23", dagdeel: "ochtend", note: NOTE })).status).to.equal(403);
    });

    it("never leaves the organisation: not in the overview CSVs, not in the client's or the location's calendar feed", async () => {
      await saveNote(providerA, aw.bert, "ochtend", NOTE);
      expect((await row(aw.bert, "2026-11-23", "ochtend")).note).to.equal(NOTE);
      for (const [url, shows] of [
        ["/aanwezigheid/overzicht/clienten?van=2026-11-01&tot=2026-11-30&formaat=csv", "Bos;Bert"],
        ["/aanwezigheid/overzicht/locaties?van=2026-11-01&tot=2026-11-30&formaat=csv", "Boerderij A"],
      ]) {
        const csv = await providerA.get(url);
        expect(csv.status, url).to.equal(200);
        expect(csv.text, url).to.contain(shows);
        expect(csv.text, url).to.not.contain("Griep");
      }
      for (const feed of [await addFeed(ctx.db, { scope: "client", client_id: aw.bert }), await addFeed(ctx.db, { scope: "location", location_id: locA })]) {
        const ics = await request(ctx.app).get(`/agenda/feed/${feed.token}.ics`);
        expect(ics.status).to.equal(200);
        expect(ics.text).to.contain("BEGIN:VEVENT");
        expect(ics.text).to.not.contain("Griep");
      }
    });
  });

  describe("'ziek, hele dag'", () => {
    it("is offered for a client who comes morning and afternoon, not for a half-day client", async () => {
      const page = await providerA.get(list());
      const anna = page.text.slice(page.text.indexOf(`id="c-${aw.anna}-ochtend"`), page.text.indexOf("</li>", page.text.indexOf(`id="c-${aw.anna}-ochtend"`)));
      expect(anna).to.contain(`action="/aanwezigheid/locaties/${locA}/hele-dag"`);
      expect(anna).to.contain("Ziek, hele dag");
      const bert = page.text.slice(page.text.indexOf(`id="c-${aw.bert}-ochtend"`), page.text.indexOf("</li>", page.text.indexOf(`id="c-${aw.bert}-ochtend"`)));
      expect(bert).to.not.contain("hele-dag");
      // Ahead of time only "afgemeld" can be recorded: the whole-day button says so.
      const nextMonday = await providerA.get(list("2026-11-30"));
      expect(nextMonday.text).to.contain("Afgemeld, hele dag");
      expect(nextMonday.text).to.not.contain("Ziek, hele dag");
    });

    it("records both dagdelen in one tap, with an audit entry for each", async () => {
      const res = await wholeDay(providerA, aw.anna, "ziek");
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/aanwezigheid/locaties/${locA}?datum=2026-11-23#c-${aw.anna}-ochtend`);
      expect((await row(aw.anna, "2026-11-23", "ochtend")).status).to.equal("ziek");
      expect((await row(aw.anna, "2026-11-23", "middag")).status).to.equal("ziek");
      const audits = await ctx.db("audit_log").where({ entity: "attendance", action: "record", user_id: ctx.world.users.providerA.id }).orderBy("id", "desc").limit(2);
      expect(audits.map((a) => JSON.parse(a.details).dagdeel).sort()).to.deep.equal(["middag", "ochtend"]);
      expect(audits.every((a) => JSON.parse(a.details).new === "ziek")).to.equal(true);
      const page = await providerA.get(list());
      expect(page.text).to.contain("Anna Aarts: ziek, hele dag (ochtend en middag).");
      // A second tap changes nothing.
      await wholeDay(providerA, aw.anna, "ziek");
      expect((await providerA.get(list())).text).to.contain("Anna Aarts stond de hele dag al op ziek.");
    });

    it("is all or nothing: a half-day client gets no morning row either", async () => {
      await ctx.db("attendance").where({ client_id: aw.cor, date: "2026-11-23" }).delete();
      const res = await wholeDay(providerA, aw.cor, "ziek");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("niet zowel ’s ochtends als ’s middags");
      expect(await row(aw.cor, "2026-11-23", "ochtend")).to.equal(undefined);
    });

    it("respects the declaration lock like a single tap: nothing written in a declared month", async () => {
      const res = await wholeDay(providerA, aw.anna, "ziek", "2026-10-12");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("vergrendeld");
      expect(await row(aw.anna, "2026-10-12", "ochtend")).to.equal(undefined);
      expect(await row(aw.anna, "2026-10-12", "middag")).to.equal(undefined);
    });

    it("refuses 'ziek' ahead of time, a status that is no absence, another provider's location and a purchaser", async () => {
      const future = await wholeDay(providerA, aw.anna, "ziek", "2026-11-30");
      expect(future.status).to.equal(422);
      expect(await row(aw.anna, "2026-11-30", "ochtend")).to.equal(undefined);
      expect((await wholeDay(providerA, aw.anna, "afgemeld", "2026-11-30")).status).to.equal(303);
      expect((await row(aw.anna, "2026-11-30", "middag")).status).to.equal("afgemeld");
      expect((await wholeDay(providerA, aw.anna, "aanwezig")).status).to.equal(422);
      const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
      expect((await wholeDay(providerB, aw.anna, "ziek")).status).to.equal(404);
      const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      expect((await wholeDay(purchaser, aw.anna, "ziek")).status).to.equal(403);
    });
  });
});
