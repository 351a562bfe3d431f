import { expect } from "chai";
import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import fs from "node:fs";
import path from "node:path";
import { buildWmo323, readWmo323, totaal, wmo323Problems } from "../../src/domain/wmo323";
import { validateIwmo } from "../../src/iwmo/schema";
import { prestatie, testBsn, wmo323Input } from "../support/iwmo-fixtures";

// The WMO323 builder against the official iWmo 3.2 schema (libxml2 via xmllint-wasm): fixed
// cases, a property over generated declarations, and the official example read back.

const input = wmo323Input;

async function expectValid(xml: string) {
  const result = await validateIwmo("WMO323", xml);
  expect(result.problems, xml).to.deep.equal([]);
  expect(result.valid).to.equal(true);
}

/** Element names in document order under a path, namespace prefixes kept: the xsd's sequence. */
const order = new XMLParser({ preserveOrder: true, ignoreAttributes: true });
function childNames(xml: string, ...path: string[]): string[] {
  type Ordered = Record<string, Ordered[]>;
  let nodes = order.parse(xml) as Ordered[];
  for (const name of path) nodes = nodes.find((n) => name in n)![name];
  return nodes.map((n) => Object.keys(n)[0]);
}

describe("WMO323 declaration message (iWmo 3.2)", function () {
  // Each case runs libxml2 (WebAssembly) over a whole message; a busy CI machine needs time.
  this.timeout(180_000);

  it("validates against the official schema, header and declaration in the xsd's order", async () => {
    const xml = buildWmo323(input([prestatie()]));
    await expectValid(xml);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).to.equal(true);
    expect(childNames(xml, "wmo323:Bericht")).to.deep.equal(["wmo323:Header", "wmo323:Declaratie"]);
    expect(childNames(xml, "wmo323:Bericht", "wmo323:Header")).to.deep.equal([
      "wmo323:BerichtCode",
      "wmo323:BerichtVersie",
      "wmo323:BerichtSubversie",
      "wmo323:Afzender",
      "wmo323:Ontvanger",
      "wmo323:BerichtIdentificatie",
      "wmo323:XsdVersie",
    ]);
    const read = readWmo323(xml);
    expect(read).to.deep.include({ berichtIdentificatie: "DGD000012", afzenderAgb: "98000001", ontvangerGemeentecode: "1894", periodeBegin: "2026-10-01" });
    expect(read.prestaties).to.deep.equal([prestatie()]);
  });

  it("puts one Client per BSN with all its prestaties", async () => {
    const xml = buildWmo323(
      input([
        prestatie({ referentieNummer: "1" }),
        prestatie({ referentieNummer: "2", bsn: "999990032" }),
        prestatie({ referentieNummer: "3", productCode: "08A01", productCategorie: "08", eenheid: "82", geleverdVolume: 16, productTariefCents: 1250, bedragCents: 20000 }),
      ]),
    );
    await expectValid(xml);
    const clienten = childNames(xml, "wmo323:Bericht", "wmo323:Declaratie", "wmo323:Clienten");
    expect(clienten).to.deep.equal(["wmo323:Client", "wmo323:Client"]);
    expect(readWmo323(xml).prestaties.map((p) => [p.bsn, p.referentieNummer])).to.deep.equal([
      ["999990019", "1"],
      ["999990019", "3"],
      ["999990032", "2"],
    ]);
  });

  it("credits carry C and the reference of the prestatie they withdraw; the total nets debit and credit", async () => {
    const xml = buildWmo323(
      input([
        prestatie({ referentieNummer: "20", vorigReferentieNummer: "7", debetCredit: "C", bedragCents: 41200 }),
        prestatie({ referentieNummer: "21", geleverdVolume: 9, bedragCents: 46350 }),
      ]),
    );
    await expectValid(xml);
    const read = readWmo323(xml);
    expect(read.totaalIngediend).to.deep.equal({ bedrag: 5150, debetCredit: "D" });
    expect(read.prestaties[0]).to.include({ vorigReferentieNummer: "7", debetCredit: "C" });
  });

  it("a net credit is a positive amount marked C", () => {
    expect(totaal([{ bedragCents: 100, debetCredit: "D" }, { bedragCents: 250, debetCredit: "C" }])).to.deep.equal({ bedrag: 150, debetCredit: "C" });
  });

  it("escapes text through the XML library: a product code with & and < stays valid and reads back", async () => {
    const xml = buildWmo323(input([prestatie({ productCode: "A&<B" })]));
    expect(xml).to.contain("A&amp;&lt;B");
    await expectValid(xml);
    expect(readWmo323(xml).prestaties[0].productCode).to.equal("A&<B");
  });

  it("refuses a message it cannot make valid: no BSN, a non-numeric or ten-digit ToewijzingNummer, no AGB, no gemeentecode", () => {
    expect(wmo323Problems(input([prestatie({ bsn: "" })]))).to.include("bsn");
    expect(wmo323Problems(input([prestatie({ toewijzingNummer: "PM-T-104237" })]))).to.include("toewijzing");
    expect(wmo323Problems(input([prestatie({ toewijzingNummer: "1042370001" })]))).to.include("toewijzing");
    expect(wmo323Problems(input([prestatie({ bedragCents: 100_000_000 })]))).to.include("amount");
    expect(wmo323Problems(input([prestatie({ referentieNummer: "x".repeat(21) })]))).to.include("referentie");
    expect(wmo323Problems({ ...input([prestatie()]), afzenderAgb: "" })).to.include("agb");
    expect(wmo323Problems({ ...input([prestatie()]), ontvangerGemeentecode: "" })).to.include("gemeentecode");
    expect(() => buildWmo323(input([prestatie({ bsn: "123" })]))).to.throw(RangeError);
  });

  it("the official schema itself refuses what wmo323Problems refuses (a 'PM-T-…' number)", async () => {
    // Built by hand from a valid message, so the check is the xsd's and not ours.
    const xml = buildWmo323(input([prestatie()])).replace("<wmo323:ToewijzingNummer>104237<", "<wmo323:ToewijzingNummer>PM-T-104237<");
    const result = await validateIwmo("WMO323", xml);
    expect(result.valid).to.equal(false);
    expect(result.problems.map((p) => p.message).join("\n")).to.contain("ToewijzingNummer");
  });

  it("reads the official example message", () => {
    const example = fs.readFileSync(path.resolve(__dirname, "../fixtures/iwmo/WMO323.xml"), "utf8");
    const read = readWmo323(example);
    expect(read.prestaties.length).to.be.greaterThan(0);
    const t = totaal(read.prestaties);
    expect(t).to.deep.equal(read.totaalIngediend);
  });

  it("property: every generated declaration validates against the official schema and reads back the same", async () => {
    const bsn = testBsn();
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-10-${String(d).padStart(2, "0")}`);
    const gen = fc.record({
      bsn,
      toewijzingNummer: fc.integer({ min: 0, max: 999_999_999 }).map(String),
      productCategorie: fc.constantFrom("07", "08"),
      productCode: fc.stringMatching(/^[0-9A-Z]{1,5}$/),
      from: day,
      volume: fc.integer({ min: 0, max: 500 }),
      eenheid: fc.constantFrom("16", "04", "14", "82", "84"),
      tariff: fc.integer({ min: 0, max: 100_000 }),
      debetCredit: fc.constantFrom<"D" | "C">("D", "C"),
      withVorig: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(gen, { minLength: 1, maxLength: 12 }), async (rows) => {
        const prestaties = rows.map((r, i) =>
          prestatie({
            referentieNummer: `DGDR${String(i + 1).padStart(8, "0")}`,
            vorigReferentieNummer: r.debetCredit === "C" && r.withVorig ? `DGDR${String(1000 + i).padStart(8, "0")}` : null,
            bsn: r.bsn,
            toewijzingNummer: r.toewijzingNummer,
            productCategorie: r.productCategorie,
            productCode: r.productCode,
            begindatum: r.from,
            einddatum: "2026-10-31",
            geleverdVolume: r.volume,
            eenheid: r.eenheid,
            productTariefCents: r.tariff,
            bedragCents: r.volume * r.tariff,
            debetCredit: r.debetCredit,
          }),
        );
        expect(wmo323Problems(input(prestaties))).to.deep.equal([]);
        const xml = buildWmo323(input(prestaties));
        await expectValid(xml);
        const read = readWmo323(xml);
        expect([...read.prestaties].sort((a, b) => a.referentieNummer.localeCompare(b.referentieNummer))).to.deep.equal(prestaties);
        const net = prestaties.reduce((s, p) => s + (p.debetCredit === "D" ? p.bedragCents : -p.bedragCents), 0);
        expect(read.totaalIngediend).to.deep.equal({ bedrag: Math.abs(net), debetCredit: net < 0 ? "C" : "D" });
      }),
      { numRuns: 25 },
    );
  });
});
