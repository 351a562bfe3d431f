import { expect } from "chai";
import request from "supertest";
import { csrfToken, loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { PASSWORD } from "../support/fixtures";

describe("HTTP: the admin manages users and organisations", () => {
  let ctx: TestContext;
  let admin: Agent;
  before(async () => {
    ctx = await startTestApp();
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
  });
  after(async () => ctx.close());

  describe("roles", () => {
    for (const role of ["coordinator", "providerA", "purchaser"] as const) {
      it(`refuses the ${role} on every admin page (403)`, async () => {
        const agent = await loginAs(ctx.app, ctx.world.users[role].email);
        for (const url of ["/beheer/gebruikers", "/beheer/gebruikers/nieuw", `/beheer/gebruikers/${ctx.world.users.admin.id}`, "/beheer/organisaties", "/beheer/audit"]) {
          const res = await agent.get(url);
          expect(res.status, url).to.equal(403);
          expect(res.text).to.contain("Geen toegang");
        }
        const post = await postForm(agent, "/beheer/gebruikers", { name: "X", email: "x@test.example", role: "admin", locale: "nl", password: "long-enough-pw" });
        expect(post.status).to.equal(403);
        expect(await ctx.db("users").where({ email: "x@test.example" }).first()).to.equal(undefined);
      });
    }

    it("does not show the admin navigation to other roles", async () => {
      const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
      const res = await agent.get("/");
      expect(res.text).to.not.contain('href="/beheer/gebruikers"');
      const adminHome = await admin.get("/");
      expect(adminHome.text).to.contain('href="/beheer/gebruikers"');
    });
  });

  describe("users", () => {
    it("lists the users", async () => {
      const res = await admin.get("/beheer/gebruikers");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain(ctx.world.users.providerA.email);
    });

    it("creates a provider user who can then log in, and audits it", async () => {
      const res = await postForm(admin, "/beheer/gebruikers", {
        name: "Nieuwe Vrijwilliger",
        email: "Nieuw@Test.Example",
        role: "provider",
        organisation_id: String(ctx.world.providerA),
        locale: "nl",
        password: "een-goed-wachtwoord",
      });
      expect(res.status).to.equal(303);
      const row = await ctx.db("users").where({ email: "nieuw@test.example" }).first();
      expect(row.organisation_id).to.equal(ctx.world.providerA);
      const audit = await ctx.db("audit_log").where({ entity: "user", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.admin.id);
      const agent = await loginAs(ctx.app, "nieuw@test.example", "een-goed-wachtwoord");
      expect((await agent.get("/")).status).to.equal(200);
    });

    it("answers bad input with 422, a message next to each field, and the input kept", async () => {
      const res = await postForm(admin, "/beheer/gebruikers", {
        name: "Half Ingevuld",
        email: "not-an-email",
        role: "provider",
        organisation_id: "",
        locale: "nl",
        password: "short",
      });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-email-error"');
      expect(res.text).to.contain('id="f-password-error"');
      expect(res.text).to.contain('value="Half Ingevuld"');
      expect(res.text).to.contain('value="not-an-email"');
      expect(res.text).to.not.contain('value="short"');
      expect(await ctx.db("users").where({ name: "Half Ingevuld" }).first()).to.equal(undefined);
    });

    it("requires a provider organisation for a provider user (422)", async () => {
      const res = await postForm(admin, "/beheer/gebruikers", {
        name: "Verkeerde Organisatie",
        email: "wrong-org@test.example",
        role: "provider",
        organisation_id: String(ctx.world.gemeente),
        locale: "nl",
        password: "een-goed-wachtwoord",
      });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-organisation_id-error"');
    });

    it("refuses a duplicate e-mail address (422) and an unknown role (422)", async () => {
      const dup = await postForm(admin, "/beheer/gebruikers", { name: "Dubbel", email: ctx.world.users.coordinator.email, role: "coordinator", locale: "nl", password: "een-goed-wachtwoord" });
      expect(dup.status).to.equal(422);
      expect(dup.text).to.contain("hoort al bij een andere gebruiker");
      const role = await postForm(admin, "/beheer/gebruikers", { name: "Rol", email: "rol@test.example", role: "superuser", locale: "nl", password: "een-goed-wachtwoord" });
      expect(role.status).to.equal(422);
      expect(role.text).to.contain('id="f-role-error"');
    });

    it("edits a user, keeping the password when left empty", async () => {
      const id = ctx.world.users.purchaser.id;
      const before = await ctx.db("users").where({ id }).first();
      const res = await postForm(admin, `/beheer/gebruikers/${id}`, { name: "Inkoper Hernoemd", email: before.email, role: "purchaser", organisation_id: String(ctx.world.gemeente), locale: "en", password: "" });
      expect(res.status).to.equal(303);
      const after = await ctx.db("users").where({ id }).first();
      expect(after.name).to.equal("Inkoper Hernoemd");
      expect(after.locale).to.equal("en");
      expect(after.password_hash).to.equal(before.password_hash);
    });

    it("answers an unknown user id with 404", async () => {
      expect((await admin.get("/beheer/gebruikers/99999")).status).to.equal(404);
      expect((await admin.get("/beheer/gebruikers/abc")).status).to.equal(404);
      expect((await postForm(admin, "/beheer/gebruikers/99999", { name: "x" })).status).to.equal(404);
    });

    it("deactivates a user: the open session ends at once and login is refused", async () => {
      const victim = await loginAs(ctx.app, ctx.world.users.providerB.email);
      expect((await victim.get("/")).status).to.equal(200);
      const res = await postForm(admin, `/beheer/gebruikers/${ctx.world.users.providerB.id}/actief`, { active: "0" }, "/beheer/gebruikers");
      expect(res.status).to.equal(303);
      const after = await victim.get("/");
      expect(after.status).to.equal(303);
      expect(after.headers.location).to.equal("/login");
      const again = request.agent(ctx.app);
      const token = await csrfToken(again);
      const login = await again.post("/login").type("form").send({ email: ctx.world.users.providerB.email, password: PASSWORD, _csrf: token });
      expect(login.status).to.equal(401);
      const audit = await ctx.db("audit_log").where({ entity: "user", entity_id: ctx.world.users.providerB.id, action: "deactivate" }).first();
      expect(audit).to.not.equal(undefined);
      // and back
      await postForm(admin, `/beheer/gebruikers/${ctx.world.users.providerB.id}/actief`, { active: "1" }, "/beheer/gebruikers");
      await loginAs(ctx.app, ctx.world.users.providerB.email);
    });

    it("does not let the admin deactivate itself", async () => {
      const res = await postForm(admin, `/beheer/gebruikers/${ctx.world.users.admin.id}/actief`, { active: "0" }, "/beheer/gebruikers");
      expect(res.status).to.equal(303);
      const row = await ctx.db("users").where({ id: ctx.world.users.admin.id }).first();
      expect(Boolean(row.active)).to.equal(true);
    });
  });

  describe("organisations", () => {
    it("creates a zorgboerderij and audits it", async () => {
      const res = await postForm(admin, "/beheer/organisaties", {
        kind: "provider",
        subkind: "zorgboerderij",
        name: "Zorgboerderij Nieuw",
        agb_code: "98000099",
        kvk_number: "12345678",
        gemeentecode: "",
        email: "",
        phone: "",
      });
      expect(res.status).to.equal(303);
      const row = await ctx.db("organisations").where({ name: "Zorgboerderij Nieuw" }).first();
      expect(row.agb_code).to.equal("98000099");
      expect(row.email).to.equal(null);
      expect(await ctx.db("audit_log").where({ entity: "organisation", entity_id: row.id }).first()).to.not.equal(undefined);
    });

    it("answers bad codes and a kind/type mismatch with 422 and the form kept", async () => {
      const res = await postForm(admin, "/beheer/organisaties", {
        kind: "purchaser",
        subkind: "zorgboerderij",
        name: "Gemeente Fout",
        agb_code: "123",
        kvk_number: "abc",
        gemeentecode: "18945",
        email: "geen-email",
      });
      expect(res.status).to.equal(422);
      for (const field of ["agb_code", "kvk_number", "gemeentecode", "email"]) {
        expect(res.text, field).to.contain(`id="f-${field}-error"`);
      }
      expect(res.text).to.contain('value="Gemeente Fout"');
      expect(await ctx.db("organisations").where({ name: "Gemeente Fout" }).first()).to.equal(undefined);
      const mismatch = await postForm(admin, "/beheer/organisaties", { kind: "purchaser", subkind: "zorgboerderij", name: "Gemeente Fout", gemeentecode: "1234" });
      expect(mismatch.status).to.equal(422);
      expect(mismatch.text).to.contain('id="f-subkind-error"');
    });

    it("refuses a second organisation with an existing AGB code (422)", async () => {
      const res = await postForm(admin, "/beheer/organisaties", { kind: "provider", subkind: "overig", name: "Kopie", agb_code: "98000001" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("hoort al bij een andere organisatie");
    });

    it("edits an organisation", async () => {
      const res = await postForm(admin, `/beheer/organisaties/${ctx.world.providerB}`, { kind: "provider", subkind: "dorpsdagvoorziening", name: "Dorpsdagvoorziening B (Helden)", agb_code: "98000002", phone: "077 123 45 67" });
      expect(res.status).to.equal(303);
      const row = await ctx.db("organisations").where({ id: ctx.world.providerB }).first();
      expect(row.name).to.equal("Dorpsdagvoorziening B (Helden)");
      expect(row.phone).to.equal("077 123 45 67");
    });

    it("deactivating an organisation deactivates its users", async () => {
      await postForm(admin, "/beheer/organisaties", { kind: "provider", subkind: "zorgboerderij", name: "Zorgboerderij Stopt", agb_code: "98000077" });
      const id = await ctx.db("organisations").where({ name: "Zorgboerderij Stopt" }).first().then((r) => r.id);
      await postForm(admin, "/beheer/gebruikers", { name: "Boer Nieuw", email: "boer@test.example", role: "provider", organisation_id: String(id), locale: "nl", password: "een-goed-wachtwoord" });
      const res = await postForm(admin, `/beheer/organisaties/${id}/actief`, { active: "0" }, "/beheer/organisaties");
      expect(res.status).to.equal(303);
      const user = await ctx.db("users").where({ email: "boer@test.example" }).first();
      expect(Boolean(user.active)).to.equal(false);
    });

    it("answers an unknown organisation id with 404", async () => {
      expect((await admin.get("/beheer/organisaties/424242")).status).to.equal(404);
    });
  });

  describe("audit log", () => {
    it("shows the admin who changed what", async () => {
      // Its own changes, so it passes alone as well as after the tests above.
      await postForm(admin, "/beheer/gebruikers", { name: "Audit Spoor", email: "audit-spoor@test.example", role: "coordinator", locale: "nl", password: "een-goed-wachtwoord" });
      await postForm(admin, `/beheer/organisaties/${ctx.world.zorgkantoor}/actief`, { active: "0" }, "/beheer/organisaties");
      await postForm(admin, `/beheer/organisaties/${ctx.world.zorgkantoor}/actief`, { active: "1" }, "/beheer/organisaties");
      const res = await admin.get("/beheer/audit");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Auditlog");
      const text = res.text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
      expect(text).to.contain("User admin aangemaakt gebruiker Audit Spoor");
      expect(text).to.contain("User admin gedeactiveerd organisatie VGZ Zorgkantoor Noord- en Midden-Limburg");
    });
  });
});
