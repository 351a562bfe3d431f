import { comparable } from "./cells";
import type { FieldDef } from "./fields";

// Which column of the file feeds which field. Kept between files by the columns' header text,
// so next month's export of the same spreadsheet maps itself, whatever order its columns come
// in: field → the header to take it from, or { not: header } when the user turned down the
// column the usual names pointed to (that column is then never guessed for the field again).

export type Mapping = Record<string, number | null>;
export type Remembered = Record<string, string | { not: string }>;

function columnOf(header: string[], text: string, taken: Set<number>): number | null {
  const want = comparable(text);
  const i = header.findIndex((h, idx) => !taken.has(idx) && comparable(h) === want);
  return i >= 0 ? i : null;
}

function guess(f: FieldDef, header: string[], taken: Set<number>, refused: string | null): number | null {
  const skip = new Set(taken);
  if (refused !== null) header.forEach((h, i) => comparable(h) === comparable(refused) && skip.add(i));
  for (const s of f.synonyms) {
    const found = columnOf(header, s, skip);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The mapping for a file: what was remembered for the organisation where that header is in the
 * file, otherwise the first column whose header is one of the field's usual names (and not one
 * the user turned down for it). No column serves two fields.
 */
export function resolveMapping(fields: FieldDef[], header: string[], remembered: Remembered | null): Mapping {
  const mapping: Mapping = {};
  const taken = new Set<number>();
  const unresolved: FieldDef[] = [];
  for (const f of fields) {
    const memory = remembered?.[f.key];
    const i = typeof memory === "string" ? columnOf(header, memory, taken) : null;
    if (i !== null) {
      mapping[f.key] = i;
      taken.add(i);
    } else unresolved.push(f);
  }
  for (const f of unresolved) {
    const memory = remembered?.[f.key];
    const found = guess(f, header, taken, typeof memory === "object" ? memory.not : null);
    mapping[f.key] = found;
    if (found !== null) taken.add(found);
  }
  return mapping;
}

/** A chosen mapping as it is remembered: by header text, and the guesses the user turned down. */
export function rememberedOf(fields: FieldDef[], mapping: Mapping, header: string[]): Remembered {
  const guessed = resolveMapping(fields, header, null);
  const out: Remembered = {};
  for (const f of fields) {
    const chosen = mapping[f.key];
    const guessedColumn = guessed[f.key];
    if (chosen !== null && chosen !== undefined) out[f.key] = header[chosen];
    else if (guessedColumn !== null && guessedColumn !== undefined) out[f.key] = { not: header[guessedColumn] };
  }
  return out;
}

/**
 * The mapping a user chose in the form (`map_<field>` = column number or ""): each field's
 * problem keyed by the form field, so it shows next to its select.
 */
export function mappingFromForm(fields: FieldDef[], header: string[], body: Record<string, unknown>): { mapping: Mapping; errors: Record<string, string> } {
  const mapping: Mapping = {};
  const errors: Record<string, string> = {};
  const used = new Map<number, string>();
  for (const f of fields) {
    const raw = body[`map_${f.key}`];
    const text = typeof raw === "string" ? raw.trim() : "";
    if (text === "") {
      mapping[f.key] = null;
      if (f.required) errors[`map_${f.key}`] = "clientImport.errors.mapRequired";
      continue;
    }
    const i = /^\d{1,3}$/.test(text) ? Number(text) : -1;
    if (i < 0 || i >= header.length) {
      errors[`map_${f.key}`] = "errors.choice";
      continue;
    }
    if (used.has(i)) errors[`map_${f.key}`] = "clientImport.errors.mapTwice";
    used.set(i, f.key);
    mapping[f.key] = i;
  }
  return { mapping, errors };
}

/** The cell of a field in a row: "" when the field has no column. */
export function cellOf(row: string[], mapping: Mapping, key: string): string {
  const i = mapping[key];
  return i === null || i === undefined ? "" : (row[i] ?? "").trim();
}
