import { createHash } from "node:crypto";
import type { Knex } from "knex";
import { isPostgres } from "./dialect";
import { runKept } from "./sqlite-statements";

/**
 * A query that runs for every request (the session's row, its user), built with knex once per
 * database handle and from then on run as the SQL knex wrote, with this call's values bound:
 * building and compiling the query took longer than SQLite took to answer it (issue 11). On
 * SQLite each connection keeps the statement prepared (src/db/sqlite-statements.ts).
 *
 * `build` is called once, with markers for its arguments: it must bind each argument as a value
 * (where, select of a subquery …) and not decide anything on it. Every other value it binds is
 * bound again as it was then.
 */
export function compiledOnce<A extends unknown[]>(build: (db: Knex, ...args: { [K in keyof A]: string }) => Knex.QueryBuilder | Knex.Raw) {
  const compiled = new WeakMap<Knex, { sql: string; bindings: ((args: A) => unknown)[] }>();
  return async function run<R>(db: Knex, ...args: A): Promise<R[]> {
    let c = compiled.get(db);
    if (!c) {
      const markers = args.map((_, i) => `\u0000arg${i}\u0000`) as { [K in keyof A]: string };
      const { sql, bindings } = build(db, ...markers).toSQL();
      c = {
        sql,
        bindings: bindings.map((value) => {
          const i = markers.indexOf(value as string);
          return i >= 0 ? (a: A) => a[i] : () => value;
        }),
      };
      if (bindings.filter((value) => markers.includes(value as string)).length !== args.length) throw new Error(`compiledOnce: each argument must be bound once: ${sql}`);
      compiled.set(db, c);
    }
    const bindings = c.bindings.map((value) => value(args)) as Knex.RawBinding[];
    if (!isPostgres(db)) {
      // Inside a transaction the query runs on its connection, as knex runs it.
      if ((db as Knex.Transaction).isTransaction) return (await db.raw(c.sql, bindings)) as R[];
      return runKept<R>(db, c.sql, bindings);
    }
    // On PostgreSQL a named statement: each connection parses and plans the text once, and then
    // only binds and runs it. For the session's row, its user and two versions, parsing and
    // planning took most of the query's time (0.7–1.1 ms a query against 0.13–0.38 named, on
    // the region at load 6). The name is the text's own, so one name never means two texts.
    const named = db.raw(c.sql, bindings).options({ name: nameOf(c.sql) });
    try {
      return ((await named) as { rows: R[] }).rows;
    } catch (err) {
      // A statement prepared before a migration changed a table it reads ("cached plan must not
      // change result type"): this connection keeps the old plan, so the text runs unnamed.
      if ((err as { code?: unknown }).code !== PLAN_CHANGED) throw err;
      return ((await db.raw(c.sql, bindings)) as { rows: R[] }).rows;
    }
  };
}

/** PostgreSQL's feature_not_supported, which a prepared statement gets when its result type changed. */
const PLAN_CHANGED = "0A000";

const names = new Map<string, string>();

/** A prepared statement's name, from its text. */
function nameOf(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) names.set(sql, (name = `dagdeel_${createHash("sha1").update(sql).digest("hex").slice(0, 16)}`));
  return name;
}

/**
 * A page's read whose text repeats from request to request (the same columns, joins and number
 * of values): on PostgreSQL a named statement, as compiledOnce's, so each connection parses and
 * plans the text once — for a list of five joins planning took 0.9–1.3 ms a query, running it
 * 0.15. Only for queries that name their columns: a statement's columns must not change under
 * it, and `*` would change with a migration that adds one while a process runs. Given the query
 * as it will run (its limit and offset set).
 */
export function prepared<Q extends Knex.QueryBuilder>(db: Knex, q: Q): Q {
  if (!isPostgres(db)) return q;
  const { sql, bindings } = q.toSQL().toNative();
  // Each connection keeps every text it was given by name. A text per length of an IN list over
  // locations (occupancy's reads, up to a region's 200) would be thousands of statements kept
  // per connection: a long list runs unnamed, and a page that reads one spends far longer on it
  // than planning takes.
  if (bindings.length > NAMED_VALUES_AT_MOST) return q;
  return q.options({ name: nameOf(sql) }) as Q;
}

/** The most values a named read binds (prepared). */
export const NAMED_VALUES_AT_MOST = 32;

