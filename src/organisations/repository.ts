import type { Knex } from "knex";
import { withNameKeys } from "../db/name-keys";
import type { Scope } from "../auth/scope";
import { toNumber } from "../db/numbers";
import { prepared } from "../db/compiled";

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

export async function listOrganisations(db: Knex, scope: Scope | null): Promise<OrganisationRow[]> {
  const q = db("organisations").select([...ORGANISATION_COLUMNS]).orderBy([{ column: "kind", order: "desc" }, { column: "sort_key" }]);
  // Planning it took longer than running it (src/db/compiled.ts).
  const rows: OrganisationRow[] = await prepared(db, scope ? scope.organisations(q) : q);
  return rows;
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
