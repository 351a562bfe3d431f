import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { actorOf, requireRole } from "../auth/middleware";
import type { Actor } from "../auth/types";
import { timestamp, today, type Clock } from "../domain/clock";
import { ForbiddenError, NotFoundError } from "../domain/errors";
import { messageFor } from "../planning/violations";
import { slotLabels } from "../planning/weekdays";
import { parseId } from "../web/fields";
import { isLocale, type AppLocale } from "../web/i18n";
import { onInvalid } from "../web/errors";
import { shownErrors } from "../web/forms";
import { flash } from "../web/locals";
import { filesOf } from "../web/uploads";
import { applyClientImport, counts, mappingFor, previewClients, type ClientImportResult } from "./client-import";
import type { RowProblem } from "./client-rows";
import { fieldsOf, type ImportKind } from "./fields";
import { mappingFromForm, rememberedOf, type Mapping } from "./mapping";
import * as repo from "./repository";
import { applyScheduleImport, previewSchedules, type Refusal, type ScheduleImportResult } from "./schedule-import";
import { readTable, TableError } from "./table";
import { templateCsv, templateXlsx } from "./templates";

const PAGE_SIZE = 50;
const KIND_PATHS: Record<string, ImportKind> = { clienten: "clients", roosters: "schedules" };
const UPLOAD_ERRORS: Record<string, string> = { LIMIT_FILE_SIZE: "clientImport.errors.fileTooLarge" };

/** Whose remembered mapping: the organisation's, or the user's own without one (a regional coordinator). */
export function ownerKey(actor: Actor): string {
  return actor.organisationId !== null ? `organisation:${actor.organisationId}` : `user:${actor.userId}`;
}

function assertMayImport(actor: Actor, kind: ImportKind): void {
  // Only coordinators plan schedules (bookSchedule says so too); clients: coordinators and providers.
  if (kind === "schedules" && actor.role !== "coordinator") throw new ForbiddenError("only coordinators import schedules");
}

function localeOf(res: Response): AppLocale {
  return isLocale(res.locals.locale) ? res.locals.locale : "nl";
}

/** "A: Voornaam" — the column letter as the spreadsheet shows it, and its header. */
function columnLabel(i: number, header: string): string {
  let n = i;
  let letters = "";
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `${letters}: ${header}`;
}

/**
 * /importeren: clients (coordinators, and providers for their own) and weekly schedules
 * (coordinators) from a CSV or XLSX file — upload, map the columns (remembered for the
 * organisation), preview every row, apply — and the templates to start from.
 */
export function importRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;
  router.use(requireRole("coordinator", "provider"));

  function renderStart(req: Request, res: Response, status: number, errors: Record<string, string> = {}, kind = "clients") {
    const { actor } = actorOf(req);
    res.status(status).render("imports/start", {
      title: "clientImport.title",
      canImportSchedules: actor.role === "coordinator",
      kind,
      errors: shownErrors(errors),
    });
  }

  router.get("/", (req, res) => renderStart(req, res, 200));

  router.post("/", async (req, res) => {
    const { actor } = actorOf(req);
    const kind: ImportKind = req.body?.kind === "schedules" ? "schedules" : "clients";
    assertMayImport(actor, kind);
    if (req.uploadError) return renderStart(req, res, 422, { file: UPLOAD_ERRORS[req.uploadError] ?? "clientImport.errors.unreadable" }, kind);
    const [file] = filesOf(req, "file");
    if (!file) return renderStart(req, res, 422, { file: "clientImport.errors.fileRequired" }, kind);
    let table;
    try {
      table = await readTable(file.name, file.buffer);
    } catch (err) {
      if (err instanceof TableError) return renderStart(req, res, 422, { file: err.key }, kind);
      throw err;
    }
    const at = timestamp(clock);
    await repo.discardStaleUploads(db, clock.now().minus({ days: 1 }).toUTC().toISO()!);
    const fileName = file.name.replace(/[\r\n\t]/g, " ").slice(0, 200);
    const id = await repo.insertImport(db, { kind, user_id: actor.userId, organisation_id: actor.organisationId, file_name: fileName, table, at });
    res.redirect(303, `/importeren/${id}`);
  });

  router.get("/sjabloon/:file", async (req, res) => {
    const m = /^(clienten|roosters)\.(csv|xlsx)$/.exec(req.params.file);
    if (!m) throw new NotFoundError("template");
    const kind = KIND_PATHS[m[1]];
    assertMayImport(actorOf(req).actor, kind);
    const name = `dagdeel-${m[1]}-sjabloon.${m[2]}`;
    res.attachment(name);
    if (m[2] === "csv") return res.type("text/csv; charset=utf-8").send(templateCsv(kind));
    res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(await templateXlsx(kind, localeOf(res)));
  });

  async function importOf(req: Request): Promise<repo.ImportRow> {
    const { actor } = actorOf(req);
    const id = parseId(req.params.id);
    const row = id === null ? undefined : await repo.findImport(db, actor.userId, id);
    if (!row) throw new NotFoundError("import");
    assertMayImport(actor, row.kind);
    return row;
  }

  function problemsShown(kind: ImportKind, problems: RowProblem[]) {
    const labels = new Map(fieldsOf(kind).map((f) => [f.key, f.label]));
    return problems.map((p) => ({ label: labels.get(p.field) ?? (p.field === "slots" ? "scheduleImport.fields.slots" : null), key: p.key }));
  }

  function refusalShown(refusal: Refusal | undefined, locale: AppLocale) {
    if (!refusal) return [];
    if (refusal.violations) return refusal.violations.map((v) => messageFor(v, locale));
    return Object.values(refusal.fields ?? {}).map((key) => ({ key, params: refusal.params ?? {} }));
  }

  async function renderImport(req: Request, res: Response, status: number, row: repo.ImportRow, extra: { mappingErrors?: Record<string, string>; mapping?: Mapping; formError?: string } = {}) {
    const { scope } = actorOf(req);
    const locale = localeOf(res);
    const base = { title: row.kind === "clients" ? "clientImport.previewTitle" : "scheduleImport.previewTitle", heading: row.file_name, row, isClients: row.kind === "clients" };
    if (row.status === "applied") {
      const result = JSON.parse(row.result_json ?? "{}") as Partial<ClientImportResult & ScheduleImportResult>;
      return res.status(status).render("imports/result", {
        ...base,
        result,
        errors: extra.formError ? { _form: extra.formError } : null,
        errorLines: (result.errorLines ?? []).map((l) => ({ line: l.line, problems: problemsShown(row.kind, l.problems) })),
        scheduleLines: (result.lines ?? []).map((l) => ({ ...l, statusKey: `scheduleImport.status.${l.status}`, problems: problemsShown(row.kind, l.problems), refusals: refusalShown(l.refusal, locale), booked: l.status === "booked" })),
      });
    }
    const table = repo.tableOf(row);
    if (!table) throw new NotFoundError("import");
    const fields = fieldsOf(row.kind);
    const mapping = extra.mapping ?? (await mappingFor(db, ownerKey(actorOf(req).actor), table, row.kind, fields));
    const onlyErrors = req.query.alleen === "fouten";
    const page = Math.max(1, parseId(req.query.pagina) ?? 1);

    let rows: Record<string, unknown>[];
    let summary: Record<string, number>;
    let applicable: number;
    if (row.kind === "clients") {
      const outcomes = await previewClients(db, scope, table, mapping, today(clock));
      const c = counts(outcomes);
      summary = c;
      applicable = c.new + c.matched;
      rows = outcomes
        .filter((o) => !onlyErrors || o.status === "error")
        .map((o) => ({ ...o, statusKey: `clientImport.status.${o.status}`, problems: problemsShown("clients", o.problems), changes: o.changes.map((k) => `clientImport.fields.${k === "village_id" ? "village" : k}`) }));
    } else {
      const outcomes = await previewSchedules(db, scope, table, mapping);
      summary = { ready: outcomes.filter((o) => o.status === "ready").length, error: outcomes.filter((o) => o.status === "error").length };
      applicable = summary.ready;
      rows = outcomes
        .filter((o) => !onlyErrors || o.status === "error")
        .map((o) => ({
          ...o,
          statusKey: `scheduleImport.status.${o.status}`,
          fundingKey: o.funding ? `scheduleImport.funding.${o.funding}` : null,
          slotLabels: slotLabels(o.slots),
          problems: problemsShown("schedules", o.problems),
        }));
    }
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const filter = onlyErrors ? "&alleen=fouten" : "";
    res.status(status).render("imports/preview", {
      ...base,
      summary,
      applicable,
      rows: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
      page,
      pages,
      onlyErrors,
      previousUrl: page > 1 ? `/importeren/${row.id}?pagina=${page - 1}${filter}` : null,
      nextUrl: page < pages ? `/importeren/${row.id}?pagina=${page + 1}${filter}` : null,
      mappingFields: fields.map((f) => ({
        name: `map_${f.key}`,
        label: f.label,
        required: f.required ?? false,
        value: mapping[f.key] === null || mapping[f.key] === undefined ? "" : String(mapping[f.key]),
        error: extra.mappingErrors?.[`map_${f.key}`] ?? null,
      })),
      columns: table.header.map((h, i) => ({ value: String(i), text: columnLabel(i, h) })),
      errors: extra.mappingErrors && Object.keys(extra.mappingErrors).length > 0 ? extra.mappingErrors : extra.formError ? { _form: extra.formError } : null,
    });
  }

  router.get("/:id", async (req, res) => renderImport(req, res, 200, await importOf(req)));

  router.post("/:id/koppeling", async (req, res) => {
    const row = await importOf(req);
    const table = repo.tableOf(row);
    if (row.status !== "uploaded" || !table) return res.redirect(303, `/importeren/${row.id}`);
    const { mapping, errors } = mappingFromForm(fieldsOf(row.kind), table.header, req.body ?? {});
    if (Object.keys(errors).length > 0) return renderImport(req, res, 422, row, { mappingErrors: errors, mapping });
    await repo.rememberMapping(db, ownerKey(actorOf(req).actor), row.kind, rememberedOf(fieldsOf(row.kind), mapping, table.header), timestamp(clock));
    flash(req, "success", "clientImport.mappingSaved");
    res.redirect(303, `/importeren/${row.id}`);
  });

  router.post("/:id/toepassen", async (req, res) => {
    const row = await importOf(req);
    const { actor, scope } = actorOf(req);
    onInvalid(res, async (err) => {
      const fresh = (await repo.findImport(db, actor.userId, row.id))!;
      await renderImport(req, res, 422, fresh, { formError: err.fields._form ?? "errors.invalid" });
    });
    if (row.kind === "clients") {
      const r = await applyClientImport(db, clock, actor, scope, ownerKey(actor), row.id);
      flash(req, "success", "clientImport.applied", { created: String(r.created), updated: String(r.updated), errors: String(r.errors) });
    } else {
      const r = await applyScheduleImport(db, clock, actor, scope, ownerKey(actor), row.id);
      flash(req, "success", "scheduleImport.applied", { booked: String(r.booked), refused: String(r.refused), errors: String(r.errors) });
    }
    res.redirect(303, `/importeren/${row.id}`);
  });

  return router;
}
