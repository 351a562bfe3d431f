// node-postgres hands back count(), sum(), bigint and numeric values as strings (SQLite as
// numbers), while the row types say number. Repositories convert such columns here, at the
// edge, so the type they return is true on both databases and no caller has to undo it.

/** A numeric value from the database as a number; anything that is not a finite number is a bug, so it throws. */
export function toNumber(value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : typeof value === "bigint" ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new TypeError(`Not a number from the database: ${String(value)}`);
  return n;
}

/** As toNumber, but null (and a missing value) stays null. */
export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

type Numbered<T, K extends keyof T> = Omit<T, K> & { [P in K]: null extends T[P] ? number | null : number };

/** The row with these columns converted by toNumberOrNull (null stays null, so a nullable column keeps its null). */
export function numbersIn<T extends object, K extends keyof T>(row: T, columns: readonly K[]): Numbered<T, K> {
  const out = { ...row } as Record<string, unknown>;
  for (const c of columns) out[c as string] = toNumberOrNull(row[c]);
  return out as Numbered<T, K>;
}

/** The `n` of a `count({ n: "*" })` query's row (no row: 0). */
export function countOf(rows: { n?: unknown } | { n?: unknown }[] | undefined): number {
  const row = Array.isArray(rows) ? rows[0] : rows;
  return row === undefined ? 0 : toNumber(row.n);
}
