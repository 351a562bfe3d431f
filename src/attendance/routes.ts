import { Router } from "express";
import type { Knex } from "knex";
import { actorOf, requireRole } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { dateProblem } from "../domain/date-window";
import { parseId } from "../web/fields";
import { chooserLocations } from "./chooser";
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

  // The start page: pick a location and a date, or tap a location for today.
  router.get("/aanwezigheid", async (req, res) => {
    const { scope } = actorOf(req);
    const asked = typeof req.query.datum === "string" ? req.query.datum.trim() : "";
    const problem = asked === "" ? null : dateProblem(asked);
    const badDate = problem !== null;
    const date = asked && !badDate ? asked : today(deps.clock);
    const locationId = parseId(req.query.locatie);
    if (locationId !== null && !badDate) return res.redirect(303, `/aanwezigheid/locaties/${locationId}?datum=${date}`);
    const locations = await chooserLocations(deps.db, scope, date);
    res.status(badDate ? 422 : 200).render("attendance/index", {
      title: "attendance.title",
      date,
      isToday: date === today(deps.clock),
      locations,
      locationOptions: locations.map((l) => ({ value: String(l.id), text: `${l.name} (${l.village})` })),
      values: { datum: badDate ? asked : date, locatie: locationId ? String(locationId) : "" },
      errors: badDate ? { datum: problem === "errors.date" ? "attendance.errors.date" : problem } : {},
      hasErrors: badDate,
    });
  });

  return router;
}
