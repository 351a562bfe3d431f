import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { addClient, addSchedule, BSN, buildClientWorld, type ClientWorld } from "../support/clients-fixtures";

// Allocations over HTTP: the list per role, the allocation page, the forms with every rule
// (BSN required, product fits purchaser, period, volume, unique number), and the warning
// when an edit leaves schedules outside.

describe("HTTP: allocations", () => {
  let ctx: TestContext;
  let cw: ClientWorld;
  let coordinator: Agent;
  let gemeente: Agent;
  let zorgkantoor: Agent;
  let providerA: Agent;
  let providerB: Agent;
  let admin: Agent;

  const form = (overrides: Record<string, string> = {}) => ({
    reference: "104901",
    purchaser_id: String(ctx.world.gemeente),
    provider_id: String(ctx.world.providerA),
    product_id: String(cw.products.wmo),
    volume: "3",
    frequency: "week",
    valid_from: "2026-12-01",
    valid_until: "2027-05-31",
    ...overrides,
  });

  before(async () => {
    ctx = await startTestApp();
    cw = await buildClientWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
  });
  after(async () => ctx.close());

  describe("the list", () => {
    it("shows a coordinator every running allocation by default, with its volume, BSN masked", async () => {
      const res = await coordinator.get("/toewijzingen");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("104101");
      expect(res.text).to.contain("VGZ-2318401");
      expect(res.text).to.contain("6 dagdelen per week");
      expect(res.text).to.not.contain("104050"); // ended
      expect(res.text).to.not.contain("104202"); // future
      expect(res.text).to.contain("******019");
      expect(res.text).to.not.contain(BSN.anna);
    });

    it("filters by status: afgelopen, toekomstig, alle", async () => {
      const past = await coordinator.get("/toewijzingen?status=afgelopen");
      expect(past.text).to.contain("104050");
      expect(past.text).to.not.contain("104101");
      const future = await coordinator.get("/toewijzingen?status=toekomstig");
      expect(future.text).to.contain("104202");
      expect(future.text).to.contain("20 dagdelen per maand");
      expect(future.text).to.not.contain("104101");
      const all = await coordinator.get("/toewijzingen?status=alle");
      for (const ref of ["104050", "104101", "104202", "VGZ-2318401"]) expect(all.text).to.contain(ref);
    });

    it("searches by client name, allocation number and whole BSN, and filters by purchaser", async () => {
      const byName = await coordinator.get("/toewijzingen?q=wit");
      expect(byName.text).to.contain("VGZ-2318401");
      expect(byName.text).to.not.contain("104101");
      const byRef = await coordinator.get("/toewijzingen?q=10410&status=alle");
      expect(byRef.text).to.contain("104101");
      expect(byRef.text).to.not.contain("104202");
      const byBsn = await coordinator.get(`/toewijzingen?q=${encodeURIComponent("9999.90.020")}`);
      expect(byBsn.text).to.contain("VGZ-2318401");
      expect(byBsn.text).to.not.contain("104101");
      const byPurchaser = await coordinator.get(`/toewijzingen?inkoper=${ctx.world.zorgkantoor}`);
      expect(byPurchaser.text).to.contain("VGZ-2318401");
      expect(byPurchaser.text).to.not.contain("104101");
    });

    it("shows a purchaser only its own allocations, whatever filter it sends", async () => {
      const g = await gemeente.get("/toewijzingen?status=alle");
      expect(g.status).to.equal(200);
      expect(g.text).to.contain("104101");
      expect(g.text).to.not.contain("VGZ-2318401");
      expect(g.text).to.not.contain("/wijzigen");
      const sneaky = await gemeente.get(`/toewijzingen?status=alle&inkoper=${ctx.world.zorgkantoor}`);
      expect(sneaky.text).to.not.contain("VGZ-2318401");
      // The provider filter offers only the providers the gemeente contracts with.
      expect(g.text).to.contain(`<option value="${ctx.world.providerA}"`);
      expect(g.text).to.not.contain(`<option value="${ctx.world.providerB}"`);
      const z = await zorgkantoor.get("/toewijzingen?status=alle");
      expect(z.text).to.contain("VGZ-2318401");
      expect(z.text).to.not.contain("104101");
    });

    it("shows a provider only the allocations made to it", async () => {
      const a = await providerA.get("/toewijzingen?status=alle");
      expect(a.status).to.equal(200);
      expect(a.text).to.contain("104101");
      expect(a.text).to.not.contain("VGZ-2318401");
    });
  });

  describe("the allocation page", () => {
    it("shows the codes, the volume with its iWmo frequency, and the schedules that use it", async () => {
      const res = await coordinator.get(`/toewijzingen/${cw.allocations.anna}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Toewijzing 104101");
      expect(res.text).to.contain("4 dagdelen per week");
      expect(res.text).to.contain("iWmo-frequentie 2");
      expect(res.text).to.contain("categorie 07, product 07A01, eenheid 16");
      expect(res.text).to.contain("ma ochtend, wo middag");
      expect(res.text).to.contain("De roosters passen binnen de periode en de omvang");
      expect(res.text).to.not.contain(BSN.anna);
    });

    it("lets the purchaser open its own allocation and answers 404 for another purchaser's", async () => {
      expect((await gemeente.get(`/toewijzingen/${cw.allocations.anna}`)).status).to.equal(200);
      const foreign = await zorgkantoor.get(`/toewijzingen/${cw.allocations.anna}`);
      expect(foreign.status).to.equal(404);
      expect(foreign.text).to.not.contain("104101");
      expect((await gemeente.get(`/toewijzingen/${cw.allocations.zus}`)).status).to.equal(404);
      expect((await providerB.get(`/toewijzingen/${cw.allocations.anna}`)).status).to.equal(404);
      expect((await providerA.get(`/toewijzingen/${cw.allocations.anna}`)).status).to.equal(200);
      expect((await coordinator.get("/toewijzingen/999999")).status).to.equal(404);
      expect((await coordinator.get("/toewijzingen/abc")).status).to.equal(404);
    });
  });

  describe("recording a new allocation", () => {
    it("records one for a client with a BSN, audits it, and shows it on the client page", async () => {
      const page = await coordinator.get(`/clienten/${cw.clients.anna}/toewijzingen/nieuw`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("per week (iWmo-frequentie 2)");
      expect(page.text).to.not.contain("Oud product"); // inactive products are not offered
      expect(page.text).to.not.contain("error-summary");
      const res = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ product_id: String(cw.products.wmoRit), volume: "8", reference: "104902" }));
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/clienten/${cw.clients.anna}`);
      const row = await ctx.db("allocations").where({ reference: "104902" }).first();
      expect(row).to.include({ client_id: cw.clients.anna, purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA, volume: 8, frequency: "week", valid_from: "2026-12-01", valid_until: "2027-05-31" });
      const audit = await ctx.db("audit_log").where({ entity: "allocation", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.coordinator.id);
      const client = await coordinator.get(`/clienten/${cw.clients.anna}`);
      expect(client.text).to.contain("Toewijzing 104902 is vastgelegd.");
      expect(client.text).to.contain("8 ritten per week");
    });

    it("records a Wlz allocation from the zorgkantoor, open-ended, in total for the period", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.zus}/toewijzingen/nieuw`, form({
        reference: "VGZ-TOTAAL-1",
        purchaser_id: String(ctx.world.zorgkantoor),
        provider_id: String(ctx.world.providerB),
        product_id: String(cw.products.wlz),
        volume: "120",
        frequency: "totaal",
        valid_until: "",
      }));
      expect(res.status).to.equal(303);
      const row = await ctx.db("allocations").where({ reference: "VGZ-TOTAAL-1" }).first();
      expect(row.valid_until).to.equal(null);
      expect(row.frequency).to.equal("totaal");
      expect((await coordinator.get(`/clienten/${cw.clients.zus}`)).text).to.contain("120 dagdelen in totaal");
    });

    it("refuses an allocation for a client without a BSN (422), pointing to the client's BSN field", async () => {
      const page = await coordinator.get(`/clienten/${cw.clients.bert}/toewijzingen/nieuw`);
      expect(page.text).to.contain(`href="/clienten/${cw.clients.bert}/wijzigen#f-bsn"`);
      const res = await postForm(coordinator, `/clienten/${cw.clients.bert}/toewijzingen/nieuw`, form({ reference: "104903" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Deze cliënt heeft geen BSN");
      expect(res.text).to.contain(`href="/clienten/${cw.clients.bert}/wijzigen#f-bsn"`);
      expect(res.text).to.contain('value="104903"');
      expect(await ctx.db("allocations").where({ reference: "104903" }).first()).to.equal(undefined);
    });

    it("refuses a product from the other standard (422): Wlz for a gemeente, iWmo for a zorgkantoor", async () => {
      const wlz = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "104904", product_id: String(cw.products.wlz) }));
      expect(wlz.status).to.equal(422);
      expect(wlz.text).to.contain("kies een Wmo-product");
      const wmo = await postForm(coordinator, `/clienten/${cw.clients.zus}/toewijzingen/nieuw`, form({ reference: "VGZ-WMO", purchaser_id: String(ctx.world.zorgkantoor), provider_id: String(ctx.world.providerB) }));
      expect(wmo.status).to.equal(422);
      expect(wmo.text).to.contain("kies een Wlz-product");
      expect(await ctx.db("allocations").whereIn("reference", ["104904", "VGZ-WMO"]).first()).to.equal(undefined);
    });

    it("refuses a purchaser or provider of the wrong kind, and an inactive product (422)", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "104905", purchaser_id: String(ctx.world.providerA), provider_id: String(ctx.world.gemeente) }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-purchaser_id-error"');
      expect(res.text).to.contain('id="f-provider_id-error"');
      const retired = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "104906", product_id: String(cw.products.retired) }));
      expect(retired.status).to.equal(422);
      expect(retired.text).to.contain('id="f-product_id-error"');
    });

    it("refuses an end before the start and a volume that is not a positive whole number (422, input kept)", async () => {
      const period = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "104907", valid_from: "2027-01-01", valid_until: "2026-12-31" }));
      expect(period.status).to.equal(422);
      expect(period.text).to.contain("De einddatum ligt vóór de ingangsdatum.");
      for (const volume of ["0", "-2", "2.5", "vier", "", "10000"]) {
        const res = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "104908", volume }));
        expect(res.status, volume).to.equal(422);
        expect(res.text, volume).to.contain('id="f-volume-error"');
        expect(res.text, volume).to.contain('value="104908"');
      }
      const frequency = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "104909", frequency: "jaar" }));
      expect(frequency.status).to.equal(422);
      expect(frequency.text).to.contain('id="f-frequency-error"');
      const dates = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "104910", valid_from: "" }));
      expect(dates.status).to.equal(422);
      expect(dates.text).to.contain('id="f-valid_from-error"');
      expect(await ctx.db("allocations").whereIn("reference", ["104907", "104908", "104909", "104910"]).first()).to.equal(undefined);
    });

    it("requires the number and keeps it unique per purchaser (422), but another purchaser may reuse it", async () => {
      const missing = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "  " }));
      expect(missing.status).to.equal(422);
      expect(missing.text).to.contain('id="f-reference-error"');
      const dup = await postForm(coordinator, `/clienten/${cw.clients.carla}/toewijzingen/nieuw`, form({ reference: "104101" }));
      expect(dup.status).to.equal(422);
      expect(dup.text).to.contain("Deze inkoper heeft al een toewijzing met dit nummer.");
      expect(await ctx.db("allocations").where({ reference: "104101" }).count({ n: "*" }).then(([r]) => Number(r.n))).to.equal(1);
      const other = await postForm(coordinator, `/clienten/${cw.clients.carla}/toewijzingen/nieuw`, form({
        reference: "104101",
        purchaser_id: String(ctx.world.zorgkantoor),
        provider_id: String(ctx.world.providerB),
        product_id: String(cw.products.wlz),
      }));
      expect(other.status).to.equal(303);
    });

    it("takes a gemeente's number only as iWmo has it: digits, at most 9 (422 with the reason, input kept)", async () => {
      for (const [reference, reason] of [
        ["PM-T-104237", "alleen uit cijfers"],
        ["104 237", "alleen uit cijfers"],
        ["1042370001", "hooguit 9 cijfers"],
      ] as const) {
        const res = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference }));
        expect(res.status, reference).to.equal(422);
        expect(res.text, reference).to.contain('id="f-reference-error"');
        expect(res.text, reference).to.contain(reason);
        expect(res.text, reference).to.contain(`value="${reference}"`);
      }
      expect(await ctx.db("allocations").whereIn("reference", ["PM-T-104237", "104 237", "1042370001"]).first()).to.equal(undefined);
      // Nine digits, leading zeros as the gemeente wrote them, is a ToewijzingNummer.
      const ok = await postForm(coordinator, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "009104237" }));
      expect(ok.status).to.equal(303);
      expect(await ctx.db("allocations").where({ reference: "009104237" }).first()).to.not.equal(undefined);
    });

    it("leaves a zorgkantoor's reference free text", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.zus}/toewijzingen/nieuw`, form({
        reference: "VGZ/2026-A 17",
        purchaser_id: String(ctx.world.zorgkantoor),
        provider_id: String(ctx.world.providerB),
        product_id: String(cw.products.wlz),
        valid_from: "2027-06-01",
        valid_until: "2027-12-31",
      }));
      expect(res.status).to.equal(303);
    });

    it("refuses an allocation that starts after the client has ended (422)", async () => {
      const id = await addClient(ctx.db, { first_name: "Al", last_name: "Weg", bsn: BSN.spare4, ended_on: "2026-11-30" });
      const res = await postForm(coordinator, `/clienten/${id}/toewijzingen/nieuw`, form({ reference: "104911" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-valid_from-error"');
    });

    it("refuses the admin (403): it manages the application, not care", async () => {
      const res = await postForm(admin, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: "104913" }));
      expect(res.status).to.equal(403);
      expect(await ctx.db("allocations").where({ reference: "104913" }).first()).to.equal(undefined);
    });

    it("answers an unknown client with 404", async () => {
      expect((await coordinator.get("/clienten/999999/toewijzingen/nieuw")).status).to.equal(404);
      expect((await postForm(coordinator, "/clienten/999999/toewijzingen/nieuw", form({ reference: "104913" }))).status).to.equal(404);
    });
  });

  describe("changing an allocation", () => {
    it("shows the form filled in, and saves a change with an audit row of before and after", async () => {
      const page = await coordinator.get(`/toewijzingen/${cw.allocations.zus}/wijzigen`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('value="VGZ-2318401"');
      const res = await postForm(coordinator, `/toewijzingen/${cw.allocations.zus}/wijzigen`, form({
        reference: "VGZ-2318401",
        purchaser_id: String(ctx.world.zorgkantoor),
        provider_id: String(ctx.world.providerB),
        product_id: String(cw.products.wlz),
        volume: "7",
        valid_from: "2026-01-01",
        valid_until: "", // Zus's schedule is open-ended too, so it keeps fitting
      }));
      expect(res.status).to.equal(303);
      const row = await ctx.db("allocations").where({ id: cw.allocations.zus }).first();
      expect(row.volume).to.equal(7);
      expect(row.valid_until).to.equal(null);
      const audit = await ctx.db("audit_log").where({ entity: "allocation", entity_id: cw.allocations.zus, action: "update" }).first();
      const details = JSON.parse(audit.details);
      expect(details.before).to.deep.equal({ volume: 6, valid_until: "2026-12-31" });
      expect(details.after.volume).to.equal(7);
      expect((await coordinator.get(`/clienten/${cw.clients.zus}`)).text).to.contain("Toewijzing VGZ-2318401 is opgeslagen.");
    });

    it("still saves a change that leaves schedules outside it, and says so", async () => {
      // Anna is scheduled twice a week from 1 September, open-ended, on this allocation.
      const res = await postForm(coordinator, `/toewijzingen/${cw.allocations.anna}/wijzigen`, form({ reference: "104101", volume: "1", valid_from: "2026-10-01", valid_until: "2026-12-31" }));
      expect(res.status).to.equal(303);
      const row = await ctx.db("allocations").where({ id: cw.allocations.anna }).first();
      expect(row.volume).to.equal(1);
      const page = await coordinator.get(`/clienten/${cw.clients.anna}`);
      expect(page.text).to.contain("de roosters passen er niet meer in (roosters buiten de periode: 1;");
      const detail = await coordinator.get(`/toewijzingen/${cw.allocations.anna}`);
      expect(detail.text).to.contain("1 rooster valt (deels) buiten de periode");
      expect(detail.text).to.contain("2 ingeroosterd, 1 toegewezen");
      const audit = await ctx.db("audit_log").where({ entity: "allocation", entity_id: cw.allocations.anna, action: "update" }).first();
      expect(JSON.parse(audit.details).fit.outsidePeriod).to.equal(1);
    });

    it("counts a per-month volume per calendar month", async () => {
      const client = await addClient(ctx.db, { first_name: "Maand", last_name: "Teller", bsn: "999990093" });
      await postForm(coordinator, `/clienten/${client}/toewijzingen/nieuw`, form({ reference: "104914", volume: "8", frequency: "maand", valid_from: "2026-11-01", valid_until: "2026-12-31" }));
      const allocation = await ctx.db("allocations").where({ reference: "104914" }).first();
      // Every Monday and Thursday morning: 9 dagdelen in November 2026 (5 Mondays + 4 Thursdays), 9 in December.
      await addSchedule(ctx.db, { client_id: client, location_id: ctx.world.locationA, funding: "toewijzing", allocation_id: allocation.id, valid_from: "2026-11-01", valid_until: "2026-12-31" }, [[1, "ochtend"], [4, "ochtend"]]);
      const detail = await coordinator.get(`/toewijzingen/${allocation.id}`);
      expect(detail.text).to.contain("In 2 perioden is meer ingeroosterd dan de omvang");
      expect(detail.text).to.contain("1-11-2026 – 30-11-2026: 9 ingeroosterd, 8 toegewezen");
      const ok = await postForm(coordinator, `/toewijzingen/${allocation.id}/wijzigen`, form({ reference: "104914", volume: "9", frequency: "maand", valid_from: "2026-11-01", valid_until: "2026-12-31" }));
      expect(ok.status).to.equal(303);
      expect((await coordinator.get(`/toewijzingen/${allocation.id}`)).text).to.contain("De roosters passen binnen de periode en de omvang");
    });

    it("answers bad input with 422 and the input kept, changing nothing", async () => {
      const res = await postForm(coordinator, `/toewijzingen/${cw.allocations.future}/wijzigen`, form({ reference: "104202", volume: "nul" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('value="nul"');
      expect((await ctx.db("allocations").where({ id: cw.allocations.future }).first()).volume).to.equal(20);
      const taken = await postForm(coordinator, `/toewijzingen/${cw.allocations.future}/wijzigen`, form({ reference: "104050" }));
      expect(taken.status).to.equal(422);
      expect(taken.text).to.contain("al een toewijzing met dit nummer");
    });

    it("answers an unknown allocation with 404", async () => {
      expect((await coordinator.get("/toewijzingen/999999/wijzigen")).status).to.equal(404);
      expect((await postForm(coordinator, "/toewijzingen/999999/wijzigen", form())).status).to.equal(404);
    });
  });

  describe("roles", () => {
    for (const who of ["providerA", "providerB", "purchaser", "zorgkantoor"] as const) {
      it(`refuses the ${who} the allocation forms (403) and changes nothing`, async () => {
        const agent = await loginAs(ctx.app, ctx.world.users[who].email);
        for (const url of [`/clienten/${cw.clients.anna}/toewijzingen/nieuw`, `/toewijzingen/${cw.allocations.anna}/wijzigen`, `/toewijzingen/${cw.allocations.zus}/wijzigen`]) {
          expect((await agent.get(url)).status, url).to.equal(403);
        }
        const created = await postForm(agent, `/clienten/${cw.clients.anna}/toewijzingen/nieuw`, form({ reference: `PM-T-ROL-${who}` }));
        expect(created.status).to.equal(403);
        const before = await ctx.db("allocations").where({ id: cw.allocations.anna }).first();
        const changed = await postForm(agent, `/toewijzingen/${cw.allocations.anna}/wijzigen`, form({ reference: "104101", volume: "99" }));
        expect(changed.status).to.equal(403);
        expect(await ctx.db("allocations").where({ reference: `PM-T-ROL-${who}` }).first()).to.equal(undefined);
        expect((await ctx.db("allocations").where({ id: cw.allocations.anna }).first()).volume).to.equal(before.volume);
      });
    }
  });
});
