import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { isValidBsn } from "./bsn";
import { isIsoDate } from "./dates";
import { isToewijzingNummer } from "./toewijzing-nummer";

// What the iWmo 3.2 messages dagdeel writes and reads share: the namespaces, the header
// versions, the basisschema's composite types (CDT_BerichtIdentificatie, CDT_XsdVersie,
// CDT_TotaalBedragMetDC, …) and the Prestatie of a declaration, which the answer (WMO325)
// repeats. XML is built and read by fast-xml-parser; nothing here concatenates tags.
// Amounts travel as whole eurocents without sign, the sign in DebetCredit; dates as xs:date.

export const IWMO_BASIS_NAMESPACE = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema";
export const iwmoNamespace = (message: string) => `http://www.istandaarden.nl/iwmo/3_2/${message.toLowerCase()}/schema`;
export const BERICHT_VERSIE = "3";
export const BERICHT_SUBVERSIE = "2";
export const XSD_VERSIE = "1.0.0";

/** basisschema bounds: LDT_Bedrag, LDT_TotaalBedrag, LDT_Volume. */
export const MAX_BEDRAG = 99_999_999;
export const MAX_TOTAAL_BEDRAG = 999_999_999_999;
export const MAX_VOLUME = 99_999_999;

export type DebetCredit = "D" | "C";

/** One declared prestatie, as WMO323 carries it and WMO325 repeats it. */
export type Prestatie = {
  referentieNummer: string;
  vorigReferentieNummer: string | null;
  bsn: string;
  toewijzingNummer: string;
  productCategorie: string;
  productCode: string;
  begindatum: string;
  einddatum: string;
  geleverdVolume: number;
  eenheid: string;
  productTariefCents: number | null;
  bedragCents: number;
  debetCredit: DebetCredit;
};

/** Net of debits and credits: the amount without sign and its DebetCredit (IV086). */
export function totaal(prestaties: Pick<Prestatie, "bedragCents" | "debetCredit">[]): { bedrag: number; debetCredit: DebetCredit } {
  let net = 0;
  for (const p of prestaties) net += p.debetCredit === "C" ? -p.bedragCents : p.bedragCents;
  return { bedrag: Math.abs(net), debetCredit: net < 0 ? "C" : "D" };
}

/** Signed cents of an amount with its DebetCredit. */
export const signed = (bedrag: number, debetCredit: DebetCredit) => (debetCredit === "C" ? -bedrag : bedrag);

const identification = (s: string) => /^[A-Za-z0-9]{1,12}$/.test(s);
const wholeIn = (n: number, max: number) => Number.isSafeInteger(n) && n >= 0 && n <= max;

/** What in one prestatie would make a message invalid (problem keys, deduplicated by the caller). */
export function prestatieProblems(p: Prestatie): string[] {
  const problems: string[] = [];
  if (!isValidBsn(p.bsn)) problems.push("bsn");
  if (!isToewijzingNummer(p.toewijzingNummer)) problems.push("toewijzing");
  if (!/^\d{2}$/.test(p.productCategorie) || p.productCode.trim() === "" || p.productCode.length > 5) problems.push("product");
  if (!/^\d{2}$/.test(p.eenheid)) problems.push("eenheid");
  if (!isIsoDate(p.begindatum) || !isIsoDate(p.einddatum) || p.einddatum < p.begindatum) problems.push("date");
  if (p.referentieNummer.length < 1 || p.referentieNummer.length > 20 || (p.vorigReferentieNummer !== null && (p.vorigReferentieNummer.length < 1 || p.vorigReferentieNummer.length > 20))) {
    problems.push("referentie");
  }
  if (!wholeIn(p.bedragCents, MAX_BEDRAG) || !wholeIn(p.geleverdVolume, MAX_VOLUME) || (p.productTariefCents !== null && !wholeIn(p.productTariefCents, MAX_BEDRAG))) {
    problems.push("amount");
  }
  return problems;
}

export function headerProblems(h: { identificatie: string; dagtekening: string; agb: string; gemeentecode: string }): string[] {
  const problems: string[] = [];
  if (!/^\d{8}$/.test(h.agb)) problems.push("agb");
  if (!/^\d{4}$/.test(h.gemeentecode)) problems.push("gemeentecode");
  if (!identification(h.identificatie)) problems.push("berichtIdentificatie");
  if (!isIsoDate(h.dagtekening)) problems.push("date");
  return problems;
}

export const isIdentificatie = identification;

// --- building ------------------------------------------------------------------------------

export type XmlNode = { [name: string]: string | string[] | XmlNode | XmlNode[] };

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, indentBy: "  ", suppressEmptyNode: false });

/** A whole message: the declaration, then the root element with its two namespaces. */
export function buildMessage(message: string, prefix: string, body: XmlNode): string {
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    [`${prefix}:Bericht`]: { [`@_xmlns:${prefix}`]: iwmoNamespace(message), "@_xmlns:iwmo": IWMO_BASIS_NAMESPACE, ...body },
  });
}

export const berichtIdentificatie = (identificatie: string, dagtekening: string): XmlNode => ({ "iwmo:Identificatie": identificatie, "iwmo:Dagtekening": dagtekening });
export const xsdVersie = (): XmlNode => ({ "iwmo:BasisschemaXsdVersie": XSD_VERSIE, "iwmo:BerichtXsdVersie": XSD_VERSIE });
export const totaalBedrag = (t: { bedrag: number; debetCredit: DebetCredit }): XmlNode => ({ "iwmo:TotaalBedrag": String(t.bedrag), "iwmo:DebetCredit": t.debetCredit });

/** The Prestatie elements in the xsd's sequence, under `prefix`; `extra` follows IngediendBedrag. */
export function prestatieNode(prefix: string, p: Prestatie, extra: XmlNode = {}): XmlNode {
  const el = (name: string) => `${prefix}:${name}`;
  return {
    [el("ProductReferentie")]: { "iwmo:ReferentieNummer": p.referentieNummer, ...(p.vorigReferentieNummer ? { "iwmo:VorigReferentieNummer": p.vorigReferentieNummer } : {}) },
    [el("ToewijzingNummer")]: p.toewijzingNummer,
    [el("ProductCategorie")]: p.productCategorie,
    [el("ProductCode")]: p.productCode,
    [el("ProductPeriode")]: { "iwmo:Begindatum": p.begindatum, "iwmo:Einddatum": p.einddatum },
    [el("GeleverdVolume")]: String(p.geleverdVolume),
    [el("Eenheid")]: p.eenheid,
    ...(p.productTariefCents !== null ? { [el("ProductTarief")]: String(p.productTariefCents) } : {}),
    [el("IngediendBedrag")]: { "iwmo:Bedrag": String(p.bedragCents), "iwmo:DebetCredit": p.debetCredit },
    ...extra,
  };
}

/** Groups prestaties per BSN, in the order first met: one Client element each. */
export function byClient<P extends { bsn: string }>(prestaties: P[]): [string, P[]][] {
  const groups = new Map<string, P[]>();
  for (const p of prestaties) groups.set(p.bsn, [...(groups.get(p.bsn) ?? []), p]);
  return [...groups];
}

// --- reading -------------------------------------------------------------------------------

export class XmlReadError extends Error {
  constructor(
    readonly code: "notXml" | "notIwmo" | "wrongMessage" | "shape",
    message: string,
    readonly found: string | null = null,
  ) {
    super(message);
  }
}

const REPEATED = new Set(["Client", "Prestatie", "RetourCode"]);
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => REPEATED.has(name),
});
const rootParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false });

/** The iWmo message a document is ("WMO323", "WMO325", …) from its root's namespace, or null. */
export function iwmoMessageOf(xml: string): string | null {
  if (XMLValidator.validate(xml) !== true) throw new XmlReadError("notXml", "not well-formed XML");
  const doc = rootParser.parse(xml) as Record<string, Record<string, unknown>>;
  const rootName = Object.keys(doc).find((k) => k !== "?xml" && !k.startsWith("#"));
  if (!rootName) return null;
  const root = doc[rootName];
  const prefix = rootName.includes(":") ? rootName.split(":")[0] : null;
  const ns = root?.[prefix ? `@_xmlns:${prefix}` : "@_xmlns"];
  const match = typeof ns === "string" ? /^http:\/\/www\.istandaarden\.nl\/iwmo\/3_2\/(wmo\d{3})\/schema$/.exec(ns) : null;
  return match ? match[1].toUpperCase() : null;
}

export type Tree = { [name: string]: unknown };

/** The message's root element (namespace prefixes removed) after checking which message it is. */
export function readMessage(xml: string, expected: string): Tree {
  const kind = iwmoMessageOf(xml);
  if (kind === null) throw new XmlReadError("notIwmo", "not an iWmo 3.2 message");
  if (kind !== expected) throw new XmlReadError("wrongMessage", `a ${kind}, not a ${expected}`, kind);
  const doc = parser.parse(xml) as Tree;
  const root = doc.Bericht;
  if (!root || typeof root !== "object") throw new XmlReadError("shape", "no Bericht element");
  return root as Tree;
}

/** Walks a path of element names; a missing one is a shape error naming the path. */
export function at(node: unknown, ...path: string[]): unknown {
  let here = node;
  for (const name of path) {
    if (!here || typeof here !== "object" || !(name in (here as Tree))) throw new XmlReadError("shape", `missing ${path.join("/")}`);
    here = (here as Tree)[name];
  }
  return here;
}

export const text = (node: unknown, ...path: string[]): string => {
  const v = at(node, ...path);
  if (typeof v !== "string") throw new XmlReadError("shape", `${path.join("/")} is not text`);
  return v;
};
export const optionalText = (node: unknown, ...path: string[]): string | null => {
  try {
    return text(node, ...path);
  } catch {
    return null;
  }
};
export const whole = (node: unknown, ...path: string[]): number => {
  const t = text(node, ...path);
  if (!/^\d+$/.test(t)) throw new XmlReadError("shape", `${path.join("/")} is not a whole number`);
  return Number(t);
};
export const list = (node: unknown, ...path: string[]): Tree[] => {
  try {
    const v = at(node, ...path);
    return Array.isArray(v) ? (v as Tree[]) : [];
  } catch {
    return [];
  }
};
export const debetCredit = (node: unknown, ...path: string[]): DebetCredit => {
  const v = text(node, ...path);
  if (v !== "D" && v !== "C") throw new XmlReadError("shape", `${path.join("/")} is not D or C`);
  return v;
};

/** A Prestatie element back into its fields (the client's BSN comes from its Client). */
export function readPrestatie(bsn: string, p: Tree): Prestatie {
  const tarief = optionalText(p, "ProductTarief");
  return {
    referentieNummer: text(p, "ProductReferentie", "ReferentieNummer"),
    vorigReferentieNummer: optionalText(p, "ProductReferentie", "VorigReferentieNummer"),
    bsn,
    toewijzingNummer: text(p, "ToewijzingNummer"),
    productCategorie: text(p, "ProductCategorie"),
    productCode: text(p, "ProductCode"),
    begindatum: text(p, "ProductPeriode", "Begindatum"),
    einddatum: text(p, "ProductPeriode", "Einddatum"),
    geleverdVolume: whole(p, "GeleverdVolume"),
    eenheid: text(p, "Eenheid"),
    productTariefCents: tarief === null ? null : whole(p, "ProductTarief"),
    bedragCents: whole(p, "IngediendBedrag", "Bedrag"),
    debetCredit: debetCredit(p, "IngediendBedrag", "DebetCredit"),
  };
}
