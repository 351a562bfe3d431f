import { stringify } from "csv-stringify/sync";
import { DateTime } from "luxon";
import { ZONE } from "../domain/clock";
import type { Prestatie } from "../domain/iwmo-xml";
import { buildWmo323, wmo323Problems, type Wmo323Input } from "../domain/wmo323";
import { translator, type AppLocale } from "../web/i18n";
import { monthBounds } from "./compute";
import type { DeclarationRow, LineView } from "./repository";

// A declaration leaves dagdeel as CSV (every purchaser) or as an iWmo 3.2 WMO323 message
// (a gemeente). Both carry whole eurocents; the CSV also gives euros as text for people.

/** "DGD000012": the DeclaratieNummer and BerichtIdentificatie, alphanumeric as iWmo asks. */
export const declarationNumber = (id: number) => `DGD${String(id).padStart(6, "0")}`;
/** The ReferentieNummer of a prestatie: the declaration line, which never changes once submitted. */
export const lineReference = (lineId: number) => `DGDR${String(lineId).padStart(8, "0")}`;

/** 5150 → "51,50" (nl) or "51.50" (en): a number a spreadsheet in that language reads. */
function euroText(cents: number, locale: AppLocale): string {
  const abs = Math.abs(cents);
  const text = `${Math.floor(abs / 100)}${locale === "nl" ? "," : "."}${String(abs % 100).padStart(2, "0")}`;
  return cents < 0 ? `-${text}` : text;
}

export function declarationCsv(d: DeclarationRow, lines: LineView[], locale: AppLocale): string {
  const t = translator(locale);
  const header = [
    "declaration",
    "month",
    "provider",
    "agb",
    "purchaser",
    "client",
    "bsn",
    "allocation",
    "productCode",
    "product",
    "periodFrom",
    "periodUntil",
    "units",
    "tariffCents",
    "tariffEuro",
    "amountCents",
    "amountEuro",
    "debitCredit",
  ].map((k) => t(`declaration.csv.${k}`));
  const rows = lines.map((l) => [
    declarationNumber(d.id),
    d.month,
    d.provider_name,
    d.provider_agb ?? "",
    d.purchaser_name,
    l.client_name,
    l.bsn ?? "",
    l.allocation_reference ?? "",
    l.iwmo_code ?? l.wlz_code ?? l.product_code,
    l.product_name,
    l.period_from,
    l.period_until,
    l.units,
    l.tariff_cents,
    euroText(l.tariff_cents, locale),
    l.amount_cents,
    euroText(l.amount_cents, locale),
    l.debit_credit,
  ]);
  return stringify([header, ...rows], { delimiter: ";", record_delimiter: "\r\n" });
}

/** The Amsterdam date of a UTC timestamp. */
export function dateOf(utcIso: string): string {
  return DateTime.fromISO(utcIso, { zone: "utc" }).setZone(ZONE).toISODate()!;
}

/** A stored line as the prestatie a WMO323 carries (and a WMO325 repeats). */
export function prestatieOf(l: LineView, withdrawn: Map<number, number>): Prestatie {
  return {
    referentieNummer: lineReference(l.id),
    vorigReferentieNummer: l.debit_credit === "C" && withdrawn.has(l.id) ? lineReference(withdrawn.get(l.id)!) : null,
    bsn: l.bsn ?? "",
    toewijzingNummer: l.allocation_reference ?? "",
    productCategorie: l.iwmo_category ?? "",
    productCode: l.iwmo_code ?? "",
    begindatum: l.period_from,
    einddatum: l.period_until,
    geleverdVolume: l.units,
    eenheid: l.iwmo_unit ?? "",
    productTariefCents: l.tariff_cents,
    bedragCents: l.amount_cents,
    debetCredit: l.debit_credit,
  };
}

/** The day a declaration was signed: its submission, or today for a concept. */
export const signedOn = (d: DeclarationRow, today: string) => (d.submitted_at ? dateOf(d.submitted_at) : today);

export function wmo323InputFor(d: DeclarationRow, lines: LineView[], withdrawn: Map<number, number>, today: string): Wmo323Input {
  // The DeclaratiePeriode it is sent in; its prestaties keep their own month (IV090).
  const { from, until } = monthBounds(d.period ?? d.month);
  const signed = signedOn(d, today);
  return {
    berichtIdentificatie: declarationNumber(d.id),
    // The message is dated the day it was submitted, so every download is the same message
    // and a WMO325 answer (which names this identification and date) can be matched to it.
    dagtekening: signed,
    afzenderAgb: d.provider_agb ?? "",
    ontvangerGemeentecode: d.purchaser_gemeentecode ?? "",
    declaratieNummer: declarationNumber(d.id),
    periodeBegin: from,
    periodeEinde: until,
    declaratieDagtekening: signed,
    prestaties: lines.map((l) => prestatieOf(l, withdrawn)),
  };
}

export function wmo323For(input: Wmo323Input): { xml: string; problems: [] } | { xml: null; problems: string[] } {
  const problems = wmo323Problems(input);
  if (problems.length > 0) return { xml: null, problems };
  return { xml: buildWmo323(input), problems: [] };
}
