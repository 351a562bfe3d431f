import type { Knex } from "knex";
import type { Dagdeel } from "../domain/dagdeel";
import { groupSlots, type Slot } from "../domain/schedule";
import { forUpdate, lockRow } from "../db/dialect";
import { countOf, toNumber } from "../db/numbers";

// The waiting list: knex in, typed rows out.

type Db = Knex | Knex.Transaction;

export type WaitlistStatus = "wachtend" | "geplaatst" | "vervallen";

export type EntryRow = {
  id: number;
  client_id: number;
  client_name: string;
  location_id: number;
  location_name: string;
  provider_id: number;
  since: string;
  priority: number;
  status: WaitlistStatus;
  note: string | null;
  funding: WaitlistFunding;
  village_name: string;
  municipality: string;
  slots: Slot[];
};

export const WAITLIST_FUNDINGS = ["toewijzing", "subsidie", "pgb", "eigen"] as const;
export type WaitlistFunding = (typeof WAITLIST_FUNDINGS)[number];

/**
 * Entries with their wished slots and names, by need: priority first (1 is the most urgent),
 * then the longest waiting. One query whatever the number of entries. The regional view
 * narrows by the location's village or gemeente (gemeentecode of its village).
 */
export type EntryFilter = { status?: WaitlistStatus; locationIds?: number[]; id?: number; clientId?: number; villageId?: number; gemeentecode?: string };

const BY_NEED = [{ column: "w.priority" }, { column: "w.since" }, { column: "w.id" }];

function filtered(q: Knex.QueryBuilder, filter: EntryFilter): Knex.QueryBuilder {
  if (filter.status) q.where("w.status", filter.status);
  if (filter.locationIds) q.whereIn("w.location_id", filter.locationIds);
  if (filter.id !== undefined) q.where("w.id", filter.id);
  if (filter.clientId !== undefined) q.where("w.client_id", filter.clientId);
  if (filter.villageId !== undefined || filter.gemeentecode !== undefined) {
    q.whereIn("w.location_id", function (this: Knex.QueryBuilder) {
      this.select("fl.id").from("locations as fl").join("villages as fv", "fv.id", "fl.village_id");
      if (filter.villageId !== undefined) this.where("fv.id", filter.villageId);
      if (filter.gemeentecode !== undefined) this.where("fv.gemeentecode", filter.gemeentecode);
    });
  }
  return q;
}

export async function countEntries(db: Db, filter: EntryFilter): Promise<number> {
  const [row] = await filtered(db("waitlist_entries as w"), filter).count({ n: "*" });
  return countOf(row);
}

/** One page of entries (by need), or all of them without `page`. */
export async function listEntries(db: Db, filter: EntryFilter, page?: { limit: number; offset: number }): Promise<EntryRow[]> {
  const q = db("waitlist_entries as w")
    .join("clients as c", "c.id", "w.client_id")
    .join("locations as l", "l.id", "w.location_id")
    .join("villages as v", "v.id", "l.village_id")
    .leftJoin("waitlist_slots as ws", "ws.waitlist_entry_id", "w.id")
    .select(
      "w.id", "w.client_id", db.raw("c.first_name || ' ' || c.last_name as client_name"), "w.location_id", "l.name as location_name",
      "l.provider_id", "w.since", "w.priority", "w.status", "w.note", "w.funding",
      "v.name as village_name", "v.municipality", "ws.weekday", "ws.dagdeel",
    )
    .orderBy([...BY_NEED, { column: "ws.weekday" }, { column: "ws.dagdeel", order: "desc" }]);
  filtered(q, filter);
  if (page) {
    // The page is chosen on the entries, before their slots multiply the rows.
    const ids = filtered(db("waitlist_entries as w"), filter)
      .select("w.id")
      .orderBy(BY_NEED)
      .limit(page.limit)
      .offset(page.offset);
    q.whereIn("w.id", ids);
  }
  const rows: (Omit<EntryRow, "slots"> & { weekday: number | null; dagdeel: Dagdeel | null })[] = await q;
  // SQLite and PostgreSQL may hand the priority back as a string.
  return groupSlots(rows).map((e) => ({ ...e, priority: toNumber(e.priority) }));
}

export async function findEntry(db: Db, id: number): Promise<EntryRow | undefined> {
  return (await listEntries(db, { id }))[0];
}

export async function insertEntry(
  trx: Db,
  row: { client_id: number; location_id: number; since: string; priority: number; note: string | null; funding: WaitlistFunding; created_at: string },
  slots: Slot[],
): Promise<number> {
  const [r] = await trx("waitlist_entries").insert({ ...row, status: "wachtend", updated_at: row.created_at }).returning("id");
  const id = typeof r === "object" ? r.id : r;
  await trx("waitlist_slots").insert(slots.map((s) => ({ waitlist_entry_id: id, weekday: s.weekday, dagdeel: s.dagdeel, created_at: row.created_at, updated_at: row.created_at })));
  return id;
}

export async function setStatus(trx: Db, id: number, status: WaitlistStatus, at: string): Promise<void> {
  await trx("waitlist_entries").where({ id }).update({ status, updated_at: at });
}

/**
 * One entry, its row locked until the transaction ends (FOR UPDATE on PostgreSQL): whoever
 * closes an entry (a booking placing it, a coordinator letting it lapse) takes this first and
 * then reads its status, so the second of two at the same moment sees the first's closing.
 */
export async function lockEntry(trx: Db, id: number): Promise<EntryRow | undefined> {
  await lockRow(trx, "waitlist_entries", id);
  return findEntry(trx, id);
}

/**
 * The waiting entries of a client at a location: what a booking there closes. Read inside the
 * booking's transaction, which holds the client's row locked, so no entry of it slips by; the
 * rows locked too, so an entry lapsing at the same moment is closed once, by one of the two.
 */
export function waitingAt(trx: Db, clientId: number, locationId: number): Promise<{ id: number }[]> {
  return forUpdate(trx, trx("waitlist_entries").where({ client_id: clientId, location_id: locationId, status: "wachtend" }).select("id").orderBy("id"));
}

/** The villages and gemeenten that have a location, for the regional view's filters. */
export function villageOptions(db: Knex): Promise<{ id: number; name: string; municipality: string; gemeentecode: string }[]> {
  return db("villages as v")
    .whereExists(db("locations as l").whereRaw("l.village_id = v.id").where("l.active", true).select(db.raw("1")))
    .select("v.id", "v.name", "v.municipality", "v.gemeentecode")
    .orderBy([{ column: "v.municipality" }, { column: "v.name" }]);
}

