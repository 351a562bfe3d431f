import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { actorOf, requireRole } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import type { HolidayKey } from "../domain/holidays";
import { parseId } from "../web/fields";
import { keptInput, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { acceptHolidays, addClosures, closuresPage, holidayOffers, removeClosure } from "./closure-service";
import { confirmPage, formValues, wantsEdit } from "./confirm";
import { isConfirmed, parseClosure, shownErrors } from "./forms";

const YEAR = /^\d{4}$/;

/** A provider's closures: add one (a dagdeel, a day, a range), remove one, accept holidays. */
export function closureRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  async function renderClosures(req: Request, res: Response, status: number, values: Record<string, string>, errors: FieldErrors = {}) {
    const { actor } = actorOf(req);
    const page = await closuresPage(db, actor, today(clock));
    res.status(status).render("locations/closures", {
      title: "locations.closuresTitle",
      ...page,
      values,
      errors: shownErrors(errors),
      locationOptions: page.locations.map((l) => ({ value: l.id, text: l.name })),
      dagdeelOptions: [
        { value: "ochtend", key: "dagdeel.ochtend" },
        { value: "middag", key: "dagdeel.middag" },
      ],
    });
  }

  router.get("/sluitingen", requireRole("provider"), async (req, res) => {
    // From a location's page the form starts with that location chosen.
    const locatie = parseId(req.query.locatie);
    await renderClosures(req, res, 200, locatie ? { location_id: String(locatie) } : {});
  });

  router.post("/sluitingen", requireRole("provider"), async (req, res) => {
    const { actor } = actorOf(req);
    if (wantsEdit(req.body)) return renderClosures(req, res, 200, formValues(req.body));
    const form = parseClosure(req.body);
    if (!form.ok) return renderClosures(req, res, 422, keptInput(req.body), form.errors);
    try {
      const outcome = await addClosures(db, clock, actor, [form.value], { confirmed: isConfirmed(req.body), source: "form" });
      if (outcome.status === "confirm") {
        return res.render(
          "locations/confirm",
          confirmPage({
            intro: "locations.confirmClosureIntro",
            introParams: { reason: form.value.reason },
            action: "/locaties/sluitingen",
            body: req.body,
            affected: outcome.affected,
            showLocation: true,
          }),
        );
      }
      flash(req, "success", "locations.closureAdded", { reason: form.value.reason });
      res.redirect(303, "/locaties/sluitingen");
    } catch (err) {
      if (err instanceof ValidationError) return renderClosures(req, res, 422, keptInput(req.body), err.fields);
      throw err;
    }
  });

  router.post("/sluitingen/:id/verwijderen", requireRole("provider"), async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("closure");
    const closure = await removeClosure(db, clock, actor, scope, id);
    flash(req, "success", "locations.closureRemoved", { reason: closure.reason });
    res.redirect(303, "/locaties/sluitingen");
  });

  async function renderHolidays(req: Request, res: Response, status: number, year: number, errors: FieldErrors = {}, chosen?: Set<string>) {
    const { actor } = actorOf(req);
    const date = today(clock);
    const { offers, limburg } = await holidayOffers(db, actor, year, date);
    const thisYear = Number(date.slice(0, 4));
    res.status(status).render("locations/holidays", {
      title: "locations.holidaysTitle",
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

  router.get("/feestdagen", requireRole("provider"), async (req, res) => {
    const thisYear = Number(today(clock).slice(0, 4));
    const year = yearOf(req.query.jaar, thisYear);
    if (year === null) return renderHolidays(req, res, 422, thisYear, { _form: "locations.errors.year" });
    await renderHolidays(req, res, 200, year);
  });

  router.post("/feestdagen", requireRole("provider"), async (req, res) => {
    const { actor } = actorOf(req);
    const thisYear = Number(today(clock).slice(0, 4));
    const year = yearOf(req.body?.jaar, thisYear);
    if (year === null) return renderHolidays(req, res, 422, thisYear, { _form: "locations.errors.year" });
    const keys = Object.keys(req.body ?? {})
      .filter((k) => k.startsWith("h_") && req.body[k] === "1")
      .map((k) => k.slice(2) as HolidayKey);
    if (wantsEdit(req.body)) return renderHolidays(req, res, 200, year, {}, new Set(keys));
    try {
      const outcome = await acceptHolidays(db, clock, actor, year, keys, { confirmed: isConfirmed(req.body), today: today(clock) });
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
      flash(req, "success", "locations.holidaysAccepted", { n: String(outcome.status === "saved" ? (outcome.ids?.length ?? 0) : 0), year: String(year) });
      res.redirect(303, "/locaties/sluitingen");
    } catch (err) {
      if (err instanceof ValidationError) return renderHolidays(req, res, 422, year, err.fields, new Set(keys));
      throw err;
    }
  });

  return router;
}
