import fc from "fast-check";
import { isValidBsn } from "../../src/domain/bsn";
import type { Prestatie } from "../../src/domain/iwmo-xml";
import type { Wmo323Input } from "../../src/domain/wmo323";

// A prestatie as iWmo messages carry it, and BSNs for generated messages, shared by the tests
// of WMO323 and WMO325.

export const prestatie = (over: Partial<Prestatie> = {}): Prestatie => ({
  referentieNummer: "DGDR00000001",
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

/** A BSN from the test range 9999xxxx with the digit that passes the 11-test (none for some prefixes). */
export const testBsn = () =>
  fc
    .integer({ min: 99_990_000, max: 99_999_999 })
    .map((n) => Array.from({ length: 10 }, (_, d) => `${n}${d}`).find(isValidBsn))
    .filter((b): b is string => b !== undefined);

/** A WMO323 of provider 98000001 to gemeente 1894 for October 2026. */
export const wmo323Input = (prestaties: Prestatie[], over: Partial<Wmo323Input> = {}): Wmo323Input => ({
  berichtIdentificatie: "DGD000012",
  dagtekening: "2026-11-05",
  afzenderAgb: "98000001",
  ontvangerGemeentecode: "1894",
  declaratieNummer: "DGD000012",
  periodeBegin: "2026-10-01",
  periodeEinde: "2026-10-31",
  declaratieDagtekening: "2026-11-05",
  prestaties,
  ...over,
});
