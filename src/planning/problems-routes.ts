import { Router } from "express";
import type { Knex } from "knex";
import { actorOf } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { isLocale } from "../web/i18n";
import { runLabel } from "./violations";
import { countsOf, isProblemKind, problems, PROBLEM_TITLES, summaryOf, type ProblemKind } from "./problems-service";

const VIEWS: Record<ProblemKind, string> = {
  "boven-capaciteit": "planning/problems-over-capacity",
  "boven-toewijzing": "planning/problems-over-volume",
  "toewijzing-loopt-af": "planning/problems-ending",
  "zonder-contract": "planning/problems-uncovered",
  "zonder-rooster": "planning/problems-unplanned",
  "past-nu": "planning/problems-fitting",
};

/** The problem lists (signalen): an index with counts and one page per kind. Coordinators only. */
export function problemRoutes(deps: { db: Knex; clock: Clock }): Router {
  const { db, clock } = deps;
  const router = Router();

  router.get("/", async (req, res) => {
    const { scope } = actorOf(req);
    const found = await problems(db, scope, today(clock), false, req.problemsVersion); // counts only
    res.render("planning/problems", { title: "planning.problems.title", horizonEnd: found.horizonEnd, kinds: summaryOf(countsOf(found)) });
  });

  router.get("/:kind", async (req, res) => {
    const kind = req.params.kind;
    if (!isProblemKind(kind)) throw new NotFoundError("problem list");
    const { scope } = actorOf(req);
    const found = await problems(db, scope, today(clock), true, req.problemsVersion);
    const locale = isLocale(res.locals.locale) ? res.locals.locale : "nl";
    const overCapacity = found.overCapacity.map((o) => ({ ...o, label: runLabel(o.run, locale) }));
    res.render(VIEWS[kind], { title: PROBLEM_TITLES[kind], ...found, overCapacity });
  });

  return router;
}
