import { expect } from "chai";
import { readWmo323 } from "../../src/domain/wmo323";
import { validateIwmo } from "../../src/iwmo/schema";
import { postForm } from "../support/app";
import type { ContractsWorld } from "../support/contracts-fixtures";
import { declarationRow, declarationWorld, linesOf, prepare, record, submit, submittedOctober, type DeclarationWorld } from "../support/declaration-flow";

// Preparing, previewing, submitting and exporting declarations over HTTP, on a fixed clock of
// 23 November 2026. The purchaser's answer is in declaration-answers.test.ts, corrections in
// declaration-corrections.test.ts. Every test sets up what it needs, so each passes alone.

type World = DeclarationWorld;
const world = declarationWorld;

/** What October should declare, counted here from the fixture rows, not by the code under test. */
function expectedOctober(cw: ContractsWorld) {
  const annaRows = cw.attendance.filter((a) => a.client_id === cw.clients.anna && a.status === "aanwezig" && a.date.startsWith("2026-10"));
  const early = annaRows.filter((a) => a.date < "2026-10-15").length;
  const rideDays = new Set(annaRows.map((a) => a.date)).size;
  const bertRows = cw.attendance.filter((a) => a.client_id === cw.clients.bert && a.status === "aanwezig" && a.date.startsWith("2026-10"));
  const bertEarly = bertRows.filter((a) => a.date < "2026-10-15").length;
  return {
    early,
    late: annaRows.length - early,
    rides: 2 * rideDays,
    total: (early + bertEarly) * cw.TARIFF_EARLY + (annaRows.length - early + bertRows.length - bertEarly) * cw.TARIFF_LATE + 2 * rideDays * cw.TARIFF_RIDE,
  };
}

const count = async (w: World) => Number((await w.ctx.db("declarations").count({ n: "*" }).first())?.n);

describe("HTTP: declarations", function () {
  this.timeout(120_000); // each part starts its own app and drives whole declarations over HTTP
  describe("preparing and previewing", () => {
    let w: World;
    let octoberId: number | null = null;
    before(async () => {
      w = await world();
    });
    after(async () => w.ctx.close());
    const october = async () => (octoberId ??= await prepare(w.providerA, w.ctx.world.gemeente, "2026-10"));

    it("refuses a purchaser (403) and a coordinator (403) preparing a declaration", async () => {
      const before = await count(w);
      for (const agent of [w.gemeente, w.coordinator]) {
        const res = await postForm(agent, "/declaraties", { purchaser_id: String(w.ctx.world.gemeente), month: "2026-10" });
        expect(res.status).to.equal(403);
      }
      expect(await count(w)).to.equal(before);
    });

    it("refuses a month that is not over, a malformed month, and a purchaser without a contract (422, form kept)", async () => {
      const before = await count(w);
      const notOver = await postForm(w.providerA, "/declaraties", { purchaser_id: String(w.ctx.world.gemeente), month: "2026-11" }, "/declaraties");
      expect(notOver.status).to.equal(422);
      expect(notOver.text).to.contain("pas gedeclareerd worden als hij voorbij is");
      const malformed = await postForm(w.providerA, "/declaraties", { purchaser_id: String(w.ctx.world.gemeente), month: "oktober" }, "/declaraties");
      expect(malformed.status).to.equal(422);
      expect(malformed.text).to.contain('id="f-month-error"');
      const noContract = await postForm(w.providerA, "/declaraties", { purchaser_id: String(w.ctx.world.zorgkantoor), month: "2026-10" }, "/declaraties");
      expect(noContract.status).to.equal(422);
      expect(noContract.text).to.contain('id="f-purchaser_id-error"');
      expect(await count(w)).to.equal(before);
    });

    it("prepares October from attendance: each date at its own tariff, rides per attended day, audited", async () => {
      const id = await october();
      const d = await declarationRow(w.ctx.db, id);
      expect(d).to.include({ provider_id: w.ctx.world.providerA, purchaser_id: w.ctx.world.gemeente, month: "2026-10", status: "concept", period: null });
      const e = expectedOctober(w.cw);
      const lines = await linesOf(w.ctx.db, id);
      const anna = lines.filter((l) => l.client_id === w.cw.clients.anna);
      // The index on 15 October splits Anna's dagdelen into two lines, each with its own period.
      expect(anna.find((l) => l.tariff_cents === w.cw.TARIFF_EARLY)).to.include({ units: e.early, period_from: "2026-10-01", period_until: "2026-10-14", allocation_id: w.cw.allocations.anna });
      expect(anna.find((l) => l.tariff_cents === w.cw.TARIFF_LATE)).to.include({ units: e.late, period_from: "2026-10-15", period_until: "2026-10-31" });
      expect(anna.find((l) => l.product_id === w.cw.products.vervoer)).to.include({ units: e.rides, allocation_id: w.cw.allocations.annaRides });
      for (const l of lines) expect(Number(l.amount_cents)).to.equal(l.units * l.tariff_cents);
      expect(Number(d.total_cents)).to.equal(e.total);
      // Cor is the zorgkantoor's client at provider B: never in this declaration.
      expect(lines.some((l) => l.client_id === w.cw.clients.cor)).to.equal(false);
      const audit = await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "prepare" }).first();
      expect(audit.user_id).to.equal(w.ctx.world.users.providerA.id);
    });

    it("shows the preview with its lines, masked BSNs, total and the period it will be sent in", async () => {
      const id = await october();
      const res = await w.providerA.get(`/declaraties/${id}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Aerts, Anna");
      expect(res.text).to.contain("******011");
      expect(res.text).to.not.contain("999901011");
      expect(res.text).to.contain("104101");
      expect(res.text).to.contain("€ 53,10");
      expect(res.text).to.contain("Declaratieperiode");
      expect(res.text).to.contain('action="/declaraties/' + id + '/indienen"');
    });

    it("refuses the same month twice (422)", async () => {
      const id = await october();
      const res = await postForm(w.providerA, "/declaraties", { purchaser_id: String(w.ctx.world.gemeente), month: "2026-10" }, "/declaraties");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`nummer DGD${String(id).padStart(6, "0")}`);
    });

    it("hides a concept from the purchaser, and every declaration from other organisations (404)", async () => {
      const id = await october();
      expect((await w.gemeente.get(`/declaraties/${id}`)).status).to.equal(404);
      expect((await w.gemeente.get("/declaraties")).text).to.not.contain(`/declaraties/${id}"`);
      expect((await w.providerB.get(`/declaraties/${id}`)).status).to.equal(404);
      expect((await w.zorgkantoor.get(`/declaraties/${id}`)).status).to.equal(404);
      expect((await w.providerB.get(`/declaraties/${id}/csv`)).status).to.equal(404);
      expect((await w.coordinator.get(`/declaraties/${id}`)).status).to.equal(200);
    });

    it("a provider deletes its own concept (audited), never another provider's", async () => {
      const id = await prepare(w.providerA, w.ctx.world.gemeente, "2026-10").catch(async () => october());
      expect((await postForm(w.providerB, `/declaraties/${id}/verwijderen`, {})).status).to.equal(404);
      expect((await postForm(w.gemeente, `/declaraties/${id}/verwijderen`, {})).status).to.equal(403);
      expect((await postForm(w.providerA, `/declaraties/${id}/verwijderen`, {}, `/declaraties/${id}`)).status).to.equal(303);
      expect(await declarationRow(w.ctx.db, id)).to.equal(undefined);
      expect(await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "delete" }).first()).to.not.equal(undefined);
      octoberId = null;
    });
  });

  describe("the list", () => {
    let w: World;
    before(async () => {
      w = await world();
      // 55 older concepts of provider A (set-up rows), one per month from January 2021.
      const at = "2026-11-01T08:00:00.000Z";
      const months = Array.from({ length: 55 }, (_, i) => `${2021 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
      await w.ctx.db("declarations").insert(months.map((month) => ({ provider_id: w.ctx.world.providerA, purchaser_id: w.ctx.world.gemeente, month, status: "concept", total_cents: 0, created_at: at, updated_at: at })));
    });
    after(async () => w.ctx.close());

    it("is paginated, newest month first, 50 to a page", async () => {
      const first = await w.providerA.get("/declaraties");
      expect(first.status).to.equal(200);
      expect(first.text.match(/<th scope="row"><a href="\/declaraties\/\d+">/g)).to.have.length(50);
      expect(first.text).to.contain("juli 2025");
      expect(first.text).to.not.contain("januari 2021");
      expect(first.text).to.contain(`href="/declaraties?pagina&#x3D;2" rel="next"`);
      const second = await w.providerA.get("/declaraties?pagina=2");
      expect(second.text.match(/<th scope="row"><a href="\/declaraties\/\d+">/g)).to.have.length(5);
      expect(second.text).to.contain("januari 2021");
      // Concepts are the provider's own: the gemeente's list is empty, on every page.
      expect((await w.gemeente.get("/declaraties")).text).to.not.contain('<th scope="row"><a href="/declaraties/');
    });
  });

  describe("submitting", () => {
    let w: World;
    let id: number;
    before(async () => {
      w = await world();
      id = await submittedOctober(w);
    });
    after(async () => w.ctx.close());

    it("refuses a purchaser submitting (403) and another provider submitting (404)", async () => {
      const other = await prepare(w.providerB, w.ctx.world.zorgkantoor, "2026-10");
      expect((await postForm(w.gemeente, `/declaraties/${other}/indienen`, {})).status).to.equal(403);
      expect((await postForm(w.providerA, `/declaraties/${other}/indienen`, {})).status).to.equal(404);
      expect((await declarationRow(w.ctx.db, other)).status).to.equal("concept");
    });

    it("submits: ingediend, in its own month as DeclaratiePeriode, who and when, recomputed, audited", async () => {
      const d = await declarationRow(w.ctx.db, id);
      expect(d).to.include({ status: "ingediend", period: "2026-10", submitted_by: w.ctx.world.users.providerA.id });
      expect(d.submitted_at).to.be.a("string");
      expect(Number(d.total_cents)).to.equal(expectedOctober(w.cw).total);
      const audit = await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "submit" }).first();
      expect(JSON.parse(audit.details)).to.include({ month: "2026-10", period: "2026-10" });
    });

    it("the purchaser now sees it; the provider can no longer recompute or submit it (422)", async () => {
      const page = await w.gemeente.get(`/declaraties/${id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('action="/declaraties/' + id + '/accepteren"');
      expect((await postForm(w.providerA, `/declaraties/${id}/herberekenen`, {})).status).to.equal(422);
      const again = await postForm(w.providerA, `/declaraties/${id}/indienen`, {}, `/declaraties/${id}`);
      expect(again.status).to.equal(422);
      expect(again.text).to.contain("Alleen een concept kan nog veranderen.");
      expect((await w.zorgkantoor.get(`/declaraties/${id}`)).status).to.equal(404);
    });

    it("locks October's attendance of this provider and purchaser (422), pointing to a correction", async () => {
      const bert = w.cw.attendance.find((a) => a.client_id === w.cw.clients.bert && a.date.startsWith("2026-10"))!;
      const res = await record(w.providerA, w.ctx.world.locationA, { ...bert, status: "afgemeld" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("correctie");
      expect((await w.ctx.db("attendance").where({ client_id: bert.client_id, date: bert.date }).first()).status).to.equal("aanwezig");
    });

    it("a submitted declaration cannot be deleted (422)", async () => {
      const res = await postForm(w.providerA, `/declaraties/${id}/verwijderen`, {}, `/declaraties/${id}`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Alleen een concept kan verwijderd worden.");
      expect((await declarationRow(w.ctx.db, id)).status).to.equal("ingediend");
    });

    it("an answered or submitted month cannot be declared again (422)", async () => {
      const res = await postForm(w.providerA, "/declaraties", { purchaser_id: String(w.ctx.world.gemeente), month: "2026-10" }, "/declaraties");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`DGD${String(id).padStart(6, "0")}`);
    });
  });

  describe("exports", () => {
    let w: World;
    let id: number;
    before(async () => {
      w = await world();
      id = await submittedOctober(w);
    });
    after(async () => w.ctx.close());

    it("gives every declaration as CSV: semicolons, a header, cents and euros, audited", async () => {
      const res = await w.gemeente.get(`/declaraties/${id}/csv`);
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.equal("text/csv; charset=utf-8");
      expect(res.headers["content-disposition"]).to.contain("attachment");
      const rows = res.text.replace(/^\uFEFF/, "").trim().split("\r\n").map((r) => r.split(";"));
      const header = rows[0];
      expect(header).to.include.members(["bsn", "toewijzingnummer", "eenheden", "tarief_cent", "tarief_euro", "bedrag_cent", "bedrag_euro", "debet_credit"]);
      const lines = await linesOf(w.ctx.db, id);
      expect(rows).to.have.length(lines.length + 1);
      const col = (name: string) => header.indexOf(name);
      const anna = rows.find((r) => r[col("bsn")] === "999901011" && r[col("tarief_cent")] === String(w.cw.TARIFF_LATE))!;
      expect(anna[col("tarief_euro")]).to.equal("53,10");
      expect(anna[col("toewijzingnummer")]).to.equal("104101");
      expect(rows.slice(1).reduce((s, r) => s + Number(r[col("bedrag_cent")]), 0)).to.equal(Number((await declarationRow(w.ctx.db, id)).total_cents));
      expect(await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "download" }).first()).to.not.equal(undefined);
    });

    it("gives a gemeente's declaration as a WMO323 that the official iWmo 3.2 schema accepts", async () => {
      const res = await w.providerA.get(`/declaraties/${id}/wmo323.xml`);
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.equal("application/xml; charset=utf-8");
      const result = await validateIwmo("WMO323", res.text);
      expect(result.problems).to.deep.equal([]);
      const msg = readWmo323(res.text);
      const d = await declarationRow(w.ctx.db, id);
      expect(msg).to.include({ afzenderAgb: "98000001", ontvangerGemeentecode: "1894", periodeBegin: "2026-10-01", periodeEinde: "2026-10-31", declaratieNummer: `DGD${String(id).padStart(6, "0")}` });
      // Dated the day it was submitted: every download is the same message.
      expect(msg.dagtekening).to.equal(d.submitted_at.slice(0, 10));
      expect(msg.totaalIngediend).to.deep.equal({ bedrag: Number(d.total_cents), debetCredit: "D" });
      const anna = msg.prestaties.filter((p) => p.bsn === "999901011");
      expect(anna.map((p) => p.toewijzingNummer)).to.include.members(["104101", "104102"]);
      expect(anna.find((p) => p.productTariefCents === w.cw.TARIFF_EARLY)).to.include({ eenheid: "16", begindatum: "2026-10-01", einddatum: "2026-10-14" });
      expect((await w.providerB.get(`/declaraties/${id}/wmo323.xml`)).status).to.equal(404);
    });

    it("gives a zorgkantoor CSV only: no WMO323 for the Wlz", async () => {
      const wlz = await prepare(w.providerB, w.ctx.world.zorgkantoor, "2026-10");
      const cor = w.cw.attendance.filter((a) => a.client_id === w.cw.clients.cor && a.date.startsWith("2026-10")).length;
      expect(Number((await declarationRow(w.ctx.db, wlz)).total_cents)).to.equal(cor * w.cw.TARIFF_WLZ);
      const page = await w.providerB.get(`/declaraties/${wlz}`);
      expect(page.text).to.contain("geen WMO323-bericht");
      expect(page.text).to.not.contain("wmo323.xml");
      expect((await w.providerB.get(`/declaraties/${wlz}/wmo323.xml`)).status).to.equal(404);
      expect((await w.providerB.get(`/declaraties/${wlz}/csv`)).status).to.equal(200);
      expect((await w.providerA.get(`/declaraties/${wlz}`)).status).to.equal(404);
      expect((await w.providerA.get("/declaraties")).text).to.not.contain(`/declaraties/${wlz}"`);
      expect((await w.gemeente.get(`/declaraties/${wlz}`)).status).to.equal(404);
    });

    it("explains (422) when the message cannot be valid: a client without a BSN", async () => {
      await w.ctx.db("clients").where({ id: w.cw.clients.anna }).update({ bsn: null });
      try {
        const res = await w.gemeente.get(`/declaraties/${id}/wmo323.xml`);
        expect(res.status).to.equal(422);
        expect(res.text).to.contain("geen geldig BSN");
      } finally {
        await w.ctx.db("clients").where({ id: w.cw.clients.anna }).update({ bsn: "999901011" });
      }
    });

    it("names the allocations whose number is no iWmo ToewijzingNummer, how to fix them, and refuses the WMO323 (422)", async () => {
      // An existing database keeps a number from before the rule (the migration leaves it).
      await w.ctx.db("allocations").where({ id: w.cw.allocations.anna }).update({ reference: "PM-T-104101" });
      try {
        const provider = await w.providerA.get(`/declaraties/${id}`);
        expect(provider.text).to.contain("Toewijzingen die een iWmo-declaratie tegenhouden");
        expect(provider.text).to.contain("PM-T-104101");
        expect(provider.text).to.contain("Vraag de coördinator het nummer uit het toewijzingsbericht (WMO301) in te vullen.");
        const coordinator = await w.coordinator.get(`/declaraties/${id}`);
        expect(coordinator.text).to.contain(`href="/toewijzingen/${w.cw.allocations.anna}/wijzigen"`);
        const xml = await w.providerA.get(`/declaraties/${id}/wmo323.xml`);
        expect(xml.status).to.equal(422);
        expect(xml.text).to.contain("toewijzingsnummer zoals de gemeente het geeft");
      } finally {
        await w.ctx.db("allocations").where({ id: w.cw.allocations.anna }).update({ reference: "104101" });
      }
    });
  });
});
