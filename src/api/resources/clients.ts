import { Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../../auth/middleware";
import * as clientsRepo from "../../clients/repository";
import { clientPage } from "../../clients/service";
import { maskBsn } from "../../domain/bsn";
import { clientStatus, parseClientQuery } from "../../domain/client";
import { today, type Clock } from "../../domain/clock";
import { NotFoundError } from "../../domain/errors";
import { choice } from "../../web/fields";
import { parseId, parseInput } from "../input";
import { pageOf, paged } from "../paging";
import { scheduleItem } from "./schedules";

const STATUS = ["actief", "beeindigd", "alle"] as const;

const filterSchema = z.object({
  q: z.string().max(100, "errors.tooLong").optional(),
  village_id: z.string().regex(/^\d{1,12}$/, "errors.choice").transform(Number).optional(),
  status: choice(STATUS).optional(),
});

/**
 * GET /clients and /clients/{id}: the caller's clients as /clienten finds them (same search,
 * same scope, same order), and one client as its page shows it. The BSN only ever masked: no
 * token acts as a coordinator, the one role that sees it in full.
 */
export function clientApi(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  router.get("/", async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const filter = parseInput(filterSchema, { q: query.q, village_id: query.village_id, status: query.status });
    const page = pageOf(req.query);
    const { scope } = actorOf(req);
    const date = today(clock);
    const search: clientsRepo.ClientSearch = {
      query: parseClientQuery(filter.q?.trim() ?? ""),
      villageId: filter.village_id ?? null,
      status: filter.status ?? "actief",
      today: date,
      ...page,
    };
    const [result, locations] = await Promise.all([
      clientsRepo.searchClients(db, scope, search),
      clientsRepo.currentLocations(db, scope, clientsRepo.pageIds(db, scope, search), date),
    ]);
    const items = result.rows.map((r) => ({
      id: r.id,
      first_name: r.first_name,
      last_name: r.last_name,
      bsn_masked: r.bsn ? maskBsn(r.bsn) : null,
      birth_date: r.birth_date,
      village: r.village,
      ended_on: r.ended_on,
      status: clientStatus(r.ended_on, date),
      scheduled_at: locations.get(r.id) ?? [],
    }));
    res.json(paged(items, page, result.total));
  });

  router.get("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("client");
    const { actor, scope } = actorOf(req);
    const p = await clientPage(db, clock, scope, id);
    const c = p.client;
    const purchaser = actor.role === "purchaser";
    res.json({
      id: c.id,
      first_name: c.first_name,
      last_name: c.last_name,
      bsn_masked: c.bsn ? maskBsn(c.bsn) : null,
      birth_date: c.birth_date,
      village: c.village,
      street: c.street,
      postcode: c.postcode,
      phone: c.phone,
      needs_transport: c.needs_transport,
      wheelchair: c.wheelchair,
      // As on the page: a purchaser sees neither the notes nor the attendance.
      notes: purchaser ? null : c.notes,
      ended_on: c.ended_on,
      status: clientStatus(c.ended_on, p.today),
      allocations: p.allocations.map((a) => ({
        id: a.id,
        reference: a.reference,
        purchaser: { id: a.purchaser_id, name: a.purchaser_name },
        provider: { id: a.provider_id, name: a.provider_name },
        product: { code: a.product_code, name: a.product_name, unit: a.product_unit },
        volume: a.volume,
        frequency: a.frequency,
        valid_from: a.valid_from,
        valid_until: a.valid_until,
      })),
      schedules: p.schedules.map(scheduleItem),
      attendance: purchaser ? null : { from: p.attendanceFrom, until: p.today, counts: p.attendance },
    });
  });

  return router;
}
