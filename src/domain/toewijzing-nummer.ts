// The iWmo ToewijzingNummer (basisschema LDT_Nummer: a whole number 0–999999999) is the
// number a gemeente gives a toewijzing in its WMO301. A declaration (WMO323) that carries
// anything else — "PM-T-104237", a space, a tenth digit — fails the official schema, so the
// gemeente's number is taken exactly as it gave it: digits only, at most nine. A zorgkantoor
// (Wlz) has no such message type; its order references stay free text.

export const TOEWIJZING_NUMMER_MAX_DIGITS = 9;

export type ToewijzingNummerProblem = "digitsOnly" | "tooLong";

/** Why `reference` is not an iWmo ToewijzingNummer, or null when it is one. */
export function toewijzingNummerProblem(reference: string): ToewijzingNummerProblem | null {
  if (!/^\d+$/.test(reference)) return "digitsOnly";
  if (reference.length > TOEWIJZING_NUMMER_MAX_DIGITS) return "tooLong";
  return null;
}

export function isToewijzingNummer(reference: string | null | undefined): reference is string {
  return typeof reference === "string" && toewijzingNummerProblem(reference) === null;
}

/** Only a gemeente's allocations speak iWmo; a zorgkantoor's reference is its own business. */
export function referenceProblem(purchaserSubkind: string, reference: string): ToewijzingNummerProblem | null {
  return purchaserSubkind === "gemeente" ? toewijzingNummerProblem(reference) : null;
}
