import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";

const LOCATION = {
  name: "Boerderij A Tuin",
  street: "Tuinweg 3",
  postcode: "5988ab",
  village_id: "",
  morning_start: "09:00",
  morning_end: "12:00",
  afternoon_start: "13:00",
  afternoon_end: "16:00",
  active: "1",
};

describe("HTTP: locations (list, details, create, edit)", () => {
  let ctx: TestContext;
  let providerA: Agent;
  before(async () => {
    ctx = await startTestApp();
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  const form = (overrides: Record<string, string> = {}) => ({ ...LOCATION, village_id: String(ctx.world.village), ...overrides });

  describe("reading", () => {
    it("a provider lists only its own locations, with the buttons to change them", async () => {
      const res = await providerA.get("/locaties");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Boerderij A");
      expect(res.text).to.not.contain("Dorpshuis B");
      expect(res.text).to.contain('href="/locaties/nieuw"');
    });

    it("a coordinator lists every provider's locations, read-only", async () => {
      const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
      const res = await agent.get("/locaties");
      expect(res.text).to.contain("Boerderij A").and.to.contain("Dorpshuis B");
      expect(res.text).to.not.contain('href="/locaties/nieuw"');
      const show = await agent.get(`/locaties/${ctx.world.locationB}`);
      expect(show.status).to.equal(200);
      expect(show.text).to.not.contain("/capaciteit");
      expect(show.text).to.not.contain("/bewerken");
    });

    it("a purchaser sees only the locations of providers it has a contract with", async () => {
      const agent = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      const res = await agent.get("/locaties");
      expect(res.text).to.contain("Boerderij A");
      expect(res.text).to.not.contain("Dorpshuis B");
      expect((await agent.get(`/locaties/${ctx.world.locationA}`)).status).to.equal(200);
      expect((await agent.get(`/locaties/${ctx.world.locationB}`)).status).to.equal(404);
    });

    it("a provider gets 404 for another provider's location, and for ids that are not ids", async () => {
      for (const url of [`/locaties/${ctx.world.locationB}`, `/locaties/${ctx.world.locationB}/week`, `/locaties/${ctx.world.locationB}/bewerken`, `/locaties/${ctx.world.locationB}/capaciteit`, "/locaties/99999", "/locaties/abc"]) {
        const res = await providerA.get(url);
        expect(res.status, url).to.equal(404);
        expect(res.text).to.not.contain("Dorpshuis B");
      }
    });

    it("shows the navigation entries per role", async () => {
      const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      const home = (await purchaser.get("/")).text;
      const nav = home.slice(home.indexOf('class="main-nav"'), home.indexOf("</nav>"));
      const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      expect(hrefs.slice(0, 2)).to.deep.equal(["/", "/vrije-plaatsen"]);
      expect(hrefs).to.include("/locaties");
      expect(home).to.contain('href="/vrije-plaatsen" class="button"'); // the prominent link on the purchaser's home
      const providerNav = (await providerA.get("/")).text;
      expect(providerNav).to.contain('href="/locaties"');
      const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
      const coordinatorHome = (await coordinator.get("/")).text;
      expect(coordinatorHome).to.contain('href="/locaties"').and.to.contain('href="/vrije-plaatsen"');
    });
  });

  describe("creating and editing", () => {
    it("a provider creates a location with default-able clock times, and it is audited", async () => {
      const res = await postForm(providerA, "/locaties", form());
      expect(res.status).to.equal(303);
      const row = await ctx.db("locations").where({ name: "Boerderij A Tuin" }).first();
      expect(row.provider_id).to.equal(ctx.world.providerA);
      expect(row.postcode).to.equal("5988 AB");
      expect(row.morning_start).to.equal("09:00");
      expect(res.headers.location).to.equal(`/locaties/${row.id}`);
      const audit = await ctx.db("audit_log").where({ entity: "location", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.providerA.id);
      const page = await providerA.get("/locaties/nieuw");
      expect(page.text).to.contain('value="09:30"').and.to.contain('value="16:30"'); // the default times
    });

    it("answers bad input with 422, the input kept and nothing saved", async () => {
      const res = await postForm(providerA, "/locaties", form({ name: "Half", postcode: "59AB", morning_start: "25:00", afternoon_end: "12:00", afternoon_start: "11:00" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-postcode-error"').and.to.contain('id="f-morning_start-error"');
      expect(res.text).to.contain('value="Half"').and.to.contain('value="59AB"').and.to.contain('value="25:00"');
      expect(await ctx.db("locations").where({ name: "Half" }).first()).to.equal(undefined);
    });

    it("refuses times that end before they start, a morning running into the afternoon, and an unknown village", async () => {
      const backwards = await postForm(providerA, "/locaties", form({ name: "Tijden", morning_start: "12:00", morning_end: "10:00" }));
      expect(backwards.status).to.equal(422);
      expect(backwards.text).to.contain('id="f-morning_end-error"');
      const overlapping = await postForm(providerA, "/locaties", form({ name: "Tijden", morning_end: "13:30", afternoon_start: "13:00" }));
      expect(overlapping.status).to.equal(422);
      expect(overlapping.text).to.contain('id="f-afternoon_start-error"');
      const village = await postForm(providerA, "/locaties", form({ name: "Nergens", village_id: "99999" }));
      expect(village.status).to.equal(422);
      expect(village.text).to.contain('id="f-village_id-error"');
    });

    it("refuses a second location with the same name (422)", async () => {
      const res = await postForm(providerA, "/locaties", form({ name: "Boerderij A" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("U heeft al een locatie met deze naam");
    });

    it("edits its own location and audits what changed", async () => {
      const { active: _unticked, ...withoutActive } = form({ name: "Boerderij A", afternoon_end: "17:00" });
      const res = await postForm(providerA, `/locaties/${ctx.world.locationA}`, withoutActive);
      expect(res.status).to.equal(303);
      const row = await ctx.db("locations").where({ id: ctx.world.locationA }).first();
      expect(row.afternoon_end).to.equal("17:00");
      expect(Boolean(row.active)).to.equal(false);
      const audit = await ctx.db("audit_log").where({ entity: "location", entity_id: ctx.world.locationA, action: "update" }).orderBy("id", "desc").first();
      expect(JSON.parse(audit.details)).to.deep.include({ afternoon_end: { from: "16:30", to: "17:00" } });
      await postForm(providerA, `/locaties/${ctx.world.locationA}`, form({ name: "Boerderij A", active: "1" }));
    });

    it("cannot edit another provider's location (404), nothing changes", async () => {
      const res = await postForm(providerA, `/locaties/${ctx.world.locationB}`, form({ name: "Overgenomen" }));
      expect(res.status).to.equal(404);
      expect((await ctx.db("locations").where({ id: ctx.world.locationB }).first()).name).to.equal("Dorpshuis B");
    });

    for (const role of ["coordinator", "purchaser", "admin"] as const) {
      it(`refuses the ${role} every change (403)`, async () => {
        const agent = await loginAs(ctx.app, ctx.world.users[role].email);
        expect((await agent.get("/locaties/nieuw")).status).to.equal(403);
        expect((await agent.get(`/locaties/${ctx.world.locationA}/bewerken`)).status).to.equal(403);
        const create = await postForm(agent, "/locaties", form({ name: `Van ${role}` }));
        expect(create.status).to.equal(403);
        const edit = await postForm(agent, `/locaties/${ctx.world.locationA}`, form({ name: `Van ${role}` }));
        expect(edit.status).to.equal(403);
        expect(await ctx.db("locations").where({ name: `Van ${role}` }).first()).to.equal(undefined);
      });
    }
  });
});
