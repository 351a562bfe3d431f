import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeClient, makeClosure, makeLocation, makeSchedule, makeWaitlistEntry, planningWorld, setCapacity, setPlaces } from "../support/planning-fixtures";
import { withNameKeys } from "../../src/db/name-keys";

// Week 48 of 2026: Monday 23-11 … Friday 27-11.

describe("HTTP: the planning board and the week overview", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let location: number;
  let anna: number;
  let ben: number;
  const BSN = "999990019";

  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA, 3);
    await setPlaces(ctx.db, location, 3, "middag", 0); // not open on Wednesday afternoons
    anna = await makeClient(ctx.db, "Anna", "Aarts", BSN);
    ben = await makeClient(ctx.db, "Ben", "Bos");
    const cor = await makeClient(ctx.db, "Cor", "Claassen");
    await makeSchedule(ctx.db, { client: anna, location, slots: [[1, "ochtend"], [2, "ochtend"]], from: "2026-11-02" });
    await makeSchedule(ctx.db, { client: ben, location, slots: [[2, "ochtend"]], from: "2026-11-02" });
    await makeSchedule(ctx.db, { client: cor, location, slots: [[2, "ochtend"]], from: "2026-11-02", until: "2026-11-30" });
    await makeClosure(ctx.db, { provider: ctx.world.providerA, location, from: "2026-11-27", reason: "Studiedag vrijwilligers" });
    // Ben comes once extra on Thursday.
    await ctx.db("attendance").insert({ client_id: ben, location_id: location, date: "2026-11-26", dagdeel: "middag", status: "extra", recorded_at: "2026-11-20T10:00:00.000Z", created_at: "2026-11-20T10:00:00.000Z", updated_at: "2026-11-20T10:00:00.000Z" });
  });
  after(async () => ctx.close());

  it("shows who comes, booked / places per column, closures with their reason, and the week navigation", async () => {
    const res = await coordinator.get(`/planning/locaties/${location}?week=2026-W48`);
    expect(res.status).to.equal(200);
    for (const name of ["Anna Aarts", "Ben Bos", "Cor Claassen"]) expect(res.text).to.contain(name);
    expect(res.text).to.contain("3 / 3 · vol"); // Tuesday morning
    expect(res.text).to.contain("1 / 3"); // Monday morning
    expect(res.text).to.contain("gesloten: Studiedag vrijwilligers");
    expect(res.text).to.contain("niet open");
    // Ben's extra visit on Thursday afternoon (a plain cell with the word), and the planned
    // dagdelen: a cell whose word "gepland" screen readers say, the mark drawn by CSS.
    expect(res.text).to.match(/<th scope="row"><a href="\/roosters\/\d+">Ben Bos<\/a><\/th>(<td[^>]*>[^<]*(<span>[a-z]+<\/span>)?<\/td>){7}<td>extra<\/td>/);
    expect(res.text).to.match(/<td class="planned"><span>gepland<\/span><\/td>/);
    expect(res.text).to.contain("?week=2026-W47");
    expect(res.text).to.contain("?week=2026-W49");
    expect(res.text).to.contain(`/planning/locaties/${location}/afdruk?week=2026-W48`);
    // Rows link to the schedule that brings the client.
    const annaSchedule = await ctx.db("schedules").where({ client_id: anna }).first();
    expect(res.text).to.contain(`<a href="/roosters/${annaSchedule.id}">Anna Aarts</a>`);
    expect(res.text).to.not.contain(BSN);
  });

  it("next week no longer shows a client whose schedule ended", async () => {
    const res = await coordinator.get(`/planning/locaties/${location}?week=2026-W50`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Anna Aarts");
    expect(res.text).to.not.contain("Cor Claassen");
    expect(res.text).to.contain("2 / 3");
  });

  it("jumps to the week of a date, refuses a broken date (422) and a week that does not exist (404)", async () => {
    const jump = await coordinator.get(`/planning/locaties/${location}?datum=2027-01-01`);
    expect(jump.status).to.equal(303);
    expect(jump.headers.location).to.equal(`/planning/locaties/${location}?week=2026-W53`);
    const w53 = await coordinator.get(jump.headers.location);
    expect(w53.status).to.equal(200);
    expect(w53.text).to.contain("week 53, 2026");
    const bad = await coordinator.get(`/planning/locaties/${location}?datum=2026-02-30`);
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('id="f-datum-error"');
    expect((await coordinator.get(`/planning/locaties/${location}?week=2027-W53`)).status).to.equal(404);
    expect((await coordinator.get(`/planning/locaties/${location}?week=week48`)).status).to.equal(404);
    expect((await coordinator.get("/planning/locaties/999999")).status).to.equal(404);
  });

  it("the printable version has the names only: no BSN, no links to schedules, no planning actions", async () => {
    const res = await coordinator.get(`/planning/locaties/${location}/afdruk?week=2026-W48`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Aanwezigheidslijst");
    expect(res.text).to.contain("Anna Aarts");
    expect(res.text).to.not.contain(BSN);
    expect(res.text).to.not.contain("BSN");
    expect(res.text).to.not.contain("/roosters/");
    expect(res.text).to.not.contain("/inplannen");
    expect(res.text).to.contain('src="/static/planning.js"');
  });

  it("a provider sees its own locations' boards read-only, and never another provider's (404)", async () => {
    const provider = await loginAs(ctx.app, ctx.world.users.providerA.email);
    const own = await provider.get(`/planning/locaties/${location}`);
    expect(own.status).to.equal(200);
    expect(own.text).to.contain("Anna Aarts");
    expect(own.text).to.not.contain("/inplannen");
    expect((await provider.get(`/planning/locaties/${ctx.world.locationB}`)).status).to.equal(404);
    expect((await provider.get(`/planning/locaties/${ctx.world.locationB}/afdruk`)).status).to.equal(404);
    const overview = await provider.get("/planning");
    expect(overview.status).to.equal(200);
    expect(overview.text).to.contain("Boerderij A");
    expect(overview.text).to.not.contain("Dorpshuis B");
    expect((await provider.get("/wachtlijst")).status).to.equal(403);
    expect((await provider.get("/signalen")).status).to.equal(403);
  });

  it("the week overview narrows to a village or a kind of provider, forty locations a page", async () => {
    const farms = await coordinator.get("/planning?week=2026-W48&soort=zorgboerderij");
    expect(farms.text).to.contain("Boerderij A").and.to.not.contain("Dorpshuis B");
    expect(farms.text.replace(/&#x3D;/g, "=")).to.contain('?week=2026-W49&amp;soort=zorgboerderij"');
    const [v] = await ctx.db("villages").insert(withNameKeys("villages", { name: "Kessel", municipality: "Peel en Maas", gemeentecode: "1894", province: "LI", created_at: "x", updated_at: "x" })).returning("id");
    const kessel = typeof v === "object" ? v.id : v;
    for (let i = 0; i < 41; i++) {
      await ctx.db("locations").insert(withNameKeys("locations", { provider_id: ctx.world.providerB, name: `Kessel ${String(i).padStart(2, "0")}`, street: "Markt 1", postcode: "5995 AA", village_id: kessel, created_at: "x", updated_at: "x" }));
    }
    const names = (html: string) => [...html.matchAll(/>(Kessel \d\d)<\/a>/g)].map((m) => m[1]);
    const first = await coordinator.get(`/planning?week=2026-W48&kern=${kessel}`);
    expect(names(first.text)).to.have.length(40);
    expect(first.text).to.not.contain("Boerderij A");
    const second = await coordinator.get(`/planning?week=2026-W48&kern=${kessel}&pagina=2`);
    expect(names(second.text)).to.deep.equal(["Kessel 40"]);
    expect(second.text).to.contain('rel="prev"');
  });

  it("the week overview: every location, booked/places with a colour class and words", async () => {
    const res = await coordinator.get("/planning?week=2026-W48");
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Boerderij A");
    expect(res.text).to.contain("Dorpshuis B");
    expect(res.text).to.match(/<td class="occupancy is-full">3\/3 <span class="level-word">vol<\/span><\/td>/);
    expect(res.text).to.match(/<td class="occupancy is-free">1\/3<\/td>/);
    expect(res.text).to.match(/<td class="occupancy is-closed">gesloten<\/td>/);
    expect(res.text).to.contain(`/planning/locaties/${location}?week=2026-W48`);
    const en = await coordinator.get("/planning?week=2026-W48&lang=en");
    expect(en.text).to.contain("Occupancy in week 48, 2026");
    await coordinator.get("/?lang=nl");
  });

  it("shows the waiting clients who now fit (room and funding) on the location's board, by need", async () => {
    const waiting = await makeClient(ctx.db, "Wim", "Wachter");
    const longer = await makeClient(ctx.db, "Lien", "Langer");
    const tooFull = await makeClient(ctx.db, "Vera", "Vol");
    const unfunded = await makeClient(ctx.db, "Nog", "Geen Toewijzing");
    await makeWaitlistEntry(ctx.db, { client: waiting, location, slots: [[1, "middag"]], since: "2026-11-01", priority: 1, funding: "eigen" });
    await makeWaitlistEntry(ctx.db, { client: longer, location, slots: [[4, "ochtend"]], since: "2026-09-01", priority: 5, funding: "pgb" });
    await makeWaitlistEntry(ctx.db, { client: tooFull, location, slots: [[2, "ochtend"]], since: "2026-08-01", funding: "eigen" });
    await makeWaitlistEntry(ctx.db, { client: unfunded, location, slots: [[4, "ochtend"]], since: "2026-07-01", priority: 1 });
    const res = await coordinator.get(`/planning/locaties/${location}`);
    const section = res.text.slice(res.text.indexOf("Wachtenden die nu passen"));
    expect(section).to.contain("Wim Wachter");
    expect(section).to.contain("Lien Langer");
    expect(section.indexOf("Wim Wachter")).to.be.lessThan(section.indexOf("Lien Langer"));
    expect(section).to.not.contain("Vera Vol");
    // Room, but an allocation is what the entry waits for and there is none: not offered.
    expect(section).to.not.contain("Nog Geen Toewijzing");
    expect(section).to.contain("/inplannen");
    // Capacity rises on Tuesday mornings: Vera fits now too (priority 3: between the other two).
    await setPlaces(ctx.db, location, 2, "ochtend", 4);
    const after = await coordinator.get(`/planning/locaties/${location}`);
    const fits = after.text.slice(after.text.indexOf("Wachtenden die nu passen"));
    expect(fits).to.contain("Vera Vol");
    expect(fits.indexOf("Wim Wachter")).to.be.lessThan(fits.indexOf("Vera Vol"));
    expect(fits.indexOf("Vera Vol")).to.be.lessThan(fits.indexOf("Lien Langer"));
  });

  it("shows Monday to Friday, and Saturday and Sunday only when the location has places then", async () => {
    const dayHeads = (html: string) => [...html.matchAll(/<th scope="colgroup" colspan="2"><span aria-hidden="true">([a-z]+)<\/span>/g)].map((m) => m[1]);
    const weekdaysOnly = await coordinator.get(`/planning/locaties/${location}?week=2026-W48`);
    expect(dayHeads(weekdaysOnly.text)).to.deep.equal(["ma", "di", "wo", "do", "vr"]);

    // A care farm that also opens on Saturday mornings.
    const farm = await makeLocation(ctx.db, ctx.world, ctx.world.providerA, 2);
    await setCapacity(ctx.db, farm, 2, [{ weekday: 1, dagdeel: "ochtend" }, { weekday: 6, dagdeel: "ochtend" }]);
    const weekender = await makeClient(ctx.db, "Saar", "Zaterdag");
    await makeSchedule(ctx.db, { client: weekender, location: farm, slots: [[6, "ochtend"]], from: "2026-11-02" });
    const board = await coordinator.get(`/planning/locaties/${farm}?week=2026-W48`);
    expect(board.status).to.equal(200);
    expect(dayHeads(board.text)).to.deep.equal(["ma", "di", "wo", "do", "vr", "za"]);
    expect(board.text).to.contain("1 / 2"); // Saturday morning
    const row = board.text.slice(board.text.indexOf("Saar Zaterdag"), board.text.indexOf("</tr>", board.text.indexOf("Saar Zaterdag")));
    expect((row.match(/<td/g) ?? []).length).to.equal(12);
    expect(row).to.match(/(<td><\/td>){10}<td class="planned"><span>gepland<\/span><\/td><td><\/td>$/);
    const print = await coordinator.get(`/planning/locaties/${farm}/afdruk?week=2026-W48`);
    expect(print.text).to.contain("za</span>");
    // The week overview adds the Saturday because one location opens then.
    const overview = await coordinator.get("/planning?week=2026-W48");
    expect(dayHeads(overview.text)).to.deep.equal(["ma", "di", "wo", "do", "vr", "za"]);
    expect(overview.text).to.not.contain('colspan="11"');
    await ctx.db("schedules").where({ client_id: weekender }).delete();
    await ctx.db("locations").where({ id: farm }).update({ active: false });
  });

  it("runs a bounded number of queries: 2 clients or 30 on the board, the same count", async () => {
    const small = await makeLocation(ctx.db, ctx.world, ctx.world.providerA, 40);
    const large = await makeLocation(ctx.db, ctx.world, ctx.world.providerA, 40);
    for (let i = 0; i < 2; i++) await makeSchedule(ctx.db, { client: await makeClient(ctx.db, `Klein${i}`), location: small, slots: [[1, "ochtend"], [3, "middag"]] });
    for (let i = 0; i < 30; i++) await makeSchedule(ctx.db, { client: await makeClient(ctx.db, `Groot${i}`), location: large, slots: [[1, "ochtend"], [3, "middag"]] });
    async function count(url: string): Promise<number> {
      let n = 0;
      const listener = () => (n += 1);
      ctx.db.on("query", listener);
      try {
        const res = await coordinator.get(url);
        expect(res.status).to.equal(200);
      } finally {
        ctx.db.removeListener("query", listener);
      }
      return n;
    }
    for (const page of ["", "/afdruk"]) {
      const a = await count(`/planning/locaties/${small}${page}?week=2026-W48`);
      const b = await count(`/planning/locaties/${large}${page}?week=2026-W48`);
      expect(b, `board${page}`).to.equal(a);
      expect(a).to.be.within(6, 16); // the session, the user, the location, occupancy (5), the names …
    }
    const large2 = await coordinator.get(`/planning/locaties/${large}?week=2026-W48`);
    expect(large2.text).to.contain("Groot29");
    expect(large2.text).to.contain("30 / 40");
  });
});
