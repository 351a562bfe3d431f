import fs from "node:fs";
import path from "node:path";

// The WJ001 retourcode list of iWmo 3.2 (retourcodes.tsv, from the iStandaarden code list):
// code, the technical rule it reports, the messages it applies to, and its meaning.

export type Retourcode = { code: string; rule: string | null; messages: string[]; meaning: string };

let cache: Retourcode[] | null = null;

export function retourcodes(): Retourcode[] {
  if (cache) return cache;
  const text = fs.readFileSync(path.resolve(__dirname, "retourcodes.tsv"), "utf8");
  cache = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [code, rule, messages, meaning] = line.split("\t");
      return { code, rule: rule === "—" ? null : rule, messages: messages.split(",").map((m) => m.trim()), meaning: meaning.trim() };
    });
  return cache;
}

/** Codes that say "fine" or "not looked at" rather than why a prestatie is refused. */
const NOT_A_REASON = new Set(["0200", "0233", "8001"]);

/**
 * The codes a gemeente can give a refused WMO323 prestatie (one entry per code, the first
 * meaning listed when a code appears twice), in code order.
 */
export function prestatieRefusalCodes(): Retourcode[] {
  const seen = new Set<string>();
  return retourcodes()
    .filter((r) => r.messages.includes("WMO323") && !NOT_A_REASON.has(r.code))
    .filter((r) => (seen.has(r.code) ? false : (seen.add(r.code), true)))
    .sort((a, b) => a.code.localeCompare(b.code));
}

export function isRefusalCode(code: string): boolean {
  return prestatieRefusalCodes().some((r) => r.code === code);
}

/** The meaning of a code as the list gives it (WMO323's wording first), or null when unknown. */
export function meaningOf(code: string): string | null {
  const all = retourcodes().filter((r) => r.code === code);
  return (all.find((r) => r.messages.includes("WMO323")) ?? all[0])?.meaning ?? null;
}
