import type { Frequency } from "../domain/allocation";
import { isValidBsn } from "../domain/bsn";
import { isIsoDate } from "../domain/dates";
import { omvangOf } from "./codes";
import { isToewijzingNummer } from "./outgoing";
import { iwmoAddressOf, iwmoNameOf } from "./person";
import type { Wmo301 } from "./wmo301";

// A gemeente's allocations of one client at one provider as a WMO301, so the import can be
// tested against dagdeel's own export as well as the official example. Pure.

export type ExportClient = {
  bsn: string | null;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  street: string | null;
  postcode: string | null;
  village: string | null;
};

export type ExportAllocation = {
  reference: string;
  iwmo_category: string | null;
  iwmo_code: string | null;
  eenheid: string;
  volume: number;
  frequency: Frequency;
  valid_from: string;
  valid_until: string | null;
  /** When the gemeente decided it: Toewijzingsdatum and -tijd (Europe/Amsterdam). */
  decided_on: string;
  decided_at: string;
};

export type ExportInput = {
  gemeentecode: string | null;
  agb: string | null;
  identificatie: string;
  dagtekening: string;
  client: ExportClient;
  allocations: ExportAllocation[];
};

export type ExportProblem = "gemeentecode" | "agb" | "bsn" | "birthDate" | "toewijzingNummer" | "product" | "empty";

export function wmo301Problems(input: ExportInput): ExportProblem[] {
  const out: ExportProblem[] = [];
  if (!input.gemeentecode || !/^\d{4}$/.test(input.gemeentecode)) out.push("gemeentecode");
  if (!input.agb || !/^\d{8}$/.test(input.agb)) out.push("agb");
  if (!input.client.bsn || !isValidBsn(input.client.bsn)) out.push("bsn");
  if (!input.client.birth_date || !isIsoDate(input.client.birth_date)) out.push("birthDate");
  if (input.allocations.length === 0) out.push("empty");
  if (input.allocations.some((a) => !isToewijzingNummer(a.reference))) out.push("toewijzingNummer");
  if (input.allocations.some((a) => !a.iwmo_category || !a.eenheid)) out.push("product");
  return out;
}

export function wmo301For(input: ExportInput): Wmo301 {
  const problems = wmo301Problems(input);
  if (problems.length > 0) throw new RangeError(`WMO301 cannot be written: ${problems.join(", ")}`);
  const c = input.client;
  return {
    header: { afzender: input.gemeentecode!, ontvanger: input.agb!, identificatie: input.identificatie, dagtekening: input.dagtekening },
    client: {
      bsn: c.bsn!,
      geboortedatum: c.birth_date!,
      geslacht: "0",
      naam: iwmoNameOf(c),
      addresses: [iwmoAddressOf(c)],
      producten: input.allocations.map((a) => ({
        toewijzingNummer: a.reference,
        categorie: a.iwmo_category!,
        code: a.iwmo_code ?? undefined,
        toewijzingsdatum: a.decided_on,
        toewijzingstijd: a.decided_at,
        ingangsdatum: a.valid_from,
        einddatum: a.valid_until ?? undefined,
        omvang: omvangOf(a, a.eenheid),
      })),
    },
  };
}
