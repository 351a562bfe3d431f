import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { addAllocation, addClient, addProducts, BSN } from "../support/clients-fixtures";
import { addExampleOrganisations, countRows, fixture, product, upload, wmo301 } from "../support/iwmo-fixtures";
import { countedAsAtStart, dirtyVersion } from "../support/use-dirty";

// WMO301 in over HTTP: upload → XSD → preview per client and product → apply in one
// transaction, audited with the BerichtIdentificatie; idempotent; bad files, wrong roles and
// other organisations refused with nothing written.

describe("HTTP: WMO301 import", function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let coordinator: Agent;
  let providerA: Agent;
  let providerB: Agent;
  let products: Awaited<ReturnType<typeof addProducts>>;
  let anna: number;
  let annaAllocation: number;

  before(async () => {
    ctx = await startTestApp();
    products = await addProducts(ctx.db);
    await addExampleOrganisations(ctx.db);
    anna = await addClient(ctx.db, { first_name: "Anna", last_name: "Peeters", bsn: BSN.anna, village_id: ctx.world.village, street: "Markt 3", postcode: "5988 AB" });
    annaAllocation = await addAllocation(ctx.db, { client_id: anna, purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA, product_id: products.wmo, reference: "104101", valid_from: "2026-01-01", valid_until: "2026-12-31", volume: 4 });
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
  });
  after(async () => ctx.close());

  const uploadAs = (agent: Agent, files: { name: string; xml: string | Buffer }[]) => upload(agent, "/berichten/import", files, "/berichten/import");
  const batchId = (location: string) => Number(location.match(/\/berichten\/import\/(\d+)$/)![1]);
  const apply = (agent: Agent, id: number) => postForm(agent, `/berichten/import/${id}/toepassen`, {}, `/berichten/import/${id}`);

  describe("the official example (test/fixtures/iwmo/WMO301.xml)", () => {
    let id: number;

    it("uploads as a coordinator and shows the client and its product in the preview", async () => {
      const res = await uploadAs(coordinator, [{ name: "WMO301.xml", xml: fixture("WMO301.xml") }]);
      expect(res.status, res.text.slice(0, 2000)).to.equal(303);
      id = batchId(res.headers.location);
      const page = await coordinator.get(`/berichten/import/${id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("Tim de Wit-van Jansen"); // NaamGebruik 4
      expect(page.text).to.contain("******006");
      expect(page.text).to.not.contain("999900006");
      expect(page.text).to.contain("13-8-1967");
      expect(page.text).to.contain("Straatweg 100C BAL, 9999XX Plaats");
      expect(page.text).to.contain("Woonplaats Plaats is geen kern in dagdeel");
      expect(page.text).to.contain("nieuwe cliënt");
      expect(page.text).to.contain("Gemeente Voorbeeld");
      expect(page.text).to.contain("Aanbieder Voorbeeld");
      expect(page.text).to.contain("bericht 123456789012 (WMO301.xml)");
      // The product: listed with what the message says, blocked as unknown, with a link to add it.
      expect(page.text).to.contain("<th scope=\"row\">101</th>");
      expect(page.text).to.contain("10 × minuut, per dag");
      expect(page.text).to.contain("1-1-2023 – 31-12-2023");
      expect(page.text).to.contain("Onbekende productcode: categorie 01, code 01A01.");
      expect(page.text).to.contain('href="/beheer/producten/nieuw?iwmo_category&#x3D;01&amp;iwmo_code&#x3D;01A01"');
      expect(page.text).to.contain("Toegewezen product 1 Commentaar");
      expect(page.text).to.contain("Referentie aanbieder: 42420002");
      expect(page.text).to.contain("Toepassen schrijft 1 wijziging");
    });

    it("shows, not drops, what dagdeel cannot represent once the admin added the product: 10 minutes a day is no whole number of hours", async () => {
      const admin = await loginAs(ctx.app, ctx.world.users.admin.email);
      const added = await postForm(admin, "/beheer/producten", { code: "01A01", name: "Begeleiding", unit: "uur", iwmo_category: "01", iwmo_code: "01A01", iwmo_unit: "04", wlz_code: "", active: "1" });
      expect(added.status).to.equal(303);
      const page = await coordinator.get(`/berichten/import/${id}`);
      expect(page.text).to.contain("70 × minuut is geen heel aantal × uur.");
      expect(page.text).to.contain("Begeleiding");
      expect(page.text).to.contain("10 per dag: in dagdeel per week");
      expect(page.text).to.not.contain("Onbekende productcode");
    });

    it("applies: creates the client from the message in one transaction, audited with the BerichtIdentificatie", async () => {
      const res = await apply(coordinator, id);
      expect(res.status).to.equal(303);
      const client = await ctx.db("clients").where({ bsn: "999900006" }).first();
      expect(client).to.include({ first_name: "Tim", last_name: "de Wit-van Jansen", birth_date: "1967-08-13", street: "Straatweg 100C BAL", postcode: "9999 XX", village_id: null });
      expect(await countRows(ctx.db, "allocations", { client_id: client.id })).to.equal(0);
      const created = await ctx.db("audit_log").where({ entity: "client", entity_id: client.id, action: "create" }).first();
      expect(JSON.parse(created.details)).to.include({ source: "wmo301", bericht: "123456789012" });
      const applied = await ctx.db("audit_log").where({ entity: "iwmo_import", entity_id: id, action: "apply" }).first();
      expect(JSON.parse(applied.details)).to.deep.include({ berichten: ["123456789012"], clientsCreated: 1 });
      expect((await ctx.db("iwmo_import_batches").where({ id }).first()).status).to.equal("toegepast");
    });
  });

  describe("dagdeel products", () => {
    const message = () =>
      wmo301({
        identificatie: "PM2026000101",
        bsn: BSN.spare1,
        producten: [
          product({ toewijzingNummer: "205001" }),
          product({ toewijzingNummer: "205002", categorie: "08", code: "08A01", omvang: { volume: 8, eenheid: "82", frequentie: "2" } }),
        ],
      });

    it("previews a new client with each product mapped to dagdeel's volume and period, then applies it", async () => {
      const res = await uploadAs(coordinator, [{ name: "hendrix.xml", xml: message() }]);
      expect(res.status).to.equal(303);
      const id = batchId(res.headers.location);
      const page = await coordinator.get(`/berichten/import/${id}`);
      expect(page.text).to.contain("Truus Hendrix");
      expect(page.text).to.contain("4 dagdelen per week");
      expect(page.text).to.contain("8 ritten per week");
      expect(page.text.match(/>\s*nieuw\s*</g)).to.have.length(2); // both products new
      expect(page.text).to.contain("Toepassen schrijft 3 wijzigingen"); // the client and two allocations

      await countedAsAtStart(ctx.db);
      expect((await apply(coordinator, id)).status).to.equal(303);
      const client = await ctx.db("clients").where({ bsn: BSN.spare1 }).first();
      expect(client).to.include({ first_name: "Truus", last_name: "Hendrix", street: "Dorpsstraat 12", postcode: "5988 AB", village_id: ctx.world.village });
      const allocations = await ctx.db("allocations").where({ client_id: client.id }).orderBy("reference");
      expect(allocations.map((a) => [a.reference, a.product_id, a.volume, a.frequency, a.valid_from, a.valid_until, a.purchaser_id, a.provider_id])).to.deep.equal([
        ["205001", products.wmo, 4, "week", "2026-12-01", "2027-05-31", ctx.world.gemeente, ctx.world.providerA],
        ["205002", products.wmoRit, 8, "week", "2026-12-01", "2027-05-31", ctx.world.gemeente, ctx.world.providerA],
      ]);
      for (const a of allocations) {
        const audit = await ctx.db("audit_log").where({ entity: "allocation", entity_id: a.id, action: "create" }).first();
        expect(JSON.parse(audit.details)).to.include({ source: "wmo301", bericht: "PM2026000101", file: "hendrix.xml" });
      }
      expect(await dirtyVersion(ctx.db, client.id), "the use tallies' triggers marked the new client's allocations").to.be.greaterThan(0);
    });

    it("changes nothing when the same file comes again (idempotent by ToewijzingNummer)", async () => {
      const before = { clients: await countRows(ctx.db, "clients"), allocations: await countRows(ctx.db, "allocations"), audit: await countRows(ctx.db, "audit_log") };
      const stamp = (await ctx.db("allocations").where({ reference: "205001" }).first()).updated_at;
      const res = await uploadAs(coordinator, [{ name: "hendrix.xml", xml: message() }]);
      const id = batchId(res.headers.location);
      const page = await coordinator.get(`/berichten/import/${id}`);
      expect(page.text).to.contain("bekend in dagdeel");
      expect(page.text).to.contain("ongewijzigd");
      expect(page.text).to.contain("Er is niets te wijzigen");
      expect(page.text).to.not.contain("/toepassen");
      expect((await apply(coordinator, id)).status).to.equal(303);
      expect(await countRows(ctx.db, "clients")).to.equal(before.clients);
      expect(await countRows(ctx.db, "allocations")).to.equal(before.allocations);
      expect(await countRows(ctx.db, "audit_log")).to.equal(before.audit);
      expect((await ctx.db("allocations").where({ reference: "205001" }).first()).updated_at).to.equal(stamp);
    });

    it("shows what changes against dagdeel's allocation: extended, changed volume, shortened, ended", async () => {
      const xml = wmo301({
        identificatie: "PM2026000102",
        dagtekening: "2026-11-21",
        bsn: BSN.anna,
        voornamen: "Anna",
        achternaam: "Peeters",
        producten: [product({ toewijzingNummer: "104101", ingangsdatum: "2026-01-01", einddatum: "2027-06-30", omvang: { volume: 6, eenheid: "16", frequentie: "2" } })],
      });
      const res = await uploadAs(coordinator, [{ name: "anna.xml", xml }]);
      const id = batchId(res.headers.location);
      const page = await coordinator.get(`/berichten/import/${id}`);
      expect(page.text).to.contain("andere omvang, verlengd");
      expect(page.text).to.contain("was: 4 dagdelen per week, 1-1-2026 – 31-12-2026");
      expect(page.text).to.contain(`href="/clienten/${anna}"`);
      expect((await apply(coordinator, id)).status).to.equal(303);
      const a = await ctx.db("allocations").where({ id: annaAllocation }).first();
      expect(a).to.include({ volume: 6, valid_until: "2027-06-30", client_id: anna });
      const audit = await ctx.db("audit_log").where({ entity: "allocation", entity_id: annaAllocation, action: "update" }).first();
      expect(JSON.parse(audit.details)).to.deep.include({ bericht: "PM2026000102", before: { volume: 4, valid_until: "2026-12-31" } });

      const shorter = wmo301({ identificatie: "PM2026000103", bsn: BSN.anna, voornamen: "Anna", achternaam: "Peeters", producten: [product({ toewijzingNummer: "104101", ingangsdatum: "2026-01-01", einddatum: "2027-01-31", omvang: { volume: 6, eenheid: "16", frequentie: "2" } })] });
      const ended = wmo301({ identificatie: "PM2026000104", bsn: BSN.anna, voornamen: "Anna", achternaam: "Peeters", producten: [product({ toewijzingNummer: "104101", ingangsdatum: "2026-01-01", einddatum: "2026-11-01", omvang: { volume: 6, eenheid: "16", frequentie: "2" } })] });
      for (const [xml2, word] of [[shorter, "ingekort"], [ended, "beëindigd"]]) {
        const r = await uploadAs(coordinator, [{ name: "anna2.xml", xml: xml2 }]);
        const p = await coordinator.get(`/berichten/import/${batchId(r.headers.location)}`);
        expect(p.text).to.contain(word);
      }
    });

    it("blocks only the product it cannot take: an unknown code, a unit that does not fit, a number that is another client's", async () => {
      const xml = wmo301({
        identificatie: "PM2026000105",
        bsn: BSN.spare2,
        voornamen: "Karel",
        achternaam: "Smeets",
        producten: [
          product({ toewijzingNummer: "205101" }),
          product({ toewijzingNummer: "205102", categorie: "07", code: "07X99" }),
          product({ toewijzingNummer: "205103", omvang: { volume: 2, eenheid: "14", frequentie: "2" } }),
          product({ toewijzingNummer: "104101" }),
          product({ toewijzingNummer: "205104", omvang: { volume: 2, eenheid: "16", frequentie: "1" } }),
        ],
      });
      const res = await uploadAs(coordinator, [{ name: "smeets.xml", xml }]);
      const id = batchId(res.headers.location);
      const page = await coordinator.get(`/berichten/import/${id}`);
      expect(page.text).to.contain("Onbekende productcode: categorie 07, code 07X99.");
      expect(page.text).to.contain("Eenheid etmaal past niet bij het product (in dagdeel (4 uur)).");
      expect(page.text).to.contain("Dit toewijzingsnummer hoort in dagdeel bij een andere cliënt.");
      expect(page.text).to.contain("14 dagdelen per week"); // 2 per dag
      expect(page.text).to.contain("2 per dag: in dagdeel per week (7 dagen)");
      expect((await apply(coordinator, id)).status).to.equal(303);
      const client = await ctx.db("clients").where({ bsn: BSN.spare2 }).first();
      const refs = (await ctx.db("allocations").where({ client_id: client.id }).orderBy("reference")).map((a) => [a.reference, a.volume]);
      expect(refs).to.deep.equal([["205101", 4], ["205104", 14]]);
      expect((await ctx.db("allocations").where({ reference: "104101" }).first()).client_id).to.equal(anna);
    });
  });

  describe("bad files change nothing", () => {
    const nothingStored = async (before: number) => expect(await countRows(ctx.db, "iwmo_import_batches")).to.equal(before);

    it("refuses a file that fails the XSD with each problem listed per file, even next to a good one (422)", async () => {
      const before = await countRows(ctx.db, "iwmo_import_batches");
      const bad = wmo301({ identificatie: "PM2026000201" }).replace("<wmo301:ToewijzingNummer>205001", "<wmo301:ToewijzingNummer>PM-T-205001").replace("<wmo301:Bsn>999990044", "<wmo301:Bsn>12345");
      const res = await uploadAs(coordinator, [{ name: "goed.xml", xml: wmo301({ identificatie: "PM2026000202" }) }, { name: "slecht.xml", xml: bad }]);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("De bestanden zijn niet ingelezen");
      expect(res.text).to.contain("<h3>slecht.xml</h3>");
      expect(res.text).to.not.contain("<h3>goed.xml</h3>");
      expect(res.text).to.match(/Regel \d+: Schemas validity error : Element &#x27;Bsn&#x27;/);
      expect(res.text).to.contain("PM-T-205001");
      await nothingStored(before);
    });

    it("refuses what is not a WMO301 at all: not XML, a WMO305, a DTD (422)", async () => {
      const before = await countRows(ctx.db, "iwmo_import_batches");
      for (const [name, xml] of [
        ["leeg.xml", "dit is geen xml"],
        ["WMO305.xml", fixture("WMO305.xml")],
        ["dtd.xml", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${wmo301().replace(/^<\?xml[^>]*>/, "")}`],
      ]) {
        const res = await uploadAs(coordinator, [{ name, xml }]);
        expect(res.status, name).to.equal(422);
        expect(res.text, name).to.contain(`<h3>${name}</h3>`);
      }
      const dtd = await uploadAs(coordinator, [{ name: "dtd.xml", xml: `<?xml version="1.0"?><!DOCTYPE x>${wmo301().replace(/^<\?xml[^>]*>/, "")}` }]);
      expect(dtd.text).to.contain("DTD");
      await nothingStored(before);
    });

    it("refuses an unknown gemeente or provider (422)", async () => {
      const before = await countRows(ctx.db, "iwmo_import_batches");
      const res = await uploadAs(coordinator, [{ name: "x.xml", xml: wmo301({ afzender: "9999", ontvanger: "11111111" }) }]);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Afzender 9999 is geen gemeente in dagdeel.");
      expect(res.text).to.contain("Ontvanger AGB 11111111 is geen aanbieder in dagdeel.");
      await nothingStored(before);
    });

    it("refuses no file at all, and a file above the size limit (413), storing nothing", async () => {
      const before = await countRows(ctx.db, "iwmo_import_batches");
      const none = await uploadAs(coordinator, []);
      expect(none.status).to.equal(422);
      expect(none.text).to.contain("Kies een of meer WMO301-bestanden.");
      const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
      const res = await uploadAs(coordinator, [{ name: "groot.xml", xml: big }]);
      expect(res.status).to.equal(413);
      expect(res.text).to.contain("Een bestand is te groot");
      await nothingStored(before);
    });

    it("refuses an upload without the form's CSRF token (403)", async () => {
      const res = await coordinator.post("/berichten/import").attach("bestanden", Buffer.from(wmo301()), "x.xml");
      expect(res.status).to.equal(403);
    });
  });

  describe("roles and organisations", () => {
    it("lets a provider import for itself only: another provider's message is refused (422)", async () => {
      const before = await countRows(ctx.db, "iwmo_import_batches");
      const other = await uploadAs(providerA, [{ name: "b.xml", xml: wmo301({ ontvanger: "98000002" }) }]);
      expect(other.status).to.equal(422);
      expect(other.text).to.contain("Het bericht is voor AGB 98000002, niet voor uw organisatie.");
      expect(await countRows(ctx.db, "iwmo_import_batches")).to.equal(before);

      const own = await uploadAs(providerA, [{ name: "a.xml", xml: wmo301({ identificatie: "PM2026000301", bsn: BSN.spare3, producten: [product({ toewijzingNummer: "205301" })] }) }]);
      expect(own.status).to.equal(303);
      const id = batchId(own.headers.location);
      expect((await providerA.get(`/berichten/import/${id}`)).status).to.equal(200);
      // Another provider, and the coordinators' list, do not reach it.
      expect((await providerB.get(`/berichten/import/${id}`)).status).to.equal(404);
      expect((await apply(providerB, id)).status).to.equal(404);
      expect((await coordinator.get(`/berichten/import/${id}`)).status).to.equal(404);
      expect(await countRows(ctx.db, "allocations", { reference: "205301" })).to.equal(0);
      expect((await apply(providerA, id)).status).to.equal(303);
      expect(await countRows(ctx.db, "allocations", { reference: "205301", provider_id: ctx.world.providerA })).to.equal(1);
    });

    it("refuses purchasers and the admin the import (403), writing nothing", async () => {
      const before = await countRows(ctx.db, "iwmo_import_batches");
      for (const key of ["purchaser", "admin"] as const) {
        const agent = await loginAs(ctx.app, ctx.world.users[key].email);
        expect((await agent.get("/berichten/import")).status, key).to.equal(403);
        const res = await upload(agent, "/berichten/import", [{ name: "x.xml", xml: wmo301() }], "/");
        expect(res.status, key).to.equal(403);
        expect((await postForm(agent, "/berichten/import/1/toepassen", {})).status, key).to.equal(403);
      }
      expect(await countRows(ctx.db, "iwmo_import_batches")).to.equal(before);
    });

    it("answers an unknown or malformed batch id with 404", async () => {
      expect((await coordinator.get("/berichten/import/99999")).status).to.equal(404);
      expect((await coordinator.get("/berichten/import/abc")).status).to.equal(404);
    });

    it("lists the actor's recent uploads on the import page", async () => {
      const page = await coordinator.get("/berichten/import");
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('enctype="multipart/form-data"');
      expect(page.text).to.contain("toegepast");
      const own = await providerA.get("/berichten/import");
      expect(own.text.match(/href="\/berichten\/import\/\d+"/g)).to.have.length(1);
    });
  });
});
