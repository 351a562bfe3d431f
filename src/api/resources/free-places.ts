import { Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../../auth/middleware";
import { today, type Clock } from "../../domain/clock";
import { SUBKINDS, WEEK_CHOICES } from "../../freeplaces/routes";
import { freePlaces } from "../../freeplaces/service";
import { choice } from "../../web/fields";
import { parseInput } from "../input";
import { pageOf, pageOfList } from "../paging";

const filterSchema = z.object({
  subkind: choice(SUBKINDS).optional(),
  product_id: z.string().regex(/^\d{1,12}$/, "errors.choice").transform(Number).optional(),
  weeks: z
    .string()
    .regex(/^\d{1,2}$/, "freePlaces.errors.weeks")
    .transform(Number)
    .pipe(z.number().refine((n) => (WEEK_CHOICES as readonly number[]).includes(n), "freePlaces.errors.weeks"))
    .optional(),
});

/**
 * GET /free-places: the regional free-places view (/vrije-plaatsen) with the same filters, one
 * village per item: per weekday and dagdeel the free places in each week and the places free
 * in every one of them. No client is named.
 */
export function freePlacesApi(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  router.get("/", async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const filter = parseInput(filterSchema, { subkind: q.subkind, product_id: q.product_id, weeks: q.weeks });
    const page = pageOf(req.query);
    const { scope } = actorOf(req);
    const view = await freePlaces(deps.db, scope, { subkind: filter.subkind ?? null, productId: filter.product_id ?? null, weeks: filter.weeks ?? 4 }, today(deps.clock));
    const villages = pageOfList(view.villages, page);
    res.json({
      from: view.from,
      until: view.until,
      weeks: view.weeks.map((w) => w.monday),
      total_free: view.totalFree,
      items: villages.items.map((v) => ({
        village: v.village,
        total_free: v.totalFree,
        locations: v.locations.map((l) => ({ id: l.id, name: l.name, provider: { id: l.provider_id, name: l.provider_name, subkind: l.provider_subkind } })),
        rows: v.rows.map((r) => ({
          weekday: r.weekday,
          dagdeel: r.dagdeel,
          steady: { free: r.steady.free, state: r.steady.state },
          cells: r.cells.map((c) => ({ date: c.date, state: c.state, free: c.free, parts: c.parts, closure_reasons: c.reasons })),
        })),
      })),
      page: villages.page,
    });
  });

  return router;
}
