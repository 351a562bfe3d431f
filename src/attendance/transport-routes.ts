import { Router } from "express";
import type { Knex } from "knex";
import { actorOf } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { DAGDELEN, isDagdeel, type Dagdeel } from "../domain/dagdeel";
import { dateProblem } from "../domain/date-window";
import { parseId } from "../web/fields";
import type { FieldErrors } from "../web/forms";
import { locationOffer, searchKeep } from "../planning/choices";
import { locationsInScope } from "./repository";
import { transportList } from "./transport";

/** The printable transport list per date and dagdeel, across the actor's locations or for one. */
export function transportRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  router.get("/", async (req, res) => {
    const { scope } = actorOf(req);
    const q = (name: string) => (typeof req.query[name] === "string" ? (req.query[name] as string).trim() : "");
    // No dagdeel: the whole day, both runs of each dagdeel (a driver plans the day at once).
    const values = { datum: q("datum") || today(deps.clock), dagdeel: q("dagdeel"), locatie: q("locatie"), kern: q("kern") };
    const errors: FieldErrors = {};
    const dateWrong = dateProblem(values.datum);
    if (dateWrong) errors.datum = dateWrong;
    if (values.dagdeel !== "" && !isDagdeel(values.dagdeel)) errors.dagdeel = "errors.choice";
    const locationId = values.locatie === "" ? null : parseId(values.locatie);
    if (values.locatie !== "" && locationId === null) errors.locatie = "errors.choice";
    const villageId = values.kern === "" ? null : parseId(values.kern);
    if (values.kern !== "" && villageId === null) errors.kern = "errors.choice";
    // The location is chosen as on the other forms: a <select> of all while the scope holds at
    // most LOCATIONS_LISTED_WHOLE, beyond that a search (?plaats=) that keeps the other fields.
    const search = q("plaats").slice(0, 100);
    // The list does not wait for the offer: both at once when the input is good.
    const hasErrors = Object.keys(errors).length > 0;
    const dagdeel = values.dagdeel === "" ? null : (values.dagdeel as Dagdeel);
    const [offer, list] = await Promise.all([
      locationOffer(deps.db, scope, search, locationId),
      hasErrors ? Promise.resolve(null) : transportList(deps.db, scope, { date: values.datum, dagdeel, locationId, villageId }),
    ]);
    const common = {
      title: "attendance.transportTitle",
      values,
      errors,
      dagdeelOptions: DAGDELEN.map((d) => ({ value: d, key: `dagdeel.${d}` })),
      locationOptions: offer.choices,
      locationSearch: offer.searchable
        ? { query: search, keep: searchKeep([["datum", values.datum], ["dagdeel", values.dagdeel], ["kern", values.kern], ["locatie", locationId]]) }
        : null,
    };
    if (hasErrors || list === null) {
      const locations = await locationsInScope(deps.db, scope, { activeOnly: true });
      return res.status(422).render("attendance/transport", { ...common, hasErrors: true, villageOptions: villages(locations) });
    }
    res.render("attendance/transport", { ...common, list, date: values.datum, dagdeel: values.dagdeel, villageOptions: villages(list.locations) });
  });

  return router;
}

/** The villages the locations are in, once each. */
function villages(locations: { village_id: number; village: string }[]) {
  return [...new Map(locations.map((l) => [l.village_id, { value: String(l.village_id), text: l.village }])).values()];
}
