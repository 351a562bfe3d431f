import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { DebitCredit, DraftLine, StoredLine } from "../domain/pricing";

type Db = Knex | Knex.Transaction;

export type DeclarationStatus = "concept" | "ingediend" | "geaccepteerd" | "afgewezen";
/** Submitted or accepted: the month's attendance is locked (the attendance lock reads these). */
export const LOCKING: DeclarationStatus[] = ["ingediend", "geaccepteerd"];

export type DeclarationRow = {
  id: number;
  provider_id: number;
  purchaser_id: number;
  month: string;
  status: DeclarationStatus;
  corrects_declaration_id: number | null;
  total_cents: number;
  submitted_at: string | null;
  submitted_by: number | null;
  decided_at: string | null;
  decided_by: number | null;
  rejection_reason: string | null;
  provider_name: string;
  provider_agb: string | null;
  purchaser_name: string;
  purchaser_subkind: string;
  purchaser_gemeentecode: string | null;
  submitted_by_name: string | null;
  decided_by_name: string | null;
};

export type LineView = StoredLine & {
  declaration_id: number;
  client_name: string;
  bsn: string | null;
  allocation_reference: string | null;
  product_code: string;
  product_name: string;
  product_unit: string;
  iwmo_category: string | null;
  iwmo_code: string | null;
  iwmo_unit: string | null;
  wlz_code: string | null;
};

function base(db: Db) {
  return db("declarations as d")
    .join("organisations as pr", "pr.id", "d.provider_id")
    .join("organisations as pu", "pu.id", "d.purchaser_id")
    .leftJoin("users as su", "su.id", "d.submitted_by")
    .leftJoin("users as du", "du.id", "d.decided_by")
    .select(
      "d.id",
      "d.provider_id",
      "d.purchaser_id",
      "d.month",
      "d.status",
      "d.corrects_declaration_id",
      "d.total_cents",
      "d.submitted_at",
      "d.submitted_by",
      "d.decided_at",
      "d.decided_by",
      "d.rejection_reason",
      "pr.name as provider_name",
      "pr.agb_code as provider_agb",
      "pu.name as purchaser_name",
      "pu.subkind as purchaser_subkind",
      "pu.gemeentecode as purchaser_gemeentecode",
      "su.name as submitted_by_name",
      "du.name as decided_by_name",
    );
}

/**
 * Providers see their own declarations, purchasers those sent to them (never a provider's
 * concept), coordinators and admins all. Anything else is simply not found.
 */
function scoped(scope: Scope, q: Knex.QueryBuilder): Knex.QueryBuilder {
  const limited = scope.purchasers(scope.providers(q, "d.provider_id"), "d.purchaser_id");
  return scope.actor.role === "purchaser" ? limited.whereNot("d.status", "concept") : limited;
}

const toRow = (r: DeclarationRow): DeclarationRow => ({ ...r, total_cents: Number(r.total_cents) });

export async function listDeclarations(db: Db, scope: Scope): Promise<DeclarationRow[]> {
  const rows: DeclarationRow[] = await scoped(scope, base(db)).orderBy([{ column: "d.month", order: "desc" }, { column: "d.id", order: "desc" }]);
  return rows.map(toRow);
}

export async function findDeclaration(db: Db, scope: Scope, id: number): Promise<DeclarationRow | undefined> {
  const row: DeclarationRow | undefined = await scoped(scope, base(db).where("d.id", id)).first();
  return row ? toRow(row) : undefined;
}

/** Without a scope: for the service, after it has checked who acts. */
export async function getDeclaration(db: Db, id: number): Promise<DeclarationRow | undefined> {
  const row: DeclarationRow | undefined = await base(db).where("d.id", id).first();
  return row ? toRow(row) : undefined;
}

export async function declarationsOfMonth(db: Db, providerId: number, purchaserId: number, month: string): Promise<DeclarationRow[]> {
  const rows: DeclarationRow[] = await base(db).where({ "d.provider_id": providerId, "d.purchaser_id": purchaserId, "d.month": month }).orderBy("d.id");
  return rows.map(toRow);
}

/** The original declaration and every correction of it, in order. */
export async function chainOf(db: Db, rootId: number): Promise<DeclarationRow[]> {
  const rows: DeclarationRow[] = await base(db)
    .where((w) => w.where("d.id", rootId).orWhere("d.corrects_declaration_id", rootId))
    .orderBy("d.id");
  return rows.map(toRow);
}

export async function linesOf(db: Db, declarationIds: number[]): Promise<LineView[]> {
  if (declarationIds.length === 0) return [];
  const rows: LineView[] = await db("declaration_lines as l")
    .join("clients as c", "c.id", "l.client_id")
    .join("products as p", "p.id", "l.product_id")
    .leftJoin("allocations as a", "a.id", "l.allocation_id")
    .whereIn("l.declaration_id", declarationIds)
    .select(
      "l.id",
      "l.declaration_id",
      "l.client_id",
      "l.allocation_id",
      "l.product_id",
      "l.contract_line_id",
      "l.period_from",
      "l.period_until",
      "l.units",
      "l.tariff_cents",
      "l.amount_cents",
      "l.debit_credit",
      db.raw("c.last_name || ', ' || c.first_name as client_name"),
      "c.bsn",
      "a.reference as allocation_reference",
      "p.code as product_code",
      "p.name as product_name",
      "p.unit as product_unit",
      "p.iwmo_category",
      "p.iwmo_code",
      "p.iwmo_unit",
      "p.wlz_code",
    )
    .orderBy([{ column: "c.sort_key" }, { column: "l.client_id" }, { column: "p.code" }, { column: "l.period_from" }, { column: "l.debit_credit", order: "desc" }, { column: "l.id" }]);
  return rows.map((r) => ({ ...r, units: Number(r.units), tariff_cents: Number(r.tariff_cents), amount_cents: Number(r.amount_cents) }));
}

export async function insertDeclaration(
  db: Db,
  row: { provider_id: number; purchaser_id: number; month: string; status: DeclarationStatus; corrects_declaration_id: number | null; total_cents: number; created_at: string; updated_at: string },
): Promise<number> {
  const [r] = await db("declarations").insert(row).returning("id");
  return typeof r === "object" ? r.id : r;
}

export async function updateDeclaration(db: Db, id: number, changes: Record<string, unknown>): Promise<void> {
  await db("declarations").where({ id }).update(changes);
}

export async function deleteDeclaration(db: Db, id: number): Promise<void> {
  await db("declaration_lines").where({ declaration_id: id }).delete();
  await db("declarations").where({ id }).delete();
}

/** Replaces a declaration's lines, in chunks that stay under SQLite's parameter limit. */
export async function replaceLines(db: Db, declarationId: number, lines: DraftLine[], at: string): Promise<void> {
  await db("declaration_lines").where({ declaration_id: declarationId }).delete();
  const rows = lines.map((l) => ({
    declaration_id: declarationId,
    client_id: l.client_id,
    allocation_id: l.allocation_id,
    product_id: l.product_id,
    contract_line_id: l.contract_line_id,
    period_from: l.period_from,
    period_until: l.period_until,
    units: l.units,
    tariff_cents: l.tariff_cents,
    amount_cents: l.amount_cents,
    debit_credit: l.debit_credit as DebitCredit,
    created_at: at,
    updated_at: at,
  }));
  for (let i = 0; i < rows.length; i += 50) await db("declaration_lines").insert(rows.slice(i, i + 50));
}

export async function allocationPeriods(db: Db, ids: number[]): Promise<Map<number, { valid_from: string; valid_until: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows: { id: number; valid_from: string; valid_until: string | null }[] = await db("allocations").whereIn("id", ids).select("id", "valid_from", "valid_until");
  return new Map(rows.map((r) => [r.id, { valid_from: r.valid_from, valid_until: r.valid_until }]));
}

export async function clientNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows: { id: number; name: string }[] = await db("clients").whereIn("id", ids).select("id", db.raw("last_name || ', ' || first_name as name"));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The purchasers a provider holds a signed contract with: whom it can declare to. */
export async function purchasersOf(db: Db, providerId: number): Promise<{ id: number; name: string; subkind: string }[]> {
  return db("organisations as o")
    .whereIn("o.id", db("contracts").where("provider_id", providerId).whereNot("status", "concept").select("purchaser_id"))
    .select("o.id", "o.name", "o.subkind")
    .orderBy("o.sort_key");
}
