// Writing millions of rows fast, inside the caller's transaction, every value bound:
//   SQLite      INSERT … SELECT FROM json_each(?): a chunk of rows is one bound JSON text that
//               SQLite takes apart itself, through one prepared statement per table reused chunk
//               after chunk (a quarter less work than binding every value on its own);
//   PostgreSQL  INSERT … SELECT FROM unnest(col1[], col2[], …): one array per column, typed from
//               the table's own column types, so a chunk of thousands of rows is one statement.
// The only dialect-specific SQL of the region seed lives here, with the PRAGMAs SQLite may use
// during the bulk load only and the sequence reset PostgreSQL needs after explicit ids.

import type { Knex } from "knex";
import { isPostgres } from "../../src/db/dialect";
import { FILE_PRAGMAS, optimizeDatabase } from "../../src/db/knex";

type Row = unknown[];

const SQLITE_MAX_ROWS = 5_000;
const PG_MAX_ROWS = 10_000;

type SqliteStatement = { run(values: unknown[], cb: (err: Error | null) => void): void; finalize(cb: () => void): void };
type SqliteConnection = { prepare(sql: string, cb?: (err: Error | null) => void): SqliteStatement };

export class BulkWriter {
  private readonly statements = new Map<string, SqliteStatement>();
  private readonly pgTypes = new Map<string, Map<string, string>>();
  readonly counts = new Map<string, number>();

  private constructor(
    private readonly trx: Knex.Transaction,
    private readonly sqlite: SqliteConnection | null,
  ) {}

  static async open(trx: Knex.Transaction): Promise<BulkWriter> {
    if (isPostgres(trx)) return new BulkWriter(trx, null);
    // The transaction's own connection (knex hands it out to its transaction client), so the
    // prepared statements run inside the same transaction as every knex query of the seed.
    const conn = (await (trx.client as { acquireConnection(): Promise<unknown> }).acquireConnection()) as SqliteConnection;
    return new BulkWriter(trx, conn);
  }

  async insert(table: string, columns: string[], rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
    if (this.sqlite) {
      for (let i = 0; i < rows.length; i += SQLITE_MAX_ROWS) await this.sqliteChunk(table, columns, rows.slice(i, i + SQLITE_MAX_ROWS));
    } else {
      for (let i = 0; i < rows.length; i += PG_MAX_ROWS) await this.pgChunk(table, columns, rows.slice(i, i + PG_MAX_ROWS));
    }
  }

  private async sqliteChunk(table: string, columns: string[], rows: Row[]): Promise<void> {
    const key = `${table}|${columns.join(",")}`;
    let statement = this.statements.get(key);
    if (!statement) {
      // Table and column names are the seed's own constants, never input; the rows are bound.
      const sql = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(",")}) select ${columns.map((_, j) => `value->>${j}`).join(",")} from json_each(?)`;
      statement = await new Promise<SqliteStatement>((resolve, reject) => {
        const s = this.sqlite!.prepare(sql, (err) => (err ? reject(new Error(`prepare insert into ${table}: ${err.message}`)) : resolve(s)));
      });
      this.statements.set(key, statement);
    }
    const json = JSON.stringify(rows);
    await new Promise<void>((resolve, reject) =>
      statement!.run([json], (err) => (err ? reject(new Error(`insert into ${table}: ${err.message}`)) : resolve())),
    );
  }

  private async pgChunk(table: string, columns: string[], rows: Row[]): Promise<void> {
    const types = await this.columnTypes(table);
    const arrays = columns.map((_, j) => rows.map((r) => r[j]));
    const casts = columns.map((c) => {
      const t = types.get(c);
      if (!t) throw new Error(`bulk insert: ${table}.${c} has no column type`);
      return `?::${t}[]`;
    });
    try {
      await this.trx.raw(`insert into ?? (${columns.map(() => "??").join(",")}) select * from unnest(${casts.join(",")})`, [table, ...columns, ...arrays] as Knex.RawBinding[]);
    } catch (err) {
      // The driver's message can quote a whole chunk; keep the first line.
      throw new Error(`insert into ${table}: ${String((err as Error).message).split("\n")[0].slice(0, 300)}`);
    }
  }

  private async columnTypes(table: string): Promise<Map<string, string>> {
    let types = this.pgTypes.get(table);
    if (!types) {
      const rows: { column_name: string; data_type: string }[] = (
        await this.trx.raw("select column_name, data_type from information_schema.columns where table_schema = current_schema() and table_name = ?", [table])
      ).rows;
      const known: Record<string, string> = { integer: "integer", bigint: "bigint", text: "text", "character varying": "varchar", boolean: "boolean", real: "real", "double precision": "float8" };
      types = new Map(rows.map((r) => [r.column_name, known[r.data_type] ?? "text"]));
      this.pgTypes.set(table, types);
    }
    return types;
  }

  /** Ends the prepared statements (SQLite) and moves PostgreSQL's id sequences past the ids written. */
  async close(): Promise<void> {
    for (const s of this.statements.values()) await new Promise<void>((resolve) => s.finalize(resolve));
    this.statements.clear();
    if (!this.sqlite) {
      for (const table of this.counts.keys()) {
        await this.trx.raw("select setval(pg_get_serial_sequence(?, 'id'), (select coalesce(max(id), 0) + 1 from ??), false)", [table, table]);
      }
    }
  }
}

/**
 * Runs a bulk load with SQLite's durability relaxed (no fsync, the rollback journal in memory,
 * a larger page cache), then puts the connection back as it was. The whole load is still one
 * transaction: it ends with a full region or nothing. PostgreSQL needs no such settings.
 */
export async function withBulkSettings<T>(db: Knex, load: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return load();
  await db.raw("PRAGMA journal_mode = MEMORY");
  await db.raw("PRAGMA synchronous = OFF");
  await db.raw("PRAGMA cache_size = -262144");
  await db.raw("PRAGMA temp_store = MEMORY");
  try {
    return await load();
  } finally {
    await db.raw("PRAGMA temp_store = DEFAULT");
    // Back to what every connection of the app runs with (src/db/knex.ts).
    for (const pragma of FILE_PRAGMAS) await db.raw(pragma);
  }
}

/** Fresh statistics for the planner after millions of new rows (as autovacuum would give PostgreSQL). */
export async function afterBulkLoad(db: Knex): Promise<void> {
  if (isPostgres(db)) await db.raw("vacuum analyze");
  else await optimizeDatabase(db);
}
