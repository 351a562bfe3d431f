import type { Knex } from "knex";
import { toNumber } from "../db/numbers";
import { ensureVersionTriggers } from "./triggers";
import type { VersionName } from "./watched";

// The data versions (db/migrations/20261207020100_data_versions.ts): one named row each in
// `data_versions`, a number raised in the same transaction as every write that can change the
// answers kept against it — by database triggers ('problems', 'board'; ./watched.ts) or by the
// code that changes what it stands for ('use': refreshUse()). A reader reads the version BEFORE
// the data: an answer may be newer than its version (the next request computes again) but never
// older. In the database, so every app process on one PostgreSQL sees every raise.

type Db = Knex | Knex.Transaction;

/** A version now (its triggers made sure of first): one query on the primary key. */
export async function dataVersion(db: Knex, name: VersionName): Promise<number> {
  await ensureVersionTriggers(db);
  return readVersion(db, name);
}

/** A version as it stands, without looking at the triggers (inside a transaction, or where they are known to be there). */
export async function readVersion(db: Db, name: VersionName): Promise<number> {
  const row = await db("data_versions").where({ name }).first("version");
  return row === undefined ? 0 : toNumber(row.version);
}

/**
 * A version as a subquery, for a query every request runs anyway (the session's user,
 * src/auth/repository.ts; a calendar feed's row): a kept answer then costs no round trip of its
 * own. The caller makes sure of the triggers (ensureVersionTriggers) before trusting it.
 */
export function versionSubquery(db: Knex, name: VersionName): Knex.QueryBuilder {
  return db("data_versions").where({ name }).select("version");
}

/** Raises a version in the caller's transaction (the versions no trigger raises: 'use'). */
export async function raiseVersion(trx: Knex.Transaction, name: VersionName): Promise<void> {
  const raised = await trx("data_versions").where({ name }).increment("version", 1);
  // The migrations write every row; should one be gone, it starts again above any version read as 0.
  if (toNumber(raised) === 0) await trx("data_versions").insert({ name, version: 1 });
}

/** Every version as it stands; none while the database has no `data_versions` yet (an empty or old one). */
export async function allVersions(db: Knex): Promise<Map<string, number>> {
  if (!(await db.schema.hasTable("data_versions"))) return new Map();
  const rows: { name: string; version: unknown }[] = await db("data_versions").select("name", "version");
  return new Map(rows.map((r) => [r.name, toNumber(r.version)]));
}

/**
 * After a restore: every version one above both what the restored rows say and what it was
 * before. A running process keeps answers under the numbers it last read; the restored rows
 * would otherwise count up to those numbers again and hand out answers of the replaced data.
 */
export async function raiseAbove(db: Knex, before: Map<string, number>): Promise<void> {
  if (!(await db.schema.hasTable("data_versions"))) return;
  await db.transaction(async (trx) => {
    const rows: { name: string; version: unknown }[] = await trx("data_versions").select("name", "version");
    for (const r of rows) {
      await trx("data_versions").where({ name: r.name }).update({ version: Math.max(toNumber(r.version), before.get(r.name) ?? 0) + 1 });
    }
  });
}
