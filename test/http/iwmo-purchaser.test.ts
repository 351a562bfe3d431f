import { expect } from "chai";
import { hashPassword } from "../../src/auth/password";
import { outgoingXml } from "../../src/iwmo/outgoing";
import { validateIwmo } from "../../src/iwmo/schema";
import { readWmo301 } from "../../src/iwmo/wmo301";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { addAllocation, addClient, addProducts, BSN } from "../support/clients-fixtures";
import { PASSWORD } from "../support/fixtures";
import { addExampleOrganisations, countRows, fixture, insertRow, upload } from "../support/iwmo-fixtures";

// The round trip for testing (issue 14.4): a gemeente exports its allocations as WMO301, which
// import as themselves, and uploads the WMO305/307 it received to see starts and stops per
// allocation. Every message written passes its XSD; every message read is checked first.

describe("HTTP: the gemeente's iWmo round trip", function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let gemeente: Agent;
  let coordinator: Agent;
  let products: Awaited<ReturnType<typeof addProducts>>;
  let orgs: Awaited<ReturnType<typeof addExampleOrganisations>>;
  const ids = {} as Record<"day" | "ride" | "old" | "wlz" | "wordy" | "example1" | "example2", number>;
  let anna: number;

  before(async () => {
    ctx = await startTestApp();
    products = await addProducts(ctx.db);
    orgs = await addExampleOrganisations(ctx.db);
    anna = await addClient(ctx.db, { first_name: "Anna", last_name: "van der Peeters", bsn: BSN.anna, birth_date: "1950-05-04", village_id: ctx.world.village, street: "Markt 3a", postcode: "5988 AB" });
    const base = { client_id: anna, purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA };
    ids.day = await addAllocation(ctx.db, { ...base, product_id: products.wmo, reference: "104101", volume: 4, frequency: "week", valid_from: "2026-01-01", valid_until: "2026-12-31" });
    ids.ride = await addAllocation(ctx.db, { ...base, product_id: products.wmoRit, reference: "104102", volume: 30, frequency: "maand", valid_from: "2026-03-01", valid_until: null });
    ids.old = await addAllocation(ctx.db, { ...base, product_id: products.wmo, reference: "104050", volume: 2, frequency: "week", valid_from: "2025-01-01", valid_until: "2025-12-31" });
    const zus = await addClient(ctx.db, { first_name: "Zus", last_name: "de Wit", bsn: BSN.zus });
    ids.wlz = await addAllocation(ctx.db, { client_id: zus, purchaser_id: ctx.world.zorgkantoor, provider_id: ctx.world.providerB, product_id: products.wlz, reference: "VGZ-1" });
    ids.wordy = await addAllocation(ctx.db, { client_id: zus, purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA, product_id: products.wmo, reference: "PM-T-1" });
    // The official WMO305/307 examples: client 999900006, allocations 300201 and 300202 of gemeente 0363 at AGB 65656055.
    const tim = await addClient(ctx.db, { first_name: "Tim", last_name: "de Wit", bsn: "999900006", birth_date: "1967-08-13" });
    for (const [key, reference] of [["example1", "300201"], ["example2", "300202"]] as const) {
      ids[key] = await addAllocation(ctx.db, { client_id: tim, purchaser_id: orgs.gemeente0363, provider_id: orgs.provider65656055, product_id: products.wmo, reference, valid_from: "2025-04-01", valid_until: "2025-12-31" });
    }
    await insertRow(ctx.db, "users", { email: "amsterdam@test.example", name: "Inkoper 0363", password_hash: await hashPassword(PASSWORD), role: "purchaser", organisation_id: orgs.gemeente0363, active: true, locale: "nl" });
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  const exportUrl = (id: number) => `/berichten/toewijzingen/${id}/wmo301.xml`;

  describe("WMO301 export", () => {
    it("offers the gemeente the download on its allocation's page", async () => {
      const page = await gemeente.get(`/toewijzingen/${ids.day}`);
      expect(page.text).to.contain(`href="${exportUrl(ids.day)}"`);
      expect((await coordinator.get(`/toewijzingen/${ids.day}`)).text).to.not.contain("wmo301.xml");
    });

    it("writes the client and its allocations at that provider that run today or later, valid against WMO301.xsd", async () => {
      const res = await gemeente.get(exportUrl(ids.day));
      expect(res.status).to.equal(200);
      expect(res.headers["content-disposition"]).to.contain(`WMO301-DGT${String(ids.day).padStart(9, "0")}.xml`);
      expect((await validateIwmo("WMO301", res.text)).problems).to.deep.equal([]);
      const m = readWmo301(res.text);
      expect(m.header).to.include({ afzender: "1894", ontvanger: "98000001", dagtekening: "2026-11-23" });
      expect(m.client.bsn).to.equal(BSN.anna);
      const audit = await ctx.db("audit_log").where({ entity: "allocation", entity_id: ids.day, action: "download" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.purchaser.id);
      expect(m.client.producten.map((p) => [p.toewijzingNummer, p.categorie, p.code, p.omvang?.volume, p.omvang?.eenheid, p.omvang?.frequentie, p.ingangsdatum, p.einddatum])).to.deep.equal([
        ["104101", "07", "07A01", 4, "16", "2", "2026-01-01", "2026-12-31"],
        ["104102", "08", "08A01", 30, "82", "4", "2026-03-01", undefined],
      ]);
      // An ended allocation goes along only when it is the one asked for.
      const old = readWmo301((await gemeente.get(exportUrl(ids.old))).text);
      expect(old.client.producten.map((p) => p.toewijzingNummer)).to.deep.equal(["104050", "104101", "104102"]);
    });

    it("imports as itself: dagdeel's own export changes nothing", async () => {
      const xml = (await gemeente.get(exportUrl(ids.day))).text;
      const before = await countRows(ctx.db, "audit_log");
      const res = await upload(coordinator, "/berichten/import", [{ name: "export.xml", xml }], "/berichten/import");
      expect(res.status).to.equal(303);
      const page = await coordinator.get(res.headers.location);
      expect(page.text).to.contain("bekend in dagdeel");
      expect(page.text.match(/>\s*ongewijzigd\s*</g)).to.have.length(2);
      expect(page.text).to.contain("Er is niets te wijzigen");
      expect(page.text).to.not.contain("Wijkt af van dagdeel");
      expect(await countRows(ctx.db, "audit_log")).to.equal(before);
    });

    it("names what keeps an allocation from being written: a reference that is not a ToewijzingNummer (422)", async () => {
      const res = await gemeente.get(exportUrl(ids.wordy));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Een toewijzingsnummer is geen getal van hoogstens 9 cijfers");
    });

    it("is the gemeente's own: other roles 403, the zorgkantoor's Wlz allocation 403, another purchaser's allocation 404", async () => {
      for (const key of ["coordinator", "providerA", "admin"] as const) {
        const agent = await loginAs(ctx.app, ctx.world.users[key].email);
        expect((await agent.get(exportUrl(ids.day))).status, key).to.equal(403);
      }
      const zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
      expect((await zorgkantoor.get(exportUrl(ids.wlz))).status).to.equal(403);
      expect((await zorgkantoor.get(exportUrl(ids.day))).status).to.equal(404);
      expect((await gemeente.get(exportUrl(ids.wlz))).status).to.equal(404);
      expect((await gemeente.get(exportUrl(ids.example1))).status).to.equal(404);
      expect((await gemeente.get(exportUrl(99999))).status).to.equal(404);
    });
  });

  describe("received WMO305 and WMO307", () => {
    const uploadReceived = (agent: Agent, files: { name: string; xml: string }[]) => upload(agent, "/berichten/ontvangen", files, "/berichten");

    it("reads the official examples: starts and stops stored per allocation, once", async () => {
      const amsterdam = await loginAs(ctx.app, "amsterdam@test.example");
      const files = [{ name: "WMO305.xml", xml: fixture("WMO305.xml") }, { name: "WMO307.xml", xml: fixture("WMO307.xml") }];
      const res = await uploadReceived(amsterdam, files);
      expect(res.status).to.equal(200);
      expect(res.text.match(/<td>vastgelegd<\/td>/g)).to.have.length(4);
      const rows = await ctx.db("iwmo_reports").orderBy(["allocation_id", "kind"]);
      expect(rows.map((r) => [r.allocation_id, r.kind, r.start_date, r.end_date, r.reason, r.bericht_identificatie])).to.deep.equal([
        [ids.example1, "start", "2025-04-03", null, null, "123456789013"],
        [ids.example1, "stop", "2025-04-03", "2025-07-18", "31", "123456789014"],
        [ids.example2, "start", "2025-04-04", null, null, "123456789013"],
        [ids.example2, "stop", "2025-04-15", "2025-07-18", "31", "123456789014"],
      ]);
      expect(res.text).to.contain("Starts en stops per toewijzing");
      expect(res.text).to.contain("Verhuizing naar een andere gemeente");
      const again = await uploadReceived(amsterdam, files);
      expect(again.text.match(/<td>was al ingelezen<\/td>/g)).to.have.length(4);
      expect(await countRows(ctx.db, "iwmo_reports")).to.equal(4);
      expect(await countRows(ctx.db, "audit_log", { entity: "iwmo_report", action: "upload" })).to.equal(1);
    });

    it("reads a provider's own WMO305 from dagdeel, and lists what it cannot match without storing it", async () => {
      const message = (reference: string, agb: string, id: number) =>
        outgoingXml({ id, kind: "start", start_date: "2026-11-16", end_date: null, reason: null, reference, allocation_from: "2026-01-01", bsn: BSN.anna, first_name: "Anna", last_name: "van der Peeters", birth_date: "1950-05-04", iwmo_category: "07", iwmo_code: "07A01", provider_agb: agb, purchaser_gemeentecode: "1894" }, "2026-11-23");
      const res = await uploadReceived(gemeente, [
        { name: "a.xml", xml: message("104101", "98000001", 1) },
        { name: "b.xml", xml: message("999999", "98000001", 2) },
        { name: "c.xml", xml: message("104101", "98000002", 3) },
      ]);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("<td>vastgelegd</td>");
      expect(res.text).to.contain("<td>onbekend toewijzingsnummer</td>");
      expect(res.text).to.contain("<td>toewijzing van een andere aanbieder</td>");
      expect(await countRows(ctx.db, "iwmo_reports", { purchaser_id: ctx.world.gemeente })).to.equal(1);
      const page = await gemeente.get("/berichten");
      expect(page.text).to.contain(`href="/toewijzingen/${ids.day}">104101</a>`);
      expect(page.text).to.contain("begonnen op 16-11-2026");
      // Another gemeente's reports are not on this page.
      expect(page.text).to.not.contain("300201");
    });

    it("refuses a message for another gemeente, a file that fails its XSD, and a WMO301, storing nothing (422)", async () => {
      const before = await countRows(ctx.db, "iwmo_reports");
      const other = await uploadReceived(gemeente, [{ name: "WMO305.xml", xml: fixture("WMO305.xml") }]);
      expect(other.status).to.equal(422);
      expect(other.text).to.contain("Het bericht is voor gemeente 0363, niet voor uw gemeente.");
      const bad = await uploadReceived(gemeente, [{ name: "kapot.xml", xml: fixture("WMO307.xml").replace("<wmo307:RedenBeeindiging>31", "<wmo307:RedenBeeindiging>99") }]);
      expect(bad.status).to.equal(422);
      expect(bad.text).to.contain("<h3>kapot.xml</h3>");
      expect(bad.text).to.contain("RedenBeeindiging");
      const wrong = await uploadReceived(gemeente, [{ name: "WMO301.xml", xml: fixture("WMO301.xml") }]);
      expect(wrong.status).to.equal(422);
      expect(await countRows(ctx.db, "iwmo_reports")).to.equal(before);
    });

    it("is the gemeente's: other roles and the zorgkantoor are refused (403)", async () => {
      for (const key of ["coordinator", "providerA", "admin", "zorgkantoor"] as const) {
        const agent = await loginAs(ctx.app, ctx.world.users[key].email);
        const res = await upload(agent, "/berichten/ontvangen", [{ name: "WMO305.xml", xml: fixture("WMO305.xml") }], "/");
        expect(res.status, key).to.equal(403);
      }
      const zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
      const page = await zorgkantoor.get("/berichten");
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("Een zorgkantoor werkt onder de Wlz");
      expect(page.text).to.not.contain('action="/berichten/ontvangen"');
    });
  });
});
