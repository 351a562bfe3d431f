import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { actorOf, requireRole } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { DAGDELEN } from "../domain/dagdeel";
import { NotFoundError } from "../domain/errors";
import { parseId } from "../web/fields";
import { onInvalid } from "../web/errors";
import { keptInput, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { changeCapacity } from "./capacity-service";
import { confirmPage, formValues, wantsEdit } from "./confirm";
import { gridField, isConfirmed, parseCapacity } from "./forms";
import { IMPACT_WEEKS } from "./impact";
import * as repo from "./repository";
import { gridOn, ownLocation } from "./service";
import { WEEKDAYS } from "./weekdays";

/** The week grid of a location's capacity, changed "from date X" by its own provider. */
export function capacityRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  async function renderForm(req: Request, res: Response, status: number, values: Record<string, string>, errors: FieldErrors = {}, errorParams: Record<string, string | number> = {}) {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id)!;
    const location = await ownLocation(db, actor, scope, id);
    const rows = WEEKDAYS.map((w) => ({
      weekday: w.n,
      key: w.key,
      cells: DAGDELEN.map((dagdeel) => {
        const name = gridField(w.n, dagdeel);
        return { dagdeel, name, value: values[name] ?? "", error: errors[name] };
      }),
    }));
    res.status(status).render("locations/capacity", {
      title: "locations.capacityTitle",
      heading: location.name,
      location,
      rows,
      values,
      errors: shownErrors(errors),
      errorParams,
      impactWeeks: IMPACT_WEEKS,
    });
  }

  router.get("/:id/capaciteit", requireRole("provider"), async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("location");
    await ownLocation(db, actor, scope, id);
    const date = today(clock);
    // The form starts from what is in force today, from today.
    const values: Record<string, string> = { valid_from: date };
    for (const row of gridOn(await repo.rulesOf(db, id), date)) {
      for (const cell of row.cells) values[gridField(row.weekday, cell.dagdeel)] = cell.places === null ? "" : String(cell.places);
    }
    await renderForm(req, res, 200, values);
  });

  router.post("/:id/capaciteit", requireRole("provider"), async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("location");
    const location = await ownLocation(db, actor, scope, id);
    if (wantsEdit(req.body)) return renderForm(req, res, 200, formValues(req.body));
    onInvalid(res, (err) => renderForm(req, res, 422, keptInput(req.body), err.fields, err.params));
    const input = validValue(parseCapacity(formValues(req.body)));
    const outcome = await changeCapacity(db, clock, actor, scope, id, input, { confirmed: isConfirmed(req.body), today: today(clock) });
    if (outcome.status === "confirm") {
      return res.render(
        "locations/confirm",
        confirmPage({
          intro: "locations.confirmCapacityIntro",
          introParams: { name: location.name },
          action: `/locaties/${id}/capaciteit`,
          body: req.body,
          affected: outcome.affected,
          showLocation: false,
        }),
      );
    }
    flash(req, "success", outcome.status === "unchanged" ? "locations.capacityUnchanged" : "locations.capacitySaved", { name: location.name });
    res.redirect(303, `/locaties/${id}`);
  });

  return router;
}
