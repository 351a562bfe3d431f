import type { Knex } from "knex";
import { whereKeyHoldsWords, withNameKeys } from "../db/name-keys";
import type { Scope } from "../auth/scope";
import type { OrganisationRow } from "../organisations/repository";
import type { StoredRule } from "../domain/capacity";
import type { Dagdeel } from "../domain/dagdeel";
import { lockRow } from "../db/dialect";
import { prepared } from "../db/compiled";
import { withTotal } from "../db/with-total";

// Locations, their capacity rules and the providers' closures. Reads that serve a user take
// the scope; writes are only reached after the service checked ownership.

type Db = Knex | Knex.Transaction;

export type LocationRow = {
  id: number;
  provider_id: number;
  provider_name: string;
  provider_subkind: string;
  name: string;
  street: string;
  postcode: string;
  village_id: number;
  village: string;
  province: string;
  morning_start: string;
  morning_end: string;
  afternoon_start: string;
  afternoon_end: string;
  active: boolean;
};

export type LocationInput = {
  name: string;
  street: string;
  postcode: string;
  village_id: number;
  morning_start: string;
  morning_end: string;
  afternoon_start: string;
  afternoon_end: string;
  active: boolean;
};

function locationQuery(db: Db) {
  return db("locations as l")
    .join("organisations as o", "o.id", "l.provider_id")
    .join("villages as v", "v.id", "l.village_id")
    .select(
      "l.id",
      "l.provider_id",
      "o.name as provider_name",
      "o.subkind as provider_subkind",
      "l.name",
      "l.street",
      "l.postcode",
      "l.village_id",
      "v.name as village",
      "v.province",
      "l.morning_start",
      "l.morning_end",
      "l.afternoon_start",
      "l.afternoon_end",
      "l.active",
    );
}

function toLocation(row: LocationRow): LocationRow {
  return { ...row, active: Boolean(row.active) };
}

/** What narrows /locaties: words of the location's, provider's or village's name, the provider's kind, active or not. */
export type LocationListFilter = { words: string[]; subkind: string | null; active: boolean | null };

/**
 * One page of the locations the actor may see, by provider and name, and how many there are
 * (/locaties and the API's /locations: a region's coordinator sees some 200). Count and page in one
 * query (withTotal).
 */
export async function pageOfLocations(db: Knex, scope: Scope, filter: LocationListFilter, limit: number, offset: number): Promise<{ total: number; rows: LocationRow[] }> {
  const narrowed = (q: Knex.QueryBuilder) => {
    if (filter.words.length) whereKeyHoldsWords(q, "(l.search_key || ' ' || o.search_key || ' ' || v.search_key)", filter.words);
    if (filter.subkind !== null) q.where("o.subkind", filter.subkind);
    if (filter.active !== null) q.where("l.active", filter.active);
    return scope.providers(q, "l.provider_id");
  };
  const page = narrowed(locationQuery(db)).orderBy([{ column: "o.sort_key" }, { column: "l.sort_key" }, { column: "l.id" }]).limit(limit).offset(offset);
  const count = () => narrowed(db("locations as l").join("organisations as o", "o.id", "l.provider_id").join("villages as v", "v.id", "l.village_id"));
  const { total, rows } = await withTotal<LocationRow>(db, page, count, offset);
  return { total, rows: rows.map(toLocation) };
}

/** The locations in the actor's scope by village and name (where attendance is recorded, transport planned). */
/**
 * The locations the actor may see, by village and name; `words` (folded, searchWords) narrows
 * them to those whose name, provider or village holds every word, as the location search does.
 */
export async function locationsInScope(db: Db, scope: Scope, options: { activeOnly?: boolean; words?: string[] } = {}): Promise<LocationRow[]> {
  const q = locationQuery(db).orderBy([{ column: "v.sort_key" }, { column: "l.sort_key" }, { column: "l.id" }]);
  if (options.activeOnly) q.where("l.active", true);
  if (options.words?.length) whereKeyHoldsWords(q, "(l.search_key || ' ' || o.search_key || ' ' || v.search_key)", options.words);
  // A named statement on PostgreSQL: the attendance and transport pages ask it every time (src/db/compiled.ts).
  return ((await prepared(db, scope.providers(q, "l.provider_id"))) as LocationRow[]).map(toLocation);
}

/** A location the actor may see, or undefined (the caller answers 404). */
export async function findLocation(db: Db, scope: Scope, id: number): Promise<LocationRow | undefined> {
  const row = (await scope.providers(locationQuery(db).where("l.id", id), "l.provider_id").first()) as LocationRow | undefined;
  return row ? toLocation(row) : undefined;
}

export async function locationsOfProvider(db: Db, providerId: number): Promise<LocationRow[]> {
  const rows = (await locationQuery(db).where("l.provider_id", providerId).orderBy("l.sort_key")) as LocationRow[];
  return rows.map(toLocation);
}

export async function sameNameLocation(db: Db, providerId: number, name: string): Promise<{ id: number } | undefined> {
  return db("locations as l").where("l.provider_id", providerId).where("l.name", name).first("l.id");
}

export async function insertLocation(db: Db, row: LocationInput & { provider_id: number; created_at: string; updated_at: string }): Promise<number> {
  const [inserted] = await db("locations").insert(withNameKeys("locations", row)).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

export async function updateLocation(db: Db, id: number, changes: Partial<LocationInput> & { updated_at: string }): Promise<void> {
  await db("locations").where({ id }).update(withNameKeys("locations", changes));
}

export type VillageRow = { id: number; name: string; municipality: string; province: string };

export function listVillages(db: Db): Promise<VillageRow[]> {
  return db("villages").select("id", "name", "municipality", "province").orderBy([{ column: "municipality" }, { column: "sort_key" }]);
}

export function findVillage(db: Db, id: number): Promise<VillageRow | undefined> {
  return db("villages").where({ id }).first("id", "name", "municipality", "province");
}

// --- providers, whose closures a coordinator keeps ------------------------------------------

export type ProviderRow = Pick<OrganisationRow, "id" | "name">;

function providerQuery(db: Db, scope: Scope) {
  return scope.providers(db("organisations as o").where("o.kind", "provider").select("o.id", "o.name"), "o.id");
}

export function listProviders(db: Db, scope: Scope): Promise<ProviderRow[]> {
  return providerQuery(db, scope).orderBy("o.sort_key");
}

export function findProvider(db: Db, scope: Scope, id: number): Promise<ProviderRow | undefined> {
  return providerQuery(db, scope).where("o.id", id).first();
}

// --- capacity rules -------------------------------------------------------------------------

/** Serialises capacity changes of one location on PostgreSQL (SQLite has a single writer anyway). */
export async function lockLocation(trx: Knex.Transaction, id: number): Promise<void> {
  await lockRow(trx, "locations", id);
}

export type RuleRow = StoredRule & { location_id: number };

export function rulesOf(db: Db, locationId: number): Promise<RuleRow[]> {
  return db("capacity_rules")
    .where({ location_id: locationId })
    .select("id", "location_id", "weekday", "dagdeel", "places", "valid_from", "valid_until")
    .orderBy([{ column: "valid_from", order: "desc" }, { column: "weekday" }, { column: "dagdeel", order: "desc" }]);
}

export async function endRule(db: Db, id: number, validUntil: string, at: string): Promise<void> {
  await db("capacity_rules").where({ id }).update({ valid_until: validUntil, updated_at: at });
}

export async function deleteRules(db: Db, ids: number[]): Promise<void> {
  if (ids.length > 0) await db("capacity_rules").whereIn("id", ids).delete();
}

export async function insertRules(
  db: Db,
  locationId: number,
  rules: { weekday: number; dagdeel: Dagdeel; places: number; valid_from: string; valid_until: string | null }[],
  at: string,
): Promise<void> {
  if (rules.length === 0) return;
  await db("capacity_rules").insert(rules.map((r) => ({ ...r, location_id: locationId, created_at: at, updated_at: at })));
}

// --- closures -------------------------------------------------------------------------------

export type ClosureRow = {
  id: number;
  provider_id: number;
  location_id: number | null;
  location_name: string | null;
  starts_on: string;
  ends_on: string;
  dagdeel: Dagdeel | null;
  reason: string;
  created_by: number | null;
  created_by_name: string | null;
  created_at: string;
};

function closureQuery(db: Db) {
  return db("closures as c")
    .leftJoin("locations as l", "l.id", "c.location_id")
    .leftJoin("users as u", "u.id", "c.created_by")
    .select(
      "c.id",
      "c.provider_id",
      "c.location_id",
      "l.name as location_name",
      "c.starts_on",
      "c.ends_on",
      "c.dagdeel",
      "c.reason",
      "c.created_by",
      "u.name as created_by_name",
      "c.created_at",
    );
}

/** The provider's closures that touch [from, until] (until null: everything from `from` on). */
export function closuresOfProvider(db: Db, providerId: number, from: string | null, until: string | null): Promise<ClosureRow[]> {
  const q = closureQuery(db).where("c.provider_id", providerId);
  if (from) q.where("c.ends_on", ">=", from);
  if (until) q.where("c.starts_on", "<=", until);
  return q.orderBy([{ column: "c.starts_on" }, { column: "c.id" }]);
}

/** The provider's latest closures that ended before `before`, the latest first: the page shows a few, never the years behind them. */
export function pastClosuresOfProvider(db: Db, providerId: number, before: string, limit: number): Promise<ClosureRow[]> {
  return closureQuery(db)
    .where("c.provider_id", providerId)
    .where("c.ends_on", "<", before)
    .orderBy([{ column: "c.starts_on", order: "desc" }, { column: "c.id", order: "desc" }])
    .limit(limit);
}

/** Closures that apply to one location: its own and those of all its provider's locations. */
export function closuresOfLocation(db: Db, providerId: number, locationId: number, from: string): Promise<ClosureRow[]> {
  return closureQuery(db)
    .where("c.provider_id", providerId)
    .where((w) => w.whereNull("c.location_id").orWhere("c.location_id", locationId))
    .where("c.ends_on", ">=", from)
    .orderBy([{ column: "c.starts_on" }, { column: "c.id" }]);
}

export async function findClosure(db: Db, scope: Scope, id: number): Promise<ClosureRow | undefined> {
  return scope.providers(closureQuery(db).where("c.id", id), "c.provider_id").first();
}

export async function insertClosure(
  db: Db,
  row: { provider_id: number; location_id: number | null; starts_on: string; ends_on: string; dagdeel: Dagdeel | null; reason: string; created_by: number; created_at: string; updated_at: string },
): Promise<number> {
  const [inserted] = await db("closures").insert(row).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

export async function deleteClosure(db: Db, id: number): Promise<void> {
  await db("closures").where({ id }).delete();
}

// --- clients, for the names in an impact list or a week view ---------------------------------

export async function clientNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows: { id: number; first_name: string; last_name: string }[] = await db("clients")
    .whereIn("id", [...new Set(ids)])
    .select("id", "first_name", "last_name");
  return new Map(rows.map((r) => [r.id, `${r.first_name} ${r.last_name}`]));
}
