import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import type { ClientFields } from "../clients/repository";
import { scopeClients } from "../clients/scope";
import type { Table } from "./table";
import type { ImportKind } from "./fields";
import type { Remembered } from "./mapping";
import { nameSearchKey } from "../domain/search-key";
import { endsWithPattern } from "../domain/client";
import { forUpdate } from "../db/dialect";

type Db = Knex | Knex.Transaction;

export type ImportRow = {
  id: number;
  kind: ImportKind;
  user_id: number;
  organisation_id: number | null;
  file_name: string;
  row_count: number;
  table_json: string | null;
  status: "uploaded" | "applied";
  result_json: string | null;
  applied_at: string | null;
  created_at: string;
};

export async function insertImport(db: Db, row: { kind: ImportKind; user_id: number; organisation_id: number | null; file_name: string; table: Table; at: string }): Promise<number> {
  const [inserted] = await db("imports")
    .insert({
      kind: row.kind,
      user_id: row.user_id,
      organisation_id: row.organisation_id,
      file_name: row.file_name,
      row_count: row.table.rows.length,
      table_json: JSON.stringify(row.table),
      status: "uploaded",
      created_at: row.at,
      updated_at: row.at,
    })
    .returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

/** An import of this user; another user's is not found, even within the organisation. */
export function findImport(db: Db, userId: number, id: number): Promise<ImportRow | undefined> {
  return db("imports").where({ id, user_id: userId }).first();
}

/** Locks the import on PostgreSQL, so two clicks on "apply" run one after the other. */
export async function lockImport(trx: Knex.Transaction, userId: number, id: number): Promise<ImportRow | undefined> {
  const q = trx("imports").where({ id, user_id: userId }).first();
  return forUpdate(trx, q);
}

export async function markApplied(db: Db, id: number, result: unknown, at: string): Promise<void> {
  await db("imports").where({ id }).update({ status: "applied", table_json: null, result_json: JSON.stringify(result), applied_at: at, updated_at: at });
}

/** Uploads never applied are not kept longer than a day: the file's personal data goes with them. */
export async function discardStaleUploads(db: Db, before: string): Promise<void> {
  await db("imports").where("status", "uploaded").where("created_at", "<", before).update({ table_json: null, updated_at: before });
}

export function tableOf(row: ImportRow): Table | null {
  return row.table_json ? (JSON.parse(row.table_json) as Table) : null;
}

// --- the remembered mapping --------------------------------------------------------------------

export async function rememberedMapping(db: Db, ownerKey: string, kind: ImportKind): Promise<Remembered | null> {
  const row = await db("import_mappings").where({ owner_key: ownerKey, kind }).first("mapping_json");
  return row ? (JSON.parse(row.mapping_json) as Remembered) : null;
}

export async function rememberMapping(db: Db, ownerKey: string, kind: ImportKind, mapping: Remembered, at: string): Promise<void> {
  await db("import_mappings")
    .insert({ owner_key: ownerKey, kind, mapping_json: JSON.stringify(mapping), created_at: at, updated_at: at })
    .onConflict(["owner_key", "kind"])
    .merge({ mapping_json: JSON.stringify(mapping), updated_at: at });
}

// --- matching rows to clients --------------------------------------------------------------------

export type ExistingClient = ClientFields & { id: number };

const CLIENT_COLUMNS = ["c.id", "c.first_name", "c.last_name", "c.bsn", "c.birth_date", "c.village_id", "c.street", "c.postcode", "c.phone", "c.needs_transport", "c.wheelchair", "c.notes"];

const toExisting = (r: ExistingClient): ExistingClient => ({ ...r, needs_transport: Boolean(r.needs_transport), wheelchair: Boolean(r.wheelchair) });

function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Clients with one of these BSNs, whoever's they are (a BSN is unique), and whether the actor may see each. */
export async function clientsByBsn(db: Db, scope: Scope, bsns: string[]): Promise<{ client: ExistingClient; visible: boolean }[]> {
  const out: { client: ExistingClient; visible: boolean }[] = [];
  for (const part of chunks([...new Set(bsns)])) {
    const all: ExistingClient[] = await db("clients as c").whereIn("c.bsn", part).select(CLIENT_COLUMNS);
    const visible = new Set((await scopeClients(db as Knex, scope, db("clients as c").whereIn("c.bsn", part).select("c.id"), "c.id")).map((r: { id: number }) => r.id));
    out.push(...all.map((c) => ({ client: toExisting(c), visible: visible.has(c.id) })));
  }
  return out;
}

/**
 * Clients the actor may see whose name ends in one of these last names (folded as the search
 * keys are, so "Özdemir" and "ozdemir" alike): the candidates the caller compares by name.
 */
export async function clientsByLastName(db: Db, scope: Scope, lastNames: string[]): Promise<ExistingClient[]> {
  const out: ExistingClient[] = [];
  const folded = [...new Set(lastNames.map(nameSearchKey).filter((n) => n !== ""))];
  for (const part of chunks(folded)) {
    // "first last": the last name is the key's end. Only placeholders go into the SQL text.
    const q = db("clients as c")
      .where((w) => {
        for (const name of part) w.orWhereRaw("c.search_key like ? escape '\\'", [endsWithPattern(name)]);
      })
      .select(CLIENT_COLUMNS);
    out.push(...((await scopeClients(db as Knex, scope, q, "c.id")) as ExistingClient[]).map(toExisting));
  }
  return out;
}

export function villages(db: Db): Promise<{ id: number; name: string }[]> {
  return db("villages").select("id", "name").orderBy("sort_key");
}

/** Clients the actor may see born on one of these dates: the candidates for a name and birth date match. */
export async function clientsByBirthDate(db: Db, scope: Scope, dates: string[]): Promise<ExistingClient[]> {
  const out: ExistingClient[] = [];
  for (const part of chunks([...new Set(dates)])) {
    const q = db("clients as c").whereIn("c.birth_date", part).select(CLIENT_COLUMNS);
    out.push(...((await scopeClients(db as Knex, scope, q, "c.id")) as ExistingClient[]).map(toExisting));
  }
  return out;
}
