import { isIsoDate } from "./dates";
import {
  berichtIdentificatie,
  buildMessage,
  byClient,
  headerProblems,
  isIdentificatie,
  list,
  MAX_TOTAAL_BEDRAG,
  prestatieNode,
  prestatieProblems,
  readMessage,
  readPrestatie,
  text,
  totaal,
  totaalBedrag,
  XmlReadError,
  xsdVersie,
  type Prestatie,
} from "./iwmo-xml";

// The iWmo 3.2 declaration message WMO323 (BerichtCode 484), aanbieder → gemeente, as the
// official schema wmo323.xsd orders it (src/iwmo/xsd/WMO323.xsd; the tests validate every
// message against it): Header (code, versions, Afzender = AGB, Ontvanger = gemeentecode,
// BerichtIdentificatie, XsdVersie), then Declaratie (DeclaratieNummer, DeclaratiePeriode — one
// calendar month —, DeclaratieDagtekening, TotaalIngediendBedrag, Clienten with one Client per
// BSN and its Prestaties). A credit prestatie repeats the debit it withdraws with
// VorigReferentieNummer and DebetCredit C (IV091); the total nets them (IV086).

export const WMO323_NAMESPACE = "http://www.istandaarden.nl/iwmo/3_2/wmo323/schema";
export const BERICHT_CODE = "484";

export type Wmo323Prestatie = Prestatie;

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
  const problems = headerProblems({ identificatie: input.berichtIdentificatie, dagtekening: input.dagtekening, agb: input.afzenderAgb, gemeentecode: input.ontvangerGemeentecode });
  if (!isIdentificatie(input.declaratieNummer)) problems.push("declaratieNummer");
  for (const d of [input.periodeBegin, input.periodeEinde, input.declaratieDagtekening]) if (!isIsoDate(d)) problems.push("date");
  if (input.prestaties.length === 0) problems.push("empty");
  for (const p of input.prestaties) problems.push(...prestatieProblems(p));
  if (totaal(input.prestaties).bedrag > MAX_TOTAAL_BEDRAG) problems.push("amount");
  return [...new Set(problems)];
}

export function buildWmo323(input: Wmo323Input): string {
  const problems = wmo323Problems(input);
  if (problems.length > 0) throw new RangeError(`WMO323 cannot be built: ${problems.join(", ")}`);
  return buildMessage("WMO323", "wmo323", {
    "wmo323:Header": {
      "wmo323:BerichtCode": BERICHT_CODE,
      "wmo323:BerichtVersie": "3",
      "wmo323:BerichtSubversie": "2",
      "wmo323:Afzender": input.afzenderAgb,
      "wmo323:Ontvanger": input.ontvangerGemeentecode,
      "wmo323:BerichtIdentificatie": berichtIdentificatie(input.berichtIdentificatie, input.dagtekening),
      "wmo323:XsdVersie": xsdVersie(),
    },
    "wmo323:Declaratie": {
      "wmo323:DeclaratieNummer": input.declaratieNummer,
      "wmo323:DeclaratiePeriode": { "iwmo:Begindatum": input.periodeBegin, "iwmo:Einddatum": input.periodeEinde },
      "wmo323:DeclaratieDagtekening": input.declaratieDagtekening,
      "wmo323:TotaalIngediendBedrag": totaalBedrag(totaal(input.prestaties)),
      "wmo323:Clienten": {
        "wmo323:Client": byClient(input.prestaties).map(([bsn, prestaties]) => ({
          "wmo323:Bsn": bsn,
          "wmo323:Prestaties": { "wmo323:Prestatie": prestaties.map((p) => prestatieNode("wmo323", p)) },
        })),
      },
    },
  });
}

/** A WMO323 back into its fields; throws XmlReadError when it is not one. */
export function readWmo323(xml: string): Wmo323Input & { totaalIngediend: { bedrag: number; debetCredit: "D" | "C" } } {
  const root = readMessage(xml, "WMO323");
  if (text(root, "Header", "BerichtCode") !== BERICHT_CODE) throw new XmlReadError("wrongMessage", "BerichtCode is not 484");
  const declaratie = root.Declaratie;
  const prestaties = list(declaratie, "Clienten", "Client").flatMap((c) => list(c, "Prestaties", "Prestatie").map((p) => readPrestatie(text(c, "Bsn"), p)));
  const total = text(declaratie, "TotaalIngediendBedrag", "TotaalBedrag");
  const dc = text(declaratie, "TotaalIngediendBedrag", "DebetCredit");
  return {
    berichtIdentificatie: text(root, "Header", "BerichtIdentificatie", "Identificatie"),
    dagtekening: text(root, "Header", "BerichtIdentificatie", "Dagtekening"),
    afzenderAgb: text(root, "Header", "Afzender"),
    ontvangerGemeentecode: text(root, "Header", "Ontvanger"),
    declaratieNummer: text(declaratie, "DeclaratieNummer"),
    periodeBegin: text(declaratie, "DeclaratiePeriode", "Begindatum"),
    periodeEinde: text(declaratie, "DeclaratiePeriode", "Einddatum"),
    declaratieDagtekening: text(declaratie, "DeclaratieDagtekening"),
    prestaties,
    totaalIngediend: { bedrag: Number(total), debetCredit: dc === "C" ? "C" : "D" },
  };
}

export { totaal };
