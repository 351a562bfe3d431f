import { isValidBsn } from "./bsn";
import { isIsoDate } from "./dates";

// The iWmo 3.2 WMO323 declaration message (BerichtCode 484), built as text.
//
// Source followed: the official message schema wmo323.xsd of iWmo release 3.2 (Zorginstituut
// Nederland, targetNamespace http://www.istandaarden.nl/iwmo/3_2/wmo323/schema, importing the
// basisschema http://www.istandaarden.nl/iwmo/3_2/basisschema/schema; BerichtXsdVersie and
// BasisschemaXsdVersie 1.0.0), as republished in i-Sociaal-Lab/jaapjunior
// packages/api/wmo/bronnen/WMO323.xsd, with the basisschema's composite types as used in the
// iWmo 3.2 example WMO325 message there (CDT_BerichtIdentificatie = Identificatie +
// Dagtekening; CDT_XsdVersie = BasisschemaXsdVersie + BerichtXsdVersie; CDT_GeslotenPeriode =
// Begindatum + Einddatum; CDT_TotaalBedragMetDC = TotaalBedrag + DebetCredit; CDT_BedragMetDC
// = Bedrag + DebetCredit; CDT_Referentie = ReferentieNummer + VorigReferentieNummer), and the
// invulinstructies IV086 (total: debits added, credits subtracted) and IV091 (a credit
// prestatie repeats the debit prestatie, with VorigReferentieNummer and DebetCredit C).
// Order of elements is the xsd's sequence order. Amounts are whole eurocents without sign,
// the sign travels in DebetCredit; dates are xs:date "yyyy-MM-dd" without a time zone.

export const WMO323_NAMESPACE = "http://www.istandaarden.nl/iwmo/3_2/wmo323/schema";
export const IWMO_BASIS_NAMESPACE = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema";
export const BERICHT_CODE = "484";
export const BERICHT_VERSIE = "3";
export const BERICHT_SUBVERSIE = "2";
export const XSD_VERSIE = "1.0.0";

export type Wmo323Prestatie = {
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
  debetCredit: "D" | "C";
};

export type Wmo323Input = {
  berichtIdentificatie: string;
  dagtekening: string;
  afzenderAgb: string;
  ontvangerGemeentecode: string;
  declaratieNummer: string;
  periodeBegin: string;
  periodeEinde: string;
  declaratieDagtekening: string;
  prestaties: Wmo323Prestatie[];
};

/** Problems that would make the message invalid; empty when it can be built. */
export function wmo323Problems(input: Wmo323Input): string[] {
  const problems: string[] = [];
  if (!/^\d{8}$/.test(input.afzenderAgb)) problems.push("agb");
  if (!/^\d{4}$/.test(input.ontvangerGemeentecode)) problems.push("gemeentecode");
  if (!/^[A-Za-z0-9]{1,12}$/.test(input.declaratieNummer)) problems.push("declaratieNummer");
  if (!/^[A-Za-z0-9]{1,12}$/.test(input.berichtIdentificatie)) problems.push("berichtIdentificatie");
  for (const d of [input.dagtekening, input.periodeBegin, input.periodeEinde, input.declaratieDagtekening]) {
    if (!isIsoDate(d)) problems.push("date");
  }
  if (input.prestaties.length === 0) problems.push("empty");
  for (const p of input.prestaties) {
    if (!isValidBsn(p.bsn)) problems.push("bsn");
    if (!p.toewijzingNummer) problems.push("toewijzing");
    if (!/^\d{2}$/.test(p.productCategorie) || !p.productCode) problems.push("product");
    if (!/^\d{2}$/.test(p.eenheid)) problems.push("eenheid");
    if (!Number.isSafeInteger(p.bedragCents) || p.bedragCents < 0 || !Number.isSafeInteger(p.geleverdVolume)) problems.push("amount");
  }
  return [...new Set(problems)];
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
export function xmlText(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Net of debits and credits: the amount without sign and its DebetCredit (IV086). */
export function totaal(prestaties: Pick<Wmo323Prestatie, "bedragCents" | "debetCredit">[]): { bedrag: number; debetCredit: "D" | "C" } {
  let net = 0;
  for (const p of prestaties) net += p.debetCredit === "C" ? -p.bedragCents : p.bedragCents;
  return { bedrag: Math.abs(net), debetCredit: net < 0 ? "C" : "D" };
}

export function buildWmo323(input: Wmo323Input): string {
  const problems = wmo323Problems(input);
  if (problems.length > 0) throw new RangeError(`WMO323 cannot be built: ${problems.join(", ")}`);
  const out: string[] = [];
  let depth = 0;
  const open = (name: string) => {
    out.push(`${"  ".repeat(depth)}<${name}>`);
    depth++;
  };
  const close = (name: string) => {
    depth--;
    out.push(`${"  ".repeat(depth)}</${name}>`);
  };
  const leaf = (name: string, value: string | number) => out.push(`${"  ".repeat(depth)}<${name}>${xmlText(value)}</${name}>`);

  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<wmo323:Bericht xmlns:wmo323="${WMO323_NAMESPACE}" xmlns:iwmo="${IWMO_BASIS_NAMESPACE}">`);
  depth = 1;
  open("wmo323:Header");
  leaf("wmo323:BerichtCode", BERICHT_CODE);
  leaf("wmo323:BerichtVersie", BERICHT_VERSIE);
  leaf("wmo323:BerichtSubversie", BERICHT_SUBVERSIE);
  leaf("wmo323:Afzender", input.afzenderAgb);
  leaf("wmo323:Ontvanger", input.ontvangerGemeentecode);
  open("wmo323:BerichtIdentificatie");
  leaf("iwmo:Identificatie", input.berichtIdentificatie);
  leaf("iwmo:Dagtekening", input.dagtekening);
  close("wmo323:BerichtIdentificatie");
  open("wmo323:XsdVersie");
  leaf("iwmo:BasisschemaXsdVersie", XSD_VERSIE);
  leaf("iwmo:BerichtXsdVersie", XSD_VERSIE);
  close("wmo323:XsdVersie");
  close("wmo323:Header");

  open("wmo323:Declaratie");
  leaf("wmo323:DeclaratieNummer", input.declaratieNummer);
  open("wmo323:DeclaratiePeriode");
  leaf("iwmo:Begindatum", input.periodeBegin);
  leaf("iwmo:Einddatum", input.periodeEinde);
  close("wmo323:DeclaratiePeriode");
  leaf("wmo323:DeclaratieDagtekening", input.declaratieDagtekening);
  const total = totaal(input.prestaties);
  open("wmo323:TotaalIngediendBedrag");
  leaf("iwmo:TotaalBedrag", total.bedrag);
  leaf("iwmo:DebetCredit", total.debetCredit);
  close("wmo323:TotaalIngediendBedrag");
  open("wmo323:Clienten");
  // One Client per BSN, its prestaties in the order given.
  const byBsn = new Map<string, Wmo323Prestatie[]>();
  for (const p of input.prestaties) byBsn.set(p.bsn, [...(byBsn.get(p.bsn) ?? []), p]);
  for (const [bsn, prestaties] of byBsn) {
    open("wmo323:Client");
    leaf("wmo323:Bsn", bsn);
    open("wmo323:Prestaties");
    for (const p of prestaties) {
      open("wmo323:Prestatie");
      open("wmo323:ProductReferentie");
      leaf("iwmo:ReferentieNummer", p.referentieNummer);
      if (p.vorigReferentieNummer) leaf("iwmo:VorigReferentieNummer", p.vorigReferentieNummer);
      close("wmo323:ProductReferentie");
      leaf("wmo323:ToewijzingNummer", p.toewijzingNummer);
      leaf("wmo323:ProductCategorie", p.productCategorie);
      leaf("wmo323:ProductCode", p.productCode);
      open("wmo323:ProductPeriode");
      leaf("iwmo:Begindatum", p.begindatum);
      leaf("iwmo:Einddatum", p.einddatum);
      close("wmo323:ProductPeriode");
      leaf("wmo323:GeleverdVolume", p.geleverdVolume);
      leaf("wmo323:Eenheid", p.eenheid);
      if (p.productTariefCents !== null) leaf("wmo323:ProductTarief", p.productTariefCents);
      open("wmo323:IngediendBedrag");
      leaf("iwmo:Bedrag", p.bedragCents);
      leaf("iwmo:DebetCredit", p.debetCredit);
      close("wmo323:IngediendBedrag");
      close("wmo323:Prestatie");
    }
    close("wmo323:Prestaties");
    close("wmo323:Client");
  }
  close("wmo323:Clienten");
  close("wmo323:Declaratie");
  out.push("</wmo323:Bericht>");
  return out.join("\n") + "\n";
}
