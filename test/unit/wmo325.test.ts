import { expect } from "chai";
import fc from "fast-check";
import { iwmoMessageOf, XmlReadError } from "../../src/domain/iwmo-xml";
import { buildWmo323 } from "../../src/domain/wmo323";
import { buildWmo325, readWmo325, wmo325Problems, type RefusedPrestatie, type Wmo325Input } from "../../src/domain/wmo325";
import { validateWmo325 } from "../../src/iwmo/schema";
import { prestatieRefusalCodes } from "../../src/iwmo/retourcodes";
import { prestatie, testBsn, wmo323Input } from "../support/iwmo-fixtures";

// The answer message WMO325 against dagdeel's reconstruction of its schema
// (src/iwmo/reconstructed/WMO325.xsd — there is no official one to hand), built on the
// official basisschema: fixed cases, the shape a gemeente's message has, and a property.

const refused = (over: Partial<RefusedPrestatie> = {}): RefusedPrestatie => ({ ...prestatie({ referentieNummer: "DGDR00000007" }), retourcodes: ["0611"], ...over });

const answer = (afgewezen: RefusedPrestatie[], over: Partial<Wmo325Input> = {}): Wmo325Input => ({
  berichtIdentificatie: "DGA000012",
  dagtekening: "2026-11-12",
  afzenderGemeentecode: "1894",
  ontvangerAgb: "98000001",
  declaratieIdentificatie: "DGD000012",
  declaratieDagtekening: "2026-11-05",
  declaratieNummer: "DGD000012",
  totaalIngediend: { bedrag: 90000, debetCredit: "D" },
  totaalToegekend: { bedrag: 90000 - afgewezen.reduce((s, p) => s + p.bedragCents, 0), debetCredit: "D" },
  afgewezen,
  ...over,
});

async function expectValid(xml: string) {
  const result = await validateWmo325(xml);
  expect(result.problems, xml).to.deep.equal([]);
}

describe("WMO325 answer message (iWmo 3.2, dagdeel's reconstructed schema)", function () {
  // Each case runs libxml2 (WebAssembly) over a whole message; a busy CI machine needs time.
  this.timeout(180_000);

  it("answers a fully approved declaration with 8001 and no prestaties", async () => {
    const xml = buildWmo325(answer([]));
    await expectValid(xml);
    expect(xml).to.contain("<wmo325:BerichtCode>485</wmo325:BerichtCode>");
    const read = readWmo325(xml);
    expect(read.retourcodes).to.deep.equal(["8001"]);
    expect(read.afgewezen).to.deep.equal([]);
    expect(read).to.deep.include({ declaratieIdentificatie: "DGD000012", declaratieDagtekening: "2026-11-05", afzenderGemeentecode: "1894", ontvangerAgb: "98000001" });
  });

  it("lists only the refused prestaties, each with its retourcodes, grouped per client", async () => {
    const a = refused();
    const b = refused({ referentieNummer: "DGDR00000009", bsn: "999990032", retourcodes: ["9321", "9322"] });
    const xml = buildWmo325(answer([a, b]));
    await expectValid(xml);
    const read = readWmo325(xml);
    expect(read.retourcodes).to.deep.equal(["0200"]);
    expect(read.afgewezen).to.deep.equal([a, b]);
    expect(read.totaalToegekend).to.deep.equal({ bedrag: 90000 - 2 * 41200, debetCredit: "D" });
  });

  it("accepts the optional elements a gemeente's answer carries (XsltVersie, header and client RetourCodes)", async () => {
    const xml = buildWmo325(answer([refused()]))
      .replace("</wmo325:XsdVersieDeclaratie>", "</wmo325:XsdVersieDeclaratie>\n    <wmo325:RetourCodes><wmo325:RetourCode>0200</wmo325:RetourCode></wmo325:RetourCodes>")
      .replace("<wmo325:XsdVersieDeclaratie>", "<wmo325:XsltVersie>1.0.0</wmo325:XsltVersie>\n    <wmo325:XsdVersieDeclaratie>")
      .replace("</wmo325:Prestaties>", "</wmo325:Prestaties>\n        <wmo325:RetourCodes><wmo325:RetourCode>0200</wmo325:RetourCode></wmo325:RetourCodes>");
    await expectValid(xml);
    expect(readWmo325(xml).afgewezen).to.have.length(1);
  });

  it("the schema refuses a refused prestatie without retourcode, an unknown code, and a text ToewijzingNummer", async () => {
    const xml = buildWmo325(answer([refused()]));
    for (const broken of [
      xml.replace(/<wmo325:RetourCodes>\s*<wmo325:RetourCode>0611<\/wmo325:RetourCode>\s*<\/wmo325:RetourCodes>/, ""),
      xml.replace("<wmo325:RetourCode>0611<", "<wmo325:RetourCode>1234<"),
      xml.replace("<wmo325:ToewijzingNummer>104237<", "<wmo325:ToewijzingNummer>PM-T-1<"),
    ]) {
      expect(broken).to.not.equal(xml);
      expect((await validateWmo325(broken)).valid).to.equal(false);
    }
  });

  it("tells a WMO323 and other XML from a WMO325", () => {
    const wmo323 = buildWmo323(wmo323Input([refused()]));
    expect(iwmoMessageOf(wmo323)).to.equal("WMO323");
    expect(() => readWmo325(wmo323)).to.throw(XmlReadError).with.property("code", "wrongMessage");
    expect(iwmoMessageOf("<a>b</a>")).to.equal(null);
    expect(() => readWmo325("<a>b</a>")).to.throw(XmlReadError).with.property("code", "notIwmo");
    expect(() => readWmo325("dit is geen xml")).to.throw(XmlReadError).with.property("code", "notXml");
  });

  it("refuses to build an answer it cannot make valid", () => {
    expect(wmo325Problems(answer([refused({ retourcodes: [] })]))).to.include("retourcode");
    expect(wmo325Problems(answer([], { ontvangerAgb: "1" }))).to.include("agb");
    expect(() => buildWmo325(answer([refused({ toewijzingNummer: "x" })]))).to.throw(RangeError);
  });

  it("property: any answer with refused prestaties and WJ001 codes validates and reads back the same", async () => {
    const codes = prestatieRefusalCodes().map((r) => r.code);
    const bsn = testBsn();
    const row = fc.record({ bsn, volume: fc.integer({ min: 1, max: 60 }), tariff: fc.integer({ min: 100, max: 20_000 }), codes: fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1, maxLength: 3 }), dc: fc.constantFrom<"D" | "C">("D", "C") });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 8 }), async (rows) => {
        const afgewezen = rows.map((r, i) => refused({ referentieNummer: `R${i}`, bsn: r.bsn, geleverdVolume: r.volume, productTariefCents: r.tariff, bedragCents: r.volume * r.tariff, retourcodes: r.codes, debetCredit: r.dc }));
        const xml = buildWmo325(answer(afgewezen, { totaalToegekend: { bedrag: 0, debetCredit: "D" } }));
        await expectValid(xml);
        const read = readWmo325(xml);
        expect([...read.afgewezen].sort((a, b) => a.referentieNummer.localeCompare(b.referentieNummer))).to.deep.equal([...afgewezen].sort((a, b) => a.referentieNummer.localeCompare(b.referentieNummer)));
        expect(read.retourcodes).to.deep.equal([afgewezen.length === 0 ? "8001" : "0200"]);
      }),
      { numRuns: 15 },
    );
  });
});
