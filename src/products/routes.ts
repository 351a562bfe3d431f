import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { urlWith } from "../clients/forms";
import type { Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { EENHEDEN, PRODUCT_CATEGORIES, PRODUCT_UNITS } from "../iwmo/codes";
import { checkbox, choice, optionalText, parseId, requiredText } from "../web/fields";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { onInvalid } from "../web/errors";
import { flash } from "../web/locals";
import * as repo from "./repository";
import { saveProduct } from "./service";

export const PAGE_SIZE = 50;

const optionalChoice = (values: readonly string[]) =>
  optionalText(10).pipe(z.string().refine((v) => values.includes(v), "errors.choice").nullable());

const productSchema = z.object({
  code: requiredText(20),
  name: requiredText(200),
  unit: choice(PRODUCT_UNITS),
  iwmo_category: optionalChoice(PRODUCT_CATEGORIES),
  iwmo_code: optionalText(5).pipe(z.string().regex(/^\S+$/, "products.errors.iwmoCode").nullable()),
  iwmo_unit: optionalChoice(EENHEDEN),
  wlz_code: optionalText(10),
  active: checkbox(),
});

/** What the form shows for a product (or a new one, prefilled from a WMO301's unknown code). */
function formValues(p: Partial<repo.ProductRow>): Record<string, unknown> {
  return { ...p, active: p.active ?? true };
}

/** The admin's products: list, add, change (/beheer/producten, admin only via app.ts). */
export function productRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  function renderForm(res: Response, status: number, values: Record<string, unknown>, errors: FieldErrors = {}, id?: number) {
    res.status(status).render("products/form", {
      title: id ? "products.editTitle" : "products.newTitle",
      id,
      values,
      errors: shownErrors(errors),
      units: PRODUCT_UNITS.map((u) => ({ value: u, key: `productUnits.${u}` })),
      categories: PRODUCT_CATEGORIES.map((c) => ({ value: c, text: c })),
      eenheden: EENHEDEN.map((e) => ({ value: e, key: `iwmoEenheid.${e}` })),
    });
  }

  async function save(req: Request, res: Response, id?: number) {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderForm(res, 422, keptInput(req.body), err.fields, id));
    const input = validValue(parseForm(productSchema, req.body));
    await saveProduct(deps.db, deps.clock, actor, id ?? null, input);
    flash(req, "success", "products.saved", { code: input.code });
    res.redirect(303, "/beheer/producten");
  }

  router.get("/", async (req, res) => {
    const page = parseId(req.query.pagina) ?? 1;
    const { total, rows } = await repo.pageOfProducts(deps.db, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    res.render("products/index", {
      title: "products.title",
      products: rows,
      total,
      page,
      pages,
      previousUrl: page > 1 ? urlWith("/beheer/producten", { pagina: page - 1 }) : null,
      nextUrl: page < pages ? urlWith("/beheer/producten", { pagina: page + 1 }) : null,
    });
  });

  // A WMO301 preview links here with the unknown code, so the admin only fills in the rest.
  router.get("/nieuw", (req, res) => {
    const prefill = productSchema.pick({ iwmo_category: true, iwmo_code: true, iwmo_unit: true }).safeParse(req.query);
    const values = prefill.success ? { ...prefill.data, code: prefill.data.iwmo_code ?? "" } : {};
    renderForm(res, 200, formValues({ unit: "dagdeel", ...values }));
  });
  router.post("/", (req, res) => save(req, res));

  router.get("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    const product = id ? await repo.findProduct(deps.db, id) : undefined;
    if (!product) throw new NotFoundError("product");
    renderForm(res, 200, formValues(product), {}, product.id);
  });

  router.post("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    if (!id || !(await repo.findProduct(deps.db, id))) throw new NotFoundError("product");
    await save(req, res, id);
  });

  return router;
}
