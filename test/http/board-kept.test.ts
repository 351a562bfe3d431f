import { expect } from "chai";
import { csrfFrom, loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { hiddenFields } from "../support/locations-fixtures";
import { makeClient, makeLocation, makeSchedule, planningWorld, postPlanning, scheduleForm } from "../support/planning-fixtures";
import { hasPostgres, startTwoApps, type RaceContext } from "../support/postgres-race";
import request from "supertest";
import { withNameKeys } from "../../src/db/name-keys";
import { insertFeed } from "../../src/calendar/repository";
import { hashFeedToken, newFeedToken } from "../../src/calendar/tokens";

// Issue 11: the planning board is kept between requests and checked against the board version
// (data_versions 'board', src/data-version/), which database triggers raise with every write to what a
// board shows. Each kind of write that changes a board — a booking, an attendance record, a
// closure, a capacity change, a write by no route at all — shows at the very next request.
// Today: Monday 2026-11-23, week 48.

const WEEK = "?week=2026-W48";

describe("HTTP: the kept planning board changes at the next request after any write (issue 11)", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let providerA: Agent;
  let providerB: Agent;
  let location: number;
  let anna: number;
  const board = async (agent: Agent = coordinator) => {
    const res = await agent.get(`/planning/locaties/${location}${WEEK}`);
    expect(res.status).to.equal(200);
    return res.text;
  };

  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA, 3);
    anna = await makeClient(ctx.db, "Anna", "Aarts");
    await makeSchedule(ctx.db, { client: anna, location, slots: [[1, "ochtend"]], from: "2026-11-02" });
  });
  after(async () => ctx.close());

  it("is kept: asked again unchanged, it runs fewer queries than when made", async () => {
    await ctx.db("data_versions").where({ name: "board" }).increment("version", 1); // whatever came before: made afresh
    const count = async () => {
      let n = 0;
      const listener = () => (n += 1);
      ctx.db.on("query", listener);
      try {
        await board();
      } finally {
        ctx.db.removeListener("query", listener);
      }
      return n;
    };
    const made = await count();
    const kept = await count();
    expect(kept).to.be.lessThan(made);
    // The session, and its user read with the two-factor setting and the board version: nothing else.
    expect(kept).to.be.at.most(2);
  });

  it("a booking through the schedule form shows at once", async () => {
    const ben = await makeClient(ctx.db, "Ben", "Bos");
    expect(await board()).to.not.contain("Ben Bos");
    const saved = await postPlanning(coordinator, "/roosters", scheduleForm({ client: ben, location, slots: ["3-ochtend"], funding: "eigen", from: "2026-11-23" }));
    expect(saved.status).to.equal(303);
    expect(await board()).to.contain("Ben Bos");
  });

  it("an attendance record (an extra visit) shows at once", async () => {
    const before = await board();
    expect(before).to.not.match(/<td>extra<\/td>/);
    const url = `/aanwezigheid/locaties/${location}`;
    const res = await postForm(providerA, `${url}/extra`, { client_id: String(anna), date: "2026-11-23", dagdeel: "middag" }, `${url}?datum=2026-11-23`);
    expect(res.status).to.equal(303);
    expect(await board()).to.match(/<td>extra<\/td>/);
  });

  it("a closure shows at once", async () => {
    expect(await board()).to.not.contain("Kerstbomen");
    const res = await postForm(providerA, "/locaties/sluitingen", { location_id: String(location), starts_on: "2026-11-27", ends_on: "", dagdeel: "", reason: "Kerstbomen" });
    const saved = res.status === 200 ? await postForm(providerA, "/locaties/sluitingen", hiddenFields(res.text, "confirm")) : res;
    expect(saved.status).to.equal(303);
    expect(await board()).to.contain("gesloten: Kerstbomen");
  });

  it("a capacity change shows at once", async () => {
    expect(await board()).to.not.contain("/ 7");
    const grid: Record<string, string> = {};
    for (let w = 1; w <= 7; w++) for (const d of ["ochtend", "middag"]) grid[`places_${w}_${d}`] = w <= 5 ? "7" : "";
    const url = `/locaties/${location}/capaciteit`;
    const res = await postForm(providerA, url, { ...grid, valid_from: "2026-11-23" }, url);
    const saved = res.status === 200 ? await postForm(providerA, url, { ...grid, valid_from: "2026-11-23", confirm: "1" }, url) : res;
    expect(saved.status).to.equal(303);
    expect(await board()).to.contain("/ 7");
  });

  it("a write by no route at all (an import, a script) shows at once, as do its deletions", async () => {
    await ctx.db("clients").where({ id: anna }).update({ first_name: "Annabel" });
    expect(await board()).to.contain("Annabel Aarts");
    await ctx.db("closures").where({ reason: "Kerstbomen" }).delete();
    expect(await board()).to.not.contain("Kerstbomen");
  });

  it("a kept board's table is in each user's language", async () => {
    expect(await board()).to.contain("Bezet / plaatsen");
    const english = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const res = await english.get(`/planning/locaties/${location}${WEEK}&lang=en`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Booked / places").and.not.contain("Bezet / plaatsen");
    expect(await board()).to.contain("Bezet / plaatsen");
  });

  it("a kept page is each user's own: their name (escaped), their CSRF token, the address they asked", async () => {
    const { password_hash, name } = await ctx.db("users").where({ id: ctx.world.users.coordinator.id }).first("password_hash", "name");
    const at = "2026-11-20T10:00:00.000Z";
    await ctx.db("users").insert(withNameKeys("users", { email: "jan@test.example", name: `Jan "<b>" & Zoon`, password_hash, role: "coordinator", organisation_id: null, active: true, locale: "nl", created_at: at, updated_at: at }));
    const jan = await loginAs(ctx.app, "jan@test.example");
    await ctx.db("data_versions").where({ name: "board" }).increment("version", 1); // a new board: its page made afresh
    const url = `/planning/locaties/${location}${WEEK}`;
    const first = await coordinator.get(url);
    const mine = await jan.get(`${url}&extra=1`);
    expect(mine.status).to.equal(200);
    expect(mine.text).to.contain(`<a class="who" href="/account">Jan &quot;&lt;b&gt;&quot; &amp; Zoon <span class="role">`);
    expect(mine.text).to.not.contain(`>${name} <span`);
    expect(first.text).to.contain(`<a class="who" href="/account">${name} <span class="role">`).and.not.contain("Jan &quot;");
    expect(mine.text).to.contain(`name="back" value="/planning/locaties/${location}?week&#x3D;2026-W48&amp;extra&#x3D;1"`);
    expect(first.text).to.contain(`name="back" value="/planning/locaties/${location}?week&#x3D;2026-W48"`);
    expect(mine.text).to.not.match(/[\u0000-\u0008]/);
    // Each page's token is its session's: Jan's works for Jan (the language switch), the other's does not.
    const [janToken, otherToken] = [csrfFrom(mine.text), csrfFrom(first.text)];
    expect(janToken).to.not.equal(otherToken);
    expect((await jan.post("/taal").type("form").send({ _csrf: otherToken, locale: "nl", back: url })).status).to.equal(403);
    expect((await jan.post("/taal").type("form").send({ _csrf: janToken, locale: "nl", back: url })).status).to.equal(303);
    // The same page again: the same ETag, and 304 when the browser has it; another user's differs.
    const again = await jan.get(`${url}&extra=1`);
    expect(again.text).to.equal(mine.text);
    expect(again.headers.etag).to.equal(mine.headers.etag).and.not.equal(first.headers.etag);
    expect((await jan.get(`${url}&extra=1`).set("If-None-Match", String(mine.headers.etag))).status).to.equal(304);
  });

  it("a kept page is shown whole with a flash message, and the flash shows once", async () => {
    const url = `/planning/locaties/${location}${WEEK}`;
    expect(url).to.contain(WEEK);
    await board(providerA); // kept
    const res = await postForm(providerA, "/locaties/sluitingen", { location_id: String(location), starts_on: "2026-11-25", ends_on: "", dagdeel: "", reason: "Vergadering" });
    const saved = res.status === 200 ? await postForm(providerA, "/locaties/sluitingen", hiddenFields(res.text, "confirm")) : res;
    expect(saved.status).to.equal(303);
    // The first page shows the flash (rendered whole), the second is the kept page: the same but for the flash.
    const pages = [await board(providerA), await board(providerA)];
    expect(pages[0]).to.contain('class="flash flash-success"').and.contain("Vergadering");
    expect(pages[1]).to.not.contain('class="flash');
    expect(pages[1]).to.equal(pages[0].replace(/\s*<div class="flash[^]*?<\/div>/, ""));
  });

  it("a kept board is shown only in scope: another provider is refused it (404), its own provider sees it", async () => {
    await board(); // kept
    expect((await providerB.get(`/planning/locaties/${location}${WEEK}`)).status).to.equal(404);
    expect(await board(providerA)).to.contain("Annabel Aarts");
  });
});

describe("HTTP on PostgreSQL: a write through one app instance shows on the other's next board (issue 11)", function () {
  let race: RaceContext;
  before(async function () {
    if (!hasPostgres()) return this.skip();
    race = await startTwoApps();
  });
  after(async () => race?.close());

  it("the second instance's kept board moves with the first one's closure and booking", async () => {
    const { world } = race;
    const [coordinator1, coordinator2] = [await loginAs(race.apps[0], world.users.coordinator.email), await loginAs(race.apps[1], world.users.coordinator.email)];
    const providerA1 = await loginAs(race.apps[0], world.users.providerA.email);
    const location = await makeLocation(race.db, world, world.providerA, 3);
    const url = `/planning/locaties/${location}${WEEK}`;
    // The location's iCal feed, asked of the second instance: its summary is kept against the same version.
    const token = newFeedToken();
    await insertFeed(race.db, { token_hash: hashFeedToken(token), scope: "location", client_id: null, location_id: location, label: null, created_by: null, created_at: "2026-11-20T10:00:00.000Z", updated_at: "2026-11-20T10:00:00.000Z" });
    const feedTag = async () => {
      const res = await request(race.apps[1]).get(`/agenda/feed/${token}.ics`);
      expect(res.status).to.equal(200);
      return res.headers.etag as string;
    };
    const tagBefore = await feedTag();
    expect(await feedTag()).to.equal(tagBefore);
    const seen = async () => {
      const res = await coordinator2.get(url);
      expect(res.status).to.equal(200);
      return res.text;
    };
    expect(await seen()).to.not.contain("Schuur");
    expect(await seen()).to.not.contain("Schuur"); // kept by the second instance
    const res = await postForm(providerA1, "/locaties/sluitingen", { location_id: String(location), starts_on: "2026-11-26", ends_on: "", dagdeel: "", reason: "Schuur" });
    const saved = res.status === 200 ? await postForm(providerA1, "/locaties/sluitingen", hiddenFields(res.text, "confirm")) : res;
    expect(saved.status).to.equal(303);
    expect(await seen()).to.contain("gesloten: Schuur");

    const cas = await makeClient(race.db, "Cas", "Coenen");
    expect(await seen()).to.not.contain("Cas Coenen"); // a client alone is on no board
    const booked = await postPlanning(coordinator1, "/roosters", scheduleForm({ client: cas, location, slots: ["2-ochtend"], funding: "eigen", from: "2026-11-23" }));
    expect(booked.status).to.equal(303);
    expect(await seen()).to.contain("Cas Coenen");
    expect(await feedTag(), "the feed moved with the booking").to.not.equal(tagBefore);
  });
});
