import type { Knex } from "knex";
import { isPostgres } from "./dialect";

/**
 * A query that runs for every request (the session's row, its user), built with knex once per
 * database handle and from then on run as the SQL knex wrote, with this call's values bound:
 * building and compiling the query took longer than SQLite took to answer it (issue 11).
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
    const result = await db.raw(c.sql, c.bindings.map((value) => value(args)) as Knex.RawBinding[]);
    // knex.raw hands back the driver's answer: rows on SQLite, a result with rows on PostgreSQL.
    return (isPostgres(db) ? (result as { rows: R[] }).rows : result) as R[];
  };
}
