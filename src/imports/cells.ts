import { DateTime } from "luxon";
import { isValidBsn, normaliseBsn } from "../domain/bsn";
import { normalisePostcode } from "../domain/client";

// What one spreadsheet cell means. Spreadsheets hold dates as Dutch users type them
// (23-11-2026, 3-1-1950, 03/01/1950, 3.1.1950) or in ISO form (1950-01-03), and lose the
// leading zero of a BSN when the column was numeric. Pure functions: the property tests
// compare them with luxon and the 11-test.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const DUTCH = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * A date as d-M-yyyy (with -, / or . between, leading zeros optional) or yyyy-MM-dd, to ISO.
 * "clientImport.errors.dateFormat" when it is neither; "clientImport.errors.dateImpossible"
 * when it is written right but no such day exists (31-2-1950).
 */
export function parseSheetDate(text: string): Parsed<string> {
  const t = text.trim();
  let parts: [number, number, number] | null = null;
  const nl = DUTCH.exec(t);
  if (nl) parts = [Number(nl[3]), Number(nl[2]), Number(nl[1])];
  const iso = ISO.exec(t);
  if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  if (!parts) return { ok: false, error: "clientImport.errors.dateFormat" };
  const [year, month, day] = parts;
  const d = DateTime.fromObject({ year, month, day }, { zone: "UTC" });
  if (!d.isValid || year < 1000) return { ok: false, error: "clientImport.errors.dateImpossible" };
  return { ok: true, value: d.toISODate()! };
}

/**
 * A BSN as typed or as a spreadsheet kept it: spaces, dots and dashes go, and eight digits
 * get back the leading zero a numeric column dropped (only when the result passes the 11-test).
 */
export function parseSheetBsn(text: string): Parsed<string> {
  let digits = normaliseBsn(text.trim());
  if (/^\d{8}$/.test(digits) && isValidBsn(`0${digits}`)) digits = `0${digits}`;
  return isValidBsn(digits) ? { ok: true, value: digits } : { ok: false, error: "clientImport.errors.bsn" };
}

const YES = new Set(["ja", "j", "yes", "y", "x", "1", "true", "waar", "✓", "v"]);
const NO = new Set(["nee", "n", "no", "0", "false", "onwaar", "-"]);

/** ja/nee, j/n, x, 1/0, yes/no, true/false; an empty cell is no. */
export function parseYesNo(text: string): Parsed<boolean> {
  const t = text.trim().toLowerCase();
  if (t === "" || NO.has(t)) return { ok: true, value: false };
  if (YES.has(t)) return { ok: true, value: true };
  return { ok: false, error: "clientImport.errors.yesNo" };
}

export function parseSheetPostcode(text: string): Parsed<string> {
  const p = normalisePostcode(text);
  return p ? { ok: true, value: p } : { ok: false, error: "clients.errors.postcode" };
}

/** Text of at most `max` characters, trimmed; on one line (names, streets) runs of spaces become one. */
export function parseText(text: string, max: number, oneLine = true): Parsed<string> {
  const t = oneLine ? text.trim().replace(/\s+/g, " ") : text.trim();
  return t.length <= max ? { ok: true, value: t } : { ok: false, error: "errors.tooLong" };
}

/** How a header or a name is compared: lower case, no accents, dots gone ("B.S.N."), other punctuation a space. */
export function comparable(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[.']/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
