import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { DebitCredit, DraftLine, StoredLine } from "../domain/pricing";
import { countOf, numbersIn, toNumber } from "../db/numbers";
import { readTogether } from "../db/dialect";

type Db = Knex | Knex.Transaction;

export type DeclarationStatus = "concept" | "ingediend" | "geaccepteerd" | "afgewezen";
/**
 * Submitted, or answered by the purchaser (geaccepteerd: at least one prestatie toegekend;
 * afgewezen: none). Once an original is in one of these, its month's attendance is locked
 * until the provider opens a correction.
 */
export const LOCKING: DeclarationStatus[] = ["ingediend", "geaccepteerd", "afgewezen"];
export const ANSWERED: DeclarationStatus[] = ["geaccepteerd", "afgewezen"];

export type Decision = "toegekend" | "afgewezen";

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
  /** The DeclaratiePeriode it was sent in (null while a concept). */
  period: string | null;
  /** The toegekend total of the purchaser's answer (null until answered). */
  awarded_cents: number | null;
  correction_reason: string | null;
  /** Prestaties the purchaser has decided on, and how many of those it refused. */
  decided_lines: number;
  rejected_lines: number;
  line_count: number;
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
  decision: Decision | null;
  /** WJ001 retourcodes of a refused prestatie. */
  retourcodes: string[];
  decision_note: string | null;
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
      "d.period",
      "d.awarded_cents",
      "d.correction_reason",
      db.raw("(select count(*) from declaration_lines l where l.declaration_id = d.id) as line_count"),
      db.raw("(select count(*) from declaration_lines l where l.declaration_id = d.id and l.decision is not null) as decided_lines"),
      db.raw("(select count(*) from declaration_lines l where l.declaration_id = d.id and l.decision = 'afgewezen') as rejected_lines"),
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

const toRow = (r: DeclarationRow): DeclarationRow => numbersIn(r, ["total_cents", "awarded_cents", "line_count", "decided_lines", "rejected_lines"]);

/** One page of the declarations in scope, newest month first; a purchaser's waiting ones first of all. */
export async function listDeclarations(db: Db, scope: Scope, page: { limit: number; offset: number }): Promise<{ rows: DeclarationRow[]; total: number }> {
  const q = scoped(scope, base(db));
  if (scope.actor.role === "purchaser") q.orderByRaw("case when d.status = 'ingediend' then 0 else 1 end");
  // The page and the count at once (on PostgreSQL two round trips side by side, not one after the other).
  const [rows, counted] = await readTogether(db, [
    () => q.orderBy([{ column: "d.month", order: "desc" }, { column: "d.id", order: "desc" }]).limit(page.limit).offset(page.offset) as Promise<DeclarationRow[]>,
    () => scoped(scope, db("declarations as d")).count({ n: "*" }).first(),
  ]);
  return { rows: rows.map(toRow), total: countOf(counted) };
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
      "l.decision",
      "l.retourcodes",
      "l.decision_note",
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
  return rows.map((r) => ({
    ...r,
    units: toNumber(r.units),
    tariff_cents: toNumber(r.tariff_cents),
    amount_cents: toNumber(r.amount_cents),
    retourcodes: splitCodes(r.retourcodes as unknown as string | null),
  }));
}

/** Retourcodes travel as "0611,9321" in one column: a prestatie has a handful at most. */
export const joinCodes = (codes: string[]): string | null => (codes.length === 0 ? null : codes.join(","));
export function splitCodes(stored: string | null): string[] {
  return stored ? stored.split(",").filter((c) => c !== "") : [];
}

export async function insertDeclaration(
  db: Db,
  row: Pick<DeclarationRow, "provider_id" | "purchaser_id" | "month" | "status" | "corrects_declaration_id" | "total_cents"> & { correction_reason?: string | null; created_at: string; updated_at: string },
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

/** Records the purchaser's decision on some lines of one declaration. */
export async function decideLines(db: Db, declarationId: number, lineIds: number[], decision: { decision: Decision; retourcodes: string[]; note: string | null }, at: string): Promise<void> {
  if (lineIds.length === 0) return;
  await db("declaration_lines")
    .where({ declaration_id: declarationId })
    .whereIn("id", lineIds)
    .update({ decision: decision.decision, retourcodes: joinCodes(decision.retourcodes), decision_note: decision.note, updated_at: at });
}

/**
 * The months of a pair that are locked: an original submitted or answered, without an open
 * (concept) correction. Keys "provider|purchaser|month".
 */
export async function lockedMonths(db: Db, providerIds: number[], purchaserIds: number[], months: string[]): Promise<Set<string>> {
  if (providerIds.length === 0 || purchaserIds.length === 0 || months.length === 0) return new Set();
  const rows: { provider_id: number; purchaser_id: number; month: string }[] = await db("declarations as d")
    .whereIn("d.provider_id", providerIds)
    .whereIn("d.purchaser_id", purchaserIds)
    .whereIn("d.month", months)
    .whereNull("d.corrects_declaration_id")
    .whereIn("d.status", LOCKING)
    .whereNotExists(db("declarations as c").whereRaw("c.corrects_declaration_id = d.id").where("c.status", "concept").select(db.raw("1")))
    .select("d.provider_id", "d.purchaser_id", "d.month");
  return new Set(rows.map((r) => `${r.provider_id}|${r.purchaser_id}|${r.month}`));
}

/** The latest DeclaratiePeriode a provider has submitted to a purchaser, not counting `exceptId`. */
export async function lastSubmittedPeriod(db: Db, providerId: number, purchaserId: number, exceptId: number | null = null): Promise<string | null> {
  const q = db("declarations").where({ provider_id: providerId, purchaser_id: purchaserId }).whereIn("status", LOCKING).whereNotNull("period");
  if (exceptId !== null) q.whereNot("id", exceptId);
  const row = await q.max({ period: "period" }).first();
  return (row?.period as string | null | undefined) ?? null;
}

/** The months in a range with a submitted or answered original declaration. */
export async function declaredMonthsOf(db: Db, providerId: number, purchaserId: number, from: string, until: string): Promise<string[]> {
  const rows: { month: string }[] = await db("declarations")
    .where({ provider_id: providerId, purchaser_id: purchaserId })
    .whereNull("corrects_declaration_id")
    .whereIn("status", LOCKING)
    .whereBetween("month", [from, until])
    .select("month");
  return rows.map((r) => r.month);
}

export async function allocationVolumes(db: Db, ids: number[]): Promise<{ id: number; volume: number; frequency: "week" | "maand" | "totaal"; valid_from: string; valid_until: string | null }[]> {
  if (ids.length === 0) return [];
  const rows: { id: number; volume: unknown; frequency: "week" | "maand" | "totaal"; valid_from: string; valid_until: string | null }[] = await db("allocations").whereIn("id", ids).select("id", "volume", "frequency", "valid_from", "valid_until");
  return rows.map((r) => ({ ...r, volume: toNumber(r.volume) }));
}

/** Units of each allocation in submitted or answered declarations of other months, refused ones left out (debits minus credits). */
export async function unitsDeclaredElsewhere(db: Db, allocationIds: number[], month: string): Promise<Map<number, number>> {
  if (allocationIds.length === 0) return new Map();
  const rows: { allocation_id: number; units: number | string }[] = await db("declaration_lines as l")
    .join("declarations as d", "d.id", "l.declaration_id")
    .whereIn("l.allocation_id", allocationIds)
    .whereIn("d.status", LOCKING)
    .whereNot("d.month", month)
    .where((w) => w.whereNull("l.decision").orWhereNot("l.decision", "afgewezen"))
    .groupBy("l.allocation_id")
    .select("l.allocation_id", db.raw("sum(case when l.debit_credit = 'C' then -l.units else l.units end) as units"));
  return new Map(rows.map((r) => [r.allocation_id, toNumber(r.units)]));
}

export async function contractTariffs(db: Db, lineIds: number[]): Promise<Map<number, { tariff_cents: number; valid_from: string; valid_until: string }>> {
  if (lineIds.length === 0) return new Map();
  const rows: { id: number; tariff_cents: number; valid_from: string; valid_until: string }[] = await db("contract_lines").whereIn("id", lineIds).select("id", "tariff_cents", "valid_from", "valid_until");
  return new Map(rows.map((r) => [r.id, { tariff_cents: toNumber(r.tariff_cents), valid_from: r.valid_from, valid_until: r.valid_until }]));
}

export async function purchaserSubkind(db: Db, id: number): Promise<string | null> {
  const row = await db("organisations").where({ id, kind: "purchaser" }).first("subkind");
  return row?.subkind ?? null;
}

/** A purchaser's kind and its start-message setting (the declaration list's settings): one query. */
export async function purchaserSettings(db: Db, id: number): Promise<{ subkind: string | null; requires_start_message: boolean }> {
  const row = await db("organisations").where({ id, kind: "purchaser" }).first("subkind", "requires_start_message");
  return { subkind: row?.subkind ?? null, requires_start_message: Boolean(row?.requires_start_message) };
}

export async function requiresStartMessage(db: Db, purchaserId: number): Promise<boolean> {
  const row = await db("organisations").where({ id: purchaserId }).first("requires_start_message");
  return Boolean(row?.requires_start_message);
}

export async function setRequiresStartMessage(db: Db, purchaserId: number, value: boolean, at: string): Promise<void> {
  await db("organisations").where({ id: purchaserId }).update({ requires_start_message: value, updated_at: at });
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
