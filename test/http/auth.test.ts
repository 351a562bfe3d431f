import { expect } from "chai";
import request from "supertest";
import { csrfFrom, csrfToken, loginAs, postForm, startTestApp, type TestContext } from "../support/app";
import { PASSWORD } from "../support/fixtures";
import { createApp } from "../../src/app";

describe("HTTP: login, logout, sessions and CSRF", () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp({ env: { LOGIN_RATE_LIMIT: "5" } });
  });
  after(async () => ctx.close());

  it("sends an anonymous visitor to the login page", async () => {
    const res = await request(ctx.app).get("/");
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal("/login?next=%2F");
  });

  it("shows a login form in Dutch with a CSRF token and labelled fields", async () => {
    const res = await request(ctx.app).get("/login");
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<html lang="nl">');
    expect(res.text).to.contain("Inloggen");
    expect(res.text).to.match(/<label for="f-email">E-mailadres/);
    expect(csrfFrom(res.text)).to.have.length.greaterThan(10);
  });

  it("sets an HttpOnly, SameSite session cookie", async () => {
    const res = await request(ctx.app).get("/login");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).to.contain("dagdeel.sid=");
    expect(cookie).to.contain("HttpOnly");
    expect(cookie).to.contain("SameSite=Lax");
  });

  it("logs in with the right password, shows the role's home page, and logs out", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const home = await agent.get("/");
    expect(home.status).to.equal(200);
    expect(home.text).to.contain("User coordinator");
    expect(home.text).to.contain("Vraagt aandacht");
    const out = await postForm(agent, "/logout", {});
    expect(out.status).to.equal(303);
    const after = await agent.get("/");
    expect(after.status).to.equal(303);
    expect(after.headers.location).to.match(/^\/login/);
  });

  it("follows ?next= only to a path on this site", async () => {
    const agent = request.agent(ctx.app);
    let token = await csrfToken(agent);
    let res = await agent.post("/login").type("form").send({ email: ctx.world.users.admin.email, password: PASSWORD, next: "/beheer/gebruikers", _csrf: token });
    expect(res.headers.location).to.equal("/beheer/gebruikers");
    const other = request.agent(ctx.app);
    token = await csrfToken(other);
    res = await other.post("/login").type("form").send({ email: ctx.world.users.admin.email, password: PASSWORD, next: "//evil.example/", _csrf: token });
    expect(res.headers.location).to.equal("/");
  });

  it("refuses a wrong password with 401 and keeps the e-mail address", async () => {
    const agent = request.agent(ctx.app);
    const token = await csrfToken(agent);
    const res = await agent.post("/login").type("form").send({ email: ctx.world.users.admin.email, password: "wrong-password", _csrf: token });
    expect(res.status).to.equal(401);
    expect(res.text).to.contain("horen niet bij een actief account");
    expect(res.text).to.contain(`value="${ctx.world.users.admin.email}"`);
  });

  it("answers an empty login form with 422 and a message next to each field", async () => {
    const agent = request.agent(ctx.app);
    const token = await csrfToken(agent);
    const res = await agent.post("/login").type("form").send({ email: "", password: "", _csrf: token });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="f-email-error"');
    expect(res.text).to.contain('id="f-password-error"');
  });

  it("refuses a form without a CSRF token (403) and one with a wrong token", async () => {
    const agent = request.agent(ctx.app);
    await agent.get("/login");
    const missing = await agent.post("/login").type("form").send({ email: ctx.world.users.admin.email, password: PASSWORD });
    expect(missing.status).to.equal(403);
    expect(missing.text).to.contain("Formulier verlopen");
    const wrong = await agent.post("/login").type("form").send({ email: ctx.world.users.admin.email, password: PASSWORD, _csrf: "forged" });
    expect(wrong.status).to.equal(403);
    const loggedIn = await loginAs(ctx.app, ctx.world.users.admin.email);
    const logout = await loggedIn.post("/logout").type("form").send({});
    expect(logout.status).to.equal(403);
  });

  it("gives a new session id at login (no session fixation)", async () => {
    const agent = request.agent(ctx.app);
    const first = await agent.get("/login");
    const before = String(first.headers["set-cookie"]).match(/dagdeel\.sid=([^;]+)/)![1];
    const res = await agent.post("/login").type("form").send({ email: ctx.world.users.admin.email, password: PASSWORD, _csrf: csrfFrom(first.text) });
    const after = String(res.headers["set-cookie"]).match(/dagdeel\.sid=([^;]+)/)![1];
    expect(after).to.not.equal(before);
  });

  it("keeps sessions in the database, so they survive a restart of the app", async () => {
    const agent = request.agent(ctx.app);
    const token = await csrfToken(agent);
    const res = await agent.post("/login").type("form").send({ email: ctx.world.users.purchaser.email, password: PASSWORD, _csrf: token });
    const cookie = String(res.headers["set-cookie"]).match(/dagdeel\.sid=[^;]+/)![0];
    const rows = await ctx.db("sessions").count({ n: "*" });
    expect(Number(rows[0].n)).to.be.greaterThan(0);
    // A second app on the same database (a restart) accepts the same cookie.
    const second = createApp({ db: ctx.db, clock: ctx.clock, config: ctx.config });
    const home = await request(second).get("/").set("Cookie", cookie);
    await second.close();
    expect(home.status).to.equal(200);
    expect(home.text).to.contain("User purchaser");
  });

  it("rate-limits failed logins: after the limit even the right password waits (429)", async () => {
    const limited = await startTestApp({ env: { LOGIN_RATE_LIMIT: "3" } });
    try {
      const agent = request.agent(limited.app);
      const token = await csrfToken(agent);
      for (let i = 0; i < 3; i++) {
        const res = await agent.post("/login").type("form").send({ email: limited.world.users.admin.email, password: "nope-nope-nope", _csrf: token });
        expect(res.status).to.equal(401);
      }
      const blocked = await agent.post("/login").type("form").send({ email: limited.world.users.admin.email, password: PASSWORD, _csrf: token });
      expect(blocked.status).to.equal(429);
      expect(blocked.text).to.contain("Te veel inlogpogingen");
    } finally {
      await limited.close();
    }
  });

  it("sends security headers (helmet)", async () => {
    const res = await request(ctx.app).get("/login");
    expect(res.headers["content-security-policy"]).to.contain("default-src 'self'");
    expect(res.headers["x-content-type-options"]).to.equal("nosniff");
    expect(res.headers["x-frame-options"]).to.equal("SAMEORIGIN");
    expect(res.headers["x-powered-by"]).to.equal(undefined);
  });

  it("stores passwords as scrypt hashes, never in plain text", async () => {
    const row = await ctx.db("users").where({ id: ctx.world.users.admin.id }).first();
    expect(row.password_hash).to.match(/^scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
    expect(row.password_hash).to.not.contain(PASSWORD);
  });
});
