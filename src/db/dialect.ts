import type { Knex } from "knex";

// What differs between SQLite and PostgreSQL at run time, in one place: which database this is,
// how a transaction locks the rows it is about to check and change, and what a driver's error
// means. The SQL text that differs (string_agg/group_concat) is in sql.ts; upserts need nothing
// here, knex's insert … onConflict() writes the same ON CONFLICT clause for both.

type Db = Knex | Knex.Transaction;

export function isPostgres(db: Db): boolean {
  return db.client.config.client === "pg";
}

/**
 * How strongly PostgreSQL locks a row read: "update" (FOR UPDATE), "no key update" (FOR NO KEY
 * UPDATE: inserts that only reference the row, whose foreign-key check takes KEY SHARE, are not
 * held up) or "share" (FOR SHARE: readers together, a writer waits for them all).
 */
export type LockStrength = "update" | "no key update" | "share";

type Lockable = { forUpdate(...tableNames: string[]): unknown; forNoKeyUpdate(...tableNames: string[]): unknown; forShare(...tableNames: string[]): unknown };

/**
 * The rows a query reads, locked until the transaction ends: SELECT … FOR UPDATE (or another
 * strength) on PostgreSQL, of `table` only when the query joins others. SQLite has a single
 * writer: the one connection runs every transaction after the other (its pool holds one), so a
 * read in a transaction is already as good as locked and the query is left as it is.
 */
export function forUpdate<Q extends Lockable>(db: Db, q: Q, table?: string, strength: LockStrength = "update"): Q {
  if (!isPostgres(db)) return q;
  const tables = table === undefined ? [] : [table];
  if (strength === "share") return q.forShare(...tables) as Q;
  if (strength === "no key update") return q.forNoKeyUpdate(...tables) as Q;
  return q.forUpdate(...tables) as Q;
}

/** Locks one row by id until the transaction ends (see forUpdate): the lock a change queues on. */
export async function lockRow(trx: Db, table: string, id: number, strength: LockStrength = "update"): Promise<void> {
  if (isPostgres(trx)) await forUpdate(trx, trx(table).where({ id }).first("id"), undefined, strength);
}

type DriverError = { code?: unknown; errno?: unknown; message?: unknown; table?: unknown; detail?: unknown };

/** PostgreSQL's SQLSTATE unique_violation; SQLite's primary result code SQLITE_CONSTRAINT (19). */
const PG_UNIQUE_VIOLATION = "23505";
const SQLITE_CONSTRAINT = 19;

export type UniqueViolation = { table: string | null; columns: string[] };

/**
 * The unique index a failed insert or update ran into, or null for any other error. Told by
 * the error code: PostgreSQL's 23505 (its table and, from the detail "Key (a, b)=(…)", the
 * columns); SQLite's SQLITE_CONSTRAINT (errno 19). node-sqlite3 reports only that primary code,
 * not the extended SQLITE_CONSTRAINT_UNIQUE, so which constraint failed is read from the fixed
 * form SQLite gives it, "UNIQUE constraint failed: table.column, …" — a NOT NULL, CHECK or
 * foreign key failure has the same code but another form, and is not a unique violation.
 */
export function uniqueViolation(err: unknown): UniqueViolation | null {
  const e = err as DriverError | null;
  if (!e || typeof e !== "object") return null;
  if (e.code === PG_UNIQUE_VIOLATION) {
    const columns = typeof e.detail === "string" ? (/^Key \(([^)]*)\)=/.exec(e.detail)?.[1] ?? "") : "";
    return { table: typeof e.table === "string" ? e.table : null, columns: columns.split(",").map((c) => c.trim().replace(/^"|"$/g, "")).filter(Boolean) };
  }
  if (e.errno === SQLITE_CONSTRAINT && e.code === "SQLITE_CONSTRAINT" && typeof e.message === "string") {
    const failed = /UNIQUE constraint failed: (.+)$/.exec(e.message)?.[1];
    if (failed === undefined) return null;
    const qualified = failed.split(",").map((c) => c.trim());
    const table = qualified[0]?.split(".")[0] ?? null;
    return { table, columns: qualified.map((c) => c.slice(c.indexOf(".") + 1)) };
  }
  return null;
}

/** A unique violation on this table (and, when given, an index holding this column). */
export function isUniqueViolation(err: unknown, table?: string, column?: string): boolean {
  const v = uniqueViolation(err);
  if (v === null) return false;
  if (table !== undefined && v.table !== null && v.table !== table) return false;
  return column === undefined || v.columns.includes(column);
}

/** PostgreSQL broke a deadlock (40P01) by failing this transaction. */
export function isDeadlock(err: unknown): boolean {
  return Boolean(err && typeof err === "object" && (err as DriverError).code === "40P01");
}

/**
 * A transaction that lost to another and may simply run again: PostgreSQL's deadlock_detected
 * (40P01) and serialization_failure (40001); SQLite's SQLITE_BUSY (5) when another process
 * held the file's write lock past the busy timeout.
 */
export function isRetryableConflict(err: unknown): boolean {
  const e = err as DriverError | null;
  if (!e || typeof e !== "object") return false;
  return e.code === "40P01" || e.code === "40001" || e.code === "SQLITE_BUSY";
}

/**
 * The names of the triggers that start with `prefix` (the use tallies' and the data versions'
 * own, made at start-up): a rebuilt SQLite table has lost its triggers, and this tells which.
 * `_` in the prefix is literal.
 */
export async function triggersNamed(db: Db, prefix: string): Promise<Set<string>> {
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows: { name: string }[] = isPostgres(db)
    ? (await db.raw("SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE ? ESCAPE '\\'", [pattern])).rows
    : await db.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'", [pattern]);
  return new Set(rows.map((r) => r.name));
}

type Read = () => unknown;

/**
 * Independent reads: all at once on the pool (each takes its own connection), one after another
 * in a transaction. A transaction has one connection, and a connection takes one query at a
 * time: node-postgres queues a second one now and warns, and pg@9 refuses it. Each read is a
 * function, so none starts before its turn.
 */
export async function readTogether<R extends readonly Read[]>(db: Db, reads: [...R]): Promise<{ -readonly [K in keyof R]: Awaited<ReturnType<R[K]>> }> {
  type Out = { -readonly [K in keyof R]: Awaited<ReturnType<R[K]>> };
  if (!(db as Knex.Transaction).isTransaction) return (await Promise.all(reads.map((read) => read()))) as Out;
  const out: unknown[] = [];
  for (const read of reads) out.push(await read());
  return out as Out;
}
