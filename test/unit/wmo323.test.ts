import { expect } from "chai";
import fc from "fast-check";
import { buildWmo323, totaal, wmo323Problems, xmlText, type Wmo323Input, type Wmo323Prestatie } from "../../src/domain/wmo323";

// A small strict reader: enough to prove the message is well-formed and to walk its tree.
type Node = { name: string; attrs: string; children: Node[]; text: string };

export function parseXml(xml: string): Node {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const root: Node = { name: "#root", attrs: "", children: [], text: "" };
  const stack: Node[] = [root];
  const re = /<(\/?)([A-Za-z][\w:.-]*)([^>]*?)(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) {
      if (m[5].includes("&") && !/^([^&]|&(amp|lt|gt|quot|apos);)*$/.test(m[5])) throw new Error(`bad entity in ${m[5]}`);
      top.text += m[5].trim();
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const node: Node = { name: m[2], attrs: m[3], children: [], text: "" };
      top.children.push(node);
      if (!m[4]) stack.push(node);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error("not one closed root element");
  return root.children[0];
}

const child = (n: Node, name: string): Node => {
  const c = n.children.find((x) => x.name === name);
  if (!c) throw new Error(`no ${name} in ${n.name}`);
  return c;
};
const names = (n: Node) => n.children.map((c) => c.name);

const prestatie = (over: Partial<Wmo323Prestatie> = {}): Wmo323Prestatie => ({
  referentieNummer: "1",
  vorigReferentieNummer: null,
  bsn: "999990019",
  toewijzingNummer: "104237",
  productCategorie: "07",
  productCode: "07A01",
  begindatum: "2026-10-01",
  einddatum: "2026-10-31",
  geleverdVolume: 8,
  eenheid: "16",
  productTariefCents: 5150,
  bedragCents: 41200,
  debetCredit: "D",
  ...over,
});

const input = (prestaties: Wmo323Prestatie[]): Wmo323Input => ({
  berichtIdentificatie: "DGD000012",
  dagtekening: "2026-11-05",
  afzenderAgb: "98000001",
  ontvangerGemeentecode: "1894",
  declaratieNummer: "DGD000012",
  periodeBegin: "2026-10-01",
  periodeEinde: "2026-10-31",
  declaratieDagtekening: "2026-11-05",
  prestaties,
});

describe("WMO323 declaration message (iWmo 3.2)", () => {
  it("has the header and declaration of the xsd, in its order, in its namespaces", () => {
    const xml = buildWmo323(input([prestatie()]));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).to.equal(true);
    const root = parseXml(xml);
    expect(root.name).to.equal("wmo323:Bericht");
    expect(root.attrs).to.contain('xmlns:wmo323="http://www.istandaarden.nl/iwmo/3_2/wmo323/schema"');
    expect(root.attrs).to.contain('xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"');
    expect(names(root)).to.deep.equal(["wmo323:Header", "wmo323:Declaratie"]);
    const header = child(root, "wmo323:Header");
    expect(names(header)).to.deep.equal([
      "wmo323:BerichtCode",
      "wmo323:BerichtVersie",
      "wmo323:BerichtSubversie",
      "wmo323:Afzender",
      "wmo323:Ontvanger",
      "wmo323:BerichtIdentificatie",
      "wmo323:XsdVersie",
    ]);
    expect(child(header, "wmo323:BerichtCode").text).to.equal("484");
    expect(child(header, "wmo323:BerichtVersie").text).to.equal("3");
    expect(child(header, "wmo323:BerichtSubversie").text).to.equal("2");
    expect(child(header, "wmo323:Afzender").text).to.equal("98000001");
    expect(child(header, "wmo323:Ontvanger").text).to.equal("1894");
    expect(names(child(header, "wmo323:BerichtIdentificatie"))).to.deep.equal(["iwmo:Identificatie", "iwmo:Dagtekening"]);
    expect(names(child(header, "wmo323:XsdVersie"))).to.deep.equal(["iwmo:BasisschemaXsdVersie", "iwmo:BerichtXsdVersie"]);

    const declaratie = child(root, "wmo323:Declaratie");
    expect(names(declaratie)).to.deep.equal([
      "wmo323:DeclaratieNummer",
      "wmo323:DeclaratiePeriode",
      "wmo323:DeclaratieDagtekening",
      "wmo323:TotaalIngediendBedrag",
      "wmo323:Clienten",
    ]);
    expect(names(child(declaratie, "wmo323:DeclaratiePeriode"))).to.deep.equal(["iwmo:Begindatum", "iwmo:Einddatum"]);
    const p = child(child(child(child(declaratie, "wmo323:Clienten"), "wmo323:Client"), "wmo323:Prestaties"), "wmo323:Prestatie");
    expect(names(p)).to.deep.equal([
      "wmo323:ProductReferentie",
      "wmo323:ToewijzingNummer",
      "wmo323:ProductCategorie",
      "wmo323:ProductCode",
      "wmo323:ProductPeriode",
      "wmo323:GeleverdVolume",
      "wmo323:Eenheid",
      "wmo323:ProductTarief",
      "wmo323:IngediendBedrag",
    ]);
    expect(child(p, "wmo323:Eenheid").text).to.equal("16");
    expect(child(p, "wmo323:ProductTarief").text).to.equal("5150");
    expect(names(child(p, "wmo323:IngediendBedrag"))).to.deep.equal(["iwmo:Bedrag", "iwmo:DebetCredit"]);
    expect(child(child(p, "wmo323:IngediendBedrag"), "iwmo:Bedrag").text).to.equal("41200");
  });

  it("puts one Client per BSN with all its prestaties", () => {
    const xml = buildWmo323(
      input([prestatie({ referentieNummer: "1" }), prestatie({ referentieNummer: "2", bsn: "999990032" }), prestatie({ referentieNummer: "3", productCode: "08A01", productCategorie: "08", eenheid: "82" })]),
    );
    const clienten = child(child(parseXml(xml), "wmo323:Declaratie"), "wmo323:Clienten");
    expect(clienten.children.map((c) => child(c, "wmo323:Bsn").text)).to.deep.equal(["999990019", "999990032"]);
    expect(child(clienten.children[0], "wmo323:Prestaties").children).to.have.length(2);
  });

  it("credits carry C and the reference of the prestatie they withdraw; the total nets debit and credit", () => {
    const xml = buildWmo323(
      input([
        prestatie({ referentieNummer: "20", vorigReferentieNummer: "7", debetCredit: "C", bedragCents: 41200 }),
        prestatie({ referentieNummer: "21", geleverdVolume: 9, bedragCents: 46350 }),
      ]),
    );
    const declaratie = child(parseXml(xml), "wmo323:Declaratie");
    const totaalNode = child(declaratie, "wmo323:TotaalIngediendBedrag");
    expect(child(totaalNode, "iwmo:TotaalBedrag").text).to.equal("5150");
    expect(child(totaalNode, "iwmo:DebetCredit").text).to.equal("D");
    const [credit] = child(child(child(declaratie, "wmo323:Clienten"), "wmo323:Client"), "wmo323:Prestaties").children;
    expect(names(child(credit, "wmo323:ProductReferentie"))).to.deep.equal(["iwmo:ReferentieNummer", "iwmo:VorigReferentieNummer"]);
    expect(child(child(credit, "wmo323:IngediendBedrag"), "iwmo:DebetCredit").text).to.equal("C");
  });

  it("a net credit is a positive amount marked C", () => {
    expect(totaal([{ bedragCents: 100, debetCredit: "D" }, { bedragCents: 250, debetCredit: "C" }])).to.deep.equal({ bedrag: 150, debetCredit: "C" });
  });

  it("property: the total is the sum of debits minus credits, in whole cents, and the message stays well-formed", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cents: fc.integer({ min: 0, max: 10_000_000 }), dc: fc.constantFrom<"D" | "C">("D", "C") }), { minLength: 1, maxLength: 30 }),
        (rows) => {
          const xml = buildWmo323(input(rows.map((r, i) => prestatie({ referentieNummer: String(i + 1), bedragCents: r.cents, debetCredit: r.dc }))));
          const t = child(child(parseXml(xml), "wmo323:Declaratie"), "wmo323:TotaalIngediendBedrag");
          const net = rows.reduce((s, r) => s + (r.dc === "D" ? r.cents : -r.cents), 0);
          expect(child(t, "iwmo:TotaalBedrag").text).to.equal(String(Math.abs(net)));
          expect(child(t, "iwmo:DebetCredit").text).to.equal(net < 0 ? "C" : "D");
        },
      ),
    );
  });

  it("refuses a message it cannot make valid: no BSN, no AGB, no gemeentecode", () => {
    expect(wmo323Problems(input([prestatie({ bsn: "" })]))).to.include("bsn");
    expect(wmo323Problems({ ...input([prestatie()]), afzenderAgb: "" })).to.include("agb");
    expect(wmo323Problems({ ...input([prestatie()]), ontvangerGemeentecode: "" })).to.include("gemeentecode");
    expect(() => buildWmo323(input([prestatie({ bsn: "123" })]))).to.throw(RangeError);
  });

  it("escapes text", () => {
    expect(xmlText(`a<b>&"'`)).to.equal("a&lt;b&gt;&amp;&quot;&apos;");
  });
});
