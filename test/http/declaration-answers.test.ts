import { expect } from "chai";
import { buildWmo323 } from "../../src/domain/wmo323";
import { buildWmo325, readWmo325, type Wmo325Input } from "../../src/domain/wmo325";
import { validateWmo325 } from "../../src/iwmo/schema";
import { wmo323Input } from "../support/iwmo-fixtures";
import { csrfToken, postForm, type Agent } from "../support/app";
import type { ContractsWorld } from "../support/contracts-fixtures";
import { acceptRest, attendMonth, declarationRow, declarationWorld, submittedOctober, type DeclarationWorld, linesOf, prepare, refuseLine, submit, type LineRow } from "../support/declaration-flow";

// The purchaser's answer over HTTP: a decision per prestatie with a WJ001 retourcode, the
// toegekend total that follows, the WMO325 download (checked against dagdeel's reconstructed
// schema), and the provider's upload of a WMO325 it received — bad files refused with what is
// wrong, nothing changed.

type World = DeclarationWorld;
const world = declarationWorld;

const number = (id: number) => `DGD${String(id).padStart(6, "0")}`;
const reference = (lineId: number) => `DGDR${String(lineId).padStart(8, "0")}`;
const bertLate = (w: World, lines: LineRow[]) => lines.find((l) => l.client_id === w.cw.clients.bert && l.tariff_cents === w.cw.TARIFF_LATE)!;

describe("HTTP: the purchaser's answer to a declaration", function () {
  this.timeout(120_000); // each part starts its own app and drives whole declarations over HTTP
  describe("deciding per prestatie", () => {
    let w: World;
    let id: number;
    before(async () => {
      w = await world();
      id = await submittedOctober(w);
    });
    after(async () => w.ctx.close());

    it("refuses a provider the decision forms (403) and the other purchaser (404); nothing changes", async () => {
      const line = (await linesOf(w.ctx.db, id))[0];
      expect((await w.providerA.get(`/declaraties/${id}/regels/${line.id}`)).status).to.equal(403);
      expect((await postForm(w.providerA, `/declaraties/${id}/regels/${line.id}`, { decision: "toegekend" })).status).to.equal(403);
      expect((await postForm(w.providerA, `/declaraties/${id}/accepteren`, {})).status).to.equal(403);
      expect((await w.zorgkantoor.get(`/declaraties/${id}/regels/${line.id}`)).status).to.equal(404);
      expect((await postForm(w.zorgkantoor, `/declaraties/${id}/afwijzen`, { retourcode: "0611" })).status).to.equal(404);
      expect((await w.gemeente.get(`/declaraties/${id}/regels/999999`)).status).to.equal(404);
      expect((await linesOf(w.ctx.db, id)).every((l) => l.decision === null)).to.equal(true);
    });

    it("a refusal needs a WJ001 retourcode (422 next to the field, input kept); nothing changes", async () => {
      const line = (await linesOf(w.ctx.db, id))[0];
      const page = await w.gemeente.get(`/declaraties/${id}/regels/${line.id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("0611 — Het ingediende tarief komt niet overeen met het contractuele tarief");
      const none = await postForm(w.gemeente, `/declaraties/${id}/regels/${line.id}`, { decision: "afgewezen", retourcode: "", note: "Zie contract" }, `/declaraties/${id}/regels/${line.id}`);
      expect(none.status).to.equal(422);
      expect(none.text).to.contain('id="f-retourcode-error"');
      expect(none.text).to.contain('value="Zie contract"');
      for (const body of [{ decision: "afgewezen", retourcode: "8001" }, { decision: "afgewezen", retourcode: "9999" }, { decision: "misschien", retourcode: "" }]) {
        const res = await postForm(w.gemeente, `/declaraties/${id}/regels/${line.id}`, body, `/declaraties/${id}/regels/${line.id}`);
        expect(res.status, JSON.stringify(body)).to.equal(422);
      }
      const all = await postForm(w.gemeente, `/declaraties/${id}/afwijzen`, { retourcode: "" }, `/declaraties/${id}`);
      expect(all.status).to.equal(422);
      expect(all.text).to.contain('id="f-retourcode-error"');
      expect((await linesOf(w.ctx.db, id)).every((l) => l.decision === null)).to.equal(true);
      expect((await declarationRow(w.ctx.db, id)).status).to.equal("ingediend");
    });
  });

  describe("an answer with a refused prestatie", () => {
    let w: World;
    let id: number;
    let refused: LineRow;
    before(async () => {
      w = await world();
      id = await prepare(w.providerA, w.ctx.world.gemeente, "2026-10");
      await submit(w.providerA, id);
      refused = bertLate(w, await linesOf(w.ctx.db, id));
      await refuseLine(w.gemeente, id, refused.id, "0611", "Tarief 2026 is 53,00");
      await acceptRest(w.gemeente, id);
    });
    after(async () => w.ctx.close());

    it("records the refusal with its code and note, the rest toegekend, and the total toegekend that follows", async () => {
      const lines = await linesOf(w.ctx.db, id);
      expect(lines.find((l) => l.id === refused.id)).to.include({ decision: "afgewezen", retourcodes: "0611", decision_note: "Tarief 2026 is 53,00" });
      expect(lines.filter((l) => l.id !== refused.id).every((l) => l.decision === "toegekend")).to.equal(true);
      const d = await declarationRow(w.ctx.db, id);
      expect(d.status).to.equal("geaccepteerd");
      expect(Number(d.awarded_cents)).to.equal(Number(d.total_cents) - Number(refused.amount_cents));
      expect(d.decided_by).to.equal(w.ctx.world.users.purchaser.id);
    });

    it("audits each decision and the answer", async () => {
      const actions = (await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id }).orderBy("id")).map((a) => a.action);
      expect(actions).to.include.members(["decide_line", "approve_remaining", "answer"]);
      const line = await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "decide_line" }).first();
      expect(JSON.parse(line.details)).to.deep.include({ line: refused.id, decision: "afgewezen", retourcodes: ["0611"] });
    });

    it("shows the provider the refused prestatie with its retourcode, meaning and note", async () => {
      const page = await w.providerA.get(`/declaraties/${id}`);
      expect(page.text).to.contain("1 prestatie(s) afgewezen");
      expect(page.text).to.contain("Het ingediende tarief komt niet overeen met het contractuele tarief");
      expect(page.text).to.contain("Tarief 2026 is 53,00");
      expect(page.text).to.contain('action="/declaraties/' + id + '/correctie"');
    });

    it("decisions are final once answered (422)", async () => {
      const res = await postForm(w.gemeente, `/declaraties/${id}/regels/${refused.id}`, { decision: "toegekend" }, `/declaraties/${id}/regels/${refused.id}`);
      expect(res.status).to.equal(422);
      expect((await linesOf(w.ctx.db, id)).find((l) => l.id === refused.id)!.decision).to.equal("afgewezen");
    });

    it("gives the answer as a WMO325: only the refused prestatie with its code, both totals; audited", async () => {
      const res = await w.gemeente.get(`/declaraties/${id}/wmo325.xml`);
      expect(res.status).to.equal(200);
      expect((await validateWmo325(res.text)).problems).to.deep.equal([]);
      const answer = readWmo325(res.text);
      const d = await declarationRow(w.ctx.db, id);
      expect(answer).to.deep.include({ declaratieIdentificatie: number(id), declaratieNummer: number(id), afzenderGemeentecode: "1894", ontvangerAgb: "98000001", retourcodes: ["0200"] });
      expect(answer.totaalIngediend).to.deep.equal({ bedrag: Number(d.total_cents), debetCredit: "D" });
      expect(answer.totaalToegekend).to.deep.equal({ bedrag: Number(d.awarded_cents), debetCredit: "D" });
      expect(answer.afgewezen.map((p) => [p.referentieNummer, p.retourcodes])).to.deep.equal([[reference(refused.id), ["0611"]]]);
      expect(await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "download" }).whereLike("details", "%wmo325%").first()).to.not.equal(undefined);
      expect((await w.providerA.get(`/declaraties/${id}/wmo325.xml`)).status).to.equal(200);
      expect((await w.providerB.get(`/declaraties/${id}/wmo325.xml`)).status).to.equal(404);
    });
  });

  describe("an answer that approves everything", () => {
    let w: World;
    let id: number;
    before(async () => {
      w = await world();
      id = await prepare(w.providerA, w.ctx.world.gemeente, "2026-10");
      await submit(w.providerA, id);
      await acceptRest(w.gemeente, id);
    });
    after(async () => w.ctx.close());

    it("is geaccepteerd with the whole total toegekend, and its WMO325 says 8001 without prestaties", async () => {
      const d = await declarationRow(w.ctx.db, id);
      expect(d.status).to.equal("geaccepteerd");
      expect(Number(d.awarded_cents)).to.equal(Number(d.total_cents));
      const res = await w.gemeente.get(`/declaraties/${id}/wmo325.xml`);
      expect((await validateWmo325(res.text)).valid).to.equal(true);
      const answer = readWmo325(res.text);
      expect(answer.retourcodes).to.deep.equal(["8001"]);
      expect(answer.afgewezen).to.deep.equal([]);
    });

    it("has no WMO325 before the answer, nor for a zorgkantoor (404)", async () => {
      const wlz = await prepare(w.providerB, w.ctx.world.zorgkantoor, "2026-10");
      await submit(w.providerB, wlz);
      expect((await w.providerB.get(`/declaraties/${wlz}/wmo325.xml`)).status).to.equal(404);
      await acceptRest(w.zorgkantoor, wlz);
      expect((await w.zorgkantoor.get(`/declaraties/${wlz}/wmo325.xml`)).status).to.equal(404);
    });
  });

  describe("reading a WMO325 the provider received", () => {
    let w: World;
    let id: number;
    let otherId: number;
    let lines: LineRow[];
    before(async () => {
      w = await world();
      await attendMonth(w.ctx.db, w.ctx.world, w.cw, "2026-09-01", "2026-09-30");
      otherId = await prepare(w.providerA, w.ctx.world.gemeente, "2026-09");
      await submit(w.providerA, otherId);
      id = await prepare(w.providerA, w.ctx.world.gemeente, "2026-10");
      await submit(w.providerA, id);
      lines = await linesOf(w.ctx.db, id);
    });
    after(async () => w.ctx.close());

    /** The gemeente's answer refusing Bert's late line, as its own system would write it. */
    async function gemeenteAnswer(over: Partial<Wmo325Input> = {}): Promise<string> {
      const d = await declarationRow(w.ctx.db, id);
      const line = bertLate(w, lines);
      const total = Number(d.total_cents);
      return buildWmo325({
        berichtIdentificatie: "PM2026110042",
        dagtekening: "2026-11-20",
        afzenderGemeentecode: "1894",
        ontvangerAgb: "98000001",
        declaratieIdentificatie: number(id),
        declaratieDagtekening: d.submitted_at.slice(0, 10),
        declaratieNummer: number(id),
        totaalIngediend: { bedrag: total, debetCredit: "D" },
        totaalToegekend: { bedrag: total - Number(line.amount_cents), debetCredit: "D" },
        afgewezen: [
          {
            referentieNummer: reference(line.id),
            vorigReferentieNummer: null,
            bsn: "999901023",
            toewijzingNummer: "104103",
            productCategorie: "07",
            productCode: "07A01",
            begindatum: line.period_from,
            einddatum: line.period_until,
            geleverdVolume: line.units,
            eenheid: "16",
            productTariefCents: line.tariff_cents,
            bedragCents: Number(line.amount_cents),
            debetCredit: "D",
            retourcodes: ["9321", "0611"],
          },
        ],
        ...over,
      });
    }

    async function upload(agent: Agent, declarationId: number, file: string | Buffer | null, name = "antwoord.xml") {
      const token = await csrfToken(agent, `/declaraties/${declarationId}`);
      const req = agent.post(`/declaraties/${declarationId}/wmo325`).field("_csrf", token);
      return file === null ? req.field("bestand", "") : req.attach("bestand", Buffer.isBuffer(file) ? file : Buffer.from(file, "utf8"), { filename: name, contentType: "application/xml" });
    }

    async function expectUnchanged() {
      expect((await declarationRow(w.ctx.db, id)).status).to.equal("ingediend");
      expect((await linesOf(w.ctx.db, id)).every((l) => l.decision === null)).to.equal(true);
      expect(await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "upload_answer" }).first()).to.equal(undefined);
    }

    it("refuses a file that is not XML, not iWmo, a WMO323, too large, or none at all, naming what it is (422); nothing changes", async () => {
      const wmo323 = buildWmo323(wmo323Input(readWmo325(await gemeenteAnswer()).afgewezen, { berichtIdentificatie: number(id), declaratieNummer: number(id) }));
      for (const [file, message] of [
        ["Beste aanbieder, alles is goedgekeurd.", "Dit bestand is geen XML"],
        ["<antwoord><ok/></antwoord>", "Dit is geen iWmo 3.2-bericht"],
        [wmo323, "Dit is een WMO323-bericht, geen WMO325"],
        [null, "Kies het bestand met het WMO325-bericht"],
        [Buffer.alloc(1024 * 1024 + 1, "<"), "Het bestand is groter dan 1 MB"],
      ] as const) {
        const res = await upload(w.providerA, id, file);
        expect(res.status, message).to.equal(422);
        expect(res.text, message).to.contain(message);
        expect(res.text, message).to.contain('id="f-bestand-error"');
      }
      await expectUnchanged();
    });

    it("refuses a WMO325 that fails the schema, with the line and the problem (422); nothing changes", async () => {
      const broken = (await gemeenteAnswer()).replace("<wmo325:RetourCode>9321</wmo325:RetourCode>", "<wmo325:RetourCode>1234</wmo325:RetourCode>");
      const res = await upload(w.providerA, id, broken);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("voldoet niet aan het schema (regel");
      expect(res.text).to.contain("RetourCode");
      await expectUnchanged();
    });

    it("refuses an answer to another declaration, from another gemeente, or about unknown prestaties (422); nothing changes", async () => {
      const other = await gemeenteAnswer({ declaratieIdentificatie: number(otherId), declaratieNummer: number(otherId) });
      const res = await upload(w.providerA, id, other);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`Dit antwoord hoort bij declaratie ${number(otherId)}, niet bij ${number(id)}`);
      const gemeente = await upload(w.providerA, id, await gemeenteAnswer({ afzenderGemeentecode: "0384" }));
      expect(gemeente.status).to.equal(422);
      expect(gemeente.text).to.contain("komt van gemeente 0384");
      const answer = readWmo325(await gemeenteAnswer());
      const unknown = await upload(w.providerA, id, await gemeenteAnswer({ afgewezen: [{ ...answer.afgewezen[0], referentieNummer: "ONBEKEND1" }] }));
      expect(unknown.status).to.equal(422);
      expect(unknown.text).to.contain("Prestatie ONBEKEND1 in het antwoord komt niet voor in deze declaratie");
      const total = await upload(w.providerA, id, await gemeenteAnswer({ totaalToegekend: { bedrag: 1, debetCredit: "D" } }));
      expect(total.status).to.equal(422);
      expect(total.text).to.contain("Het toegekende totaal in het antwoord klopt niet");
      await expectUnchanged();
    });

    it("refuses the purchaser (403) and another provider (404) uploading", async () => {
      const xml = await gemeenteAnswer();
      expect((await upload(w.gemeente, id, xml)).status).to.equal(403);
      expect((await upload(w.providerB, otherId, xml)).status).to.equal(404);
      await expectUnchanged();
    });

    it("reads a good answer: the refused prestatie with its retourcodes, the rest toegekend, audited", async () => {
      const res = await upload(w.providerA, id, await gemeenteAnswer());
      expect(res.status).to.equal(303);
      const after = await linesOf(w.ctx.db, id);
      const line = bertLate(w, lines);
      expect(after.find((l) => l.id === line.id)).to.include({ decision: "afgewezen", retourcodes: "9321,0611" });
      expect(after.filter((l) => l.id !== line.id).every((l) => l.decision === "toegekend")).to.equal(true);
      const d = await declarationRow(w.ctx.db, id);
      expect(d.status).to.equal("geaccepteerd");
      expect(Number(d.awarded_cents)).to.equal(Number(d.total_cents) - Number(line.amount_cents));
      const audit = await w.ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "upload_answer" }).first();
      expect(JSON.parse(audit.details)).to.include({ bericht: "PM2026110042" });
      const page = await w.providerA.get(`/declaraties/${id}`);
      expect(page.text).to.contain("Het ingediende volume overschrijdt het toegewezen volume.");
      // Once answered, a second upload is refused.
      const again = await upload(w.providerA, id, await gemeenteAnswer());
      expect(again.status).to.equal(422);
      expect(again.text).to.contain("wacht niet op een antwoord");
    });
  });
});
