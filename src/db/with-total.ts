import type { Knex } from "knex";
import { prepared } from "./compiled";
import { countOf, toNumber } from "./numbers";

/** The column that carries the list's count beside each row of its page. */
const TOTAL = "list_total";

/**
 * One page of a list and how many rows the whole list has, in one query instead of two: the
 * count rides along each row as `count(*) over ()` (a window is computed over every matching row,
 * before LIMIT and OFFSET). On PostgreSQL that is one round trip to another process instead of
 * two. For lists whose matching rows are few (an organisation's API tokens): the window reads
 * every one of them, where a count alone might be answered from an index and the page stop at
 * its limit. On PostgreSQL it runs as a prepared statement (src/db/compiled.ts), so it must name
 * its columns. `page` is the list's query with its columns, order, limit and offset, and no
 * DISTINCT or GROUP BY (the window would count what comes before them); a page past the end has
 * no row to carry the count, so then `count` is asked on its own.
 */
export async function withTotal<T>(db: Knex, page: Knex.QueryBuilder, count: () => Knex.QueryBuilder, offset: number): Promise<{ total: number; rows: T[] }> {
  const rows = (await prepared(db, page.select(db.raw("count(*) over () as ??", [TOTAL])))) as (T & { [TOTAL]?: unknown })[];
  if (rows.length === 0) return { total: offset === 0 ? 0 : countOf((await count().count({ n: "*" }))[0]), rows: [] };
  const total = toNumber(rows[0][TOTAL] as number | string);
  for (const r of rows) delete r[TOTAL];
  return { total, rows };
}
