import type { Knex } from "knex";
import { whereKeyHoldsWords, withNameKeys } from "../db/name-keys";
import type { Scope } from "../auth/scope";
import { toNumber } from "../db/numbers";
import { prepared } from "../db/compiled";
import { withTotal } from "../db/with-total";
import type { OrganisationFilter } from "./list-filter";

export type OrganisationKind = "purchaser" | "provider";
export type OrganisationSubkind = "gemeente" | "zorgkantoor" | "dorpsdagvoorziening" | "zorgboerderij" | "overig";

export type OrganisationRow = {
  id: number;
  kind: OrganisationKind;
  subkind: OrganisationSubkind;
  name: string;
  agb_code: string | null;
  kvk_number: string | null;
  gemeentecode: string | null;
  email: string | null;
  phone: string | null;
  active: boolean | number;
  created_at: string;
  updated_at: string;
};

export type OrganisationInput = Pick<
  OrganisationRow,
  "kind" | "subkind" | "name" | "agb_code" | "kvk_number" | "gemeentecode" | "email" | "phone"
>;

/** The columns of an OrganisationRow, named: the list below is a named statement on PostgreSQL, whose columns must not change under them. */
const ORGANISATION_COLUMNS = ["id", "kind", "subkind", "name", "agb_code", "kvk_number", "gemeentecode", "email", "phone", "active", "created_at", "updated_at"] as const;

/** Every organisation the scope allows (null: all), unpaged: the choice in the admin's user form. The lists page through pageOfOrganisations. */
export async function listOrganisations(db: Knex, scope: Scope | null): Promise<OrganisationRow[]> {
  const q = db("organisations").select([...ORGANISATION_COLUMNS]).orderBy([{ column: "kind", order: "desc" }, { column: "sort_key" }]);
  // Planning it took longer than running it (src/db/compiled.ts).
  const rows: OrganisationRow[] = await prepared(db, scope ? scope.organisations(q) : q);
  return rows;
}

/** The list's order: purchasers before providers, then by name (and by id where two names sort alike, so pages never overlap). */
const LIST_ORDER = [{ column: "kind", order: "desc" }, { column: "sort_key" }, { column: "id" }];

/**
 * A search word must occur in the name's folded key or in one of its codes (AGB, KvK,
 * gemeentecode: digits, which folding leaves as they are). Our own SQL, never input: the words
 * are bound (whereKeyHoldsWords). A missing code is '' (|| with NULL is NULL on both databases).
 */
const SEARCHED = "(coalesce(search_key, '') || ' ' || coalesce(agb_code, '') || ' ' || coalesce(kvk_number, '') || ' ' || coalesce(gemeentecode, ''))";

function filtered(db: Knex, scope: Scope | null, filter: OrganisationFilter): Knex.QueryBuilder {
  const q = db("organisations");
  whereKeyHoldsWords(q, SEARCHED, filter.words);
  if (filter.subkind !== null) q.where("subkind", filter.subkind);
  if (filter.active !== null) q.where("active", filter.active);
  return scope ? scope.organisations(q) : q;
}

/**
 * One page of the organisations the actor may see that match the filter, and how many match:
 * one query (withTotal). A region's organisations are a few hundred, so the window counting
 * them all is cheap. `scope` null is every organisation (the admin's list).
 */
export function pageOfOrganisations(db: Knex, scope: Scope | null, filter: OrganisationFilter, limit: number, offset: number): Promise<{ total: number; rows: OrganisationRow[] }> {
  const page = filtered(db, scope, filter).select([...ORGANISATION_COLUMNS]).orderBy(LIST_ORDER).limit(limit).offset(offset);
  return withTotal<OrganisationRow>(db, page, () => filtered(db, scope, filter), offset);
}

export function findOrganisation(db: Knex, scope: Scope | null, id: number): Promise<OrganisationRow | undefined> {
  const q = db<OrganisationRow>("organisations").where("organisations.id", id).first();
  return scope ? scope.organisations(q) : q;
}

export async function insertOrganisation(db: Knex | Knex.Transaction, row: OrganisationInput & { created_at: string; updated_at: string }): Promise<number> {
  const [inserted] = await db("organisations").insert(withNameKeys("organisations", row)).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

export async function updateOrganisation(db: Knex | Knex.Transaction, id: number, changes: Partial<OrganisationRow>): Promise<void> {
  await db("organisations").where({ id }).update(withNameKeys("organisations", changes));
}

export function findOrganisationByName(db: Knex | Knex.Transaction, kind: OrganisationKind, name: string) {
  return db<OrganisationRow>("organisations").where({ kind, name }).first();
}

export function findOrganisationByAgb(db: Knex | Knex.Transaction, agb: string) {
  return db<OrganisationRow>("organisations").where({ agb_code: agb }).first();
}

export type LocationSummary = { id: number; name: string; village: string; street: string; active: boolean | number };

export function locationsOf(db: Knex, providerId: number): Promise<LocationSummary[]> {
  return db("locations as l")
    .join("villages as v", "v.id", "l.village_id")
    .where("l.provider_id", providerId)
    .select("l.id", "l.name", "v.name as village", "l.street", "l.active")
    .orderBy("l.sort_key");
}

export type ContractSummary = { id: number; reference: string; kind: string; status: string; valid_from: string; valid_until: string; counterpart: string };

export function contractsOf(db: Knex, scope: Scope, organisationId: number): Promise<ContractSummary[]> {
  const q = db("contracts as c")
    .join("organisations as pu", "pu.id", "c.purchaser_id")
    .join("organisations as pr", "pr.id", "c.provider_id")
    .where((w) => w.where("c.purchaser_id", organisationId).orWhere("c.provider_id", organisationId))
    .select(
      "c.id",
      "c.reference",
      "c.kind",
      "c.status",
      "c.valid_from",
      "c.valid_until",
      db.raw("case when c.purchaser_id = ? then pr.name else pu.name end as counterpart", [organisationId]),
    )
    .orderBy("c.valid_from", "desc");
  return scope.purchasers(scope.providers(q, "c.provider_id"), "c.purchaser_id");
}

/**
 * How many rows lean on an organisation being what it is (a provider's locations, closures and
 * allocations, a purchaser's contracts, either side's declarations, its users): changing its
 * kind under them would leave them pointing at the wrong kind. Six counts.
 */
export async function dependentCount(db: Knex | Knex.Transaction, id: number): Promise<number> {
  const counts = [
    db("locations").where({ provider_id: id }),
    db("closures").where({ provider_id: id }),
    db("contracts").where((w) => w.where({ provider_id: id }).orWhere({ purchaser_id: id })),
    db("allocations").where((w) => w.where({ provider_id: id }).orWhere({ purchaser_id: id })),
    db("declarations").where((w) => w.where({ provider_id: id }).orWhere({ purchaser_id: id })),
    db("users").where({ organisation_id: id }),
  ];
  let total = 0;
  for (const q of counts) {
    const [row] = (await q.count({ n: "*" })) as { n: number | string }[];
    total += toNumber(row.n);
  }
  return total;
}
