import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { DateTime } from "luxon";
import { z } from "zod";
import { recordAudit } from "../audit/repository";
import { actorOf, requireRole } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { inWindow } from "../domain/date-window";
import { NotFoundError, ValidationError } from "../domain/errors";
import { id, optionalText, parseId, requiredText } from "../web/fields";
import { keptInput, parseForm, type FieldErrors } from "../web/forms";

/** An empty error map shows no summary: handlebars takes {} for true. */
const shown = (errors: FieldErrors | undefined) => (errors && Object.keys(errors).length > 0 ? errors : null);
import { isLocale } from "../web/i18n";
import { flash } from "../web/locals";
import { allProducts } from "../contracts/repository";
import { withdrawnLines } from "./compute";
import { declarationCsv, declarationNumber, wmo323For, wmo323InputFor } from "./exports";
import {
  acceptDeclaration,
  correctDeclaration,
  declarationPage,
  declarationsPage,
  deleteConcept,
  exportData,
  prepareDeclaration,
  recomputeDeclaration,
  rejectDeclaration,
  submitDeclaration,
} from "./service";

// A month outside the dates the app works with (2000–2100) is refused like any such date.
const prepareSchema = z.object({ purchaser_id: id(), month: requiredText(7).refine((m) => !/^\d{4}-\d{2}$/.test(m) || inWindow(`${m}-01`), "errors.dateRange") });
const rejectSchema = z.object({ reason: optionalText(2000) });

/** Declarations: providers prepare and submit, purchasers decide, everyone in scope reads. */
export function declarationRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;
  const providers = requireRole("provider");
  const purchasers = requireRole("purchaser");

  const monthLabel = (res: Response) => (month: string) =>
    DateTime.fromISO(`${month}-01`).setLocale(res.locals.locale === "en" ? "en-GB" : "nl-NL").toFormat("LLLL yyyy");

  async function renderList(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors: FieldErrors = {}, errorParams: Record<string, unknown> = {}) {
    const { actor, scope } = actorOf(req);
    const page = await declarationsPage(db, clock, actor, scope);
    const label = monthLabel(res);
    res.status(status).render("declarations/index", {
      title: "declaration.title",
      ...page,
      rows: page.rows.map((r) => ({ ...r, monthLabel: label(r.month), number: declarationNumber(r.id) })),
      monthOptions: page.months.map((m) => ({ value: m, text: label(m) })),
      purchaserOptions: page.purchasers.map((p) => ({ value: p.id, text: p.name })),
      isProvider: actor.role === "provider",
      isPurchaser: actor.role === "purchaser",
      // The list's columns: a provider sees no provider column, a purchaser no purchaser column.
      columns: 5 + (actor.role === "provider" ? 0 : 1) + (actor.role === "purchaser" ? 0 : 1),
      values: { month: page.months[0] ?? "", ...values },
      errors: shown(errors),
      errorParams,
    });
  }

  router.get("/", (req, res) => renderList(req, res, 200));

  router.post("/", providers, async (req, res) => {
    const { actor } = actorOf(req);
    const form = parseForm(prepareSchema, req.body);
    if (!form.ok) return renderList(req, res, 422, keptInput(req.body), form.errors);
    try {
      const newId = await prepareDeclaration(db, clock, actor, form.value);
      flash(req, "success", "declaration.prepared");
      res.redirect(303, `/declaraties/${newId}`);
    } catch (err) {
      if (err instanceof ValidationError) return renderList(req, res, 422, keptInput(req.body), err.fields, err.params);
      throw err;
    }
  });

  async function renderShow(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const { actor, scope } = actorOf(req);
    const declarationId = parseId(req.params.id);
    if (!declarationId) throw new NotFoundError("declaration");
    const page = await declarationPage(db, actor, scope, declarationId);
    const d = page.declaration;
    const products = new Map((await allProducts(db)).map((p) => [p.id, p.name]));
    const own = (role: string, orgId: number) => actor.role === role && actor.organisationId === orgId;
    res.status(status).render("declarations/show", {
      title: "declaration.title",
      heading: declarationNumber(d.id),
      ...page,
      number: declarationNumber(d.id),
      monthLabel: monthLabel(res)(d.month),
      unpriced: page.unpriced.map((u) => ({ ...u, product: products.get(u.product_id) ?? "" })),
      chain: page.chain.map((c) => ({ ...c, number: declarationNumber(c.id), current: c.id === d.id })),
      showChain: page.chain.length > 1,
      isWmo: d.purchaser_subkind === "gemeente",
      canSubmit: own("provider", d.provider_id) && (d.status === "concept" || d.status === "afgewezen"),
      canDelete: own("provider", d.provider_id) && d.status === "concept",
      canDecide: own("purchaser", d.purchaser_id) && d.status === "ingediend",
      isCorrection: d.corrects_declaration_id !== null,
      errors: null,
      values: {},
      ...extra,
    });
  }

  router.get("/:id", (req, res) => renderShow(req, res, 200));

  /** Runs a transition; a refused one shows the declaration again with the reason (422). */
  function transition(run: (req: Request) => Promise<string | void>, success: string) {
    return async (req: Request, res: Response) => {
      const declarationId = parseId(req.params.id);
      if (!declarationId) throw new NotFoundError("declaration");
      try {
        const target = await run(req);
        flash(req, "success", success);
        res.redirect(303, target ?? `/declaraties/${declarationId}`);
      } catch (err) {
        if (err instanceof ValidationError) {
          return renderShow(req, res, 422, { errors: shown(err.fields), errorParams: err.params, values: keptInput(req.body) });
        }
        throw err;
      }
    };
  }

  const idOf = (req: Request) => parseId(req.params.id)!;

  router.post(
    "/:id/herberekenen",
    providers,
    transition(async (req) => {
      const { actor, scope } = actorOf(req);
      await recomputeDeclaration(db, clock, actor, scope, idOf(req));
    }, "declaration.recomputed"),
  );

  router.post(
    "/:id/indienen",
    providers,
    transition(async (req) => {
      const { actor, scope } = actorOf(req);
      await submitDeclaration(db, clock, actor, scope, idOf(req));
    }, "declaration.submitted"),
  );

  router.post(
    "/:id/verwijderen",
    providers,
    transition(async (req) => {
      const { actor, scope } = actorOf(req);
      await deleteConcept(db, clock, actor, scope, idOf(req));
      return "/declaraties";
    }, "declaration.deleted"),
  );

  router.post(
    "/:id/correctie",
    providers,
    transition(async (req) => {
      const { actor, scope } = actorOf(req);
      return `/declaraties/${await correctDeclaration(db, clock, actor, scope, idOf(req))}`;
    }, "declaration.correctionPrepared"),
  );

  router.post(
    "/:id/accepteren",
    purchasers,
    transition(async (req) => {
      const { actor, scope } = actorOf(req);
      await acceptDeclaration(db, clock, actor, scope, idOf(req));
    }, "declaration.accepted"),
  );

  router.post(
    "/:id/afwijzen",
    purchasers,
    transition(async (req) => {
      const { actor, scope } = actorOf(req);
      const form = parseForm(rejectSchema, req.body);
      if (!form.ok) throw new ValidationError(form.errors);
      await rejectDeclaration(db, clock, actor, scope, idOf(req), form.value.reason ?? "");
    }, "declaration.rejected"),
  );

  // --- exports: they carry full BSNs, so each download is written to the audit log ------------

  router.get("/:id/csv", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const declarationId = parseId(req.params.id);
    if (!declarationId) throw new NotFoundError("declaration");
    const { declaration, lines } = await exportData(db, scope, declarationId);
    const locale = isLocale(res.locals.locale) ? res.locals.locale : "nl";
    const csv = declarationCsv(declaration, lines, locale);
    await recordAudit(db, clock, { userId: actor.userId, action: "exportDeclaration", entity: "declaration", entityId: declaration.id, details: { format: "csv" } });
    res
      .type("text/csv; charset=utf-8")
      .attachment(`declaratie-${declarationNumber(declaration.id)}-${declaration.month}.csv`)
      .send("\uFEFF" + csv);
  });

  router.get("/:id/wmo323.xml", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const declarationId = parseId(req.params.id);
    if (!declarationId) throw new NotFoundError("declaration");
    const { declaration, lines } = await exportData(db, scope, declarationId);
    // The Wlz has no WMO323: a zorgkantoor gets the CSV.
    if (declaration.purchaser_subkind !== "gemeente") throw new NotFoundError("wmo323");
    const input = wmo323InputFor(declaration, lines, await withdrawnLines(db, declaration), today(clock));
    const built = wmo323For(input);
    if (built.xml === null) {
      return renderShow(req, res, 422, { xmlProblems: built.problems.map((p) => `declaration.xmlProblems.${p}`) });
    }
    await recordAudit(db, clock, { userId: actor.userId, action: "exportDeclaration", entity: "declaration", entityId: declaration.id, details: { format: "wmo323" } });
    res
      .type("application/xml; charset=utf-8")
      .attachment(`WMO323-${declarationNumber(declaration.id)}.xml`)
      .send(built.xml);
  });

  return router;
}
