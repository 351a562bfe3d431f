import fs from "node:fs";
import path from "node:path";
import type { Knex } from "knex";
import { csrfToken, type Agent } from "./app";
import { buildWmo301, type Wmo301, type Wmo301Product } from "../../src/iwmo/wmo301";
import { withNameKeys } from "../../src/db/name-keys";
import fc from "fast-check";
import { isValidBsn } from "../../src/domain/bsn";
import type { Prestatie } from "../../src/domain/iwmo-xml";
import type { Wmo323Input } from "../../src/domain/wmo323";

// iWmo test messages and uploads. References here are numeric (a ToewijzingNummer is a number
// of at most 9 digits); the messages are built with the app's own builder and the tests check
// them against the official XSD where it matters.

export const FIXTURES = path.resolve(__dirname, "../fixtures/iwmo");
export const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");

const AT = "2026-11-01T08:00:00.000Z";

export async function insertRow(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
  return typeof r === "object" ? r.id : r;
}

/** The organisations the official examples name: gemeente 0384 (WMO301), 0363 (WMO305/307), and their providers. */
export async function addExampleOrganisations(db: Knex) {
  return {
    gemeente0384: await insertRow(db, "organisations", { kind: "purchaser", subkind: "gemeente", name: "Gemeente Voorbeeld", gemeentecode: "0384", active: true }),
    provider42420001: await insertRow(db, "organisations", { kind: "provider", subkind: "overig", name: "Aanbieder Voorbeeld", agb_code: "42420001", active: true }),
    gemeente0363: await insertRow(db, "organisations", { kind: "purchaser", subkind: "gemeente", name: "Gemeente Amsterdam (voorbeeld)", gemeentecode: "0363", active: true }),
    provider65656055: await insertRow(db, "organisations", { kind: "provider", subkind: "overig", name: "Aanbieder Start Stop", agb_code: "65656055", active: true }),
  };
}

export function product(overrides: Partial<Wmo301Product> = {}): Wmo301Product {
  return {
    toewijzingNummer: "205001",
    categorie: "07",
    code: "07A01",
    toewijzingsdatum: "2026-11-20",
    toewijzingstijd: "10:15:00",
    ingangsdatum: "2026-12-01",
    einddatum: "2027-05-31",
    omvang: { volume: 4, eenheid: "16", frequentie: "2" },
    ...overrides,
  };
}

/** A WMO301 from Peel en Maas (1894) to provider A (98000001) for one client. */
export function wmo301(opts: { identificatie?: string; dagtekening?: string; ontvanger?: string; afzender?: string; bsn?: string; voornamen?: string; achternaam?: string; producten?: Wmo301Product[] } = {}): string {
  const message: Wmo301 = {
    header: { afzender: opts.afzender ?? "1894", ontvanger: opts.ontvanger ?? "98000001", identificatie: opts.identificatie ?? "PM2026000001", dagtekening: opts.dagtekening ?? "2026-11-20" },
    client: {
      bsn: opts.bsn ?? "999990044",
      geboortedatum: "1948-03-12",
      geslacht: "2",
      naam: { achternaam: opts.achternaam ?? "Hendrix", voorvoegsel: undefined, voornamen: opts.voornamen ?? "Truus", naamGebruik: "1" },
      addresses: [{ soort: "01", straatnaam: "Dorpsstraat", huisnummer: 12, postcode: "5988AB", plaatsnaam: "Helden" }],
      producten: opts.producten ?? [product()],
    },
  };
  return buildWmo301(message);
}

/** POSTs files as multipart/form-data with the CSRF token first, as the browser's form does. */
export async function upload(agent: Agent, url: string, files: { name: string; xml: string | Buffer }[], tokenPage: string) {
  const token = await csrfToken(agent, tokenPage);
  let req = agent.post(url).field("_csrf", token);
  for (const f of files) req = req.attach("bestanden", Buffer.isBuffer(f.xml) ? f.xml : Buffer.from(f.xml, "utf8"), { filename: f.name, contentType: "application/xml" });
  return req;
}

export async function countRows(db: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const [row] = await db(table).where(where).count({ n: "*" });
  return Number((row as { n: number | string }).n);
}

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
