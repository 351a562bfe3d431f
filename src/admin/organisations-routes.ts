import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import type { Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { adminListBack, groupedByKind, ORGANISATIONS_PER_PAGE, parseOrganisationFilter, statusOptions, subkindGroups } from "../organisations/list-filter";
import { findOrganisation, type OrganisationInput } from "../organisations/repository";
import { createOrganisation, organisationListPage, setOrganisationActive, SUBKINDS, updateOrganisation } from "../organisations/service";
import { choice, digits, optionalText, parseId, requiredText } from "../web/fields";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { onInvalid } from "../web/errors";
import { flash } from "../web/locals";
import { paging, urlWithParams } from "../web/pagination";

const organisationSchema = z.object({
  kind: choice(["purchaser", "provider"] as const),
  subkind: choice(["gemeente", "zorgkantoor", "dorpsdagvoorziening", "zorgboerderij", "overig"] as const),
  name: requiredText(200),
  agb_code: digits(8, "errors.agb"),
  kvk_number: digits(8, "errors.kvk"),
  gemeentecode: digits(4, "errors.gemeentecode"),
  email: optionalText(200).pipe(z.string().email("errors.email").nullable()),
  phone: optionalText(40),
});

/** The admin's organisation management. */
export function adminOrganisationRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  function renderForm(res: Response, status: number, values: Record<string, unknown>, errors: FieldErrors = {}, id?: number) {
    res.status(status).render("admin/organisation-form", {
      title: id ? "organisations.editTitle" : "organisations.newTitle",
      id,
      values,
      errors,
      subkinds: [...SUBKINDS.purchaser, ...SUBKINDS.provider],
    });
  }

  async function save(req: Request, res: Response, id?: number) {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderForm(res, 422, keptInput(req.body), err.fields, id));
    const input: OrganisationInput = validValue(parseForm(organisationSchema, req.body));
    if (id) await updateOrganisation(deps.db, deps.clock, actor, id, input);
    else await createOrganisation(deps.db, deps.clock, actor, input);
    flash(req, "success", "organisations.saved", { name: input.name });
    res.redirect(303, "/beheer/organisaties");
  }

  // Every organisation, fifty a page, searched by name or code and filtered by kind and status
  // (issue 11.4); each row's activate button brings the admin back to this same page.
  router.get("/", async (req, res) => {
    const parsed = parseOrganisationFilter(req.query, true);
    const view = { title: "organisations.adminTitle", subkinds: subkindGroups(), statuses: statusOptions(), values: parsed.values };
    if (!parsed.ok) return res.status(422).render("admin/organisations", { ...view, errors: parsed.errors });
    const { total, page, rows } = await organisationListPage(deps.db, null, parsed.filter, parsed.page ?? 1, ORGANISATIONS_PER_PAGE);
    res.render("admin/organisations", {
      ...view,
      errors: shownErrors(null),
      groups: groupedByKind(rows),
      paging: paging("/beheer/organisaties", parsed.params, page, total, ORGANISATIONS_PER_PAGE),
      filtered: parsed.filter.words.length > 0 || parsed.filter.subkind !== null || parsed.filter.active !== null,
      back: urlWithParams("/beheer/organisaties", { ...parsed.params, pagina: page > 1 ? page : null }),
    });
  });

  router.get("/nieuw", (_req, res) => renderForm(res, 200, { kind: "provider", subkind: "zorgboerderij" }));
  router.post("/", (req, res) => save(req, res));

  router.get("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    const organisation = id ? await findOrganisation(deps.db, null, id) : undefined;
    if (!organisation || !id) throw new NotFoundError("organisation");
    renderForm(res, 200, { ...organisation }, {}, id);
  });

  router.post("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    if (!id || !(await findOrganisation(deps.db, null, id))) throw new NotFoundError("organisation");
    await save(req, res, id);
  });

  router.post("/:id/actief", async (req, res) => {
    const { actor } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("organisation");
    const active = req.body?.active === "1";
    await setOrganisationActive(deps.db, deps.clock, actor, id, active);
    flash(req, "success", active ? "organisations.activated" : "organisations.deactivated");
    res.redirect(303, adminListBack(req.body?.terug));
  });

  return router;
}
