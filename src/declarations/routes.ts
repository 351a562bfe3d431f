import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { recordAudit } from "../audit/repository";
import { actorOf, requireRole } from "../auth/middleware";
import { today } from "../domain/clock";
import { inWindow } from "../domain/date-window";
import { NotFoundError } from "../domain/errors";
import { checkbox, id, optionalText, parseId, requiredText } from "../web/fields";
import { onInvalid } from "../web/errors";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { isLocale } from "../web/i18n";
import { flash } from "../web/locals";
import { answerRoutes } from "./answer-routes";
import { withdrawnLines } from "./compute";
import { decisionRoutes } from "./decision-routes";
import { declarationCsv, declarationNumber, wmo323For, wmo323InputFor } from "./exports";
import { declarationsPage } from "./pages";
import { changeSettings, deleteConcept, exportData, openCorrection, prepareDeclaration, recomputeDeclaration, submitDeclaration } from "./service";
import { declarationIdOf, monthLabel, renderShow, type Deps } from "./show";

// A month outside the dates the app works with (2000–2100) is refused like any such date.
const prepareSchema = z.object({ purchaser_id: id(), month: requiredText(7).refine((m) => !/^\d{4}-\d{2}$/.test(m) || inWindow(`${m}-01`), "errors.dateRange") });
const correctionSchema = z.object({ reason: optionalText(2000) });
const settingsSchema = z.object({ requires_start_message: checkbox() });

/** Declarations: providers prepare, submit and correct; purchasers answer; everyone in scope reads. */
export function declarationRoutes(deps: Deps): Router {
  const router = Router();
  const { db, clock } = deps;
  const providers = requireRole("provider");

  async function renderList(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors: FieldErrors = {}, errorParams: Record<string, unknown> = {}) {
    const { actor, scope } = actorOf(req);
    const pageNumber = parseId(req.query.pagina) ?? 1;
    const page = await declarationsPage(db, clock, actor, scope, pageNumber);
    const label = monthLabel(res);
    res.status(status).render("declarations/index", {
      title: "declaration.title",
      ...page,
      rows: page.rows.map((r) => ({ ...r, monthLabel: label(r.month), periodLabel: r.period && r.period !== r.month ? label(r.period) : null, number: declarationNumber(r.id) })),
      monthOptions: page.months.map((m) => ({ value: m, text: label(m) })),
      purchaserOptions: page.purchasers.map((p) => ({ value: p.id, text: p.name })),
      isProvider: actor.role === "provider",
      isPurchaser: actor.role === "purchaser",
      // The list's columns: a provider sees no provider column, a purchaser no purchaser column.
      columns: 5 + (actor.role === "provider" ? 0 : 1) + (actor.role === "purchaser" ? 0 : 1),
      values: { month: page.months[0] ?? "", ...values },
      errors: shownErrors(errors),
      errorParams,
      previousUrl: page.page > 1 ? `/declaraties?pagina=${page.page - 1}` : null,
      nextUrl: page.page < page.pages ? `/declaraties?pagina=${page.page + 1}` : null,
    });
  }

  router.get("/", (req, res) => renderList(req, res, 200));

  router.post("/", providers, async (req, res) => {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderList(req, res, 422, keptInput(req.body), err.fields, err.params));
    const newId = await prepareDeclaration(db, clock, actor, validValue(parseForm(prepareSchema, req.body)));
    flash(req, "success", "declaration.prepared");
    res.redirect(303, `/declaraties/${newId}`);
  });

  router.post("/instellingen", requireRole("purchaser"), async (req, res) => {
    const form = parseForm(settingsSchema, req.body);
    if (!form.ok) return renderList(req, res, 422, keptInput(req.body), form.errors);
    await changeSettings(db, clock, actorOf(req).actor, form.value);
    flash(req, "success", "declaration.settings.saved");
    res.redirect(303, "/declaraties");
  });

  router.get("/:id", (req, res) => renderShow(deps, req, res, 200));

  /** Runs a transition; a refused one shows the declaration again with the reason (422). */
  function transition(run: (req: Request) => Promise<string | void>, success: string) {
    return async (req: Request, res: Response) => {
      const declarationId = declarationIdOf(req);
      onInvalid(res, (err) => renderShow(deps, req, res, 422, { errors: shownErrors(err.fields), errorParams: err.params, values: keptInput(req.body) }));
      const target = await run(req);
      flash(req, "success", success);
      res.redirect(303, target ?? `/declaraties/${declarationId}`);
    };
  }

  const act = (req: Request) => ({ ...actorOf(req), id: declarationIdOf(req) });

  router.post(
    "/:id/herberekenen",
    providers,
    transition(async (req) => {
      const { actor, scope, id } = act(req);
      await recomputeDeclaration(db, clock, actor, scope, id);
    }, "declaration.recomputed"),
  );

  router.post(
    "/:id/indienen",
    providers,
    transition(async (req) => {
      const { actor, scope, id } = act(req);
      await submitDeclaration(db, clock, actor, scope, id);
    }, "declaration.submitted"),
  );

  router.post(
    "/:id/verwijderen",
    providers,
    transition(async (req) => {
      const { actor, scope, id } = act(req);
      await deleteConcept(db, clock, actor, scope, id);
      return "/declaraties";
    }, "declaration.deleted"),
  );

  router.post(
    "/:id/correctie",
    providers,
    transition(async (req) => {
      const { actor, scope, id } = act(req);
      const { reason } = validValue(parseForm(correctionSchema, req.body));
      return `/declaraties/${await openCorrection(db, clock, actor, scope, id, reason ?? "")}`;
    }, "declaration.correctionOpened"),
  );

  router.use(decisionRoutes(deps, transition));
  router.use(answerRoutes(deps));

  // --- exports: they carry full BSNs, so each download is written to the audit log ------------

  router.get("/:id/csv", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const { declaration, lines } = await exportData(db, scope, declarationIdOf(req));
    const locale = isLocale(res.locals.locale) ? res.locals.locale : "nl";
    const csv = declarationCsv(declaration, lines, locale);
    await recordAudit(db, clock, { userId: actor.userId, action: "download", entity: "declaration", entityId: declaration.id, details: { format: "csv" } });
    res
      .type("text/csv; charset=utf-8")
      .attachment(`declaratie-${declarationNumber(declaration.id)}-${declaration.month}.csv`)
      .send("\uFEFF" + csv);
  });

  router.get("/:id/wmo323.xml", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const { declaration, lines } = await exportData(db, scope, declarationIdOf(req));
    // The Wlz has no WMO323: a zorgkantoor gets the CSV.
    if (declaration.purchaser_subkind !== "gemeente") throw new NotFoundError("wmo323");
    const input = wmo323InputFor(declaration, lines, await withdrawnLines(db, declaration), today(clock));
    const built = wmo323For(input);
    if (built.xml === null) {
      return renderShow(deps, req, res, 422, { xmlProblems: built.problems.map((p) => `declaration.xmlProblems.${p}`) });
    }
    await recordAudit(db, clock, { userId: actor.userId, action: "download", entity: "declaration", entityId: declaration.id, details: { format: "wmo323" } });
    res
      .type("application/xml; charset=utf-8")
      .attachment(`WMO323-${declarationNumber(declaration.id)}.xml`)
      .send(built.xml);
  });

  return router;
}

export type Transition = (run: (req: Request) => Promise<string | void>, success: string) => (req: Request, res: Response) => Promise<void>;
