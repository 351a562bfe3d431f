import type { Knex } from "knex";
import { forUpdate, isPostgres } from "../db/dialect";
import { toNumber } from "../db/numbers";
import type { TallyKey, TallyRow } from "../domain/use-tally";
import type { DirtySource } from "./triggers";
import { raiseVersion, readVersion, versionSubquery } from "../data-version/versions";

// The use tallies: knex in, typed rows out (see db/migrations/20261206150100_use_tallies.ts).

type Db = Knex | Knex.Transaction;

export const TALLY_COLUMNS = ["provider_id", "purchaser_id", "kind", "named_contract_id", "via_schedule", "product_id", "status", "month"] as const;

export type Dirty = { source: DirtySource; source_id: number; version: number };

/** Is anything waiting to be counted again? One indexed look, no transaction. */
export async function anyDirty(db: Db): Promise<boolean> {
  return (await db("use_dirty").first("source_id")) !== undefined;
}

/**
 * The next marks to count, locked so a second counter waits for the first: on PostgreSQL the
 * rows; on SQLite the whole database, by writing first (a transaction that read before its first
 * write fails at once, instead of waiting, when another process wrote in between).
 */
export async function takeDirty(trx: Knex.Transaction, limit: number): Promise<Dirty[]> {
  const q = trx("use_dirty").orderBy(["source", "source_id"]).limit(limit).select("source", "source_id", "version");
  if (isPostgres(trx)) return forUpdate(trx, q);
  await trx("use_dirty").where("version", "<", 0).update({ version: 0 });
  return q;
}

/** The clients behind marks: a schedule's client, the clients a product, contract or location pays or serves. */
export async function clientsOf(trx: Knex.Transaction, marks: Dirty[]): Promise<number[]> {
  const ids = (source: DirtySource) => marks.filter((m) => m.source === source).map((m) => m.source_id);
  const out = new Set(ids("client"));
  const add = (rows: { client_id: number }[]) => rows.forEach((r) => out.add(r.client_id));
  if (ids("schedule").length > 0) add(await trx("schedules").whereIn("id", ids("schedule")).select("client_id"));
  if (ids("product").length > 0) add(await trx("allocations").whereIn("product_id", ids("product")).distinct("client_id"));
  if (ids("contract").length > 0) add(await trx("schedules").whereIn("contract_id", ids("contract")).distinct("client_id"));
  if (ids("location").length > 0) {
    add(await trx("schedules").whereIn("location_id", ids("location")).distinct("client_id"));
    add(await trx("attendance").whereIn("location_id", ids("location")).distinct("client_id"));
  }
  return [...out].sort((a, b) => a - b);
}

/** Clears what was counted; a mark changed meanwhile (a higher version) stays to be counted again. */
export async function clearDirty(trx: Knex.Transaction, counted: Dirty[]): Promise<void> {
  const groups = new Map<string, number[]>();
  for (const d of counted) {
    const key = `${d.source}|${Number(d.version)}`;
    groups.set(key, [...(groups.get(key) ?? []), d.source_id]);
  }
  for (const [key, ids] of groups) {
    const [source, version] = key.split("|");
    await trx("use_dirty").where({ source, version: Number(version) }).whereIn("source_id", ids).delete();
  }
}

const normal = (r: Record<string, unknown>): TallyRow => ({
  ...(r as TallyRow),
  units: toNumber(r.units),
  via_schedule: Boolean(r.via_schedule),
});

export async function clientTallies(db: Db, clientIds: number[]): Promise<TallyRow[]> {
  if (clientIds.length === 0) return [];
  return (await db("use_client_tallies").whereIn("client_id", clientIds).select("client_id", "location_id", ...TALLY_COLUMNS, "units", "last_date")).map(normal);
}

export async function replaceClientTallies(trx: Knex.Transaction, clientIds: number[], rows: TallyRow[]): Promise<void> {
  await trx("use_client_tallies").whereIn("client_id", clientIds).delete();
  for (let i = 0; i < rows.length; i += 400) await trx("use_client_tallies").insert(rows.slice(i, i + 400));
}

/** Adds these differences to the pair tallies (an insert, or units added to the row there is). */
export async function addToTallies(trx: Knex.Transaction, deltas: (TallyKey & { units: number })[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += 400) {
    await trx("use_tallies")
      .insert(deltas.slice(i, i + 400))
      .onConflict([...TALLY_COLUMNS])
      .merge({ units: trx.raw("use_tallies.units + excluded.units") });
  }
}

export type PairTally = TallyKey & { units: number };

/** The tallies of these providers with these purchasers between two months (inclusive): the caller keeps the pairs it asked for. */
export async function pairTallies(db: Db, providerIds: number[], purchaserIds: number[], fromMonth: string, untilMonth: string): Promise<PairTally[]> {
  if (providerIds.length === 0 || purchaserIds.length === 0 || untilMonth < fromMonth) return [];
  const rows = await db("use_tallies")
    .whereIn("purchaser_id", purchaserIds)
    .whereIn("provider_id", providerIds)
    .whereBetween("month", [fromMonth, untilMonth])
    .whereNot("units", 0)
    .select(...TALLY_COLUMNS, "units");
  return rows.map((r: Record<string, unknown>) => ({ ...(r as PairTally), units: toNumber(r.units), via_schedule: Boolean(r.via_schedule) }));
}

export type VillageTally = PairTally & { village: string | null };

/**
 * The client tallies of these providers with these purchasers between two months, summed per
 * village (by name, null: none on file) — the client's own or the location's where the
 * dagdelen were delivered — in the database: a gemeente's year is some 26,000 client rows.
 */
export async function villageTallies(db: Db, by: "client" | "locatie", providerIds: number[], purchaserIds: number[], fromMonth: string, untilMonth: string): Promise<VillageTally[]> {
  if (providerIds.length === 0 || purchaserIds.length === 0 || untilMonth < fromMonth) return [];
  const q = db("use_client_tallies as t");
  if (by === "client") q.leftJoin("clients as c", "c.id", "t.client_id").leftJoin("villages as v", "v.id", "c.village_id");
  else q.leftJoin("locations as l", "l.id", "t.location_id").leftJoin("villages as v", "v.id", "l.village_id");
  const columns = TALLY_COLUMNS.map((c) => `t.${c}`);
  const rows = await q
    .whereIn("t.purchaser_id", purchaserIds)
    .whereIn("t.provider_id", providerIds)
    .whereBetween("t.month", [fromMonth, untilMonth])
    .whereNot("t.units", 0)
    .groupBy("v.name", ...columns)
    .select("v.name as village", ...columns)
    .sum({ units: "t.units" });
  return rows.map((r: Record<string, unknown>) => ({ ...(r as VillageTally), units: toNumber(r.units), via_schedule: Boolean(r.via_schedule) }));
}

/** Locations of these providers holding attendance that could count, dated after `date`. */
export async function locationsWithRowsAfter(db: Db, locationIds: number[], date: string, statuses: readonly string[]): Promise<Set<number>> {
  if (locationIds.length === 0) return new Set();
  const rows: { location_id: number }[] = await db("attendance").whereIn("location_id", locationIds).where("date", ">", date).whereIn("status", [...statuses]).distinct("location_id");
  return new Set(rows.map((r) => r.location_id));
}

/** The version of the counted use (the row 'use' of data_versions, src/data-version/versions.ts). */
export const useVersion = (db: Db): Promise<number> => readVersion(db, "use");

/**
 * The use version, or null while anything waits to be counted: both in one query (one round
 * trip on PostgreSQL instead of two one after the other, and one snapshot: the version is never
 * read after a change that the look for waiting marks missed).
 */
export async function settledVersion(db: Knex): Promise<number | null> {
  const row = await db
    .select({ dirty: db("use_dirty").select("source_id").limit(1), version: versionSubquery(db, "use") })
    .first();
  if (row.dirty !== null && row.dirty !== undefined) return null;
  return row.version === null || row.version === undefined ? 0 : toNumber(row.version);
}

/** Raised in the transaction that counted clients again: use read before it no longer holds. */
export const raiseUseVersion = (trx: Knex.Transaction): Promise<void> => raiseVersion(trx, "use");
