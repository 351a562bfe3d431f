import { expect } from "chai";
import request from "supertest";
import { hashFeedToken } from "../../src/calendar/tokens";
import { csrfFrom, loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { addAttendance, addClient, addClosure, addFeed, addSchedule, buildCalendarWorld, parseFeed } from "../support/calendar-fixtures";

// /agenda: managing feed links (who may create and revoke which) and the printable rosters.
// The default clock: Monday 23-11-2026, ISO week 48.

/** POSTs with a CSRF token taken from a page the agent may open. */
async function post(agent: Agent, url: string, body: Record<string, string>, tokenPage = "/agenda") {
  const page = await agent.get(tokenPage);
  return agent.post(url).type("form").send({ ...body, _csrf: csrfFrom(page.text) });
}

function tokenFrom(html: string): string {
  const match = html.match(/\/agenda\/feed\/([A-Za-z0-9_-]{43})\.ics/);
  if (!match) throw new Error(`no feed link on the page: ${html.slice(0, 2000)}`);
  return match[1];
}

describe("HTTP: calendar management and rosters", () => {
  let ctx: TestContext;
  let cal: Awaited<ReturnType<typeof buildCalendarWorld>>;
  let coordinator: Agent;
  let providerA: Agent;
  let providerB: Agent;

  before(async () => {
    ctx = await startTestApp();
    cal = await buildCalendarWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
  });
  after(async () => ctx.close());

  describe("roles", () => {
    for (const role of ["purchaser", "zorgkantoor", "admin"] as const) {
      it(`refuses the ${role} everywhere under /agenda (403)`, async () => {
        const agent = await loginAs(ctx.app, ctx.world.users[role].email);
        for (const url of ["/agenda", `/agenda/client/${cal.clients.anna}`, `/agenda/locatie/${ctx.world.locationA}`, `/agenda/rooster/locatie/${ctx.world.locationA}`, `/agenda/rooster/client/${cal.clients.anna}`]) {
          expect((await agent.get(url)).status, url).to.equal(403);
        }
        const res = await post(agent, `/agenda/client/${cal.clients.anna}`, { label: "Poging" }, "/");
        expect(res.status).to.equal(403);
        expect(await ctx.db("calendar_feeds").where({ label: "Poging" }).first()).to.equal(undefined);
      });
    }

    it("shows Agenda's in the navigation of coordinators and providers only", async () => {
      expect((await coordinator.get("/")).text).to.contain('href="/agenda"');
      expect((await providerA.get("/")).text).to.contain('href="/agenda"');
      const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      expect((await purchaser.get("/")).text).to.not.contain('href="/agenda"');
    });

    it("sends a visitor without a session to the login page", async () => {
      const res = await request(ctx.app).get("/agenda");
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.match(/^\/login/);
    });
  });

  describe("client feeds (coordinator)", () => {
    it("finds a client by name, without showing a BSN", async () => {
      const res = await coordinator.get("/agenda?q=bakk");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Anna Bakker");
      expect(res.text).to.contain(`href="/agenda/client/${cal.clients.anna}"`);
      expect(res.text).to.not.contain("Jan de Vries");
      expect(res.text).to.not.contain("999990019");
      const none = await coordinator.get("/agenda?q=zzz%25_");
      expect(none.text).to.contain("Geen cliënten gevonden");
    });

    it("creates a feed, shows its link once (https and webcal), audits it without the token", async () => {
      const res = await post(coordinator, `/agenda/client/${cal.clients.anna}`, { label: "Dochter Marieke" });
      expect(res.status).to.equal(201);
      expect(res.headers["cache-control"]).to.equal("no-store");
      const token = tokenFrom(res.text);
      expect(res.text).to.contain(`http://127.0.0.1`);
      expect(res.text).to.match(new RegExp(`webcal://[^"]+/agenda/feed/${token}\\.ics`));
      expect(res.text).to.contain("maar één keer getoond");

      const row = await ctx.db("calendar_feeds").where({ token_hash: hashFeedToken(token) }).first();
      expect(row).to.include({ scope: "client", client_id: cal.clients.anna, location_id: null, label: "Dochter Marieke", created_by: ctx.world.users.coordinator.id, revoked_at: null });
      expect(JSON.stringify(row)).to.not.contain(token);

      const audit = await ctx.db("audit_log").where({ entity: "calendar_feed", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.coordinator.id);
      expect(audit.details).to.not.contain(token);
      expect(audit.details).to.not.contain(row.token_hash);

      const feed = await request(ctx.app).get(`/agenda/feed/${token}.ics`);
      expect(feed.status).to.equal(200);
      const parsed = parseFeed(feed.text);
      expect(parsed.name).to.equal("Dagbesteding Anna B.");
      expect(parsed.events.length).to.be.greaterThan(20);
      expect(parsed.events.every((e) => e.uid.startsWith(`client-${cal.clients.anna}-`) && e.startTzid === "Europe/Amsterdam")).to.equal(true);

      // Afterwards only the label and the date: the link itself is never shown again.
      const page = await coordinator.get(`/agenda/client/${cal.clients.anna}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("Dochter Marieke");
      expect(page.text).to.not.contain(token);
      expect(page.text).to.not.contain("/agenda/feed/");
      expect(page.text, "no empty error box").to.not.contain("error-summary");
      expect((await coordinator.get("/agenda")).text).to.contain("Dochter Marieke");
    });

    it("refuses an empty or too long label with 422, keeping the input and saving nothing", async () => {
      const before = await ctx.db("calendar_feeds").count({ n: "*" });
      const empty = await post(coordinator, `/agenda/client/${cal.clients.anna}`, { label: "   " });
      expect(empty.status).to.equal(422);
      expect(empty.text).to.contain('id="f-label-error"');
      const long = "x".repeat(101);
      const tooLong = await post(coordinator, `/agenda/client/${cal.clients.anna}`, { label: long });
      expect(tooLong.status).to.equal(422);
      expect(tooLong.text).to.contain(`value="${long}"`);
      expect(tooLong.text).to.not.contain("/agenda/feed/");
      expect(await ctx.db("calendar_feeds").count({ n: "*" })).to.deep.equal(before);
    });

    it("answers unknown client ids with 404", async () => {
      for (const url of ["/agenda/client/99999", "/agenda/client/abc", "/agenda/client/0"]) {
        expect((await coordinator.get(url)).status, url).to.equal(404);
      }
      expect((await post(coordinator, "/agenda/client/99999", { label: "Niemand" })).status).to.equal(404);
      expect(await ctx.db("calendar_feeds").where({ label: "Niemand" }).first()).to.equal(undefined);
    });

    it("does not let a provider create or see client feeds (403), or revoke one (404)", async () => {
      expect((await providerA.get(`/agenda/client/${cal.clients.anna}`)).status).to.equal(403);
      const res = await post(providerA, `/agenda/client/${cal.clients.anna}`, { label: "Aanbieder" });
      expect(res.status).to.equal(403);
      expect(await ctx.db("calendar_feeds").where({ label: "Aanbieder" }).first()).to.equal(undefined);
      const feed = await addFeed(ctx.db, { scope: "client", client_id: cal.clients.anna, label: "Van de coördinator" });
      expect((await post(providerA, `/agenda/${feed.id}/intrekken`, {})).status).to.equal(404);
      expect((await ctx.db("calendar_feeds").where({ id: feed.id }).first()).revoked_at).to.equal(null);
      expect((await providerA.get("/agenda")).text).to.not.contain("Van de coördinator");
    });

    it("revokes a client feed: its link answers 404, the audit log records it", async () => {
      const feed = await addFeed(ctx.db, { scope: "client", client_id: cal.clients.jan, label: "Zoon Kees" });
      expect((await request(ctx.app).get(`/agenda/feed/${feed.token}.ics`)).status).to.equal(200);
      const res = await post(coordinator, `/agenda/${feed.id}/intrekken`, {});
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/agenda/client/${cal.clients.jan}`);
      const row = await ctx.db("calendar_feeds").where({ id: feed.id }).first();
      expect(row.revoked_at).to.equal("2026-11-23T09:00:00.000Z");
      expect((await request(ctx.app).get(`/agenda/feed/${feed.token}.ics`)).status).to.equal(404);
      const audit = await ctx.db("audit_log").where({ entity: "calendar_feed", entity_id: feed.id, action: "revoke" });
      expect(audit).to.have.length(1);
      expect(audit[0].user_id).to.equal(ctx.world.users.coordinator.id);
      const page = await coordinator.get(res.headers.location);
      expect(page.text).to.contain("is ingetrokken");
      expect(page.text).to.not.contain("<th scope=\"row\">Zoon Kees</th>");
      // Revoking twice changes nothing and writes no second audit row.
      expect((await post(coordinator, `/agenda/${feed.id}/intrekken`, {})).status).to.equal(303);
      expect(await ctx.db("audit_log").where({ entity: "calendar_feed", entity_id: feed.id, action: "revoke" })).to.have.length(1);
      expect((await post(coordinator, "/agenda/99999/intrekken", {})).status).to.equal(404);
    });
  });

  describe("a region's worth of feeds", () => {
    it("lists client feeds 25 a page, newest first, with their own page links beside the locations'", async () => {
      const fresh = await startTestApp({ now: "2026-03-20T10:00:00" });
      try {
        const world = await buildCalendarWorld(fresh.db, fresh.world);
        for (let i = 0; i < 27; i++) await addFeed(fresh.db, { scope: "client", client_id: world.clients.anna, label: `Link ${String(i).padStart(2, "0")}` });
        const agent = await loginAs(fresh.app, fresh.world.users.coordinator.email);
        const labels = (html: string) => [...html.matchAll(/<td>(Link \d\d)<\/td>/g)].map((m) => m[1]);
        const first = await agent.get("/agenda");
        expect(labels(first.text)).to.have.length(25);
        expect(first.text.replace(/&#x3D;/g, "=")).to.contain('href="/agenda?feeds=2" rel="next"');
        const second = await agent.get("/agenda?feeds=2");
        expect(labels(second.text)).to.have.length(2);
        expect(second.text).to.contain("Boerderij A");
      } finally {
        await fresh.close();
      }
    });
  });

  describe("location feeds (provider)", () => {
    it("lets provider A create a feed for its own location", async () => {
      const res = await post(providerA, `/agenda/locatie/${ctx.world.locationA}`, { label: "Vrijwilligers maandag" });
      expect(res.status).to.equal(201);
      const token = tokenFrom(res.text);
      const row = await ctx.db("calendar_feeds").where({ token_hash: hashFeedToken(token) }).first();
      expect(row).to.include({ scope: "location", location_id: ctx.world.locationA, client_id: null, created_by: ctx.world.users.providerA.id });
      expect(await ctx.db("audit_log").where({ entity: "calendar_feed", entity_id: row.id, action: "create", user_id: ctx.world.users.providerA.id }).first()).to.not.equal(undefined);
      const overview = await providerA.get("/agenda");
      expect(overview.text).to.contain("Boerderij A");
      expect(overview.text).to.not.contain("Dorpshuis B");
      const feed = await request(ctx.app).get(`/agenda/feed/${token}.ics`);
      expect(feed.status).to.equal(200);
      const parsed = parseFeed(feed.text);
      expect(parsed.name).to.equal("Rooster Boerderij A");
      // Friday 27-11-2026 morning: Anna and Jan.
      const friday = parsed.events.find((e) => e.uid === `location-${ctx.world.locationA}-2026-11-27-ochtend@dagdeel`);
      expect(friday?.description).to.equal("Anna B., Jan de V.");
      expect(friday?.utcStart).to.equal("2026-11-27T08:30:00.000Z");
    });

    it("answers provider B with 404 for provider A's location: page, create and revoke", async () => {
      expect((await providerB.get(`/agenda/locatie/${ctx.world.locationA}`)).status).to.equal(404);
      const create = await post(providerB, `/agenda/locatie/${ctx.world.locationA}`, { label: "Indringer" });
      expect(create.status).to.equal(404);
      expect(await ctx.db("calendar_feeds").where({ label: "Indringer" }).first()).to.equal(undefined);
      const feed = await addFeed(ctx.db, { scope: "location", location_id: ctx.world.locationA, label: "Van A" });
      expect((await post(providerB, `/agenda/${feed.id}/intrekken`, {})).status).to.equal(404);
      expect((await ctx.db("calendar_feeds").where({ id: feed.id }).first()).revoked_at).to.equal(null);
      expect((await providerB.get("/agenda")).text).to.not.contain("Van A");
    });

    it("lets the owning provider revoke, and a coordinator create for any location", async () => {
      const feed = await addFeed(ctx.db, { scope: "location", location_id: ctx.world.locationA, label: "Oud rooster" });
      const res = await post(providerA, `/agenda/${feed.id}/intrekken`, {});
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/agenda/locatie/${ctx.world.locationA}`);
      expect((await ctx.db("calendar_feeds").where({ id: feed.id }).first()).revoked_at).to.not.equal(null);
      expect(await ctx.db("audit_log").where({ entity: "calendar_feed", entity_id: feed.id, action: "revoke", user_id: ctx.world.users.providerA.id }).first()).to.not.equal(undefined);
      const created = await post(coordinator, `/agenda/locatie/${ctx.world.locationB}`, { label: "Dorpshuis vrijwilligers" });
      expect(created.status).to.equal(201);
    });

    it("refuses an empty label with 422 on a location too", async () => {
      const res = await post(providerA, `/agenda/locatie/${ctx.world.locationA}`, { label: "" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-label-error"');
      expect((await post(providerA, "/agenda/locatie/99999", { label: "x" })).status).to.equal(404);
    });
  });

  describe("printable rosters", () => {
    before(async () => {
      await addClosure(ctx.db, { provider_id: ctx.world.providerA, location_id: ctx.world.locationA, starts_on: "2026-11-27", dagdeel: "ochtend", reason: "Studiedag" });
      await addAttendance(ctx.db, { client_id: cal.clients.jan, location_id: ctx.world.locationA, date: "2026-11-23", dagdeel: "ochtend", status: "ziek" });
      const cor = await addClient(ctx.db, { first_name: "Cor", last_name: "van Aken" });
      await addSchedule(ctx.db, { client_id: cor, location_id: ctx.world.locationA, valid_from: "2026-11-01", slots: [{ weekday: 1, dagdeel: "ochtend" }] });
    });

    it("prints a location's week: full names per dagdeel with clock times, closures, absences without reason, no BSN", async () => {
      const res = await providerA.get(`/agenda/rooster/locatie/${ctx.world.locationA}?week=2026-W48`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Weekrooster Boerderij A");
      expect(res.text).to.contain("09:30–12:30");
      expect(res.text).to.contain("13:30–16:30");
      expect(res.text).to.contain("Anna Bakker");
      expect(res.text).to.contain("Piet van den Berg");
      expect(res.text).to.contain("Studiedag");
      expect(res.text).to.contain("Afgemeld");
      expect(res.text).to.not.match(/ziek/i);
      for (const bsn of ["999990019", "999990032"]) expect(res.text).to.not.contain(bsn);
      expect(res.text).to.not.contain("Epilepsie");
      expect(res.text).to.contain('href="?week=2026-W47"');
      expect(res.text).to.contain('href="?week=2026-W49"');
      expect(res.text).to.contain('<script src="/static/calendar.js"');
      expect(res.text).to.contain('class="roster-page"');
      // Monday 23-11: Cor, Anna and Piet expected, sorted by surname without tussenvoegsel
      // (van Aken, Bakker, van den Berg); Jan reported absent.
      const monday = res.text.split("<tbody>")[1].split("</td>")[0];
      expect(monday).to.contain("3 cliënten verwacht");
      expect(monday.indexOf("Cor van Aken")).to.be.lessThan(monday.indexOf("Anna Bakker"));
      expect(monday.indexOf("Anna Bakker")).to.be.lessThan(monday.indexOf("Piet van den Berg"));
      expect(monday.split("Afgemeld")[1]).to.contain("Jan de Vries");
    });

    it("defaults to this week and turns the year over with week 53", async () => {
      const res = await coordinator.get(`/agenda/rooster/locatie/${ctx.world.locationA}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("week 48, 2026");
      const w53 = await coordinator.get(`/agenda/rooster/locatie/${ctx.world.locationA}?week=2026-W53`);
      expect(w53.status).to.equal(200);
      expect(w53.text).to.contain('href="?week=2027-W01"');
    });

    it("answers a week that does not exist with 404", async () => {
      for (const week of ["2025-W53", "2026-W00", "2026-48", "gisteren"]) {
        expect((await coordinator.get(`/agenda/rooster/locatie/${ctx.world.locationA}?week=${week}`)).status, week).to.equal(404);
      }
    });

    it("keeps each provider to its own locations and clients (404)", async () => {
      expect((await providerB.get(`/agenda/rooster/locatie/${ctx.world.locationA}`)).status).to.equal(404);
      expect((await providerB.get(`/agenda/rooster/client/${cal.clients.anna}`)).status).to.equal(404);
      expect((await providerA.get(`/agenda/rooster/client/${cal.clients.bram}`)).status).to.equal(404);
      expect((await providerA.get("/agenda/rooster/locatie/99999")).status).to.equal(404);
      const search = await providerA.get("/agenda?q=janssen");
      expect(search.text).to.not.contain("Bram Janssen");
      const own = await providerA.get("/agenda?q=anna");
      expect(own.text).to.contain("Anna Bakker");
      expect(own.text).to.not.contain(`href="/agenda/client/${cal.clients.anna}"`);
    });

    it("prints a client's week with locations and times, no BSN; a provider sees only its own locations there", async () => {
      // Anna also goes to provider B's location on Tuesday afternoons.
      await addSchedule(ctx.db, { client_id: cal.clients.anna, location_id: ctx.world.locationB, valid_from: "2026-01-01", slots: [{ weekday: 2, dagdeel: "middag" }] });
      const res = await coordinator.get(`/agenda/rooster/client/${cal.clients.anna}?week=2026-W48`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Weekrooster Anna Bakker");
      expect(res.text).to.contain("Boerderij A");
      expect(res.text).to.contain("Dorpshuis B");
      expect(res.text).to.contain("Dorpsstraat 1, 5988 AA Helden");
      expect(res.text).to.contain("gesloten"); // Friday morning 27-11: Studiedag
      expect(res.text).to.not.contain("999990019");
      expect(res.text).to.not.contain("Epilepsie");
      const asProvider = await providerA.get(`/agenda/rooster/client/${cal.clients.anna}?week=2026-W48`);
      expect(asProvider.status).to.equal(200);
      expect(asProvider.text).to.contain("Boerderij A");
      expect(asProvider.text).to.not.contain("Dorpshuis B");
    });

    it("serves a print stylesheet for the rosters", async () => {
      const css = await request(ctx.app).get("/static/app.css");
      expect(css.text).to.contain("/* === calendar === */");
      expect(css.text).to.match(/@page roster \{[^}]*landscape/);
      expect(css.text).to.match(/\.roster-page \{ page: roster; \}/);
    });
  });
});
