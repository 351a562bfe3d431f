import { Router } from "express";
import type { Knex } from "knex";
import { actorOf } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { latestAudit } from "../audit/repository";
import { presentAudit } from "../audit/present";
import { adminHome, coordinatorHome, ENDING_PER_PAGE, providerHome, purchaserHome } from "./service";
import { parseId } from "../web/fields";
import { paging } from "../web/pagination";
import { isLocale } from "../web/i18n";
import { runLabel } from "../planning/violations";

/** The home page per role: what needs attention today. */
export function homeRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const date = today(deps.clock);
    const base = { title: "home.title", today: date };
    switch (actor.role) {
      case "coordinator": {
        const home = await coordinatorHome(deps.db, scope, date, req.problemsVersion, parseId(req.query.aflopend));
        const locale = isLocale(res.locals.locale) ? res.locals.locale : "nl";
        // The allocations ending soon, a page at a time (?aflopend=), the links back to their own list.
        const ending = paging("/", {}, home.endingAllocations.page, home.endingAllocations.total, ENDING_PER_PAGE, "aflopend");
        const endingPaging = { ...ending, previousUrl: ending.previousUrl && `${ending.previousUrl}#ending`, nextUrl: ending.nextUrl && `${ending.nextUrl}#ending` };
        return res.render("home/coordinator", { ...base, ...home, endingPaging, overCapacity: home.overCapacity.map((o) => ({ ...o, label: runLabel(o.run, locale) })) });
      }
      case "provider":
        return res.render("home/provider", { ...base, ...(await providerHome(deps.db, scope, date, req.problemsVersion)) });
      case "purchaser":
        return res.render("home/purchaser", { ...base, ...(await purchaserHome(deps.db, scope, date)) });
      case "admin":
        return res.render("home/admin", { ...base, ...(await adminHome(deps.db)), audit: await presentAudit(deps.db, await latestAudit(deps.db, 10)) });
    }
  });
  return router;
}
