import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildContractsWorld, type ContractsWorld } from "../support/contracts-fixtures";

// The whole declaration cycle over HTTP, on a fixed clock of 23 November 2026: prepare
// October → preview → submit → reject with a reason → fix → submit again → accept →
// correction with credit and debit lines → exports.

type Line = { client_id: number; product_id: number; units: number; tariff_cents: number; amount_cents: number | string; period_from: string; period_until: string; debit_credit: string; allocation_id: number | null; id: number };

describe("HTTP: declarations", () => {
  let ctx: TestContext;
  let cw: ContractsWorld;
  let providerA: Agent;
  let providerB: Agent;
  let gemeente: Agent;
  let zorgkantoor: Agent;
  let coordinator: Agent;
  let octoberId: number;
  let correctionId: number;

  before(async () => {
    ctx = await startTestApp();
    cw = await buildContractsWorld(ctx.db, ctx.world);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  const linesOf = async (id: number): Promise<Line[]> => ctx.db("declaration_lines").where({ declaration_id: id }).orderBy("id");
  const declaration = (id: number) => ctx.db("declarations").where({ id }).first();

  /** What October should declare, counted here from the fixture rows, not by the code under test. */
  function expectedOctober() {
    const annaRows = cw.attendance.filter((a) => a.client_id === cw.clients.anna && a.status === "aanwezig");
    const early = annaRows.filter((a) => a.date < "2026-10-15").length;
    const late = annaRows.length - early;
    const rideDays = new Set(annaRows.map((a) => a.date)).size;
    const bertRows = cw.attendance.filter((a) => a.client_id === cw.clients.bert && a.status === "aanwezig");
    const bert = bertRows.length;
    const bertEarly = bertRows.filter((a) => a.date < "2026-10-15").length;
    return {
      early,
      late,
      rides: 2 * rideDays,
      bertEarly,
      bertLate: bert - bertEarly,
      total: early * cw.TARIFF_EARLY + late * cw.TARIFF_LATE + 2 * rideDays * cw.TARIFF_RIDE + bertEarly * cw.TARIFF_EARLY + (bert - bertEarly) * cw.TARIFF_LATE,
    };
  }

  // The tests below tell October's story in order. Each also passes alone (mocha --grep): it
  // first brings October to the stage it starts from, over HTTP as the tests before it would,
  // reading from the database how far the story has got.
  const STAGES = ["prepared", "submitted", "rejected", "resubmitted", "accepted", "corrected", "correctionAccepted"] as const;
  type Stage = (typeof STAGES)[number];

  async function stageNow(): Promise<number> {
    const october = await ctx.db("declarations").where({ provider_id: ctx.world.providerA, purchaser_id: ctx.world.gemeente, month: "2026-10" }).whereNull("corrects_declaration_id").first();
    if (!october) return -1;
    octoberId = october.id;
    const rejected = await ctx.db("audit_log").where({ entity: "declaration", entity_id: october.id, action: "rejectDeclaration" }).first();
    const correction = await ctx.db("declarations").where({ corrects_declaration_id: october.id }).orderBy("id", "desc").first();
    if (correction) correctionId = correction.id;
    if (correction) return STAGES.indexOf(correction.status === "geaccepteerd" ? "correctionAccepted" : "corrected");
    if (october.status === "geaccepteerd") return STAGES.indexOf("accepted");
    if (october.status === "afgewezen") return STAGES.indexOf("rejected");
    if (october.status === "ingediend") return STAGES.indexOf(rejected ? "resubmitted" : "submitted");
    return STAGES.indexOf("prepared");
  }

  async function reach(stage: Stage): Promise<void> {
    for (let now = await stageNow(); now < STAGES.indexOf(stage); now = await stageNow()) {
      const ok = (res: { status: number }) => expect(res.status, `reaching ${STAGES[now + 1]}`).to.equal(303);
      switch (STAGES[now + 1]) {
        case "prepared":
          ok(await postForm(providerA, "/declaraties", { purchaser_id: String(ctx.world.gemeente), month: "2026-10" }, "/declaraties"));
          break;
        case "submitted":
        case "resubmitted":
          if (STAGES[now + 1] === "resubmitted") await fixAnnasFifth();
          ok(await postForm(providerA, `/declaraties/${octoberId}/indienen`, {}, `/declaraties/${octoberId}`));
          break;
        case "rejected":
          ok(await postForm(gemeente, `/declaraties/${octoberId}/afwijzen`, { reason: "Anna was op 5 oktober wel aanwezig." }, `/declaraties/${octoberId}`));
          break;
        case "accepted":
          ok(await postForm(gemeente, `/declaraties/${octoberId}/accepteren`, {}, `/declaraties/${octoberId}`));
          break;
        case "corrected":
          await bertOneLess();
          ok(await postForm(providerA, `/declaraties/${octoberId}/correctie`, {}, `/declaraties/${octoberId}`));
          break;
        case "correctionAccepted":
          if ((await declaration(correctionId)).status === "concept") ok(await postForm(providerA, `/declaraties/${correctionId}/indienen`, {}, `/declaraties/${correctionId}`));
          ok(await postForm(gemeente, `/declaraties/${correctionId}/accepteren`, {}, `/declaraties/${correctionId}`));
          break;
      }
    }
  }

  /** The provider's fix after the rejection: Anna was there on 5 October after all. */
  async function fixAnnasFifth() {
    await ctx.db("attendance").where({ client_id: cw.clients.anna, date: "2026-10-05" }).update({ status: "aanwezig" });
    cw.attendance.find((a) => a.client_id === cw.clients.anna && a.date === "2026-10-05")!.status = "aanwezig";
  }

  /** Bert's late October turns out to have been one dagdeel less (recorded after acceptance). */
  async function bertOneLess() {
    const bertRow = cw.attendance.filter((a) => a.client_id === cw.clients.bert && a.date >= "2026-10-15")[0];
    await ctx.db("attendance").where({ client_id: cw.clients.bert, date: bertRow.date }).update({ status: "afgemeld" });
    bertRow.status = "afgemeld";
  }

  describe("preparing and previewing", () => {
    it("refuses a purchaser (403) and a coordinator (403) preparing a declaration", async () => {
      for (const agent of [gemeente, coordinator]) {
        const res = await postForm(agent, "/declaraties", { purchaser_id: String(ctx.world.gemeente), month: "2026-10" });
        expect(res.status).to.equal(403);
      }
      expect(Number((await ctx.db("declarations").count({ n: "*" }).first())?.n)).to.equal(0);
    });

    it("refuses a month that is not over, and a purchaser without a contract (422, form kept)", async () => {
      const notOver = await postForm(providerA, "/declaraties", { purchaser_id: String(ctx.world.gemeente), month: "2026-11" }, "/declaraties");
      expect(notOver.status).to.equal(422);
      expect(notOver.text).to.contain("pas gedeclareerd worden als hij voorbij is");
      const noContract = await postForm(providerA, "/declaraties", { purchaser_id: String(ctx.world.zorgkantoor), month: "2026-10" }, "/declaraties");
      expect(noContract.status).to.equal(422);
      expect(noContract.text).to.contain('id="f-purchaser_id-error"');
      expect(Number((await ctx.db("declarations").count({ n: "*" }).first())?.n)).to.equal(0);
    });

    it("prepares October from attendance: each date at its own tariff, rides per attended day, audited", async () => {
      const res = await postForm(providerA, "/declaraties", { purchaser_id: String(ctx.world.gemeente), month: "2026-10" }, "/declaraties");
      expect(res.status).to.equal(303);
      octoberId = Number(res.headers.location.split("/").pop());
      const d = await declaration(octoberId);
      expect(d).to.include({ provider_id: ctx.world.providerA, purchaser_id: ctx.world.gemeente, month: "2026-10", status: "concept" });
      const e = expectedOctober();
      const lines = await linesOf(octoberId);
      const anna = lines.filter((l) => l.client_id === cw.clients.anna);
      // The index on 15 October splits Anna's dagdelen into two lines, each with its own period.
      expect(anna.find((l) => l.tariff_cents === cw.TARIFF_EARLY)).to.include({ units: e.early, period_from: "2026-10-01", period_until: "2026-10-14", allocation_id: cw.allocations.anna });
      expect(anna.find((l) => l.tariff_cents === cw.TARIFF_LATE)).to.include({ units: e.late, period_from: "2026-10-15", period_until: "2026-10-31" });
      expect(anna.find((l) => l.product_id === cw.products.vervoer)).to.include({ units: e.rides, allocation_id: cw.allocations.annaRides });
      // Ill and no-show (the contract does not bill no-shows) are not declared.
      expect(anna.filter((l) => l.product_id === cw.products.basis).reduce((s, l) => s + l.units, 0)).to.equal(e.early + e.late);
      for (const l of lines) expect(Number(l.amount_cents)).to.equal(l.units * l.tariff_cents);
      expect(Number(d.total_cents)).to.equal(e.total);
      expect(lines.reduce((s, l) => s + Number(l.amount_cents), 0)).to.equal(e.total);
      // Cor is the zorgkantoor's client at provider B: never in this declaration.
      expect(lines.some((l) => l.client_id === cw.clients.cor)).to.equal(false);
      const audit = await ctx.db("audit_log").where({ entity: "declaration", entity_id: octoberId, action: "prepareDeclaration" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.providerA.id);
    });

    it("shows the preview with its lines, masked BSNs and total to the provider", async () => {
      await reach("prepared");
      const res = await providerA.get(`/declaraties/${octoberId}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Aerts, Anna");
      expect(res.text).to.contain("******011");
      expect(res.text).to.not.contain("999901011");
      expect(res.text).to.contain("PMT000101");
      expect(res.text).to.contain("€ 53,10");
      expect(res.text).to.contain('action="/declaraties/' + octoberId + '/indienen"');
    });

    it("refuses the same month twice (422)", async () => {
      await reach("prepared");
      const res = await postForm(providerA, "/declaraties", { purchaser_id: String(ctx.world.gemeente), month: "2026-10" }, "/declaraties");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`nummer DGD${String(octoberId).padStart(6, "0")}`);
    });

    it("hides a concept from the purchaser, and every declaration from other organisations (404)", async () => {
      await reach("prepared");
      expect((await gemeente.get(`/declaraties/${octoberId}`)).status).to.equal(404);
      expect((await gemeente.get("/declaraties")).text).to.not.contain(`/declaraties/${octoberId}"`);
      expect((await providerB.get(`/declaraties/${octoberId}`)).status).to.equal(404);
      expect((await zorgkantoor.get(`/declaraties/${octoberId}`)).status).to.equal(404);
      expect((await providerB.get(`/declaraties/${octoberId}/csv`)).status).to.equal(404);
      expect((await coordinator.get(`/declaraties/${octoberId}`)).status).to.equal(200);
    });
  });

  describe("submitting, rejecting and accepting", () => {
    it("refuses a purchaser submitting (403) and another provider submitting (404)", async () => {
      await reach("prepared");
      expect((await postForm(gemeente, `/declaraties/${octoberId}/indienen`, {})).status).to.equal(403);
      expect((await postForm(providerB, `/declaraties/${octoberId}/indienen`, {})).status).to.equal(404);
      expect((await declaration(octoberId)).status).to.equal("concept");
    });

    it("submits: status ingediend, who and when, recomputed in the same transaction, audited", async () => {
      await reach("prepared");
      const res = await postForm(providerA, `/declaraties/${octoberId}/indienen`, {}, `/declaraties/${octoberId}`);
      expect(res.status).to.equal(303);
      const d = await declaration(octoberId);
      expect(d).to.include({ status: "ingediend", submitted_by: ctx.world.users.providerA.id });
      expect(d.submitted_at).to.be.a("string");
      expect(Number(d.total_cents)).to.equal(expectedOctober().total);
      expect(await ctx.db("audit_log").where({ entity: "declaration", entity_id: octoberId, action: "submitDeclaration" }).first()).to.not.equal(undefined);
    });

    it("the purchaser now sees it; a provider can no longer change it", async () => {
      await reach("submitted");
      const page = await gemeente.get(`/declaraties/${octoberId}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('action="/declaraties/' + octoberId + '/accepteren"');
      expect((await postForm(providerA, `/declaraties/${octoberId}/herberekenen`, {})).status).to.equal(422);
      expect((await zorgkantoor.get(`/declaraties/${octoberId}`)).status).to.equal(404);
    });

    it("refuses a provider accepting (403) and the other purchaser deciding (404)", async () => {
      await reach("submitted");
      expect((await postForm(providerA, `/declaraties/${octoberId}/accepteren`, {})).status).to.equal(403);
      expect((await postForm(zorgkantoor, `/declaraties/${octoberId}/afwijzen`, { reason: "nee" })).status).to.equal(404);
      expect((await declaration(octoberId)).status).to.equal("ingediend");
    });

    it("rejecting needs a reason (422, nothing changes)", async () => {
      await reach("submitted");
      const res = await postForm(gemeente, `/declaraties/${octoberId}/afwijzen`, { reason: "   " }, `/declaraties/${octoberId}`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-reason-error"');
      expect((await declaration(octoberId)).status).to.equal("ingediend");
    });

    it("rejects with a reason, which the provider sees; audited", async () => {
      await reach("submitted");
      const res = await postForm(gemeente, `/declaraties/${octoberId}/afwijzen`, { reason: "Anna was op 5 oktober wel aanwezig." }, `/declaraties/${octoberId}`);
      expect(res.status).to.equal(303);
      const d = await declaration(octoberId);
      expect(d).to.include({ status: "afgewezen", decided_by: ctx.world.users.purchaser.id, rejection_reason: "Anna was op 5 oktober wel aanwezig." });
      const page = await providerA.get(`/declaraties/${octoberId}`);
      expect(page.text).to.contain("Anna was op 5 oktober wel aanwezig.");
      const audit = await ctx.db("audit_log").where({ entity: "declaration", entity_id: octoberId, action: "rejectDeclaration" }).first();
      expect(JSON.parse(audit.details).reason).to.equal("Anna was op 5 oktober wel aanwezig.");
    });

    it("after the provider fixes attendance, the page says so and submitting again recomputes", async () => {
      await reach("rejected");
      // The month is unlocked after the rejection; the fix is recorded (here straight in the table).
      await fixAnnasFifth();
      const page = await providerA.get(`/declaraties/${octoberId}`);
      expect(page.text).to.contain("gewijzigd sinds deze regels zijn berekend");
      const res = await postForm(providerA, `/declaraties/${octoberId}/indienen`, {}, `/declaraties/${octoberId}`);
      expect(res.status).to.equal(303);
      const d = await declaration(octoberId);
      expect(d.status).to.equal("ingediend");
      expect(d.rejection_reason).to.equal(null);
      // One more early dagdeel and one more day of rides.
      expect(Number(d.total_cents)).to.equal(expectedOctober().total);
      const audit = await ctx.db("audit_log").where({ entity: "declaration", entity_id: octoberId, action: "submitDeclaration" }).orderBy("id", "desc").first();
      expect(JSON.parse(audit.details)).to.include({ again: true });
    });

    it("accepts; audited", async () => {
      await reach("resubmitted");
      const res = await postForm(gemeente, `/declaraties/${octoberId}/accepteren`, {}, `/declaraties/${octoberId}`);
      expect(res.status).to.equal(303);
      expect((await declaration(octoberId)).status).to.equal("geaccepteerd");
      expect(await ctx.db("audit_log").where({ entity: "declaration", entity_id: octoberId, action: "acceptDeclaration", user_id: ctx.world.users.purchaser.id }).first()).to.not.equal(undefined);
    });

    it("an accepted month cannot be declared again: it takes a correction (422)", async () => {
      await reach("accepted");
      const res = await postForm(providerA, "/declaraties", { purchaser_id: String(ctx.world.gemeente), month: "2026-10" }, "/declaraties");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Maak daar een correctie");
    });
  });

  describe("corrections after acceptance", () => {

    it("finds nothing to correct while attendance says what was accepted (422)", async () => {
      await reach("accepted");
      const res = await postForm(providerA, `/declaraties/${octoberId}/correctie`, {}, `/declaraties/${octoberId}`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("niets te corrigeren");
    });

    it("makes a correction of credit and debit lines whose total is the difference", async () => {
      await reach("accepted");
      await bertOneLess();
      const accepted = await linesOf(octoberId);
      const res = await postForm(providerA, `/declaraties/${octoberId}/correctie`, {}, `/declaraties/${octoberId}`);
      expect(res.status).to.equal(303);
      correctionId = Number(res.headers.location.split("/").pop());
      const d = await declaration(correctionId);
      expect(d).to.include({ corrects_declaration_id: octoberId, month: "2026-10", status: "concept" });
      const lines = await linesOf(correctionId);
      const wasBertLate = accepted.find((l) => l.client_id === cw.clients.bert && l.tariff_cents === cw.TARIFF_LATE)!;
      const credit = lines.find((l) => l.debit_credit === "C")!;
      const debit = lines.find((l) => l.debit_credit === "D")!;
      expect(lines).to.have.length(2);
      // The credit repeats the accepted line exactly; the debit says what is right now.
      expect(credit).to.include({ client_id: cw.clients.bert, units: wasBertLate.units, tariff_cents: cw.TARIFF_LATE, period_from: wasBertLate.period_from });
      expect(Number(credit.amount_cents)).to.equal(Number(wasBertLate.amount_cents));
      expect(debit).to.include({ client_id: cw.clients.bert, units: wasBertLate.units - 1, tariff_cents: cw.TARIFF_LATE });
      expect(Number(d.total_cents)).to.equal(-cw.TARIFF_LATE);
      expect(Number(d.total_cents)).to.equal(expectedOctober().total - Number((await declaration(octoberId)).total_cents));
      expect(await ctx.db("audit_log").where({ entity: "declaration", entity_id: correctionId, action: "correctDeclaration" }).first()).to.not.equal(undefined);
    });

    it("allows one open correction at a time (422)", async () => {
      await reach("corrected");
      const res = await postForm(providerA, `/declaraties/${octoberId}/correctie`, {}, `/declaraties/${octoberId}`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`declaratie DGD${String(correctionId).padStart(6, "0")}`);
    });

    it("submits and accepts the correction", async () => {
      await reach("corrected");
      expect((await postForm(providerA, `/declaraties/${correctionId}/indienen`, {}, `/declaraties/${correctionId}`)).status).to.equal(303);
      const page = await gemeente.get(`/declaraties/${correctionId}`);
      expect(page.text).to.contain("credit");
      expect(page.text).to.contain("Correctie");
      expect((await postForm(gemeente, `/declaraties/${correctionId}/accepteren`, {}, `/declaraties/${correctionId}`)).status).to.equal(303);
      expect((await declaration(correctionId)).status).to.equal("geaccepteerd");
    });

    it("exports the correction as WMO323 with C, the withdrawn prestatie's reference, and a net credit total", async () => {
      await reach("correctionAccepted");
      const res = await gemeente.get(`/declaraties/${correctionId}/wmo323.xml`);
      expect(res.status).to.equal(200);
      const xml = res.text;
      const original = (await linesOf(octoberId)).find((l) => l.client_id === cw.clients.bert && l.tariff_cents === cw.TARIFF_LATE)!;
      expect(xml).to.contain(`<iwmo:VorigReferentieNummer>DGDR${String(original.id).padStart(8, "0")}</iwmo:VorigReferentieNummer>`);
      expect(xml).to.match(/<wmo323:TotaalIngediendBedrag>\s*<iwmo:TotaalBedrag>5310<\/iwmo:TotaalBedrag>\s*<iwmo:DebetCredit>C<\/iwmo:DebetCredit>/);
      expect(xml.match(/<iwmo:DebetCredit>C<\/iwmo:DebetCredit>/g)).to.have.length(2); // the credit prestatie and the total
    });
  });

  describe("exports", () => {
    it("gives every declaration as CSV: semicolons, a header, cents and euros", async () => {
      await reach("accepted");
      const res = await gemeente.get(`/declaraties/${octoberId}/csv`);
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.equal("text/csv; charset=utf-8");
      expect(res.headers["content-disposition"]).to.contain("attachment");
      const rows = res.text.replace(/^\uFEFF/, "").trim().split("\r\n").map((r) => r.split(";"));
      const header = rows[0];
      expect(header).to.include.members(["bsn", "toewijzingnummer", "eenheden", "tarief_cent", "tarief_euro", "bedrag_cent", "bedrag_euro", "debet_credit"]);
      const lines = await linesOf(octoberId);
      expect(rows).to.have.length(lines.length + 1);
      const col = (name: string) => header.indexOf(name);
      const anna = rows.find((r) => r[col("bsn")] === "999901011" && r[col("tarief_cent")] === String(cw.TARIFF_LATE))!;
      expect(anna[col("tarief_euro")]).to.equal("53,10");
      expect(Number(anna[col("bedrag_cent")])).to.equal(Number(anna[col("eenheden")]) * cw.TARIFF_LATE);
      expect(anna[col("toewijzingnummer")]).to.equal("PMT000101");
      const sum = rows.slice(1).reduce((s, r) => s + Number(r[col("bedrag_cent")]), 0);
      expect(sum).to.equal(Number((await declaration(octoberId)).total_cents));
      expect(await ctx.db("audit_log").where({ entity: "declaration", entity_id: octoberId, action: "exportDeclaration" }).first()).to.not.equal(undefined);
    });

    it("gives a gemeente's declaration as an iWmo 3.2 WMO323 message", async () => {
      await reach("accepted");
      const res = await providerA.get(`/declaraties/${octoberId}/wmo323.xml`);
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.equal("application/xml; charset=utf-8");
      const xml = res.text;
      expect(xml).to.contain('xmlns:wmo323="http://www.istandaarden.nl/iwmo/3_2/wmo323/schema"');
      expect(xml).to.contain("<wmo323:BerichtCode>484</wmo323:BerichtCode>");
      expect(xml).to.contain("<wmo323:BerichtVersie>3</wmo323:BerichtVersie>");
      expect(xml).to.contain("<wmo323:BerichtSubversie>2</wmo323:BerichtSubversie>");
      expect(xml).to.contain("<wmo323:Afzender>98000001</wmo323:Afzender>");
      expect(xml).to.contain("<wmo323:Ontvanger>1894</wmo323:Ontvanger>");
      expect(xml).to.contain("<wmo323:Bsn>999901011</wmo323:Bsn>");
      expect(xml).to.contain("<wmo323:ToewijzingNummer>PMT000101</wmo323:ToewijzingNummer>");
      expect(xml).to.contain("<wmo323:Eenheid>16</wmo323:Eenheid>");
      expect(xml).to.contain(`<wmo323:ProductTarief>${cw.TARIFF_EARLY}</wmo323:ProductTarief>`);
      const total = Number((await declaration(octoberId)).total_cents);
      expect(xml).to.match(new RegExp(`<iwmo:TotaalBedrag>${total}</iwmo:TotaalBedrag>\\s*<iwmo:DebetCredit>D</iwmo:DebetCredit>`));
      const amounts = [...xml.matchAll(/<iwmo:Bedrag>(\d+)<\/iwmo:Bedrag>/g)].map((m) => Number(m[1]));
      expect(amounts.reduce((s, a) => s + a, 0)).to.equal(total);
      expect((await providerB.get(`/declaraties/${octoberId}/wmo323.xml`)).status).to.equal(404);
    });

    it("gives a zorgkantoor CSV only: no WMO323 for the Wlz", async () => {
      const prepared = await postForm(providerB, "/declaraties", { purchaser_id: String(ctx.world.zorgkantoor), month: "2026-10" }, "/declaraties");
      expect(prepared.status).to.equal(303);
      const id = Number(prepared.headers.location.split("/").pop());
      const cor = cw.attendance.filter((a) => a.client_id === cw.clients.cor).length;
      expect(Number((await declaration(id)).total_cents)).to.equal(cor * cw.TARIFF_WLZ);
      const page = await providerB.get(`/declaraties/${id}`);
      expect(page.text).to.contain("geen WMO323-bericht");
      expect(page.text).to.not.contain("wmo323.xml");
      expect((await providerB.get(`/declaraties/${id}/wmo323.xml`)).status).to.equal(404);
      expect((await providerB.get(`/declaraties/${id}/csv`)).status).to.equal(200);
      // Provider A never sees provider B's declaration, in the list or by id.
      expect((await providerA.get(`/declaraties/${id}`)).status).to.equal(404);
      expect((await providerA.get("/declaraties")).text).to.not.contain(`/declaraties/${id}"`);
      expect((await gemeente.get(`/declaraties/${id}`)).status).to.equal(404);
    });

    it("explains (422) when the message cannot be valid, e.g. a client without a BSN", async () => {
      await reach("accepted");
      await ctx.db("clients").where({ id: cw.clients.anna }).update({ bsn: null });
      const res = await gemeente.get(`/declaraties/${octoberId}/wmo323.xml`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("geen geldig BSN");
      await ctx.db("clients").where({ id: cw.clients.anna }).update({ bsn: "999901011" });
    });
  });

  describe("concepts", () => {
    it("a provider deletes its own concept, never a submitted one", async () => {
      await reach("accepted");
      await ctx.db("attendance").insert({ client_id: cw.clients.bert, location_id: ctx.world.locationA, date: "2026-09-15", dagdeel: "ochtend", status: "aanwezig", recorded_at: "2026-09-15T12:00:00.000Z", created_at: "2026-09-15T12:00:00.000Z", updated_at: "2026-09-15T12:00:00.000Z" });
      const prepared = await postForm(providerA, "/declaraties", { purchaser_id: String(ctx.world.gemeente), month: "2026-09" }, "/declaraties");
      expect(prepared.status).to.equal(303);
      const id = Number(prepared.headers.location.split("/").pop());
      expect((await postForm(providerB, `/declaraties/${id}/verwijderen`, {})).status).to.equal(404);
      expect((await postForm(providerA, `/declaraties/${id}/verwijderen`, {}, `/declaraties/${id}`)).status).to.equal(303);
      expect(await declaration(id)).to.equal(undefined);
      expect((await postForm(providerA, `/declaraties/${octoberId}/verwijderen`, {}, `/declaraties/${octoberId}`)).status).to.equal(422);
    });
  });
});
