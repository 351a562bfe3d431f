import fs from "node:fs";
import path from "node:path";
import { IWMO_FREQUENTIE, type Frequency } from "../domain/allocation";

// The iWmo 3.2 code lists dagdeel reads and writes (basisschema.xsd, WMO588), and how an
// iWmo Omvang (Volume, Eenheid, Frequentie) maps to an allocation's volume and period.
// Pure: no I/O beyond reading the official code list once.

export const PRODUCT_UNITS = ["dagdeel", "uur", "etmaal", "rit"] as const;
export type ProductUnit = (typeof PRODUCT_UNITS)[number];

/** LDT_Eenheid: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel (4 uur), 82 stuks (output), 83 euro's, 84 stuks (inspanning). */
export const EENHEDEN = ["01", "04", "14", "16", "82", "83", "84"] as const;
export type Eenheid = (typeof EENHEDEN)[number];

/** LDT_Frequentie: 1 per dag, 2 per week, 4 per maand, 6 totaal binnen de geldigheidsduur. */
export const FREQUENTIES = ["1", "2", "4", "6"] as const;

/** LDT_ProductCategorie: 01 … 18 (07 dagbesteding, 08 vervoer). */
export const PRODUCT_CATEGORIES = Array.from({ length: 18 }, (_, i) => String(i + 1).padStart(2, "0"));

/** The Eenheid a product carries when the admin set none: its unit's own code. */
export const UNIT_EENHEID: Record<ProductUnit, Eenheid> = { dagdeel: "16", uur: "04", etmaal: "14", rit: "82" };

export function eenheidOfProduct(product: { unit: string; iwmo_unit: string | null }): string {
  return product.iwmo_unit || UNIT_EENHEID[product.unit as ProductUnit] || "";
}

/**
 * Exact conversions between units: a minute is 1/60 hour, and iWmo itself defines a dagdeel
 * as 4 hours. Nothing else converts (an etmaal is not so many dagdelen, stuks are not rides).
 */
const PER_TARGET: Record<string, number> = { "01>04": 60, "04>16": 4, "01>16": 240 };

export type Omvang = { volume: number; eenheid: string; frequentie: string };

export type MappingProblem =
  | { code: "eenheid"; from: string; to: string }
  | { code: "notWhole"; volume: number; from: string; to: string }
  | { code: "frequentie"; frequentie: string }
  | { code: "zero" }
  | { code: "tooLarge"; volume: number };

export type MappingNote = { code: "perDay"; perDay: number } | { code: "converted"; volume: number; from: string; to: string };

export type VolumeMapping =
  | { ok: true; volume: number; frequency: Frequency; notes: MappingNote[] }
  | { ok: false; problem: MappingProblem; notes: MappingNote[] };

/** The largest volume the allocation form accepts; anything above is not a plausible allocation. */
export const MAX_VOLUME = 9999;

const FREQUENCY_OF: Record<string, Frequency> = { "2": "week", "4": "maand", "6": "totaal" };

/**
 * Maps an Omvang onto a product whose unit has Eenheid `target`. "Per dag" becomes the week's
 * volume (seven days), noted, because dagdeel counts volume per week, month or in total.
 * Anything that would not be exactly the same quantity is a problem, never a rounded guess.
 */
export function mapOmvang(omvang: Omvang, target: string): VolumeMapping {
  const notes: MappingNote[] = [];
  let amount = omvang.volume;
  let frequency: Frequency;
  if (omvang.frequentie === "1") {
    amount = omvang.volume * 7;
    frequency = "week";
    notes.push({ code: "perDay", perDay: omvang.volume });
  } else if (FREQUENCY_OF[omvang.frequentie]) {
    frequency = FREQUENCY_OF[omvang.frequentie];
  } else {
    return { ok: false, problem: { code: "frequentie", frequentie: omvang.frequentie }, notes };
  }
  if (omvang.eenheid !== target) {
    const factor = PER_TARGET[`${omvang.eenheid}>${target}`];
    if (!factor) return { ok: false, problem: { code: "eenheid", from: omvang.eenheid, to: target }, notes };
    if (amount % factor !== 0) return { ok: false, problem: { code: "notWhole", volume: amount, from: omvang.eenheid, to: target }, notes };
    amount = amount / factor;
    notes.push({ code: "converted", volume: amount, from: omvang.eenheid, to: target });
  }
  if (amount < 1) return { ok: false, problem: { code: "zero" }, notes };
  if (amount > MAX_VOLUME) return { ok: false, problem: { code: "tooLarge", volume: amount }, notes };
  return { ok: true, volume: amount, frequency, notes };
}

/** The Omvang an allocation is written with: its own volume, its product's Eenheid, Frequentie 2/4/6. */
export function omvangOf(allocation: { volume: number; frequency: Frequency }, eenheid: string): Omvang {
  return { volume: allocation.volume, eenheid, frequentie: IWMO_FREQUENTIE[allocation.frequency] };
}

// --- RedenBeeindiging (WMO588), from the official list in reden-beeindiging.tsv ----------------

export const REDEN_TIJDELIJK = "20";

let reasons: string[] | null = null;

/** The RedenBeeindiging codes, in the order of the official list. */
export function redenBeeindigingCodes(): string[] {
  if (!reasons) {
    reasons = fs
      .readFileSync(path.resolve(__dirname, "reden-beeindiging.tsv"), "utf8")
      .split("\n")
      .map((line) => line.split("\t")[0]?.trim())
      .filter((code): code is string => Boolean(code) && /^\d{2}$/.test(code));
  }
  return reasons;
}

export function isRedenBeeindiging(code: string): boolean {
  return redenBeeindigingCodes().includes(code);
}
