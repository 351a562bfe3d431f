import type { Knex } from "knex";
import { isPostgres } from "../db/knex";
import type { TallyKey, TallyRow } from "../domain/use-tally";

// The use tallies: knex in, typed rows out (see db/migrations/20261206150100_use_tallies.ts).

type Db = Knex | Knex.Transaction;

export const TALLY_COLUMNS = ["provider_id", "purchaser_id", "kind", "named_contract_id", "via_schedule", "product_id", "status", "month"] as const;

export type DirtyClient = { client_id: number; version: number };

/** Is any client waiting to be counted again? One indexed look, no transaction. */
export async function anyDirty(db: Db): Promise<boolean> {
  return (await db("use_dirty").first("client_id")) !== undefined;
}

/** The next clients to count, locked on PostgreSQL so a second counter waits for the first. */
export function takeDirty(trx: Knex.Transaction, limit: number): Promise<DirtyClient[]> {
  const q = trx("use_dirty").orderBy("client_id").limit(limit).select("client_id", "version");
  return isPostgres(trx) ? q.forUpdate() : q;
}

/** Clears what was counted; a client changed meanwhile (a higher version) stays to be counted again. */
export async function clearDirty(trx: Knex.Transaction, counted: DirtyClient[]): Promise<void> {
  const byVersion = new Map<number, number[]>();
  for (const d of counted) byVersion.set(Number(d.version), [...(byVersion.get(Number(d.version)) ?? []), d.client_id]);
  for (const [version, ids] of byVersion) await trx("use_dirty").where("version", version).whereIn("client_id", ids).delete();
}

const normal = (r: Record<string, unknown>): TallyRow => ({
  ...(r as TallyRow),
  units: Number(r.units),
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
  return rows.map((r: Record<string, unknown>) => ({ ...(r as PairTally), units: Number(r.units), via_schedule: Boolean(r.via_schedule) }));
}

/** Locations of these providers holding attendance that could count, dated after `date`. */
export async function locationsWithRowsAfter(db: Db, locationIds: number[], date: string, statuses: readonly string[]): Promise<Set<number>> {
  if (locationIds.length === 0) return new Set();
  const rows: { location_id: number }[] = await db("attendance").whereIn("location_id", locationIds).where("date", ">", date).whereIn("status", [...statuses]).distinct("location_id");
  return new Set(rows.map((r) => r.location_id));
}
