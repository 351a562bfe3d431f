import { Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { choice, optionalId } from "../web/fields";
import { keptInput, parseForm, shownErrors, type FieldErrors } from "../web/forms";
import { paging, urlWithParams } from "../web/pagination";
import { offeredProducts } from "./repository";
import { freePlaces, VILLAGES_PER_PAGE, type FreePlacesFilter } from "./service";

export const SUBKINDS = ["dorpsdagvoorziening", "zorgboerderij", "overig"] as const;
export const WEEK_CHOICES = [1, 2, 3, 4, 6, 8, 12] as const;
const DEFAULT_WEEKS = 4;

const filterSchema = z.object({
  soort: z
    .union([z.literal(""), choice(SUBKINDS)])
    .optional()
    .transform((v) => (v ? v : null)),
  product: optionalId(),
  weken: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? String(DEFAULT_WEEKS) : v.trim()))
    .pipe(z.string().regex(/^\d{1,2}$/, "freePlaces.errors.weeks").transform(Number))
    .pipe(z.number().refine((n) => (WEEK_CHOICES as readonly number[]).includes(n), "freePlaces.errors.weeks")),
});

/**
 * The regional free-places view, for every role within its scope (no client names on it):
 * a GET form of filters, and per village a table of weekday × dagdeel against the weeks.
 */
export function freePlacesRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  router.get("/", async (req, res) => {
    const { scope } = actorOf(req);
    const date = today(deps.clock);
    const form = parseForm(filterSchema, req.query);
    let errors: FieldErrors = {};
    let filter: FreePlacesFilter = { subkind: null, productId: null, weeks: DEFAULT_WEEKS };
    const requestedPage = Number(req.query.pagina);
    if (form.ok) filter = { subkind: form.value.soort, productId: form.value.product, weeks: form.value.weken, page: Number.isSafeInteger(requestedPage) ? requestedPage : 1 };
    else errors = form.errors;
    const [products, view] = await Promise.all([offeredProducts(deps.db, scope), freePlaces(deps.db, scope, filter, date, req.problemsVersion)]);
    // The villages in full come a few at a time; the overview links each to its page.
    const params = form.ok ? { soort: filter.subkind, product: filter.productId, weken: filter.weeks === DEFAULT_WEEKS ? null : filter.weeks } : {};
    const villages = view.villages.map((v) => ({ ...v, href: urlWithParams("/vrije-plaatsen", { ...params, pagina: v.page === 1 ? null : v.page }, `#${v.anchor}`) }));
    res.status(form.ok ? 200 : 422).render("freeplaces/index", {
      title: "freePlaces.title",
      values: keptInput(req.query),
      errors: shownErrors(errors),
      view: { ...view, villages },
      paging: paging("/vrije-plaatsen", params, view.page, view.villages.length, VILLAGES_PER_PAGE),
      today: date,
      subkindOptions: SUBKINDS.map((s) => ({ value: s, key: `subkinds.${s}` })),
      productOptions: products.map((p) => ({ value: p.id, text: `${p.name} (${p.code})` })),
      weekOptions: WEEK_CHOICES.map((n) => ({ value: n, text: String(n) })),
      weeksValue: form.ok ? String(filter.weeks) : (keptInput(req.query).weken ?? String(DEFAULT_WEEKS)),
    });
  });

  return router;
}
