import { Router } from "express";
import type { Knex } from "knex";
import { actorOf } from "../../auth/middleware";
import { today, type Clock } from "../../domain/clock";
import { NotFoundError } from "../../domain/errors";
import * as locationsRepo from "../../locations/repository";
import { gridOn, rulePeriods, visibleLocation } from "../../locations/service";
import { WEEKDAYS } from "../../locations/weekdays";
import { parseId } from "../input";
import { pageOf, paged } from "../paging";

/** A location as every list and detail of the API shows it. */
export function locationSummary(l: locationsRepo.LocationRow) {
  return {
    id: l.id,
    name: l.name,
    provider: { id: l.provider_id, name: l.provider_name, subkind: l.provider_subkind },
    village: { id: l.village_id, name: l.village },
    street: l.street,
    postcode: l.postcode,
    active: l.active,
    dagdeel_times: {
      ochtend: { start: l.morning_start, end: l.morning_end },
      middag: { start: l.afternoon_start, end: l.afternoon_end },
    },
  };
}

/**
 * GET /locations and /locations/{id}: the locations the caller may see (as /locaties), and one
 * with its capacity (today's week grid and every period of rules) and its closures from today.
 */
export function locationApi(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  router.get("/", async (req, res) => {
    const page = pageOf(req.query);
    const { scope } = actorOf(req);
    const { total, rows } = await locationsRepo.pageOfLocations(db, scope, { words: [], subkind: null, active: null }, page.limit, page.offset);
    res.json(paged(rows.map(locationSummary), page, total));
  });

  router.get("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("location");
    const { scope } = actorOf(req);
    const location = await visibleLocation(db, scope, id);
    const date = today(clock);
    const [rules, closures] = await Promise.all([locationsRepo.rulesOf(db, id), locationsRepo.closuresOfLocation(db, location.provider_id, id, date)]);
    res.json({
      ...locationSummary(location),
      capacity: {
        date,
        week: gridOn(rules, date).map((row) => ({
          weekday: row.weekday,
          ochtend: row.cells.find((c) => c.dagdeel === "ochtend")?.places ?? null,
          middag: row.cells.find((c) => c.dagdeel === "middag")?.places ?? null,
        })),
        periods: rulePeriods(rules, date).map((p) => ({
          valid_from: p.valid_from,
          valid_until: p.valid_until,
          state: p.state,
          week: p.days.map((d, i) => ({ weekday: WEEKDAYS[i].n, ochtend: d.ochtend, middag: d.middag })),
        })),
      },
      closures: closures.map((c) => ({
        id: c.id,
        location_id: c.location_id,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        dagdeel: c.dagdeel,
        reason: c.reason,
      })),
    });
  });

  return router;
}
