import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { displayParams } from "../attendance/present";
import { actorOf, requireRole } from "../auth/middleware";
import { urlWith } from "../clients/forms";
import type { Clock } from "../domain/clock";
import { parseId } from "../web/fields";
import { isLocale } from "../web/i18n";
import { onInvalid } from "../web/errors";
import { flash } from "../web/locals";
import { filesOf } from "../web/uploads";
import { START_TRIGGERS, type StartTrigger } from "./delivery";
import { exportWmo301 } from "./export-service";
import { setStartTrigger } from "./messages-service";
import { receivedReports, ReportsRefused, uploadReports, type ReportLine } from "./reports-service";

// The gemeente's side of iWmo in dagdeel: when care counts as started (its setting), the
// WMO305/307 it received (uploaded to see starts and stops per allocation) and a WMO301 export
// of an allocation (to test the import against dagdeel's own message).

export const PAGE_SIZE = 50;

export function purchaserRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;
  const purchaserOnly = requireRole("purchaser");

  async function render(req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const { actor } = actorOf(req);
    const org = await db("organisations").where({ id: actor.organisationId ?? -1 }).first("id", "subkind", "iwmo_start_trigger");
    const gemeente = org?.subkind === "gemeente";
    const page = parseId(req.query.pagina) ?? 1;
    const received = gemeente ? await receivedReports(db, org.id, PAGE_SIZE, (page - 1) * PAGE_SIZE) : { total: 0, rows: [] };
    const pages = Math.max(1, Math.ceil(received.total / PAGE_SIZE));
    res.status(status).render("iwmo/purchaser", {
      title: "iwmo.messages.title",
      gemeente,
      trigger: org?.iwmo_start_trigger ?? "aanwezigheid",
      triggers: START_TRIGGERS.map((t) => ({ value: t, checked: t === (org?.iwmo_start_trigger ?? "aanwezigheid") })),
      received: received.rows,
      total: received.total,
      from: received.total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
      until: Math.min(received.total, page * PAGE_SIZE),
      previousUrl: page > 1 ? urlWith("/berichten", { pagina: page - 1 }) : null,
      nextUrl: page < pages ? urlWith("/berichten", { pagina: page + 1 }) : null,
      page,
      pages,
      ...extra,
    });
  }

  router.get("/berichten", purchaserOnly, (req, res) => render(req, res));

  router.post("/berichten/instellingen", purchaserOnly, async (req, res) => {
    const { actor } = actorOf(req);
    const trigger = req.body?.trigger;
    if (!(START_TRIGGERS as readonly string[]).includes(trigger)) return render(req, res, 422, { errors: { trigger: "errors.choice" } });
    const moved = await setStartTrigger(db, clock, actor, actor.organisationId ?? -1, trigger as StartTrigger);
    flash(req, "success", "iwmo.purchaser.triggerSaved", { count: String(moved) });
    res.redirect(303, "/berichten");
  });

  router.post("/berichten/ontvangen", purchaserOnly, async (req, res) => {
    const { actor, scope } = actorOf(req);
    const words = (params: Record<string, string>) => displayParams(params, isLocale(res.locals.locale) ? res.locals.locale : "nl");
    if (req.uploadError === "LIMIT_FILE_SIZE") return render(req, res, 413, { errors: { bestanden: "iwmo.import.errors.tooLarge" } });
    if (req.uploadError) return render(req, res, 422, { errors: { bestanden: "iwmo.import.errors.tooMany" } });
    onInvalid(res, (err) => render(req, res, 422, { errors: err.fields }));
    try {
      const lines: ReportLine[] = await uploadReports(db, clock, actor, scope, filesOf(req, "bestanden"));
      return render(req, res, 200, { lines, uploaded: true });
    } catch (err) {
      // Not a refused rule but a report: which files failed and why, shown with the form.
      if (err instanceof ReportsRefused) {
        return render(req, res, 422, { errors: { bestanden: "iwmo.import.errors.refused" }, refused: err.files.map((f) => ({ ...f, other: f.other.map((o) => ({ ...o, params: words(o.params) })) })) });
      }
      throw err;
    }
  });

  router.get("/berichten/toewijzingen/:id/wmo301.xml", purchaserOnly, async (req, res) => {
    const { actor, scope } = actorOf(req);
    onInvalid(res, (err) => render(req, res, 422, { exportProblems: Object.values(err.fields) }));
    const { fileName, xml } = await exportWmo301(db, clock, actor, scope, parseId(req.params.id) ?? -1);
    res.type("application/xml; charset=utf-8").attachment(fileName).send(xml);
  });

  return router;
}
