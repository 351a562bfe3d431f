import type { Knex } from "knex";
import { nameSearchKey } from "../domain/search-key";
import type { Scope } from "../auth/scope";
import { scopeClients } from "../clients/scope";
import { allocationKey, productKey, type Known, type KnownAllocation, type KnownClient, type KnownOrganisation, type KnownProduct } from "./import-plan";
import type { Wmo301 } from "./wmo301";
import { forUpdate, isPostgres } from "../db/dialect";
import { toNumber } from "../db/numbers";

// What a WMO301 import reads and writes: the rows its messages name (a fixed number of queries,
// bounded by the upload, whatever the size of the region) and the uploaded batches.

type Db = Knex | Knex.Transaction;

/** Everything planImport needs about the organisations, clients, allocations and products the messages name. */
export async function loadKnown(db: Db, scope: Scope, messages: Wmo301[], today: string): Promise<Known> {
  const gemeentecodes = [...new Set(messages.map((m) => m.header.afzender))];
  const agbs = [...new Set(messages.map((m) => m.header.ontvanger))];
  const bsns = [...new Set(messages.map((m) => m.client.bsn))];
  const products = messages.flatMap((m) => m.client.producten);
  const references = [...new Set(products.map((p) => p.toewijzingNummer))];
  const codes = [...new Set(products.map((p) => p.code).filter((c): c is string => Boolean(c)))];
  const places = [...new Set(messages.flatMap((m) => m.client.addresses.map((a) => (a.plaatsnaam ? nameSearchKey(a.plaatsnaam) : undefined))).filter((p): p is string => Boolean(p)))];

  // One after the other: inside a transaction (applying) PostgreSQL has one connection to ask.
  const purchasers = await db("organisations").where("kind", "purchaser").whereIn("gemeentecode", gemeentecodes).select("id", "name", "subkind", "gemeentecode");
  const providers = await db("organisations").where("kind", "provider").whereIn("agb_code", agbs).select("id", "name", "subkind", "agb_code");
  const clients = await db("clients").whereIn("bsn", bsns).select("id", "bsn", "first_name", "last_name", "birth_date", "street", "postcode", "village_id", "ended_on");
  const productRows = codes.length > 0 ? await db("products").whereIn("iwmo_code", codes).select("id", "code", "name", "unit", "iwmo_category", "iwmo_code", "iwmo_unit", "active") : [];
  const villages = places.length > 0 ? await db("villages").whereIn("search_key", places).select("id", "name", "search_key") : [];
  const purchaserIds = purchasers.map((p: { id: number }) => p.id);
  const allocations: (KnownAllocation & { purchaser_id: number; reference: string })[] =
    purchaserIds.length > 0 && references.length > 0
      ? await db("allocations")
          .whereIn("purchaser_id", purchaserIds)
          .whereIn("reference", references)
          .select("id", "client_id", "purchaser_id", "provider_id", "product_id", "volume", "frequency", "valid_from", "valid_until", "reference")
      : [];
  const clientIds = clients.map((c: { id: number }) => c.id);
  const visible = new Set<number>(
    clientIds.length > 0 ? (await scopeClients(db as Knex, scope, db("clients as c").whereIn("c.id", clientIds).select("c.id"), "c.id")).map((r: { id: number }) => r.id) : [],
  );
  return {
    today,
    uploaderProviderId: scope.actor.role === "provider" ? (scope.actor.organisationId ?? -1) : null,
    purchasersByGemeentecode: new Map(purchasers.map((p: KnownOrganisation & { gemeentecode: string }) => [p.gemeentecode, { id: p.id, name: p.name, subkind: p.subkind }])),
    providersByAgb: new Map(providers.map((p: KnownOrganisation & { agb_code: string }) => [p.agb_code, { id: p.id, name: p.name, subkind: p.subkind }])),
    clientsByBsn: new Map(clients.map((c: KnownClient & { bsn: string }) => [c.bsn, { ...c, visible: visible.has(c.id) }])),
    allocations: new Map(allocations.map((a) => [allocationKey(a.purchaser_id, a.reference), a])),
    products: new Map(
      productRows.map((p: KnownProduct & { iwmo_category: string; iwmo_code: string }) => [productKey(p.iwmo_category, p.iwmo_code), { ...p, active: Boolean(p.active) }]),
    ),
    villages: new Map(villages.map((v: { id: number; name: string; search_key: string }) => [v.search_key, { id: v.id, name: v.name }])),
  };
}

export async function findAllocationId(db: Db, purchaserId: number, reference: string): Promise<number | null> {
  const row = await db("allocations").where({ purchaser_id: purchaserId, reference }).first("id");
  return row ? row.id : null;
}

// ---- batches -----------------------------------------------------------------------------------

export type BatchRow = {
  id: number;
  uploaded_by: number;
  provider_id: number | null;
  status: "voorbeeld" | "toegepast";
  applied_at: string | null;
  applied_by: number | null;
  created_at: string;
  uploaded_by_name?: string;
};

export type BatchFile = { id: number; file_name: string; bericht_identificatie: string; xml: string };

/**
 * A batch the actor may see: a provider its own provider's uploads, a coordinator the
 * coordinators' uploads. Locked on PostgreSQL when asked, so one batch is applied once at a time.
 */
export async function findBatch(db: Db, scope: Scope, id: number, locked = false): Promise<BatchRow | undefined> {
  const q = db("iwmo_import_batches as b").where("b.id", id).first("b.*");
  if (scope.actor.role === "provider") q.where("b.provider_id", scope.actor.organisationId ?? -1);
  else if (scope.actor.role === "coordinator") q.whereNull("b.provider_id");
  else q.where("b.id", -1);
  return locked ? forUpdate(db, q) : q;
}

/**
 * Applies of one gemeente's toewijzingen run one after the other on PostgreSQL: the gemeenten the
 * batch's files came from (stored at upload) are locked before anything is planned. Without this,
 * an apply planning under READ COMMITTED could read the clients before another apply committed and
 * its allocations after, and refuse a consistent file as inconsistent. NO KEY UPDATE: the foreign
 * keys of rows written meanwhile (KEY SHARE) are not blocked. SQLite's one writer serialises anyway.
 */
export async function lockPurchasersOf(trx: Db, batchId: number): Promise<void> {
  if (!isPostgres(trx)) return;
  const named = trx("iwmo_import_files").where({ batch_id: batchId }).select("purchaser_id");
  // One order everywhere: no deadlock between two applies.
  await forUpdate(trx, trx("organisations").whereIn("id", named).orderBy("id").select("id"), undefined, "no key update");
}

export function batchFiles(db: Db, batchId: number): Promise<BatchFile[]> {
  return db("iwmo_import_files").where({ batch_id: batchId }).select("id", "file_name", "bericht_identificatie", "xml").orderBy("id");
}

export async function insertBatch(
  db: Db,
  batch: { uploaded_by: number; provider_id: number | null; at: string },
  files: { file_name: string; bericht_identificatie: string; purchaser_id: number; provider_id: number; xml: string }[],
): Promise<number> {
  const [r] = await db("iwmo_import_batches").insert({ uploaded_by: batch.uploaded_by, provider_id: batch.provider_id, status: "voorbeeld", created_at: batch.at, updated_at: batch.at }).returning("id");
  const id = typeof r === "object" ? r.id : r;
  for (const f of files) await db("iwmo_import_files").insert({ ...f, batch_id: id, created_at: batch.at, updated_at: batch.at });
  return id;
}

export async function markApplied(db: Db, id: number, userId: number, at: string): Promise<void> {
  await db("iwmo_import_batches").where({ id }).update({ status: "toegepast", applied_at: at, applied_by: userId, updated_at: at });
}

/** The actor's latest uploads (for the import page): one query, bounded. */
export async function recentBatches(db: Knex, scope: Scope, limit: number): Promise<(BatchRow & { files: number })[]> {
  const q = db("iwmo_import_batches as b")
    .join("users as u", "u.id", "b.uploaded_by")
    .select("b.*", "u.name as uploaded_by_name", db("iwmo_import_files as f").whereRaw("f.batch_id = b.id").count("*").as("files"))
    .orderBy("b.id", "desc")
    .limit(limit);
  if (scope.actor.role === "provider") q.where("b.provider_id", scope.actor.organisationId ?? -1);
  else q.whereNull("b.provider_id");
  return (await q).map((r: BatchRow & { files: unknown }) => ({ ...r, files: toNumber(r.files) }));
}
