import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import { createAllocationIn, updateAllocationIn } from "../allocations/service";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import * as clientsRepo from "../clients/repository";
import { createClientIn } from "../clients/service";
import { timestamp, today, type Clock } from "../domain/clock";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import type { UploadedFile } from "../web/uploads";
import { clientWrites, planImport, type FilePlan, type ImportPlan } from "./import-plan";
import * as repo from "./import-repository";
import { validateIwmoFiles, type SchemaProblem } from "./schema";
import { readWmo301, type Wmo301 } from "./wmo301";
import { hasDoctype } from "./xml";
import { isDeadlock, isUniqueViolation } from "../db/dialect";

// WMO301 in: upload (checked against the XSD, its gemeente and provider known, the provider the
// uploader's own) → preview (the plan) → apply (the plan made again and executed in one
// transaction, audited with each message's BerichtIdentificatie). Applying twice writes nothing
// the second time: every product is matched on its ToewijzingNummer.

/** Why an upload was refused, per file; nothing was stored. */
export type RefusedFile = { name: string; schema: SchemaProblem[]; other: string[]; plan: FilePlan | null };

export class ImportRefused extends Error {
  readonly code = "import_refused";
  constructor(readonly files: RefusedFile[]) {
    super(`WMO301 upload refused: ${files.length} file(s) with problems`);
  }
}

function assertImporter(scope: Scope): void {
  if (scope.actor.role !== "coordinator" && scope.actor.role !== "provider") throw new ForbiddenError("only coordinators and providers import WMO301");
}

type Read = { name: string; xml: string; message: Wmo301 | null; schema: SchemaProblem[]; other: string[] };

/** Every file checked against WMO301.xsd (one run for all), and read when it passes. */
async function readFiles(files: { name: string; xml: string }[]): Promise<Read[]> {
  const candidates = files.map((f) => ({ ...f, other: hasDoctype(f.xml) ? ["iwmo.import.errors.doctype"] : [] }));
  const results = await validateIwmoFiles("WMO301", candidates.filter((f) => f.other.length === 0));
  let next = 0;
  return candidates.map((f) => {
    if (f.other.length > 0) return { ...f, message: null, schema: [] };
    const r = results[next++];
    return { ...f, message: r.valid ? readWmo301(f.xml) : null, schema: r.problems };
  });
}

function decode(buffer: Buffer): string {
  // iWmo messages are UTF-8; a byte-order mark is allowed and dropped.
  return buffer.toString("utf8").replace(/^\uFEFF/, "");
}

async function planFor(db: Knex | Knex.Transaction, scope: Scope, read: Read[], date: string): Promise<ImportPlan> {
  const ok = read.filter((r): r is Read & { message: Wmo301 } => r.message !== null);
  const known = await repo.loadKnown(db, scope, ok.map((r) => r.message), date);
  return planImport(ok.map((r) => ({ name: r.name, message: r.message })), known);
}

/** Refused when any file fails its schema or names a gemeente or provider it may not. */
function refusal(read: Read[], plan: ImportPlan): ImportRefused | null {
  const byName = new Map(plan.files.map((f) => [f.name, f]));
  const files: RefusedFile[] = read.map((r) => ({ name: r.name, schema: r.schema, other: r.other, plan: byName.get(r.name) ?? null }));
  const bad = files.filter((f) => f.schema.length > 0 || f.other.length > 0 || (f.plan?.problems.length ?? 0) > 0);
  return bad.length > 0 ? new ImportRefused(bad) : null;
}

/** Stores an upload for its preview, or refuses it whole (ImportRefused) and stores nothing. */
export async function uploadWmo301(db: Knex, clock: Clock, actor: Actor, scope: Scope, uploaded: UploadedFile[]): Promise<number> {
  assertImporter(scope);
  if (uploaded.length === 0) throw new ValidationError({ bestanden: "iwmo.import.errors.noFile" });
  // Two files with the same name would be indistinguishable in the preview.
  const seen = new Map<string, number>();
  const files = uploaded.map((f) => {
    const n = (seen.get(f.name) ?? 0) + 1;
    seen.set(f.name, n);
    return { name: n > 1 ? `${f.name} (${n})` : f.name, xml: decode(f.buffer) };
  });
  const read = await readFiles(files);
  const plan = await planFor(db, scope, read, today(clock));
  const refused = refusal(read, plan);
  if (refused) throw refused;
  const at = timestamp(clock);
  return db.transaction((trx) =>
    repo.insertBatch(
      trx,
      { uploaded_by: actor.userId, provider_id: scope.actor.role === "provider" ? scope.actor.organisationId : null, at },
      plan.files.map((f) => ({ file_name: f.name, bericht_identificatie: f.message.header.identificatie, purchaser_id: f.purchaser!.id, provider_id: f.provider!.id, xml: files.find((x) => x.name === f.name)!.xml })),
    ),
  );
}

async function batchOr404(db: Knex | Knex.Transaction, scope: Scope, id: number, forUpdate = false): Promise<repo.BatchRow> {
  assertImporter(scope);
  const batch = await repo.findBatch(db, scope, id, forUpdate);
  if (!batch) throw new NotFoundError("import");
  return batch;
}

async function readBatch(db: Knex | Knex.Transaction, batchId: number): Promise<Read[]> {
  const files = await repo.batchFiles(db, batchId);
  return readFiles(files.map((f) => ({ name: f.file_name, xml: f.xml })));
}

/** The plan of a stored upload against dagdeel's data as it is now. */
export async function previewBatch(db: Knex, clock: Clock, scope: Scope, id: number): Promise<{ batch: repo.BatchRow; plan: ImportPlan; refused: ImportRefused | null }> {
  const batch = await batchOr404(db, scope, id);
  const read = await readBatch(db, id);
  const plan = await planFor(db, scope, read, today(clock));
  return { batch, plan, refused: refusal(read, plan) };
}

export type ApplyResult = { clientsCreated: number; clientsFilled: number; allocationsCreated: number; allocationsChanged: number };

/** A unique index, or PostgreSQL breaking a deadlock between two applies, stopped this one. */
function lostTheRace(err: unknown): boolean {
  return isUniqueViolation(err) || isDeadlock(err);
}

/**
 * Applies a stored upload in one transaction: the plan is made again inside it, so what is
 * written is what the data says at that moment; a product that is blocked stays out, the rest
 * goes in. Every client and allocation written is audited with its message's BerichtIdentificatie.
 */
export async function applyBatch(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<ApplyResult> {
  await batchOr404(db, scope, id);
  // The XSD check runs before the transaction: it is slow, and the files never change.
  const read = await readBatch(db, id);
  try {
    return await db.transaction(async (trx) => {
      await batchOr404(trx, scope, id, true);
      const date = today(clock);
      await repo.lockPurchasersOf(trx, id);
      const plan = await planFor(trx, scope, read, date);
      const refused = refusal(read, plan);
      if (refused) throw refused;
      const result: ApplyResult = { clientsCreated: 0, clientsFilled: 0, allocationsCreated: 0, allocationsChanged: 0 };
      const clientIds = new Map<string, number>();
      const berichten: string[] = [];
      for (const file of plan.files) {
        const bericht = file.message.header.identificatie;
        const source = { source: "wmo301", bericht, file: file.name };
        const c = file.client;
        let clientId = c.existing?.id ?? clientIds.get(c.bsn) ?? null;
        let wrote = false;
        if (clientWrites(c)) {
          if (c.existing) {
            await clientsRepo.updateClient(trx, c.existing.id, { ...c.fills, updated_at: timestamp(clock) });
            await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "client", entityId: c.existing.id, details: { changed: Object.keys(c.fills), ...source } });
            result.clientsFilled++;
          } else {
            clientId = await createClientIn(trx, clock, actor, { ...c.incoming, bsn: c.bsn, phone: null, needs_transport: false, wheelchair: false, notes: null }, source);
            clientIds.set(c.bsn, clientId);
            result.clientsCreated++;
          }
          wrote = true;
        }
        for (const p of c.products) {
          if (!p.writes || !p.values || clientId === null) continue;
          const input = { ...p.values, purchaser_id: file.purchaser!.id, provider_id: file.provider!.id, reference: p.message.toewijzingNummer };
          const existingId = await repo.findAllocationId(trx, input.purchaser_id, input.reference);
          if (existingId === null) {
            await createAllocationIn(trx, clock, actor, clientId, input, source);
            result.allocationsCreated++;
          } else {
            await updateAllocationIn(trx, clock, actor, existingId, input, date, source);
            result.allocationsChanged++;
          }
          wrote = true;
        }
        if (wrote) berichten.push(bericht);
      }
      const at = timestamp(clock);
      await repo.markApplied(trx, id, actor.userId, at);
      if (berichten.length > 0) await recordAudit(trx, clock, { userId: actor.userId, action: "apply", entity: "iwmo_import", entityId: id, details: { berichten, ...result } });
      return result;
    });
  } catch (err) {
    // Someone applied the same toewijzingen a moment earlier: the unique index decided.
    if (lostTheRace(err)) throw new ValidationError({ _form: "iwmo.import.errors.concurrent" });
    throw err;
  }
}
