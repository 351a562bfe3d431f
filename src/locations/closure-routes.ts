import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { actorOf, requireRole } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import type { HolidayKey } from "../domain/holidays";
import { parseId } from "../web/fields";
import { onInvalid } from "../web/errors";
import { keptInput, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { acceptHolidays, addClosures, closuresPage, holidaysPage, removeClosure } from "./closure-service";
import { confirmPage, formValues, wantsEdit } from "./confirm";
import { isConfirmed, parseClosure } from "./forms";
import * as repo from "./repository";

const YEAR = /^\d{4}$/;

/** ?aanbieder= / the hidden field: none (null), a provider id, or not found. */
function providerParam(value: unknown): number | null {
  if (value === undefined || value === "") return null;
  const id = parseId(value);
  if (id === null) throw new NotFoundError("provider");
  return id;
}

/**
 * Closures: add one (a dagdeel, a day, a range), remove one, accept holidays. A provider keeps
 * its own; a coordinator those of the provider it chose (?aanbieder=, a hidden field in the
 * forms). Other roles: 403.
 */
export function closureRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;
  const keepers = requireRole("provider", "coordinator");

  /** The closures page of a provider; a coordinator's links and forms carry the provider's id. */
  function closuresHref(actor: { role: string }, providerId: number): string {
    return actor.role === "coordinator" ? `/locaties/sluitingen?aanbieder=${providerId}` : "/locaties/sluitingen";
  }

  function chooser(actor: { role: string }, providers: repo.ProviderRow[], provider: repo.ProviderRow | null) {
    if (actor.role !== "coordinator") return { isCoordinator: false };
    return {
      isCoordinator: true,
      aanbieder: provider ? String(provider.id) : null,
      providerOptions: providers.map((p) => ({ value: String(p.id), text: p.name })),
    };
  }

  async function renderClosures(req: Request, res: Response, status: number, requested: number | null, values: Record<string, string>, errors: FieldErrors = {}) {
    const { actor, scope } = actorOf(req);
    const page = await closuresPage(db, actor, scope, requested, today(clock));
    res.status(status).render("locations/closures", {
      title: "locations.closuresTitle",
      ...page,
      ...chooser(actor, page.providers, page.provider),
      values,
      errors: shownErrors(errors),
      locationOptions: page.locations.map((l) => ({ value: String(l.id), text: l.name })),
      dagdeelOptions: [
        { value: "ochtend", key: "dagdeel.ochtend" },
        { value: "middag", key: "dagdeel.middag" },
      ],
    });
  }

  router.get("/sluitingen", keepers, async (req, res) => {
    const { scope } = actorOf(req);
    // From a location's page the form starts with that location (and so its provider) chosen.
    const locatie = parseId(req.query.locatie);
    let requested = providerParam(req.query.aanbieder);
    if (requested === null && locatie) requested = (await repo.findLocation(db, scope, locatie))?.provider_id ?? null;
    await renderClosures(req, res, 200, requested, locatie ? { location_id: String(locatie) } : {});
  });

  router.post("/sluitingen", keepers, async (req, res) => {
    const { actor, scope } = actorOf(req);
    const requested = providerParam(req.body?.aanbieder);
    if (wantsEdit(req.body)) return renderClosures(req, res, 200, requested, formValues(req.body));
    onInvalid(res, (err) => renderClosures(req, res, 422, requested, keptInput(req.body), err.fields));
    const closure = validValue(parseClosure(req.body));
    const outcome = await addClosures(db, clock, actor, scope, requested, [closure], { confirmed: isConfirmed(req.body), source: "form" });
    if (outcome.status === "confirm") {
      return res.render(
        "locations/confirm",
        confirmPage({
          intro: "locations.confirmClosureIntro",
          introParams: { reason: closure.reason },
          action: "/locaties/sluitingen",
          body: req.body,
          affected: outcome.affected,
          showLocation: true,
        }),
      );
    }
    flash(req, "success", "locations.closureAdded", { reason: closure.reason });
    res.redirect(303, closuresHref(actor, outcome.providerId));
  });

  router.post("/sluitingen/:id/verwijderen", keepers, async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("closure");
    if (wantsEdit(req.body)) {
      const closure = await repo.findClosure(db, scope, id);
      if (!closure) throw new NotFoundError("closure");
      return res.redirect(303, closuresHref(actor, closure.provider_id));
    }
    const outcome = await removeClosure(db, clock, actor, scope, id, { confirmed: isConfirmed(req.body), today: today(clock) });
    const { closure } = outcome;
    if (outcome.status === "confirm") {
      // The same confirmation as closing: who comes back to a dagdeel with too few places.
      return res.render(
        "locations/confirm",
        confirmPage({
          intro: "locations.confirmReopenIntro",
          introParams: { reason: closure.reason },
          action: `/locaties/sluitingen/${closure.id}/verwijderen`,
          body: req.body,
          affected: outcome.affected,
          showLocation: true,
        }),
      );
    }
    flash(req, "success", "locations.closureRemoved", { reason: closure.reason });
    res.redirect(303, closuresHref(actor, closure.provider_id));
  });

  async function renderHolidays(req: Request, res: Response, status: number, requested: number | null, year: number, errors: FieldErrors = {}, chosen?: Set<string>) {
    const { actor, scope } = actorOf(req);
    const date = today(clock);
    const { provider, providers, offers, limburg } = await holidaysPage(db, actor, scope, requested, year, date);
    const thisYear = Number(date.slice(0, 4));
    res.status(status).render("locations/holidays", {
      title: "locations.holidaysTitle",
      provider,
      ...chooser(actor, providers, provider),
      year,
      years: [thisYear, thisYear + 1, thisYear + 2].map((y) => ({ year: y, current: y === year })),
      limburg,
      offers: offers.map((o) => ({ ...o, field: `h_${o.key}`, checked: chosen ? chosen.has(o.key) : !o.optional })),
      open: offers.filter((o) => !o.past && !o.present).length,
      errors: shownErrors(errors),
    });
  }

  function yearOf(value: unknown, fallback: number): number | null {
    if (value === undefined || value === "") return fallback;
    if (typeof value !== "string" || !YEAR.test(value)) return null;
    const year = Number(value);
    return year >= fallback - 1 && year <= fallback + 5 ? year : null;
  }

  router.get("/feestdagen", keepers, async (req, res) => {
    const requested = providerParam(req.query.aanbieder);
    const thisYear = Number(today(clock).slice(0, 4));
    const year = yearOf(req.query.jaar, thisYear);
    if (year === null) return renderHolidays(req, res, 422, requested, thisYear, { _form: "locations.errors.year" });
    await renderHolidays(req, res, 200, requested, year);
  });

  router.post("/feestdagen", keepers, async (req, res) => {
    const { actor, scope } = actorOf(req);
    const requested = providerParam(req.body?.aanbieder);
    const thisYear = Number(today(clock).slice(0, 4));
    const year = yearOf(req.body?.jaar, thisYear);
    if (year === null) return renderHolidays(req, res, 422, requested, thisYear, { _form: "locations.errors.year" });
    const keys = Object.keys(req.body ?? {})
      .filter((k) => k.startsWith("h_") && req.body[k] === "1")
      .map((k) => k.slice(2) as HolidayKey);
    if (wantsEdit(req.body)) return renderHolidays(req, res, 200, requested, year, {}, new Set(keys));
    onInvalid(res, (err) => renderHolidays(req, res, 422, requested, year, err.fields, new Set(keys)));
    const outcome = await acceptHolidays(db, clock, actor, scope, requested, year, keys, { confirmed: isConfirmed(req.body), today: today(clock) });
    if (outcome.status === "confirm") {
      return res.render(
        "locations/confirm",
        confirmPage({
          intro: "locations.confirmHolidaysIntro",
          introParams: { year: String(year) },
          action: "/locaties/feestdagen",
          body: req.body,
          affected: outcome.affected,
          showLocation: true,
        }),
      );
    }
    flash(req, "success", "locations.holidaysAccepted", { count: outcome.ids.length, year: String(year) });
    res.redirect(303, closuresHref(actor, outcome.providerId));
  });

  return router;
}
