import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { addAllocation, addClient, addProducts, addSchedule } from "../support/clients-fixtures";

// The links between features: client page → calendar feeds and roster; location page →
// planning board, attendance list, roster, location feeds; planning board → attendance per day
// and the location's week. A link is shown only to a role whose guard lets it through, and
// every link shown opens.

describe("HTTP: links between features, per role", () => {
  let ctx: TestContext;
  let agents: Record<"coordinator" | "providerA" | "providerB" | "purchaser" | "admin", Agent>;
  let anna: number; // scheduled at provider A's location, allocation from the gemeente
  let bert: number; // only an allocation with provider B, no schedule

  before(async () => {
    ctx = await startTestApp(); // today: Monday 2026-11-23, week 48
    const products = await addProducts(ctx.db);
    anna = await addClient(ctx.db, { first_name: "Anna", last_name: "Ansems" });
    await addSchedule(ctx.db, { client_id: anna, location_id: ctx.world.locationA, funding: "eigen" }, [[2, "ochtend"]]);
    await addAllocation(ctx.db, { client_id: anna, purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA, product_id: products.wmo, reference: "TW-ANNA" });
    bert = await addClient(ctx.db, { first_name: "Bert", last_name: "Bos" });
    await addAllocation(ctx.db, { client_id: bert, purchaser_id: ctx.world.zorgkantoor, provider_id: ctx.world.providerB, product_id: products.wlz, reference: "TW-BERT" });
    const u = ctx.world.users;
    agents = {
      coordinator: await loginAs(ctx.app, u.coordinator.email),
      providerA: await loginAs(ctx.app, u.providerA.email),
      providerB: await loginAs(ctx.app, u.providerB.email),
      purchaser: await loginAs(ctx.app, u.purchaser.email),
      admin: await loginAs(ctx.app, u.admin.email),
    };
  });
  after(async () => ctx.close());

  const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));

  async function expectOpens(agent: Agent, links: string[]) {
    for (const link of links) expect((await agent.get(link)).status, link).to.equal(200);
  }

  describe("the client page", () => {
    const feeds = () => `/agenda/client/${anna}`;
    const roster = (id: number) => `/agenda/rooster/client/${id}`;

    it("a coordinator gets the client's calendar feeds and printable roster, and both open", async () => {
      const page = await agents.coordinator.get(`/clienten/${anna}`);
      expect(page.status).to.equal(200);
      expect(hrefs(page.text)).to.include.members([feeds(), roster(anna)]);
      await expectOpens(agents.coordinator, [feeds(), roster(anna)]);
    });

    it("the provider where the client is scheduled gets the roster, not the feeds (those are the coordinator's)", async () => {
      const page = await agents.providerA.get(`/clienten/${anna}`);
      expect(page.status).to.equal(200);
      expect(hrefs(page.text)).to.include(roster(anna)).and.to.not.include(feeds());
      await expectOpens(agents.providerA, [roster(anna)]);
      expect((await agents.providerA.get(feeds())).status).to.equal(403);
    });

    it("a provider that only holds an allocation gets no roster link (the roster would be not found)", async () => {
      const page = await agents.providerB.get(`/clienten/${bert}`);
      expect(page.status).to.equal(200);
      expect(hrefs(page.text).filter((h) => h.startsWith("/agenda/"))).to.deep.equal([]);
      expect((await agents.providerB.get(roster(bert))).status).to.equal(404);
    });

    it("a purchaser gets no calendar links; the admin does not see the client at all", async () => {
      const page = await agents.purchaser.get(`/clienten/${anna}`);
      expect(page.status).to.equal(200);
      expect(hrefs(page.text).filter((h) => h.startsWith("/agenda/"))).to.deep.equal([]);
      for (const role of ["purchaser", "admin"] as const) expect((await agents[role].get(roster(anna))).status, role).to.equal(403);
      expect((await agents.admin.get(`/clienten/${anna}`)).status).to.equal(403);
    });
  });

  describe("the location page", () => {
    const links = () => [
      `/planning/locaties/${ctx.world.locationA}?week=2026-W48`,
      `/aanwezigheid/locaties/${ctx.world.locationA}`,
      `/agenda/rooster/locatie/${ctx.world.locationA}?week=2026-W48`,
      `/agenda/locatie/${ctx.world.locationA}`,
    ];

    for (const role of ["coordinator", "providerA"] as const) {
      it(`the ${role} gets the planning board, attendance list, roster and location feeds, and they open`, async () => {
        const page = await agents[role].get(`/locaties/${ctx.world.locationA}`);
        expect(page.status).to.equal(200);
        expect(hrefs(page.text)).to.include.members(links());
        await expectOpens(agents[role], links());
      });
    }

    it("follows the week shown", async () => {
      const page = await agents.coordinator.get(`/locaties/${ctx.world.locationA}/week?week=2027-W02`);
      expect(hrefs(page.text)).to.include.members([`/planning/locaties/${ctx.world.locationA}?week=2027-W02`, `/agenda/rooster/locatie/${ctx.world.locationA}?week=2027-W02`]);
    });

    it("a purchaser and an admin see the location without those links (their roles may not open them)", async () => {
      for (const role of ["purchaser", "admin"] as const) {
        const page = await agents[role].get(`/locaties/${ctx.world.locationA}`);
        expect(page.status, role).to.equal(200);
        const shown = hrefs(page.text).filter((h) => /^\/(planning|aanwezigheid|agenda)\//.test(h));
        expect(shown, role).to.deep.equal([]);
        for (const link of links()) expect((await agents[role].get(link)).status, `${role} ${link}`).to.equal(403);
      }
    });
  });

  describe("the planning board", () => {
    const days = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"];

    for (const role of ["coordinator", "providerA"] as const) {
      it(`the ${role} gets each day's attendance list and the location's week, and they open`, async () => {
        const page = await agents[role].get(`/planning/locaties/${ctx.world.locationA}`);
        expect(page.status).to.equal(200);
        const attendance = days.map((d) => `/aanwezigheid/locaties/${ctx.world.locationA}?datum=${d}`);
        const week = `/locaties/${ctx.world.locationA}/week?week=2026-W48`;
        expect(hrefs(page.text)).to.include.members([...attendance, week]);
        // Each day's link names its day for a screen reader.
        expect(page.text).to.contain('Aanwezigheid<span class="visually-hidden"> maandag 23-11</span>');
        await expectOpens(agents[role], [...attendance, week]);
      });
    }

    it("the printable board has no attendance links; others cannot open the board at all", async () => {
      const print = await agents.coordinator.get(`/planning/locaties/${ctx.world.locationA}/afdruk`);
      expect(hrefs(print.text).filter((h) => h.startsWith("/aanwezigheid/"))).to.deep.equal([]);
      expect((await agents.providerB.get(`/planning/locaties/${ctx.world.locationA}`)).status).to.equal(404);
      for (const role of ["purchaser", "admin"] as const) expect((await agents[role].get(`/planning/locaties/${ctx.world.locationA}`)).status, role).to.equal(403);
    });
  });
});
