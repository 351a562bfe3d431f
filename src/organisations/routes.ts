import { Router } from "express";
import type { Knex } from "knex";
import { actorOf } from "../auth/middleware";
import type { Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { parseId } from "../web/fields";
import { shownErrors } from "../web/forms";
import { paging } from "../web/pagination";
import { groupedByKind, ORGANISATIONS_PER_PAGE, parseOrganisationFilter, subkindGroups } from "./list-filter";
import { organisationListPage, organisationPage } from "./service";

/** Read-only organisation pages for every role, within its scope. */
export function organisationRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  // One list, purchasers first, fifty a page, searched by name or code and filtered by kind
  // (issue 11.4). The scope narrows it before any filter does.
  router.get("/", async (req, res) => {
    const { scope } = actorOf(req);
    const parsed = parseOrganisationFilter(req.query, false);
    const view = { title: "organisations.title", subkinds: subkindGroups(), values: parsed.values };
    if (!parsed.ok) return res.status(422).render("organisations/index", { ...view, errors: parsed.errors });
    const { total, page, rows } = await organisationListPage(deps.db, scope, parsed.filter, parsed.page ?? 1, ORGANISATIONS_PER_PAGE);
    res.render("organisations/index", { ...view, errors: shownErrors(null), groups: groupedByKind(rows), paging: paging("/organisaties", parsed.params, page, total, ORGANISATIONS_PER_PAGE), filtered: parsed.filter.words.length > 0 || parsed.filter.subkind !== null });
  });

  router.get("/:id", async (req, res) => {
    const { scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("organisation");
    const page = await organisationPage(deps.db, scope, id);
    res.render("organisations/show", { title: "organisations.title", heading: page.organisation.name, ...page });
  });

  return router;
}
