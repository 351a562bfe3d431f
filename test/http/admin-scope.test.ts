import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { BSN, buildClientWorld, type ClientWorld } from "../support/clients-fixtures";

// The admin keeps the application — users, organisations, products, the audit log — and reads
// no care data: no client, allocation, schedule, attendance or declaration.
describe("HTTP: the admin's scope ends where care data begins", () => {
  let ctx: TestContext;
  let cw: ClientWorld;
  let admin: Agent;
  let declarationId: number;
  before(async () => {
    ctx = await startTestApp();
    cw = await buildClientWorld(ctx.db, ctx.world);
    const at = "2026-11-01T08:00:00.000Z";
    const [row] = await ctx.db("declarations")
      .insert({ provider_id: ctx.world.providerA, purchaser_id: ctx.world.gemeente, month: "2026-10", status: "ingediend", total_cents: 1000, created_at: at, updated_at: at })
      .returning("id");
    declarationId = Number(typeof row === "object" ? row.id : row);
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
  });
  after(async () => ctx.close());

  it("every page with clients, allocations, schedules, attendance or declarations answers 403 or 404", async () => {
    const { anna } = cw.clients;
    const urls = [
      "/clienten", `/clienten/${anna}`, `/clienten/${anna}/wijzigen`, "/clienten/nieuw", `/clienten/${anna}/toewijzingen/nieuw`,
      "/toewijzingen", `/toewijzingen/${cw.allocations.anna}`, `/toewijzingen/${cw.allocations.anna}/wijzigen`,
      "/roosters/nieuw", `/roosters/${cw.schedules.anna}`, "/wachtlijst", "/planning", `/planning/locaties/${ctx.world.locationA}`, "/signalen",
      "/aanwezigheid", `/aanwezigheid/${ctx.world.locationA}`, "/aanwezigheid/overzicht/clienten", "/vervoer",
      "/agenda", `/agenda/rooster/client/${anna}`, "/declaraties", `/declaraties/${declarationId}`, `/declaraties/${declarationId}/csv`,
      "/berichten", "/berichten/import",
    ];
    for (const url of urls) {
      const res = await admin.get(url);
      expect(res.status, url).to.be.oneOf([403, 404]);
      expect(res.text, url).to.not.contain("Peeters");
      expect(res.text, url).to.not.contain(BSN.anna);
    }
  });

  it("cannot write care data either (403), and nothing changes", async () => {
    const { anna } = cw.clients;
    expect((await postForm(admin, "/clienten/nieuw", { first_name: "Door", last_name: "Beheerder" })).status).to.equal(403);
    expect((await postForm(admin, `/clienten/${anna}/wijzigen`, { first_name: "X", last_name: "Y" })).status).to.equal(403);
    expect((await postForm(admin, `/clienten/${anna}/toewijzingen/nieuw`, { reference: "PM-T-ADMIN" })).status).to.equal(403);
    expect((await postForm(admin, `/declaraties/${declarationId}/accepteren`, {})).status).to.equal(403);
    expect(await ctx.db("clients").where({ last_name: "Beheerder" }).first()).to.equal(undefined);
    expect((await ctx.db("clients").where({ id: anna }).first()).last_name).to.equal("Peeters");
    expect(await ctx.db("allocations").where({ reference: "PM-T-ADMIN" }).first()).to.equal(undefined);
    expect((await ctx.db("declarations").where({ id: declarationId }).first()).status).to.equal("ingediend");
  });

  it("a location's week shows the admin numbers, never who comes", async () => {
    const res = await admin.get(`/locaties/${ctx.world.locationA}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.not.contain("Peeters");
    const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    expect((await coordinator.get(`/locaties/${ctx.world.locationA}`)).text).to.contain("Peeters");
  });

  it("still manages users, organisations, contracts and the audit log, and sees them in its navigation", async () => {
    for (const url of ["/", "/beheer/gebruikers", "/beheer/organisaties", "/beheer/audit", "/organisaties", "/contracten"]) {
      expect((await admin.get(url)).status, url).to.equal(200);
    }
    const home = await admin.get("/");
    for (const href of ["/beheer/gebruikers", "/beheer/organisaties", "/beheer/audit"]) expect(home.text).to.contain(`href="${href}"`);
    for (const href of ["/clienten", "/toewijzingen", "/aanwezigheid", "/declaraties"]) expect(home.text).to.not.contain(`href="${href}"`);
  });

  it("the coordinator still reads all of it", async () => {
    const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    for (const url of ["/clienten", `/clienten/${cw.clients.anna}`, "/toewijzingen", `/toewijzingen/${cw.allocations.anna}`, "/aanwezigheid", "/signalen"]) {
      expect((await coordinator.get(url)).status, url).to.equal(200);
    }
  });
});
