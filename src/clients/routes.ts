import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf, requireRole } from "../auth/middleware";
import { allocationRoutes } from "../allocations/routes";
import { maskBsn } from "../domain/bsn";
import { ageOn, clientStatus, normalisePostcode, parseClientQuery } from "../domain/client";
import { today, type Clock } from "../domain/clock";
import { BIRTH_DATE_WINDOW } from "../domain/date-window";
import { NotFoundError, ValidationError } from "../domain/errors";
import { checkbox, isoDate, optionalBsn, optionalId, optionalIsoDate, optionalText, parseId, requiredText } from "../web/fields";
import { onInvalid } from "../web/errors";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { queryText, urlWith } from "./forms";
import * as repo from "./repository";
import {
  ATTENDANCE_WEEKS,
  clientPage,
  createClient,
  endClient,
  endingConsequences,
  recordBsnView,
  reopenClient,
  updateClient,
  type ClientInput,
} from "./service";

export const PAGE_SIZE = 50;
const STATUS_FILTERS = ["actief", "beeindigd", "alle"] as const;
const ATTENDANCE_STATUSES = ["aanwezig", "extra", "afgemeld", "ziek", "niet_verschenen"] as const;

const clientSchema = z.object({
  first_name: requiredText(100),
  last_name: requiredText(100),
  bsn: optionalBsn(),
  birth_date: optionalIsoDate(BIRTH_DATE_WINDOW),
  village_id: optionalId(),
  street: optionalText(200),
  postcode: optionalText(10)
    .refine((s) => s === null || normalisePostcode(s) !== null, "clients.errors.postcode")
    .transform((s) => (s === null ? null : normalisePostcode(s))),
  phone: optionalText(40),
  needs_transport: checkbox(),
  wheelchair: checkbox(),
  notes: optionalText(2000),
});

const endSchema = z.object({ ended_on: isoDate() });

/** A client row as the form's text values. */
function formValues(client: repo.ClientRow): Record<string, string> {
  return {
    first_name: client.first_name,
    last_name: client.last_name,
    bsn: client.bsn ?? "",
    birth_date: client.birth_date ?? "",
    village_id: client.village_id === null ? "" : String(client.village_id),
    street: client.street ?? "",
    postcode: client.postcode ?? "",
    phone: client.phone ?? "",
    needs_transport: client.needs_transport ? "1" : "",
    wheelchair: client.wheelchair ? "1" : "",
    notes: client.notes ?? "",
  };
}

/**
 * Clients: the searchable list for every role (within its scope), the client page, and the
 * coordinator's forms to create, edit, end and reopen. Allocations hang under it.
 */
export function clientRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;
  const coordinatorOnly = requireRole("coordinator");

  async function renderForm(res: Response, status: number, values: Record<string, unknown>, errors: FieldErrors = {}, extra: Record<string, unknown> = {}) {
    res.status(status).render("clients/form", {
      title: extra.id ? "clients.editTitle" : "clients.newTitle",
      values,
      errors: shownErrors(errors),
      villages: (await repo.listVillages(db)).map((v) => ({ value: v.id, text: v.name })),
      ...extra,
    });
  }

  async function loadClient(id: number | null): Promise<repo.ClientRow> {
    const client = id ? await repo.findClient(db, null, id) : undefined;
    if (!client) throw new NotFoundError("client");
    return client;
  }

  router.get("/clienten", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const q = queryText(req.query.q);
    const villageId = parseId(req.query.kern);
    const statusParam = queryText(req.query.status);
    const status = (STATUS_FILTERS as readonly string[]).includes(statusParam) ? (statusParam as repo.ClientStatusFilter) : "actief";
    const page = parseId(req.query.pagina) ?? 1;
    const date = today(clock);
    const search: repo.ClientSearch = { query: parseClientQuery(q), villageId, status, today: date, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
    const [villages, result, locations] = await Promise.all([
      repo.listVillages(db),
      repo.searchClients(db, scope, search),
      repo.currentLocations(db, scope, repo.pageIds(db, scope, search), date),
    ]);
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const filters = { q, kern: villageId, status: status === "actief" ? null : status };
    res.render("clients/index", {
      title: "clients.title",
      q,
      villageId: villageId ?? "",
      status,
      villages: villages.map((v) => ({ value: v.id, text: v.name })),
      statuses: STATUS_FILTERS.map((s) => ({ value: s, key: `clients.statusFilter.${s}` })),
      clients: result.rows.map((r) => ({
        ...r,
        bsn: null,
        maskedBsn: maskBsn(r.bsn),
        ended: clientStatus(r.ended_on, date) === "beeindigd",
        locations: (locations.get(r.id) ?? []).join(", "),
      })),
      total: result.total,
      page,
      pages,
      from: result.total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
      until: Math.min(result.total, page * PAGE_SIZE),
      previousUrl: page > 1 ? urlWith("/clienten", { ...filters, pagina: page - 1 }) : null,
      nextUrl: page < pages ? urlWith("/clienten", { ...filters, pagina: page + 1 }) : null,
      canWrite: actor.role === "coordinator",
      canImport: actor.role === "coordinator" || actor.role === "provider",
      seesAllocations: actor.role !== "provider",
    });
  });

  router.get("/clienten/nieuw", coordinatorOnly, async (_req, res) => renderForm(res, 200, {}));

  router.post("/clienten/nieuw", coordinatorOnly, async (req, res) => {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderForm(res, 422, keptInput(req.body), err.fields, { errorParams: err.params }));
    const input = validValue(parseForm(clientSchema, req.body));
    // The second submit of a form that was asked "is this someone else?" carries the answer.
    const confirmDuplicate = req.body?.confirm_duplicate === "1";
    const id = await createClient(db, clock, actor, input as ClientInput, { confirmDuplicate });
    flash(req, "success", "clients.created", { name: `${input.first_name} ${input.last_name}` });
    res.redirect(303, `/clienten/${id}`);
  });

  router.get("/clienten/:id", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("client");
    const page = await clientPage(db, clock, scope, id);
    // The full number leaves the server only for a coordinator, and then it is audited.
    const client = { ...page.client, bsn: page.fullBsn ? page.client.bsn : null, notes: actor.role === "purchaser" ? null : page.client.notes };
    if (page.fullBsn) res.set("Cache-Control", "no-store");
    res.render("clients/show", {
      title: "clients.title",
      heading: `${client.first_name} ${client.last_name}`,
      ...page,
      client,
      maskedBsn: maskBsn(page.client.bsn),
      age: client.birth_date ? ageOn(client.birth_date, page.today) : null,
      ended: clientStatus(client.ended_on, page.today) === "beeindigd",
      attendance: ATTENDANCE_STATUSES.map((s) => ({ status: s, count: page.attendance[s] ?? 0 })),
      attendanceTotal: Object.values(page.attendance).reduce((n, c) => n + c, 0),
      attendanceWeeks: ATTENDANCE_WEEKS,
      canWrite: actor.role === "coordinator",
      canWriteAllocations: actor.role === "coordinator",
      canPlan: actor.role === "coordinator",
      // /agenda is for coordinators and providers: client feeds are the coordinator's; a
      // provider's roster of a client needs a schedule at one of its own locations.
      canManageFeeds: actor.role === "coordinator",
      canPrintRoster: actor.role === "coordinator" || (actor.role === "provider" && page.schedules.length > 0),
      showNotes: actor.role !== "purchaser",
      showAttendance: actor.role !== "purchaser",
      backToAllocations: actor.role === "purchaser",
    });
  });

  router.get("/clienten/:id/wijzigen", coordinatorOnly, async (req, res) => {
    const { actor } = actorOf(req);
    const client = await loadClient(parseId(req.params.id));
    // The form holds the full BSN in its input, so this is a view like the client page.
    await recordBsnView(db, clock, actor, client, "form");
    res.set("Cache-Control", "no-store");
    await renderForm(res, 200, formValues(client), {}, { id: client.id, client });
  });

  router.post("/clienten/:id/wijzigen", coordinatorOnly, async (req, res) => {
    const { actor } = actorOf(req);
    const client = await loadClient(parseId(req.params.id));
    const extra = { id: client.id, client };
    onInvalid(res, (err) => renderForm(res, 422, keptInput(req.body), err.fields, { ...extra, errorParams: err.params }));
    const input = validValue(parseForm(clientSchema, req.body));
    await updateClient(db, clock, actor, client.id, input as ClientInput);
    flash(req, "success", "clients.saved", { name: `${input.first_name} ${input.last_name}` });
    res.redirect(303, `/clienten/${client.id}`);
  });

  async function renderEnd(res: Response, status: number, client: repo.ClientRow, values: Record<string, string>, errors: FieldErrors = {}) {
    const date = values.ended_on && /^\d{4}-\d{2}-\d{2}$/.test(values.ended_on) && !errors.ended_on ? values.ended_on : today(clock);
    const consequences = await endingConsequences(db, client.id, date);
    res.status(status).render("clients/end", {
      title: "clients.endTitle",
      client: { id: client.id, first_name: client.first_name, last_name: client.last_name, ended_on: client.ended_on },
      values,
      errors: shownErrors(errors),
      consequencesDate: date,
      schedulesEnded: consequences.schedulesEnded.length,
      schedulesRemoved: consequences.schedulesRemoved.length,
      waitlistClosed: consequences.waitlistClosed.length,
    });
  }

  router.get("/clienten/:id/beeindigen", coordinatorOnly, async (req, res) => {
    const client = await loadClient(parseId(req.params.id));
    await renderEnd(res, 200, client, { ended_on: today(clock) });
  });

  router.post("/clienten/:id/beeindigen", coordinatorOnly, async (req: Request, res: Response) => {
    const { actor } = actorOf(req);
    const client = await loadClient(parseId(req.params.id));
    // Ended already: whatever date was sent, the page says so (there is no field to put it next to).
    onInvalid(res, (err) => renderEnd(res, 422, client, keptInput(req.body), err.fields));
    if (client.ended_on !== null) throw new ValidationError({ _form: "clients.errors.alreadyEnded" });
    const input = validValue(parseForm(endSchema, req.body));
    const done = await endClient(db, clock, actor, client.id, input.ended_on);
    flash(req, "success", "clients.ended", {
      name: `${client.first_name} ${client.last_name}`,
      schedules: String(done.schedulesEnded.length + done.schedulesRemoved.length),
      waitlist: String(done.waitlistClosed.length),
    });
    res.redirect(303, `/clienten/${client.id}`);
  });

  router.post("/clienten/:id/heropenen", coordinatorOnly, async (req, res) => {
    const { actor } = actorOf(req);
    const client = await loadClient(parseId(req.params.id));
    await reopenClient(db, clock, actor, client.id);
    flash(req, "success", "clients.reopened", { name: `${client.first_name} ${client.last_name}` });
    res.redirect(303, `/clienten/${client.id}`);
  });

  router.use(allocationRoutes(deps));
  return router;
}
