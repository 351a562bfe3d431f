import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { displayParams } from "../attendance/present";
import { actorOf, requireRole } from "../auth/middleware";
import type { Clock } from "../domain/clock";
import { isLocale, translator } from "../web/i18n";
import { onInvalid } from "../web/errors";
import { flash } from "../web/locals";
import { filesOf, MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES } from "../web/uploads";
import { parseId } from "../web/fields";
import * as repo from "./import-repository";
import { applyBatch, ImportRefused, previewBatch, uploadWmo301 } from "./import-service";
import { localised, planView, refusedView } from "./import-view";

// WMO301 import: the upload form, the preview per client and product, and applying it.
// Coordinators import for any provider, a provider for itself; nobody else (403).

export function importRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;
  router.use("/berichten/import", requireRole("coordinator", "provider"));

  /** Parameters in the page's words: dates as d-M-yyyy, iWmo units (…Unit) by name. */
  const words = (res: Response) => (params: Record<string, string | number>) => {
    const locale = isLocale(res.locals.locale) ? res.locals.locale : "nl";
    const t = translator(locale);
    const out = displayParams(params, locale);
    for (const k of Object.keys(out)) if (k.endsWith("Unit")) out[k] = t(`iwmoEenheid.${out[k]}`);
    return out;
  };

  async function renderForm(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const { scope } = actorOf(req);
    res.status(status).render("iwmo/import", {
      title: "iwmo.import.title",
      maxFiles: MAX_UPLOAD_FILES,
      maxKilobytes: Math.round(MAX_UPLOAD_BYTES / 1024),
      batches: await repo.recentBatches(db, scope, 10),
      ...extra,
    });
  }

  router.get("/berichten/import", (req, res) => renderForm(req, res, 200));

  router.post("/berichten/import", async (req, res) => {
    const { actor, scope } = actorOf(req);
    if (req.uploadError === "LIMIT_FILE_SIZE") return renderForm(req, res, 413, { errors: { bestanden: "iwmo.import.errors.tooLarge" } });
    if (req.uploadError) return renderForm(req, res, 422, { errors: { bestanden: "iwmo.import.errors.tooMany" } });
    onInvalid(res, (err) => renderForm(req, res, 422, { errors: err.fields }));
    try {
      const id = await uploadWmo301(db, clock, actor, scope, filesOf(req, "bestanden"));
      res.redirect(303, `/berichten/import/${id}`);
    } catch (err) {
      // Not a refused rule but a report: which files failed and why, shown with the form.
      if (err instanceof ImportRefused) return renderForm(req, res, 422, { errors: { bestanden: "iwmo.import.errors.refused" }, refused: localised(refusedView(err.files), words(res)) });
      throw err;
    }
  });

  async function renderPreview(req: Request, res: Response, status: number, errors: Record<string, string> | null = null) {
    const { scope } = actorOf(req);
    const id = parseId(req.params.id);
    const { batch, plan, refused } = await previewBatch(db, clock, scope, id ?? -1);
    res.status(status).render("iwmo/preview", {
      title: "iwmo.import.previewTitle",
      batch,
      files: localised(planView(plan), words(res)),
      refused: refused ? localised(refusedView(refused.files), words(res)) : null,
      writes: plan.writes,
      errors,
    });
  }

  router.get("/berichten/import/:id", (req, res) => renderPreview(req, res, 200));

  router.post("/berichten/import/:id/toepassen", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id) ?? -1;
    onInvalid(res, (err) => renderPreview(req, res, 422, err.fields));
    try {
      const r = await applyBatch(db, clock, actor, scope, id);
      flash(req, "success", "iwmo.import.applied", {
        clients: String(r.clientsCreated),
        created: String(r.allocationsCreated),
        changed: String(r.allocationsChanged),
      });
      res.redirect(303, `/berichten/import/${id}`);
    } catch (err) {
      if (err instanceof ImportRefused) return renderPreview(req, res, 422, { _form: "iwmo.import.errors.refusedNow" });
      throw err;
    }
  });

  return router;
}
