import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { actorOf, requireRole } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { DEFAULT_DAGDEEL_TIMES } from "../domain/dagdeel";
import { mondayOf } from "../domain/dates";
import { NotFoundError } from "../domain/errors";
import { z } from "zod";
import { searchWords } from "../domain/search-key";
import { optionalChoice, optionalText, parseId } from "../web/fields";
import { onInvalid } from "../web/errors";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { pageOrLast, paging } from "../web/pagination";
import { flash } from "../web/locals";
import { capacityRoutes } from "./capacity-routes";
import { closureRoutes } from "./closure-routes";
import { confirmPage, formValues, wantsEdit } from "./confirm";
import { isConfirmed, parseLocation } from "./forms";
import * as repo from "./repository";
import { createLocation, gridOn, ownLocation, rulePeriods, updateLocation, visibleLocation } from "./service";
import { chooseWeek, weekView } from "./week";

export const LOCATIONS_PER_PAGE = 50;

const PROVIDER_KINDS = ["dorpsdagvoorziening", "zorgboerderij", "overig"] as const;
const STATUSES = ["actief", "inactief"] as const;

/** /locaties's filter: each field may be left empty. */
const listSchema = z.object({
  zoek: optionalText(100),
  soort: optionalChoice(PROVIDER_KINDS),
  status: optionalChoice(STATUSES),
});

/**
 * Locations for every role: providers keep their own (create, edit, capacity, closures);
 * coordinators, purchasers and admins read them within their scope. Writes answer 403 for any
 * role but provider, and 404 for another provider's ids; closures are the exception: a
 * coordinator adds and removes them for any provider too (closure-routes.ts).
 */
export function locationRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  router.use(closureRoutes(deps));

  /**
   * The locations the actor may see, fifty a page, narrowed by a search on the location's,
   * provider's or village's name, the provider's kind and active or not (GET parameters, so a
   * page can be shared and reloaded). A wrong filter value answers 422 next to its field.
   */
  router.get("/", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const isProvider = actor.role === "provider";
    const view = {
      title: "locations.title",
      isProvider,
      isCoordinator: actor.role === "coordinator",
      kinds: PROVIDER_KINDS.map((value) => ({ value, key: `subkinds.${value}` })),
      statuses: [
        { value: "actief", key: "locations.active" },
        { value: "inactief", key: "locations.inactive" },
      ],
    };
    const form = parseForm(listSchema, req.query);
    // A page number that is not one (a link typed by hand) is the first page.
    const requested = parseId(req.query.pagina);
    if (!form.ok) {
      return res.status(422).render("locations/index", { ...view, values: keptInput(req.query), errors: form.errors, locations: [], filtered: true, showFilter: true });
    }
    const f = form.value;
    const filter = { words: searchWords(f.zoek ?? ""), subkind: f.soort, active: f.status === null ? null : f.status === "actief" };
    const { total, rows, page } = await pageOrLast(requested, LOCATIONS_PER_PAGE, (limit, offset) => repo.pageOfLocations(db, scope, filter, limit, offset));
    const filtered = f.zoek !== null || f.soort !== null || f.status !== null;
    res.render("locations/index", {
      ...view,
      values: { zoek: f.zoek ?? "", soort: f.soort ?? "", status: f.status ?? "" },
      locations: rows,
      total,
      filtered,
      // A provider with a few locations needs no search; one with many, and every other role, does.
      showFilter: !isProvider || filtered || total > LOCATIONS_PER_PAGE,
      showCount: filtered || total > LOCATIONS_PER_PAGE,
      paging: paging("/locaties", { zoek: f.zoek, soort: f.soort, status: f.status }, page, total, LOCATIONS_PER_PAGE),
    });
  });

  async function renderForm(res: Response, status: number, values: Record<string, unknown>, errors: FieldErrors = {}, id?: number) {
    const villages = await repo.listVillages(db);
    res.status(status).render("locations/form", {
      title: id ? "locations.editTitle" : "locations.newTitle",
      id,
      values,
      errors: shownErrors(errors),
      villages: villages.map((v) => ({ value: v.id, text: `${v.name} (${v.municipality})` })),
    });
  }

  router.get("/nieuw", requireRole("provider"), async (_req, res) => renderForm(res, 200, { ...DEFAULT_DAGDEEL_TIMES, active: "1" }));

  router.post("/", requireRole("provider"), async (req, res) => {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderForm(res, 422, keptInput(req.body), err.fields));
    const input = validValue(parseLocation(req.body));
    const id = await createLocation(db, clock, actor, input);
    flash(req, "success", "locations.created", { name: input.name });
    res.redirect(303, `/locaties/${id}`);
  });

  async function show(req: Request, res: Response) {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("location");
    const location = await visibleLocation(db, scope, id);
    const date = today(clock);
    const choice = chooseWeek(req.query, date);
    const monday = choice.ok ? choice.monday : mondayOf(date);
    // Purchasers and the admin see numbers only; who comes is for the provider itself and the coordinators.
    const withNames = actor.role === "coordinator" || scope.ownsProvider(location.provider_id);
    const [week, rules, closures] = await Promise.all([
      weekView(db, location, monday, date, withNames),
      repo.rulesOf(db, id),
      repo.closuresOfLocation(db, location.provider_id, id, date),
    ]);
    res.status(choice.ok ? 200 : 422).render("locations/show", {
      title: "locations.title",
      heading: location.name,
      location,
      weekView: week,
      today: date,
      grid: gridOn(rules, date),
      periods: rulePeriods(rules, date),
      closures,
      canEdit: scope.ownsProvider(location.provider_id),
      // Closures, the planning board, the attendance list, the roster and the location's
      // calendar feeds are open to its own provider and to coordinators (each route's guard).
      worksHere: actor.role === "coordinator" || scope.ownsProvider(location.provider_id),
      weekValues: { datum: typeof req.query.datum === "string" ? req.query.datum : "" },
      // A bad ?week= has no field of its own on the page: it is said above the form.
      errors: choice.ok ? undefined : { [choice.field === "week" ? "_form" : choice.field]: choice.error },
    });
  }

  router.get("/:id", show);
  router.get("/:id/week", show);

  router.get("/:id/bewerken", requireRole("provider"), async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("location");
    const location = await ownLocation(db, actor, scope, id);
    await renderForm(res, 200, { ...location, active: location.active ? "1" : "" }, {}, id);
  });

  router.post("/:id", requireRole("provider"), async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("location");
    const location = await ownLocation(db, actor, scope, id);
    if (wantsEdit(req.body)) return renderForm(res, 200, formValues(req.body), {}, id);
    onInvalid(res, (err) => renderForm(res, 422, formValues(req.body), err.fields, id));
    const input = validValue(parseLocation(formValues(req.body)));
    const outcome = await updateLocation(db, clock, actor, scope, id, input, { confirmed: isConfirmed(req.body), today: today(clock) });
    if (outcome.status === "confirm") {
      return res.render(
        "locations/confirm",
        confirmPage({
          intro: "locations.confirmDeactivateIntro",
          introParams: { name: location.name },
          action: `/locaties/${id}`,
          body: req.body,
          affected: outcome.affected,
          showLocation: false,
        }),
      );
    }
    flash(req, "success", "locations.saved", { name: input.name });
    res.redirect(303, `/locaties/${id}`);
  });

  router.use(capacityRoutes(deps));

  return router;
}
