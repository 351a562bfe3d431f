import type { Knex } from "knex";
import { refreshUse } from "../../src/use/refresh";

/**
 * How often the use-tally triggers (src/use/triggers.ts) marked a client since its use was last
 * counted: 0 when unmarked. A write by any path (page, JSON API, spreadsheet or WMO301 import)
 * must raise it in the same transaction.
 */
export async function dirtyVersion(db: Knex, clientId: number): Promise<number> {
  const row = await db("use_dirty").where({ source: "client", source_id: clientId }).first("version");
  return row ? Number(row.version) : 0;
}

/**
 * What a started server has done before its first request (src/startup.ts): the triggers are in
 * place and everything is counted, so nothing is marked. A test app starts without it.
 */
export async function countedAsAtStart(db: Knex): Promise<void> {
  await refreshUse(db);
}
