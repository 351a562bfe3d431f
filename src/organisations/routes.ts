import { Router } from "express";
import type { Knex } from "knex";
import { actorOf } from "../auth/middleware";
import type { Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { parseId } from "../web/fields";
import { listOrganisations } from "./repository";
import { organisationPage } from "./service";

/** Read-only organisation pages for every role, within its scope. */
export function organisationRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  router.get("/", async (req, res) => {
    const { scope } = actorOf(req);
    const organisations = await listOrganisations(deps.db, scope);
    res.render("organisations/index", {
      title: "organisations.title",
      purchasers: organisations.filter((o) => o.kind === "purchaser"),
      providers: organisations.filter((o) => o.kind === "provider"),
    });
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
