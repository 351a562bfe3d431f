import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { toNumber, toNumberOrNull } from "../db/numbers";

type Db = Knex | Knex.Transaction;

export type ContractKind = "inkoop" | "subsidie";
export type ContractStatus = "concept" | "actief" | "beeindigd";
export const CONTRACT_KINDS = ["inkoop", "subsidie"] as const;
export const CONTRACT_STATUSES = ["concept", "actief", "beeindigd"] as const;

/** A contract as read: what is written (ContractFields below), its id and both parties' names. */
export type ContractRow = ContractFields & {
  id: number;
  purchaser_name: string;
  purchaser_subkind: string;
  provider_name: string;
};

export type LineRow = {
  id: number;
  contract_id: number;
  product_id: number;
  product_code: string;
  product_name: string;
  product_unit: string;
  tariff_cents: number;
  volume_ceiling: number | null;
  valid_from: string;
  valid_until: string;
};

export type ContractFields = {
  purchaser_id: number;
  provider_id: number;
  reference: string;
  kind: ContractKind;
  valid_from: string;
  valid_until: string;
  status: ContractStatus;
  budget_ceiling_cents: number | null;
  subsidy_amount_cents: number | null;
  subsidy_target_dagdelen: number | null;
  no_show_billable: boolean;
  notes: string | null;
};

export type LineFields = {
  product_id: number;
  tariff_cents: number;
  volume_ceiling: number | null;
  valid_from: string;
  valid_until: string;
};


function toContract(r: Record<string, unknown>): ContractRow {
  return {
    ...(r as ContractRow),
    budget_ceiling_cents: toNumberOrNull(r.budget_ceiling_cents),
    subsidy_amount_cents: toNumberOrNull(r.subsidy_amount_cents),
    subsidy_target_dagdelen: toNumberOrNull(r.subsidy_target_dagdelen),
    no_show_billable: Boolean(r.no_show_billable),
  };
}

function contractQuery(db: Db) {
  return db("contracts as c")
    .join("organisations as pu", "pu.id", "c.purchaser_id")
    .join("organisations as pr", "pr.id", "c.provider_id")
    .select(
      "c.id",
      "c.purchaser_id",
      "c.provider_id",
      "c.reference",
      "c.kind",
      "c.valid_from",
      "c.valid_until",
      "c.status",
      "c.budget_ceiling_cents",
      "c.subsidy_amount_cents",
      "c.subsidy_target_dagdelen",
      "c.no_show_billable",
      "c.notes",
      "pu.name as purchaser_name",
      "pu.subkind as purchaser_subkind",
      "pr.name as provider_name",
    );
}

/** A purchaser sees its own contracts, a provider its own, coordinators and admins all. */
function scoped(scope: Scope, q: Knex.QueryBuilder): Knex.QueryBuilder {
  return scope.purchasers(scope.providers(q, "c.provider_id"), "c.purchaser_id");
}

export async function listContracts(db: Db, scope: Scope): Promise<ContractRow[]> {
  const rows = await scoped(scope, contractQuery(db).orderBy([{ column: "c.valid_from", order: "desc" }, { column: "c.reference" }]));
  return rows.map(toContract);
}

export async function findContract(db: Db, scope: Scope, id: number): Promise<ContractRow | undefined> {
  const row = await scoped(scope, contractQuery(db).where("c.id", id)).first();
  return row ? toContract(row) : undefined;
}

/** Every contract of these providers, whatever the viewer: pricing needs the whole pair. */
export async function contractsOfProviders(db: Db, providerIds: number[]): Promise<ContractRow[]> {
  if (providerIds.length === 0) return [];
  return (await contractQuery(db).whereIn("c.provider_id", providerIds)).map(toContract);
}

export async function contractsOfPair(db: Db, providerId: number, purchaserId: number): Promise<ContractRow[]> {
  return (await contractQuery(db).where("c.provider_id", providerId).where("c.purchaser_id", purchaserId)).map(toContract);
}

export async function linesOf(db: Db, contractIds: number[]): Promise<LineRow[]> {
  if (contractIds.length === 0) return [];
  const rows: LineRow[] = await db("contract_lines as l")
    .join("products as p", "p.id", "l.product_id")
    .whereIn("l.contract_id", contractIds)
    .select("l.id", "l.contract_id", "l.product_id", "p.code as product_code", "p.name as product_name", "p.unit as product_unit", "l.tariff_cents", "l.volume_ceiling", "l.valid_from", "l.valid_until")
    .orderBy([{ column: "p.code" }, { column: "l.valid_from" }]);
  return rows.map((r) => ({ ...r, tariff_cents: toNumber(r.tariff_cents), volume_ceiling: toNumberOrNull(r.volume_ceiling) }));
}

/** A line with its contract, within the scope; otherwise not found. */
export async function findLine(db: Db, scope: Scope, lineId: number): Promise<(LineRow & { contract: ContractRow }) | undefined> {
  const line = await db("contract_lines").where({ id: lineId }).first("id", "contract_id");
  if (!line) return undefined;
  const contract = await findContract(db, scope, line.contract_id);
  if (!contract) return undefined;
  const [full] = (await linesOf(db, [contract.id])).filter((l) => l.id === lineId);
  return full ? { ...full, contract } : undefined;
}

export async function referenceTaken(db: Db, purchaserId: number, reference: string, exceptId: number | null): Promise<boolean> {
  const q = db("contracts").where({ purchaser_id: purchaserId }).whereRaw("lower(reference) = lower(?)", [reference]);
  if (exceptId !== null) q.whereNot("id", exceptId);
  return (await q.first("id")) !== undefined;
}

export async function insertContract(db: Db, row: ContractFields & { created_at: string; updated_at: string }): Promise<number> {
  const [r] = await db("contracts").insert(row).returning("id");
  return typeof r === "object" ? r.id : r;
}

export async function updateContract(db: Db, id: number, changes: Partial<ContractFields> & { updated_at: string }): Promise<void> {
  await db("contracts").where({ id }).update(changes);
}

export async function insertLine(db: Db, row: LineFields & { contract_id: number; created_at: string; updated_at: string }): Promise<number> {
  const [r] = await db("contract_lines").insert(row).returning("id");
  return typeof r === "object" ? r.id : r;
}

export async function updateLine(db: Db, id: number, changes: LineFields & { updated_at: string }): Promise<void> {
  await db("contract_lines").where({ id }).update(changes);
}

export async function deleteLine(db: Db, id: number): Promise<void> {
  await db("contract_lines").where({ id }).delete();
}

export async function lineIsDeclared(db: Db, lineId: number): Promise<boolean> {
  return (await db("declaration_lines").where({ contract_line_id: lineId }).first("id")) !== undefined;
}

export type Option = { id: number; name: string };
export type ProductOption = { id: number; code: string; name: string; unit: string };

export function activeProducts(db: Db): Promise<ProductOption[]> {
  return db("products").where({ active: true }).select("id", "code", "name", "unit").orderBy("code");
}

export function allProducts(db: Db): Promise<ProductOption[]> {
  return db("products").select("id", "code", "name", "unit").orderBy("code");
}

export function organisationsOfKind(db: Db, kind: "provider" | "purchaser"): Promise<(Option & { subkind: string })[]> {
  return db("organisations").where({ kind, active: true }).select("id", "name", "subkind").orderBy("sort_key");
}

export async function organisationKind(db: Db, id: number): Promise<string | undefined> {
  return (await db("organisations").where({ id }).first("kind"))?.kind;
}
