import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { ForbiddenError, ValidationError } from "../domain/errors";
import type { UploadedFile } from "../web/uploads";
import { validateIwmoFiles, type SchemaProblem } from "./schema";
import { readWmo305, readWmo307, type StartProduct, type StopProduct } from "./wmo305-307";
import { hasDoctype } from "./xml";
import { countOf } from "../db/numbers";

// A gemeente uploads the WMO305 (start) and WMO307 (stop) messages it received, to see per
// allocation when care started and stopped. Each file must pass WMO305.xsd or WMO307.xsd and be
// addressed to this gemeente by a provider dagdeel knows; otherwise the upload is refused whole.
// Each start or stop is matched on its ToewijzingNummer; one the gemeente does not know, or that
// belongs to another provider or client, is listed and not stored. The same message twice is
// stored once.

export type ReportFileProblem = { name: string; schema: SchemaProblem[]; other: { key: string; params: Record<string, string> }[] };

export class ReportsRefused extends Error {
  readonly code = "reports_refused";
  constructor(readonly files: ReportFileProblem[]) {
    super(`WMO305/307 upload refused: ${files.length} file(s)`);
  }
}

export type ReportOutcome = "stored" | "known" | "unknownAllocation" | "otherProvider" | "otherClient" | "noNumber";
export type ReportLine = {
  file: string;
  kind: "start" | "stop";
  toewijzingNummer: string;
  allocationId: number | null;
  start_date: string;
  end_date: string | null;
  reason: string | null;
  outcome: ReportOutcome;
};

type Parsed = { name: string; kind: "start" | "stop"; afzender: string; ontvanger: string; identificatie: string; dagtekening: string; bsn: string; producten: (StartProduct | StopProduct)[] };

/** Checks every file against both schemas (two runs of libxml2 for the whole upload) and reads the one it passes. */
async function readReports(files: { name: string; xml: string }[]): Promise<{ parsed: Parsed[]; refused: ReportFileProblem[] }> {
  const clean = files.filter((f) => !hasDoctype(f.xml));
  const [as305, as307] = await Promise.all([validateIwmoFiles("WMO305", clean), validateIwmoFiles("WMO307", clean)]);
  const parsed: Parsed[] = [];
  const refused: ReportFileProblem[] = files.filter((f) => hasDoctype(f.xml)).map((f) => ({ name: f.name, schema: [], other: [{ key: "iwmo.import.errors.doctype", params: {} }] }));
  clean.forEach((f, i) => {
    if (as305[i].valid || as307[i].valid) {
      const m = as305[i].valid ? readWmo305(f.xml) : readWmo307(f.xml);
      parsed.push({ name: f.name, kind: as305[i].valid ? "start" : "stop", ...m.header, bsn: m.client.bsn, producten: m.producten });
      return;
    }
    // Wrong for both: the schema whose root element it has tells the real problems.
    const rootless = (problems: SchemaProblem[]) => problems.some((p) => p.message.includes("No matching global declaration"));
    refused.push({ name: f.name, schema: rootless(as305[i].problems) ? as307[i].problems : as305[i].problems, other: [] });
  });
  return { parsed, refused };
}

export async function uploadReports(db: Knex, clock: Clock, actor: Actor, scope: Scope, uploaded: UploadedFile[]): Promise<ReportLine[]> {
  if (scope.actor.role !== "purchaser") throw new ForbiddenError("only a gemeente uploads the messages it received");
  const purchaser = await db("organisations").where({ id: scope.actor.organisationId ?? -1 }).first("id", "subkind", "gemeentecode");
  if (purchaser?.subkind !== "gemeente" || !purchaser.gemeentecode) throw new ForbiddenError("iWmo is the gemeente's standard");
  if (uploaded.length === 0) throw new ValidationError({ bestanden: "iwmo.import.errors.noFile" });
  const { parsed, refused } = await readReports(uploaded.map((f) => ({ name: f.name, xml: f.buffer.toString("utf8").replace(/^\uFEFF/, "") })));

  const agbs = [...new Set(parsed.map((p) => p.afzender))];
  const providers: { id: number; agb_code: string }[] = agbs.length > 0 ? await db("organisations").where("kind", "provider").whereIn("agb_code", agbs).select("id", "agb_code") : [];
  const providerOf = new Map(providers.map((p) => [p.agb_code, p.id]));
  for (const p of parsed) {
    const other: ReportFileProblem["other"] = [];
    if (p.ontvanger !== purchaser.gemeentecode) other.push({ key: "iwmo.reports.errors.otherGemeente", params: { code: p.ontvanger } });
    if (!providerOf.has(p.afzender)) other.push({ key: "iwmo.reports.errors.unknownProvider", params: { agb: p.afzender } });
    if (other.length > 0) refused.push({ name: p.name, schema: [], other });
  }
  if (refused.length > 0) throw new ReportsRefused(refused);

  const references = [...new Set(parsed.flatMap((p) => p.producten.map((x) => x.toewijzingNummer)).filter(Boolean))];
  const allocations: { id: number; reference: string; provider_id: number; bsn: string | null }[] =
    references.length > 0
      ? await db("allocations as a").join("clients as c", "c.id", "a.client_id").where("a.purchaser_id", purchaser.id).whereIn("a.reference", references).select("a.id", "a.reference", "a.provider_id", "c.bsn")
      : [];
  const byReference = new Map(allocations.map((a) => [a.reference, a]));

  return db.transaction(async (trx) => {
    const at = timestamp(clock);
    const lines: ReportLine[] = [];
    for (const p of parsed) {
      const providerId = providerOf.get(p.afzender)!;
      for (const x of p.producten) {
        const stop = "redenBeeindiging" in x ? x : null;
        const line: ReportLine = { file: p.name, kind: p.kind, toewijzingNummer: x.toewijzingNummer, allocationId: null, start_date: x.begindatum, end_date: stop?.einddatum ?? null, reason: stop?.redenBeeindiging ?? null, outcome: "stored" };
        const a = x.toewijzingNummer ? byReference.get(x.toewijzingNummer) : undefined;
        if (!x.toewijzingNummer) line.outcome = "noNumber";
        else if (!a) line.outcome = "unknownAllocation";
        else if (a.provider_id !== providerId) line.outcome = "otherProvider";
        else if (a.bsn !== p.bsn) line.outcome = "otherClient";
        else {
          line.allocationId = a.id;
          const inserted = await trx("iwmo_reports")
            .insert({
              kind: p.kind, allocation_id: a.id, purchaser_id: purchaser.id, provider_id: providerId, start_date: x.begindatum, end_date: line.end_date, reason: line.reason,
              status_aanlevering: x.statusAanlevering, bericht_identificatie: p.identificatie, dagtekening: p.dagtekening, uploaded_by: actor.userId, created_at: at, updated_at: at,
            })
            .onConflict(["allocation_id", "kind", "bericht_identificatie", "start_date"])
            .ignore()
            .returning("id");
          if (inserted.length === 0) line.outcome = "known";
        }
        lines.push(line);
      }
    }
    const stored = lines.filter((l) => l.outcome === "stored").length;
    if (stored > 0) await recordAudit(trx, clock, { userId: actor.userId, action: "upload", entity: "iwmo_report", entityId: null, details: { berichten: [...new Set(parsed.map((p) => p.identificatie))], stored } });
    return lines;
  });
}

export type ReportRow = {
  id: number;
  kind: "start" | "stop";
  allocation_id: number;
  reference: string;
  first_name: string;
  last_name: string;
  provider_name: string;
  start_date: string;
  end_date: string | null;
  reason: string | null;
  bericht_identificatie: string;
  dagtekening: string;
};

/** The starts and stops a gemeente received, per allocation (newest allocation first), paginated along its index. */
export async function receivedReports(db: Knex, purchaserId: number, limit: number, offset: number): Promise<{ total: number; rows: ReportRow[] }> {
  // The count and the page at once (on PostgreSQL two round trips side by side).
  const [[count], rows] = await Promise.all([
    db("iwmo_reports").where({ purchaser_id: purchaserId }).count({ n: "*" }),
    db("iwmo_reports as r")
    .join("allocations as a", "a.id", "r.allocation_id")
    .join("clients as c", "c.id", "a.client_id")
    .join("organisations as pr", "pr.id", "r.provider_id")
    .where("r.purchaser_id", purchaserId)
    .select("r.id", "r.kind", "r.allocation_id", "a.reference", "c.first_name", "c.last_name", "pr.name as provider_name", "r.start_date", "r.end_date", "r.reason", "r.bericht_identificatie", "r.dagtekening")
      .orderBy([{ column: "r.allocation_id", order: "desc" }, { column: "r.start_date" }, { column: "r.kind", order: "desc" }, { column: "r.id" }])
      .limit(limit)
      .offset(offset) as Promise<ReportRow[]>,
  ]);
  return { total: countOf(count), rows };
}
