import { Router, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf, requireRole } from "../auth/middleware";
import * as clients from "../clients/repository";
import { queryText, urlWith } from "../clients/forms";
import { ALLOCATION_STATUSES, allocationStatus, FREQUENCIES, IWMO_FREQUENTIE, type AllocationStatus } from "../domain/allocation";
import { maskBsn } from "../domain/bsn";
import { parseClientQuery } from "../domain/client";
import { today, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { choice, id, isoDate, optionalIsoDate, parseId, requiredText } from "../web/fields";
import { onInvalid } from "../web/errors";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import * as repo from "./repository";
import { BSN_REQUIRED, createAllocation, scheduleFit, updateAllocation, type AllocationInput } from "./service";

export const PAGE_SIZE = 50;
const STATUS_FILTERS = [...ALLOCATION_STATUSES, "alle"] as const;

const allocationSchema = z.object({
  purchaser_id: id(),
  provider_id: id(),
  product_id: id(),
  volume: requiredText(6)
    .refine((s) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 9999, "allocations.errors.volume")
    .transform(Number),
  frequency: choice(FREQUENCIES),
  valid_from: isoDate(),
  valid_until: optionalIsoDate(),
  reference: requiredText(40),
});

function formValues(a: repo.AllocationRow): Record<string, string> {
  return {
    purchaser_id: String(a.purchaser_id),
    provider_id: String(a.provider_id),
    product_id: String(a.product_id),
    volume: String(a.volume),
    frequency: a.frequency,
    valid_from: a.valid_from,
    valid_until: a.valid_until ?? "",
    reference: a.reference,
  };
}

/**
 * Allocations: the list for coordinators (all) and purchasers (their own; providers see theirs
 * too), and the forms to add one to a client and change it, for coordinators.
 */
export function allocationRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;
  const writers = requireRole("coordinator");

  async function renderForm(res: Response, status: number, client: clients.ClientRow, values: Record<string, unknown>, errors: FieldErrors = {}, id?: number) {
    const [purchasers, providers, products] = await Promise.all([
      repo.organisationsOfKind(db, "purchaser"),
      repo.organisationsOfKind(db, "provider"),
      repo.listProducts(db),
    ]);
    // Inactive choices stay listed only when this allocation already uses them.
    const usable = <T extends { id: number; active: boolean | number }>(rows: T[], field: string) =>
      rows.filter((r) => Boolean(r.active) || String(r.id) === String(values[field] ?? ""));
    const offered = usable(products, "product_id");
    res.status(status).render("allocations/form", {
      title: id ? "allocations.editTitle" : "allocations.newTitle",
      id,
      client: { id: client.id, first_name: client.first_name, last_name: client.last_name, hasBsn: client.bsn !== null },
      values,
      errors: shownErrors(errors),
      bsnMissing: errors._form === BSN_REQUIRED || client.bsn === null,
      purchasers: usable(purchasers, "purchaser_id").map((o) => ({ value: o.id, text: o.name })),
      providers: usable(providers, "provider_id").map((o) => ({ value: o.id, text: o.name })),
      wmoProducts: offered.filter((p) => p.iwmo_category),
      wlzProducts: offered.filter((p) => !p.iwmo_category && p.wlz_code),
      frequencies: FREQUENCIES.map((f) => ({ value: f, key: `allocations.frequencyChoice.${f}` })),
      iwmo: IWMO_FREQUENTIE,
    });
  }

  async function loadClient(clientId: number | null): Promise<clients.ClientRow> {
    const client = clientId ? await clients.findClient(db, null, clientId) : undefined;
    if (!client) throw new NotFoundError("client");
    return client;
  }

  router.get("/toewijzingen", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const q = queryText(req.query.q);
    const statusParam = queryText(req.query.status);
    const status = (STATUS_FILTERS as readonly string[]).includes(statusParam) ? (statusParam as AllocationStatus | "alle") : "lopend";
    const purchaserId = actor.role === "purchaser" ? null : parseId(req.query.inkoper);
    const providerId = actor.role === "provider" ? null : parseId(req.query.aanbieder);
    const page = parseId(req.query.pagina) ?? 1;
    const date = today(clock);
    const [result, purchasers, providers] = await Promise.all([
      repo.searchAllocations(db, scope, { query: parseClientQuery(q), status, purchaserId, providerId, today: date, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      actor.role === "purchaser" ? Promise.resolve([]) : repo.organisationsOfKind(db, "purchaser", scope),
      actor.role === "provider" ? Promise.resolve([]) : repo.organisationsOfKind(db, "provider", scope),
    ]);
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const filters = { q, status: status === "lopend" ? null : status, inkoper: purchaserId, aanbieder: providerId };
    res.render("allocations/index", {
      title: "allocations.title",
      q,
      status,
      purchaserId: purchaserId ?? "",
      providerId: providerId ?? "",
      statuses: STATUS_FILTERS.map((s) => ({ value: s, key: `allocationStatus.${s}` })),
      purchasers: purchasers.map((o) => ({ value: o.id, text: o.name })),
      providers: providers.map((o) => ({ value: o.id, text: o.name })),
      allocations: result.rows.map((r) => ({ ...r, bsn: null, maskedBsn: maskBsn(r.bsn), status: allocationStatus(r, date) })),
      total: result.total,
      from: result.total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
      until: Math.min(result.total, page * PAGE_SIZE),
      previousUrl: page > 1 ? urlWith("/toewijzingen", { ...filters, pagina: page - 1 }) : null,
      nextUrl: page < pages ? urlWith("/toewijzingen", { ...filters, pagina: page + 1 }) : null,
      page,
      pages,
      canWrite: actor.role === "coordinator",
      // A purchaser's own name (or a provider's) in every row says nothing.
      showPurchaser: actor.role !== "purchaser",
      showProvider: actor.role !== "provider",
    });
  });

  router.get("/toewijzingen/:id", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const allocationId = parseId(req.params.id);
    const allocation = allocationId ? await repo.findAllocationDetail(db, scope, allocationId) : undefined;
    if (!allocation) throw new NotFoundError("allocation");
    const date = today(clock);
    const schedules = await clients.listSchedules(db, scope, { allocationId: allocation.id });
    res.render("allocations/show", {
      title: "allocations.title",
      heading: allocation.reference,
      allocation: { ...allocation, bsn: null, maskedBsn: maskBsn(allocation.bsn) },
      status: allocationStatus(allocation, date),
      iwmoFrequentie: IWMO_FREQUENTIE[allocation.frequency],
      schedules,
      fit: scheduleFit(allocation, schedules, date),
      canWrite: actor.role === "coordinator",
      canPlan: actor.role === "coordinator",
      // The gemeente can take its allocation out as an iWmo WMO301 (src/iwmo/purchaser-routes.ts).
      wmo301Url: actor.role === "purchaser" && allocation.purchaser_subkind === "gemeente" ? `/berichten/toewijzingen/${allocation.id}/wmo301.xml` : null,
    });
  });

  router.get("/clienten/:id/toewijzingen/nieuw", writers, async (req, res) => {
    const client = await loadClient(parseId(req.params.id));
    await renderForm(res, 200, client, { frequency: "week", valid_from: today(clock) });
  });

  router.post("/clienten/:id/toewijzingen/nieuw", writers, async (req, res) => {
    const { actor } = actorOf(req);
    const client = await loadClient(parseId(req.params.id));
    onInvalid(res, (err) => renderForm(res, 422, client, keptInput(req.body), err.fields));
    const input = validValue(parseForm(allocationSchema, req.body));
    await createAllocation(db, clock, actor, client.id, input as AllocationInput);
    flash(req, "success", "allocations.created", { reference: input.reference });
    res.redirect(303, `/clienten/${client.id}`);
  });

  async function loadAllocation(allocationId: number | null) {
    const allocation = allocationId ? await repo.findAllocation(db, allocationId) : undefined;
    if (!allocation) throw new NotFoundError("allocation");
    return { allocation, client: await loadClient(allocation.client_id) };
  }

  router.get("/toewijzingen/:id/wijzigen", writers, async (req, res) => {
    const { allocation, client } = await loadAllocation(parseId(req.params.id));
    await renderForm(res, 200, client, formValues(allocation), {}, allocation.id);
  });

  router.post("/toewijzingen/:id/wijzigen", writers, async (req, res) => {
    const { actor } = actorOf(req);
    const { allocation, client } = await loadAllocation(parseId(req.params.id));
    onInvalid(res, (err) => renderForm(res, 422, client, keptInput(req.body), err.fields, allocation.id));
    const input = validValue(parseForm(allocationSchema, req.body));
    const fit = await updateAllocation(db, clock, actor, allocation.id, input as AllocationInput, today(clock));
    if (fit.outsidePeriod > 0 || fit.overVolumeWindows > 0) {
      flash(req, "error", "allocations.savedWithWarning", {
        reference: input.reference,
        outside: String(fit.outsidePeriod),
        windows: String(fit.overVolumeWindows),
      });
    } else {
      flash(req, "success", "allocations.saved", { reference: input.reference });
    }
    res.redirect(303, `/clienten/${client.id}`);
  });

  return router;
}
