import {
  berichtIdentificatie,
  buildMessage,
  byClient,
  debetCredit,
  headerProblems,
  isIdentificatie,
  list,
  MAX_TOTAAL_BEDRAG,
  prestatieNode,
  prestatieProblems,
  readMessage,
  readPrestatie,
  text,
  totaalBedrag,
  XmlReadError,
  xsdVersie,
  type DebetCredit,
  type Prestatie,
} from "./iwmo-xml";

// The answer to a declaration, WMO325 (BerichtCode 485, gemeente → aanbieder). There is no
// official WMO325.xsd of iWmo 3.2 to hand: src/iwmo/reconstructed/WMO325.xsd is dagdeel's own
// reconstruction from the standard's description and the WMO323 types, and this builder and
// reader follow it. The header names the WMO323 it answers (DeclaratieIdentificatie); the
// DeclaratieAntwoord gives both totals and only the refused prestaties, each with its
// retourcodes; its own RetourCodes say 8001 when everything was approved, 0200 otherwise.

export const BERICHT_CODE = "485";
export const FULLY_APPROVED = "8001";
export const NO_REMARK = "0200";

export type Total = { bedrag: number; debetCredit: DebetCredit };
export type RefusedPrestatie = Prestatie & { retourcodes: string[] };

export type Wmo325Input = {
  berichtIdentificatie: string;
  dagtekening: string;
  afzenderGemeentecode: string;
  ontvangerAgb: string;
  /** The BerichtIdentificatie of the WMO323 answered. */
  declaratieIdentificatie: string;
  declaratieDagtekening: string;
  declaratieNummer: string;
  totaalIngediend: Total;
  totaalToegekend: Total;
  afgewezen: RefusedPrestatie[];
};

export function wmo325Problems(input: Wmo325Input): string[] {
  const problems = headerProblems({ identificatie: input.berichtIdentificatie, dagtekening: input.dagtekening, agb: input.ontvangerAgb, gemeentecode: input.afzenderGemeentecode });
  problems.push(...headerProblems({ identificatie: input.declaratieIdentificatie, dagtekening: input.declaratieDagtekening, agb: input.ontvangerAgb, gemeentecode: input.afzenderGemeentecode }));
  if (!isIdentificatie(input.declaratieNummer)) problems.push("declaratieNummer");
  for (const t of [input.totaalIngediend, input.totaalToegekend]) if (!Number.isSafeInteger(t.bedrag) || t.bedrag < 0 || t.bedrag > MAX_TOTAAL_BEDRAG) problems.push("amount");
  for (const p of input.afgewezen) {
    problems.push(...prestatieProblems(p));
    if (p.retourcodes.length < 1 || p.retourcodes.length > 3 || p.retourcodes.some((c) => !/^\d{4}$/.test(c))) problems.push("retourcode");
  }
  return [...new Set(problems)];
}

export function buildWmo325(input: Wmo325Input): string {
  const problems = wmo325Problems(input);
  if (problems.length > 0) throw new RangeError(`WMO325 cannot be built: ${problems.join(", ")}`);
  const codes = (list: string[]) => ({ "wmo325:RetourCode": list });
  return buildMessage("WMO325", "wmo325", {
    "wmo325:Header": {
      "wmo325:BerichtCode": BERICHT_CODE,
      "wmo325:BerichtVersie": "3",
      "wmo325:BerichtSubversie": "2",
      "wmo325:Afzender": input.afzenderGemeentecode,
      "wmo325:Ontvanger": input.ontvangerAgb,
      "wmo325:BerichtIdentificatie": berichtIdentificatie(input.berichtIdentificatie, input.dagtekening),
      "wmo325:XsdVersie": xsdVersie(),
      "wmo325:DeclaratieIdentificatie": berichtIdentificatie(input.declaratieIdentificatie, input.declaratieDagtekening),
      "wmo325:XsdVersieDeclaratie": xsdVersie(),
    },
    "wmo325:DeclaratieAntwoord": {
      "wmo325:DeclaratieNummer": input.declaratieNummer,
      "wmo325:TotaalIngediendBedrag": totaalBedrag(input.totaalIngediend),
      "wmo325:TotaalToegekendBedrag": totaalBedrag(input.totaalToegekend),
      ...(input.afgewezen.length > 0
        ? {
            "wmo325:Clienten": {
              "wmo325:Client": byClient(input.afgewezen).map(([bsn, prestaties]) => ({
                "wmo325:Bsn": bsn,
                "wmo325:Prestaties": { "wmo325:Prestatie": prestaties.map((p) => prestatieNode("wmo325", p, { "wmo325:RetourCodes": codes(p.retourcodes) })) },
              })),
            },
          }
        : {}),
      "wmo325:RetourCodes": codes([input.afgewezen.length === 0 ? FULLY_APPROVED : NO_REMARK]),
    },
  });
}

const total = (node: unknown, name: string): Total => ({ bedrag: Number(text(node, name, "TotaalBedrag")), debetCredit: debetCredit(node, name, "DebetCredit") });

/** A WMO325 back into its fields; throws XmlReadError when it is not one (check the schema first). */
export function readWmo325(xml: string): Wmo325Input & { retourcodes: string[] } {
  const root = readMessage(xml, "WMO325");
  if (text(root, "Header", "BerichtCode") !== BERICHT_CODE) throw new XmlReadError("wrongMessage", "BerichtCode is not 485");
  const antwoord = root.DeclaratieAntwoord;
  const afgewezen = list(antwoord, "Clienten", "Client").flatMap((c) =>
    list(c, "Prestaties", "Prestatie").map((p) => ({
      ...readPrestatie(text(c, "Bsn"), p),
      retourcodes: list(p, "RetourCodes", "RetourCode").map(String),
    })),
  );
  return {
    berichtIdentificatie: text(root, "Header", "BerichtIdentificatie", "Identificatie"),
    dagtekening: text(root, "Header", "BerichtIdentificatie", "Dagtekening"),
    afzenderGemeentecode: text(root, "Header", "Afzender"),
    ontvangerAgb: text(root, "Header", "Ontvanger"),
    declaratieIdentificatie: text(root, "Header", "DeclaratieIdentificatie", "Identificatie"),
    declaratieDagtekening: text(root, "Header", "DeclaratieIdentificatie", "Dagtekening"),
    declaratieNummer: text(antwoord, "DeclaratieNummer"),
    totaalIngediend: total(antwoord, "TotaalIngediendBedrag"),
    totaalToegekend: total(antwoord, "TotaalToegekendBedrag"),
    afgewezen,
    retourcodes: list(antwoord, "RetourCodes", "RetourCode").map(String),
  };
}
