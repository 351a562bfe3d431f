import { expect } from "chai";
import request from "supertest";
import { loginAs, postForm, startTestApp, type TestContext } from "../support/app";
import { createApp } from "../../src/app";

describe("HTTP: layout, language, health and error pages", () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(async () => ctx.close());

  it("GET /healthz answers 200 with the database status, without a session", async () => {
    const res = await request(ctx.app).get("/healthz");
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal("ok");
    expect(res.body.database.status).to.equal("ok");
    expect(res.headers["set-cookie"]).to.equal(undefined);
  });

  it("GET /healthz answers 503 when the database is gone, without the error's text", async () => {
    const broken = await startTestApp();
    await broken.db.destroy();
    const res = await request(broken.app).get("/healthz");
    expect(res.status).to.equal(503);
    expect(res.body.database.status).to.equal("error");
    // the driver's own words (hosts, users, files) stay in the log, not with anonymous callers
    expect(res.body.database).to.deep.equal({ status: "error" });
    expect(res.text).to.not.match(/acquire|connection|knex|sqlite|ECONN/i);
    await broken.app.close();
  });

  it("every page has a skip link, landmarks and one h1", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const res = await agent.get("/");
    expect(res.text).to.contain('<a class="skip-link" href="#main">');
    expect(res.text).to.contain("<header");
    expect(res.text).to.contain('<nav class="main-nav" aria-label="Hoofdmenu">');
    expect(res.text).to.contain('<main id="main"');
    expect(res.text).to.contain("<footer");
    expect(res.text.match(/<h1[ >]/g)).to.have.length(1);
    expect(res.text).to.contain('aria-current="page"');
  });

  it("switches to English and back, and remembers it for the user", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const res = await postForm(agent, "/taal", { locale: "en", back: "/organisaties" });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal("/organisaties");
    const page = await agent.get("/organisaties");
    expect(page.text).to.contain('<html lang="en">');
    expect(page.text).to.contain("Purchasers");
    expect((await ctx.db("users").where({ id: ctx.world.users.coordinator.id }).first()).locale).to.equal("en");
    await postForm(agent, "/taal", { locale: "nl", back: "/" });
    expect((await agent.get("/")).text).to.contain('<html lang="nl">');
  });

  it("ignores a language switch to a place off the site or to an unknown language", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const res = await postForm(agent, "/taal", { locale: "fr", back: "https://evil.example/" });
    expect(res.headers.location).to.equal("/");
    expect((await agent.get("/")).text).to.contain('<html lang="nl">');
  });

  it("shows a friendly 404 page", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const res = await agent.get("/bestaat-niet");
    expect(res.status).to.equal(404);
    expect(res.text).to.contain("Pagina niet gevonden");
    expect(res.text).to.contain("<main");
  });

  it("shows a friendly 500 page without a stack trace", async () => {
    // A database that fails under a logged-in page: the error page must not leak internals.
    const broken = await startTestApp();
    const agent = await loginAs(broken.app, broken.world.users.coordinator.email);
    await broken.db.schema.dropTable("waitlist_slots");
    await broken.db.schema.dropTable("waitlist_entries");
    const res = await agent.get("/");
    expect(res.status).to.equal(500);
    expect(res.text).to.contain("Er ging iets mis");
    expect(res.text).to.not.match(/at .*\.ts:\d+|SQLITE_ERROR|no such table/);
    await broken.close();
  });

  it("formats dates on the home page the Dutch way with the ISO week", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const res = await agent.get("/");
    expect(res.text).to.contain("maandag 23 november 2026");
    expect(res.text).to.contain("week 48");
  });

  it("creates the app from its dependencies, so a second app can share the database", () => {
    const other = createApp({ db: ctx.db, clock: ctx.clock, config: ctx.config });
    expect(other).to.be.a("function");
    return other.close();
  });
});
