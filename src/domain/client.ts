import { isValidBsn, normaliseBsn } from "./bsn";
import { toDateTime } from "./dates";
import { searchWords } from "./search-key";

// Small rules about clients that have nothing to do with the database.

export type ClientQuery = { bsn: string | null; terms: string[] };

/**
 * What a search box means: a BSN however it was typed ("1234.56.782", "1234 56 782", or with
 * its leading zero dropped), else name words (folded as the clients' search keys are) that must all occur in "first last". A BSN is
 * only ever matched whole, so the box cannot be used to guess one digit by digit.
 */
export function parseClientQuery(input: string | null | undefined): ClientQuery {
  const q = (input ?? "").trim();
  if (q === "") return { bsn: null, terms: [] };
  const compact = normaliseBsn(q);
  if (/^\d+$/.test(compact)) {
    // Stored BSNs always pass the 11-test, so an invalid nine-digit number simply finds nobody.
    const padded = compact.length === 8 && isValidBsn(`0${compact}`) ? `0${compact}` : compact;
    return padded.length === 9 ? { bsn: padded, terms: [] } : { bsn: null, terms: [compact] };
  }
  return { bsn: null, terms: searchWords(q) };
}

const escapeLike = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern matching `term` anywhere, with the wildcards people may type escaped (ESCAPE '\'). */
export function containsPattern(term: string): string {
  return `%${escapeLike(term)}%`;
}

/** A LIKE pattern matching text that ends in `term` (ESCAPE '\'). */
export function endsWithPattern(term: string): string {
  return `%${escapeLike(term)}`;
}

const POSTCODE = /^([1-9]\d{3})\s*([A-Za-z]{2})$/;

/** "5988aa" and "5988 AA" become "5988 AA"; null when it is not a Dutch postcode. */
export function normalisePostcode(input: string): string | null {
  const m = POSTCODE.exec(input.trim());
  return m ? `${m[1]} ${m[2].toUpperCase()}` : null;
}

/** Whole years of age on a date, counting a 29 February birthday on 28 February. */
export function ageOn(birthDate: string, date: string): number {
  const birth = toDateTime(birthDate);
  const on = toDateTime(date);
  return Math.floor(on.diff(birth, "years").years);
}

export type ClientStatus = "actief" | "beeindigd";

/** A client ended on a date attends up to and including that date. */
export function clientStatus(endedOn: string | null, today: string): ClientStatus {
  return endedOn !== null && endedOn < today ? "beeindigd" : "actief";
}
