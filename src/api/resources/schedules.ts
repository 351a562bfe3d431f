import { Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../../auth/middleware";
import { pageOfSchedules, type ClientSchedule } from "../../clients/repository";
import type { Clock } from "../../domain/clock";
import { isIsoDate } from "../../domain/dates";
import { parseInput } from "../input";
import { pageOf, paged } from "../paging";

const idParam = () => z.string().regex(/^\d{1,12}$/, "errors.choice").transform(Number).optional();

const filterSchema = z.object({
  client_id: idParam(),
  location_id: idParam(),
  active_on: z.string().refine(isIsoDate, "errors.date").optional(),
});

/** A schedule as the API shows it (the client page and the list alike). */
export function scheduleItem(s: ClientSchedule) {
  return {
    id: s.id,
    client_id: s.client_id,
    location: { id: s.location_id, name: s.location_name, provider_name: s.provider_name },
    funding: s.funding,
    allocation_reference: s.allocation_reference,
    contract_reference: s.contract_reference,
    valid_from: s.valid_from,
    valid_until: s.valid_until,
    week_parity: s.week_parity,
    slots: s.slots.map((x) => ({ weekday: x.weekday, dagdeel: x.dagdeel })),
  };
}

/**
 * GET /schedules: the schedules the caller may see — the scope of the client page's schedule
 * list (a provider: at its own locations; a purchaser: those it funds) — newest first, by
 * client, location, or running on a date.
 */
export function scheduleApi(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  router.get("/", async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const filter = parseInput(filterSchema, { client_id: q.client_id, location_id: q.location_id, active_on: q.active_on });
    const page = pageOf(req.query);
    const { scope } = actorOf(req);
    const result = await pageOfSchedules(deps.db, scope, { clientId: filter.client_id, locationId: filter.location_id, activeOn: filter.active_on }, page);
    res.json(paged(result.rows.map(scheduleItem), page, result.total));
  });

  return router;
}
