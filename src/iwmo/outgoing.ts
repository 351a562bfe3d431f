import { isValidBsn } from "../domain/bsn";
import { isIsoDate } from "../domain/dates";
import { iwmoNameOf } from "./person";
import { buildWmo305, buildWmo307, type StartStopClient } from "./wmo305-307";

// One WMO305 or WMO307 for one open (or sent) message row. Pure: the row and its allocation,
// client and organisations in, XML text or the list of what is missing out.

export type OutgoingMessage = {
  id: number;
  kind: "start" | "stop";
  start_date: string;
  end_date: string | null;
  reason: string | null;
  reference: string;
  allocation_from: string;
  bsn: string | null;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  iwmo_category: string | null;
  iwmo_code: string | null;
  provider_agb: string | null;
  purchaser_gemeentecode: string | null;
};

/** "DGD500000042" (WMO305) / "DGD700000042" (WMO307): unique per message kind, at most 12 characters. */
export function berichtIdentificatie(kind: "start" | "stop", id: number): string {
  return `DGD${kind === "start" ? "5" : "7"}${String(id).padStart(8, "0")}`;
}

/**
 * A ToewijzingNummer is a whole number of at most 9 digits (LDT_Nummer), kept as dagdeel reads
 * it from a WMO301: without leading zeros, so it is the same number both ways.
 */
export function isToewijzingNummer(reference: string): boolean {
  return /^(0|[1-9]\d{0,8})$/.test(reference);
}

export type OutgoingProblem = "agb" | "gemeentecode" | "bsn" | "birthDate" | "toewijzingNummer" | "product" | "reason";

/** What keeps the message from being written; empty when it can be. */
export function outgoingProblems(m: OutgoingMessage): OutgoingProblem[] {
  const out: OutgoingProblem[] = [];
  if (!m.provider_agb || !/^\d{8}$/.test(m.provider_agb)) out.push("agb");
  if (!m.purchaser_gemeentecode || !/^\d{4}$/.test(m.purchaser_gemeentecode)) out.push("gemeentecode");
  if (!m.bsn || !isValidBsn(m.bsn)) out.push("bsn");
  if (!m.birth_date || !isIsoDate(m.birth_date)) out.push("birthDate");
  if (!isToewijzingNummer(m.reference)) out.push("toewijzingNummer");
  if (!m.iwmo_category || !/^\d{2}$/.test(m.iwmo_category)) out.push("product");
  if (m.kind === "stop" && (!m.reason || !m.end_date)) out.push("reason");
  return out;
}

export function outgoingXml(m: OutgoingMessage, dagtekening: string, identificatie = berichtIdentificatie(m.kind, m.id)): string {
  const problems = outgoingProblems(m);
  if (problems.length > 0) throw new RangeError(`message ${m.id} cannot be written: ${problems.join(", ")}`);
  const name = iwmoNameOf(m);
  const client: StartStopClient = {
    bsn: m.bsn!,
    geboortedatum: m.birth_date!,
    // dagdeel keeps no sex; iWmo's 0 is "onbekend".
    geslacht: "0",
    naam: { achternaam: name.achternaam, voornamen: name.voornamen },
  };
  const header = { afzender: m.provider_agb!, ontvanger: m.purchaser_gemeentecode!, identificatie, dagtekening };
  const product = {
    toewijzingNummer: m.reference,
    categorie: m.iwmo_category!,
    code: m.iwmo_code ?? undefined,
    toewijzingIngangsdatum: m.allocation_from,
    begindatum: m.start_date,
    statusAanlevering: "1",
  };
  if (m.kind === "start") return buildWmo305({ header, client, producten: [product] });
  return buildWmo307({ header, client, producten: [{ ...product, redenBeeindiging: m.reason!, einddatum: m.end_date! }] });
}
