import { expect } from "chai";
import request from "supertest";
import { csrfFrom, csrfToken, loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { PASSWORD } from "../support/fixtures";
import { currentCode } from "../../src/auth/totp";
import { hashToken } from "../../src/users/password-reset";
import { withNameKeys } from "../../src/db/name-keys";

const NEW_PASSWORD = "een-nieuw-wachtwoord-2026";
const HALF_MINUTE = 30_000;

/** Logs in with the password only: the answer is the login's redirect (/ or /login/code). */
async function passwordStep(ctx: TestContext, email: string, password = PASSWORD): Promise<{ agent: Agent; location: string; status: number }> {
  const agent = request.agent(ctx.app);
  const token = await csrfToken(agent);
  const res = await agent.post("/login").type("form").send({ email, password, _csrf: token });
  return { agent, location: res.headers.location, status: res.status };
}

/** A coordinator of its own (the world's password), so no test depends on another's state. */
async function addCoordinator(ctx: TestContext, name: string, extra: Record<string, unknown> = {}): Promise<{ id: number; email: string }> {
  const email = `c-${Math.random().toString(36).slice(2, 10)}@test.example`;
  const hash = (await ctx.db("users").where({ id: ctx.world.users.coordinator.id }).first()).password_hash;
  const at = "2026-11-01T08:00:00.000Z";
  const [row] = await ctx.db("users").insert(withNameKeys("users", { email, name, password_hash: hash, role: "coordinator", organisation_id: null, active: true, locale: "nl", created_at: at, updated_at: at, ...extra })).returning("id");
  return { id: Number(typeof row === "object" ? row.id : row), email };
}

async function sendCode(agent: Agent, code: string) {
  const page = await agent.get("/login/code");
  return agent.post("/login/code").type("form").send({ code, _csrf: csrfFrom(page.text) });
}

/** The secret the set-up page shows, as the user would type it into the app. */
async function secretOnPage(agent: Agent): Promise<string> {
  const page = await agent.get("/account/tweestaps");
  expect(page.status).to.equal(200);
  return page.text.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)![1].replace(/ /g, "");
}

async function enrol(agent: Agent): Promise<string> {
  const secret = await secretOnPage(agent);
  const res = await postForm(agent, "/account/tweestaps", { code: currentCode(secret) }, "/account/tweestaps");
  expect(res.status).to.equal(303);
  return secret;
}

describe("HTTP: own password, two-factor login (TOTP) and the admin's reset link", () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(async () => ctx.close());

  describe("every user changes their own password", () => {
    it("every role reaches its account page and the password form", async () => {
      for (const who of ["coordinator", "providerA", "purchaser", "admin"] as const) {
        const agent = await loginAs(ctx.app, ctx.world.users[who].email);
        const account = await agent.get("/account");
        expect(account.status, who).to.equal(200);
        expect(account.text).to.contain(ctx.world.users[who].email);
        expect((await agent.get("/account/wachtwoord")).status, who).to.equal(200);
        // the name in the header leads there
        expect((await agent.get("/")).text).to.contain('href="/account"');
      }
    });

    it("refuses a wrong current password and two different new ones (422), changing nothing", async () => {
      const agent = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      const before = await ctx.db("users").where({ id: ctx.world.users.purchaser.id }).first();
      const wrong = await postForm(agent, "/account/wachtwoord", { current_password: "not-my-password", new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD }, "/account/wachtwoord");
      expect(wrong.status).to.equal(422);
      expect(wrong.text).to.contain('id="f-current_password-error"');
      const differ = await postForm(agent, "/account/wachtwoord", { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: "something-else-entirely" }, "/account/wachtwoord");
      expect(differ.status).to.equal(422);
      expect(differ.text).to.contain('id="f-new_password_confirm-error"');
      const short = await postForm(agent, "/account/wachtwoord", { current_password: PASSWORD, new_password: "kort", new_password_confirm: "kort" }, "/account/wachtwoord");
      expect(short.status).to.equal(422);
      expect(short.text).to.contain('id="f-new_password-error"');
      expect((await ctx.db("users").where({ id: ctx.world.users.purchaser.id }).first()).password_hash).to.equal(before.password_hash);
    });

    it("changes it: this browser stays in, other sessions end, the old password stops working", async () => {
      const email = ctx.world.users.zorgkantoor.email;
      const here = await loginAs(ctx.app, email);
      const elsewhere = await loginAs(ctx.app, email);
      const res = await postForm(here, "/account/wachtwoord", { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD }, "/account/wachtwoord");
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal("/account");
      expect((await here.get("/account")).text).to.contain("Uw wachtwoord is gewijzigd");
      const other = await elsewhere.get("/");
      expect(other.status).to.equal(303);
      expect(other.headers.location).to.match(/^\/login/);
      expect((await passwordStep(ctx, email)).status).to.equal(401);
      expect((await passwordStep(ctx, email, NEW_PASSWORD)).status).to.equal(303);
      const audit = await ctx.db("audit_log").where({ entity: "user", action: "change_password", entity_id: ctx.world.users.zorgkantoor.id }).first();
      expect(audit.user_id).to.equal(ctx.world.users.zorgkantoor.id);
    });
  });

  describe("two-factor login for coordinators", () => {
    let coordinator: number;
    let email: string;
    beforeEach(async () => {
      ({ id: coordinator, email } = await addCoordinator(ctx, "Coördinator Twee"));
    });

    it("providers and purchasers have no two-factor page (403)", async () => {
      for (const who of ["providerA", "purchaser"] as const) {
        const agent = await loginAs(ctx.app, ctx.world.users[who].email);
        expect((await agent.get("/account/tweestaps")).status, who).to.equal(403);
        expect((await postForm(agent, "/account/tweestaps", { code: "123456" })).status, who).to.equal(403);
      }
    });

    it("set-up shows a QR code and the secret; a wrong code is refused (422), the right one turns it on", async () => {
      const agent = await loginAs(ctx.app, email);
      const page = await agent.get("/account/tweestaps");
      // base64 padding comes out of handlebars as &#x3D;, which the browser reads as "=" again
      expect(page.text).to.match(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/]+(&#x3D;)*" alt="[^"]+"/);
      const secret = await secretOnPage(agent);
      const wrong = await postForm(agent, "/account/tweestaps", { code: "000000" === currentCode(secret) ? "111111" : "000000" }, "/account/tweestaps");
      expect(wrong.status).to.equal(422);
      expect(wrong.text).to.contain('id="f-code-error"');
      expect((await ctx.db("users").where({ id: coordinator }).first()).totp_secret).to.equal(null);
      const ok = await postForm(agent, "/account/tweestaps", { code: currentCode(secret) }, "/account/tweestaps");
      expect(ok.status).to.equal(303);
      const row = await ctx.db("users").where({ id: coordinator }).first();
      expect(row.totp_secret).to.equal(secret);
      expect(await ctx.db("audit_log").where({ entity: "user", action: "enable_totp", entity_id: coordinator }).first()).to.not.equal(undefined);
    });

    it("login then asks for the code: not logged in before it, a wrong code 401, the right one logs in, and never twice", async () => {
      const secret = await enrol(await loginAs(ctx.app, email));
      const { agent, location } = await passwordStep(ctx, email);
      expect(location).to.equal("/login/code");
      expect((await agent.get("/")).headers.location).to.match(/^\/login/); // the password alone is not a login
      const wrong = await sendCode(agent, "12345x");
      expect(wrong.status).to.equal(401);
      expect(wrong.text).to.contain('id="f-code-error"');
      // The enrolment used this half minute's code; the app's next one logs in.
      const code = currentCode(secret, Date.now() + HALF_MINUTE);
      const ok = await sendCode(agent, code);
      expect(ok.status).to.equal(303);
      expect(ok.headers.location).to.equal("/");
      expect((await agent.get("/")).status).to.equal(200);
      // the same code once more, by someone who saw it: refused
      const replay = await passwordStep(ctx, email);
      expect((await sendCode(replay.agent, code)).status).to.equal(401);
      const login = await ctx.db("audit_log").where({ action: "login", entity_id: coordinator }).orderBy("id", "desc").first();
      expect(JSON.parse(login.details)).to.deep.equal({ totp: true });
    });

    it("five wrong codes send the user back to the password", async () => {
      await enrol(await loginAs(ctx.app, email));
      const { agent } = await passwordStep(ctx, email);
      for (let i = 0; i < 4; i++) expect((await sendCode(agent, "000001")).status).to.equal(401);
      const fifth = await sendCode(agent, "000001");
      expect(fifth.status).to.equal(401);
      expect(fifth.text).to.contain("Log opnieuw in met uw wachtwoord");
      expect((await agent.get("/login/code")).headers.location).to.equal("/login");
    });

    it("codes are rate-limited per address like passwords (429)", async () => {
      const limited = await startTestApp({ env: { LOGIN_RATE_LIMIT: "3" } });
      try {
        const hash = (await limited.db("users").where({ id: limited.world.users.coordinator.id }).first()).password_hash;
        await limited.db("users").where({ id: limited.world.users.coordinator.id }).update({ totp_secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", password_hash: hash });
        const first = await passwordStep(limited, limited.world.users.coordinator.email);
        for (let i = 0; i < 3; i++) expect((await sendCode(first.agent, "000001")).status).to.equal(401);
        const second = await passwordStep(limited, limited.world.users.coordinator.email);
        const blocked = await sendCode(second.agent, currentCode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"));
        expect(blocked.status).to.equal(429);
      } finally {
        await limited.close();
      }
    });

    it("the user turns it off with the password, unless the admin requires it", async () => {
      const agent = await loginAs(ctx.app, email);
      await enrol(agent);
      await ctx.db("users").where({ id: coordinator }).update({ totp_required: true });
      const refused = await postForm(agent, "/account/tweestaps/uit", { password: PASSWORD }, "/account");
      expect(refused.status).to.equal(422);
      expect((await ctx.db("users").where({ id: coordinator }).first()).totp_secret).to.not.equal(null);
      await ctx.db("users").where({ id: coordinator }).update({ totp_required: false });
      const badPassword = await postForm(agent, "/account/tweestaps/uit", { password: "not-the-password" }, "/account");
      expect(badPassword.status).to.equal(422);
      const off = await postForm(agent, "/account/tweestaps/uit", { password: PASSWORD }, "/account");
      expect(off.status).to.equal(303);
      expect((await ctx.db("users").where({ id: coordinator }).first()).totp_secret).to.equal(null);
      expect((await passwordStep(ctx, email)).location).to.equal("/");
    });

    it("the admin requires it of one user: every page leads to the set-up until it is done", async () => {
      const admin = await loginAs(ctx.app, ctx.world.users.admin.email);
      const form = await admin.get(`/beheer/gebruikers/${coordinator}`);
      expect(form.text).to.contain('name="totp_required"');
      const saved = await postForm(admin, `/beheer/gebruikers/${coordinator}`, { name: "Coördinator Twee", email, role: "coordinator", organisation_id: "", locale: "nl", password: "", totp_required: "1" }, `/beheer/gebruikers/${coordinator}`);
      expect(saved.status).to.equal(303);
      const agent = await loginAs(ctx.app, email);
      for (const url of ["/", "/clienten", "/account/wachtwoord"]) {
        const res = await agent.get(url);
        expect(res.status, url).to.equal(303);
        expect(res.headers.location).to.equal("/account/tweestaps");
      }
      const setup = await agent.get("/account/tweestaps");
      expect(setup.text).to.contain("De beheerder vraagt dat u inlogt met tweestapsverificatie");
      await enrol(agent);
      expect((await agent.get("/clienten")).status).to.equal(200);
    });

    it("the admin requires it of every coordinator with one switch", async () => {
      const admin = await loginAs(ctx.app, ctx.world.users.admin.email);
      const on = await postForm(admin, "/beheer/gebruikers/tweestaps", { required: "1" }, "/beheer/gebruikers");
      expect(on.status).to.equal(303);
      try {
        expect((await admin.get("/beheer/gebruikers")).text).to.contain("is verplicht voor alle coördinatoren");
        const agent = await loginAs(ctx.app, email);
        expect((await agent.get("/")).headers.location).to.equal("/account/tweestaps");
        // providers are not asked
        expect((await (await loginAs(ctx.app, ctx.world.users.providerA.email)).get("/")).status).to.equal(200);
      } finally {
        await postForm(admin, "/beheer/gebruikers/tweestaps", { required: "0" }, "/beheer/gebruikers");
      }
      expect((await (await loginAs(ctx.app, email)).get("/")).status).to.equal(200);
    });

    it("the admin may not require it of a provider (422)", async () => {
      const admin = await loginAs(ctx.app, ctx.world.users.admin.email);
      const u = ctx.world.users.providerB;
      const res = await postForm(admin, `/beheer/gebruikers/${u.id}`, { name: "User providerB", email: u.email, role: "provider", organisation_id: String(ctx.world.providerB), locale: "nl", password: "", totp_required: "1" }, `/beheer/gebruikers/${u.id}`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-totp_required-error"');
    });
  });

  describe("the admin's reset link", () => {
    let userId: number;
    let email: string;
    beforeEach(async () => {
      ({ id: userId, email } = await addCoordinator(ctx, "Vergeetachtig", { totp_secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", totp_enabled_at: "2026-11-01T08:00:00.000Z" }));
    });

    async function makeLink(): Promise<string> {
      const admin = await loginAs(ctx.app, ctx.world.users.admin.email);
      const res = await postForm(admin, `/beheer/gebruikers/${userId}/herstellen`, {}, `/beheer/gebruikers/${userId}`);
      expect(res.status).to.equal(200);
      expect(res.headers["cache-control"]).to.contain("no-store");
      return new URL(res.text.match(/value="(http[^"]+\/wachtwoord-herstel\/[^"]+)"/)![1]).pathname;
    }

    it("only the admin makes one (403 for others)", async () => {
      const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
      expect((await postForm(coordinator, `/beheer/gebruikers/${userId}/herstellen`, {})).status).to.equal(403);
      expect(await ctx.db("password_resets").where({ user_id: userId }).first()).to.equal(undefined);
    });

    it("the link is shown once and only its hash stored; it ends sessions, voids the password and clears TOTP", async () => {
      const { agent: open } = await passwordStep(ctx, email); // waiting for a code
      const path = await makeLink();
      const token = path.split("/").pop()!;
      const stored = await ctx.db("password_resets").where({ user_id: userId }).first();
      expect(stored.token_hash).to.equal(hashToken(token));
      expect(JSON.stringify(await ctx.db("password_resets").select())).to.not.contain(token);
      const user = await ctx.db("users").where({ id: userId }).first();
      expect(user.totp_secret).to.equal(null);
      expect((await passwordStep(ctx, email)).status).to.equal(401);
      expect((await sendCode(open, "123456")).status).to.equal(401);
    });

    it("sets a new password once; the link then no longer works, and the user logs in with it", async () => {
      const path = await makeLink();
      const visitor = request.agent(ctx.app);
      const page = await visitor.get(path);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("Vergeetachtig");
      const differ = await visitor.post(path).type("form").send({ new_password: NEW_PASSWORD, new_password_confirm: "iets-heel-anders-123", _csrf: csrfFrom(page.text) });
      expect(differ.status).to.equal(422);
      const done = await visitor.post(path).type("form").send({ new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD, _csrf: csrfFrom(page.text) });
      expect(done.status).to.equal(303);
      expect(done.headers.location).to.equal("/login");
      expect((await visitor.get(path)).status).to.equal(404);
      const again = await visitor.post(path).type("form").send({ new_password: "nog-een-wachtwoord-1", new_password_confirm: "nog-een-wachtwoord-1", _csrf: csrfFrom(page.text) });
      expect(again.status).to.equal(404);
      expect((await passwordStep(ctx, email, NEW_PASSWORD)).location).to.equal("/");
      expect(await ctx.db("audit_log").where({ entity: "user", action: "reset_password", entity_id: userId }).first()).to.not.equal(undefined);
    });

    it("an expired link, an older link after a newer one, and a made-up one answer 404", async () => {
      const first = await makeLink();
      const second = await makeLink();
      expect((await request(ctx.app).get(first)).status).to.equal(404);
      expect((await request(ctx.app).get(second)).status).to.equal(200);
      await ctx.db("password_resets").where({ user_id: userId }).update({ expires_at: "2026-11-22T10:00:00.000Z" });
      const expired = await request(ctx.app).get(second);
      expect(expired.status).to.equal(404);
      expect(expired.text).to.contain("Deze link werkt niet (meer)");
      expect((await request(ctx.app).get("/wachtwoord-herstel/made-up-token-made-up-token-0000")).status).to.equal(404);
    });
  });
});
