import { Router } from "express";
import type { Knex } from "knex";
import { actorOf, requireRole } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { dateProblem } from "../domain/date-window";
import { parseId } from "../web/fields";
import { locationOffer, searchKeep } from "../planning/choices";
import { searchWords } from "../domain/search-key";
import { paging } from "../web/pagination";
import { chooserLocations } from "./chooser";
import { busyFirst, CHOOSER_LOCATIONS_PER_PAGE } from "./chooser-page";
import { dailyRoutes } from "./daily-routes";
import { overviewRoutes } from "./overview-routes";
import { transportRoutes } from "./transport-routes";

/**
 * Attendance: who actually came. Providers record at their own locations, coordinators at all;
 * purchasers and admins have no business here (403). Mounted at the root because it serves
 * both /aanwezigheid and /vervoer.
 */
export function attendanceRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  router.use(["/aanwezigheid", "/vervoer"], requireRole("coordinator", "provider"));
  router.use("/aanwezigheid/overzicht", overviewRoutes(deps));
  router.use("/aanwezigheid/locaties", dailyRoutes(deps));
  router.use("/vervoer", transportRoutes(deps));

  // The start page: pick a location and a date, or tap a location for today. At region scale
  // the location is searched (?plaats=, as on the planning forms) instead of listed whole.
  router.get("/aanwezigheid", async (req, res) => {
    const { scope } = actorOf(req);
    const asked = typeof req.query.datum === "string" ? req.query.datum.trim() : "";
    const problem = asked === "" ? null : dateProblem(asked);
    const badDate = problem !== null;
    const date = asked && !badDate ? asked : today(deps.clock);
    const locationId = parseId(req.query.locatie);
    if (locationId !== null && !badDate) return res.redirect(303, `/aanwezigheid/locaties/${locationId}?datum=${date}`);
    const search = typeof req.query.plaats === "string" ? req.query.plaats.slice(0, 100) : "";
    // At region scale the search narrows the table too (a village's name finds its locations);
    // what it shows is paged, the locations with clients on the date first. Without search
    // words the table does not wait for the offer: both are read at once.
    const words = searchWords(search);
    const [offer, unsearched] = await Promise.all([
      locationOffer(deps.db, scope, search, locationId),
      words.length === 0 ? chooserLocations(deps.db, scope, date, [], req.problemsVersion) : Promise.resolve(null),
    ]);
    const searched = offer.searchable && words.length > 0;
    const all = busyFirst(unsearched ?? (await chooserLocations(deps.db, scope, date, searched ? words : [], req.problemsVersion)));
    const page = paging("/aanwezigheid", { datum: date, plaats: searched ? search : "" }, parseId(req.query.pagina), all.length, CHOOSER_LOCATIONS_PER_PAGE);
    const values = { datum: badDate ? asked : date, locatie: locationId ? String(locationId) : "" };
    res.status(badDate ? 422 : 200).render("attendance/index", {
      title: "attendance.title",
      date,
      isToday: date === today(deps.clock),
      locations: all.slice(page.offset, page.offset + page.limit),
      paging: page,
      searched: searched ? search : null,
      locationOptions: offer.choices,
      locationSearch: offer.searchable ? { query: search, keep: searchKeep([["datum", values.datum]]) } : null,
      values,
      errors: badDate ? { datum: problem === "errors.date" ? "attendance.errors.date" : problem } : {},
      hasErrors: badDate,
    });
  });

  return router;
}
