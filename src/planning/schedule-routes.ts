import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf, requireRole } from "../auth/middleware";
import { allocationStatus } from "../domain/allocation";
import { today, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { isoDate, parseId } from "../web/fields";
import { onInvalid } from "../web/errors";
import { parseForm, validValue } from "../web/forms";
import { isLocale, type AppLocale } from "../web/i18n";
import { flash } from "../web/locals";
import { FUNDINGS, PARITIES, fieldMessages, formOptions, keptValues, pageModel, scheduleSchema, slotsMissing, toInput, type FormState } from "./schedule-form";
import { scheduleRoom } from "./schedule-room";
import { isIsoDate } from "../domain/dates";
import { schedulePage } from "./schedule-page";
import * as repo from "./schedule-repository";
import { clientChoices, searchKeep } from "./choices";
import { bookSchedule, endSchedule } from "./schedule-service";
import { BookingRefused, fullRunLabel, messagesOf, runsList } from "./violations";
import { manyStrings, parseSlot, slotValue } from "./weekdays";

const endSchema = z.object({ valid_until: isoDate() });

export function localeOf(res: Response): AppLocale {
  return isLocale(res.locals.locale) ? res.locals.locale : "nl";
}

/** The schedule form page, new or change, with the user's input and any refusal on it. */
export async function renderScheduleForm(
  db: Knex,
  date: string,
  req: Request,
  res: Response,
  status: number,
  clientId: number,
  state: FormState,
  replaces?: repo.ScheduleDetail,
): Promise<void> {
  const { scope } = actorOf(req);
  // The searches (?plaats=, ?contractzoek=) ride on the GET pages; a POST shows the chosen ones.
  const searches: Searches = { plaats: queryText(req, "plaats"), contractzoek: queryText(req, "contractzoek") };
  const options = await formOptions(db, scope, clientId, { locationSearch: searches.plaats, contractSearch: searches.contractzoek, values: state.values });
  if (!options.client) throw new NotFoundError("client");
  // The room at the chosen location (one of those offered, so within the actor's scope).
  const locationId = parseId(state.values.location_id);
  const location = options.locations.find((l) => l.value === locationId);
  const room = location ? { name: location.text, ...(await scheduleRoom(db, location.value, clientId, state.values.valid_from, state.values.week_parity, date)) } : null;
  res.status(status).render("planning/schedule-form", {
    title: replaces ? "planning.schedule.changeTitle" : "planning.schedule.newTitle",
    action: replaces ? `/roosters/${replaces.id}/wijzigen` : "/roosters",
    replaces,
    fundings: FUNDINGS,
    ...options,
    ...pageModel(state, options.weekend),
    room,
    roomKeep: replaces ? null : roomKeep(state, searches),
    locationSearch: options.locationSearchable ? searchForm(state, searches, "plaats", replaces) : null,
    contractSearch: options.contractSearchable ? searchForm(state, searches, "contractzoek", replaces) : null,
  });
}

/** The form's two searches at region scale: locations (?plaats=) and contracts (?contractzoek=). */
type Searches = { plaats: string; contractzoek: string };

function queryText(req: Request, name: string): string {
  const value = req.query[name];
  return typeof value === "string" ? value.slice(0, 100) : "";
}

/**
 * One search at region scale: a GET form back to this page that keeps what is filled in (on a
 * new schedule), the chosen location and the other search, so a search only widens what is offered.
 */
function searchForm(state: FormState, searches: Searches, param: keyof Searches, replaces?: repo.ScheduleDetail) {
  const others: Searches = { ...searches, [param]: "" };
  if (replaces) return { action: `/roosters/${replaces.id}/wijzigen`, param, query: searches[param], keep: searchKeep(Object.entries(others)) };
  return { action: "/roosters/nieuw", param, query: searches[param], keep: [...roomKeep(state, others), ...searchKeep([["locatie", state.values.location_id]])] };
}

/**
 * What the "show free places" GET form carries besides the location: the form's other values
 * as /roosters/nieuw reads them, so choosing a location loses nothing already filled in.
 */
function roomKeep(state: FormState, searches: Searches): { name: string; value: string }[] {
  const v = state.values;
  return searchKeep([
    ["plaats", searches.plaats], ["contractzoek", searches.contractzoek],
    ["client", v.client_id], ["financiering", v.funding], ["toewijzing", v.allocation_id], ["contract", v.contract_id],
    ["product", v.product_id], ["vanaf", v.valid_from], ["tot", v.valid_until], ["weken", v.week_parity], ["wachtlijst", v.waitlist_entry_id],
    // The slots travel as one comma-separated value: one hidden field, not one per slot.
    ["dagdelen", state.slots.join(",")],
  ]);
}

/**
 * Schedules (roosters): the form for a new one, its page, a change "from date X" and its end.
 * Coordinators plan; a provider may read the schedules at its own locations and nothing more.
 */
export function scheduleRoutes(deps: { db: Knex; clock: Clock }): Router {
  const { db, clock } = deps;
  const router = Router();
  router.use(requireRole("coordinator", "provider"));
  const planner = requireRole("coordinator");

  async function renderPick(req: Request, res: Response, status: number, error?: string) {
    const { scope } = actorOf(req);
    const search = typeof req.query.zoek === "string" ? req.query.zoek.slice(0, 100) : "";
    res.status(status).render("planning/schedule-pick", {
      title: "planning.schedule.newTitle",
      search,
      clients: await clientChoices(db, scope, search, today(clock), null),
      error,
    });
  }

  async function save(req: Request, res: Response, replaces?: repo.ScheduleDetail) {
    const { actor } = actorOf(req);
    const kept = keptValues(req.body);
    const clientId = replaces ? replaces.client_id : parseId(kept.values.client_id);
    if (clientId === null) return renderPick(req, res, 422, "errors.choice");
    if (replaces) kept.values.client_id = String(replaces.client_id);
    const form = parseForm(scheduleSchema, { ...req.body, client_id: String(clientId) });
    const missing = slotsMissing(kept.slots);
    if (!form.ok || missing.slots) {
      const errors = { ...(form.ok ? {} : form.errors), ...missing };
      return renderScheduleForm(db, today(clock), req, res, 422, clientId, { ...kept, messages: fieldMessages(errors) }, replaces);
    }
    onInvalid(res, (err) =>
      renderScheduleForm(
        db,
        today(clock),
        req,
        res,
        422,
        clientId,
        { ...kept, messages: messagesOf(err, localeOf(res)), capacityRefused: err instanceof BookingRefused && err.hasCapacity },
        replaces,
      ),
    );
    const booked = await bookSchedule(db, clock, actor, toInput(form.value, replaces?.id ?? null));
    flash(req, "success", booked.overbooked.length > 0 ? "planning.schedule.savedOverbooked" : replaces ? "planning.schedule.changed" : "planning.schedule.created", {
      list: runsList(booked.overbooked.map((r) => fullRunLabel({ ...r, booked: r.booked + 1 }, localeOf(res))), localeOf(res)),
    });
    res.redirect(303, `/roosters/${booked.id}`);
  }

  async function scheduleOr404(req: Request): Promise<repo.ScheduleDetail> {
    const { scope } = actorOf(req);
    const id = parseId(req.params.id);
    const schedule = id === null ? undefined : await repo.findScheduleDetail(db, scope, id);
    if (!schedule) throw new NotFoundError("schedule");
    return schedule;
  }

  router.get("/nieuw", planner, async (req, res) => {
    if (req.query.client === undefined || req.query.client === "") return renderPick(req, res, 200);
    const clientId = parseId(req.query.client);
    if (clientId === null) throw new NotFoundError("client");
    const q = req.query as Record<string, unknown>;
    const date = today(clock);
    const one = (key: string) => (typeof q[key] === "string" ? (q[key] as string) : "");
    const values: Record<string, string> = {
      client_id: String(clientId),
      location_id: one("locatie"),
      funding: (FUNDINGS as readonly string[]).includes(one("financiering")) ? one("financiering") : "toewijzing",
      allocation_id: one("toewijzing"),
      contract_id: one("contract"),
      product_id: one("product"),
      waitlist_entry_id: one("wachtlijst"),
      // Kept as typed (the POST checks them); a date in the past is the POST's to refuse too.
      valid_from: isIsoDate(one("vanaf")) ? one("vanaf") : date,
      valid_until: isIsoDate(one("tot")) ? one("tot") : "",
      week_parity: (PARITIES as readonly string[]).includes(one("weken")) ? one("weken") : "elke",
    };
    if (!values.allocation_id) {
      // One running dagdeel allocation: that is the one to plan under.
      const running = (await repo.allocationsOfClient(db, clientId)).filter((a) => a.product_unit === "dagdeel" && allocationStatus(a, date) !== "afgelopen");
      if (running.length === 1) values.allocation_id = String(running[0].id);
    }
    await renderScheduleForm(db, today(clock), req, res, 200, clientId, { values, slots: manyStrings(q.dagdelen).flatMap((v) => v.split(",")).filter((v) => parseSlot(v) !== null) });
  });

  router.post("/", planner, (req, res) => save(req, res));

  router.get("/:id", async (req, res) => {
    const schedule = await scheduleOr404(req);
    const { actor } = actorOf(req);
    res.render("planning/schedule", { ...(await schedulePage(db, schedule, today(clock))), canPlan: actor.role === "coordinator" });
  });

  router.get("/:id/wijzigen", planner, async (req, res) => {
    const schedule = await scheduleOr404(req);
    const date = today(clock);
    const values: Record<string, string> = {
      client_id: String(schedule.client_id),
      location_id: String(schedule.location_id),
      funding: schedule.funding,
      allocation_id: schedule.allocation_id === null ? "" : String(schedule.allocation_id),
      contract_id: schedule.contract_id === null ? "" : String(schedule.contract_id),
      product_id: schedule.product_id === null ? "" : String(schedule.product_id),
      valid_from: schedule.valid_from > date ? schedule.valid_from : date,
      valid_until: schedule.valid_until ?? "",
      week_parity: schedule.week_parity,
    };
    await renderScheduleForm(db, today(clock), req, res, 200, schedule.client_id, { values, slots: schedule.slots.map(slotValue) }, schedule);
  });

  router.post("/:id/wijzigen", planner, async (req, res) => save(req, res, await scheduleOr404(req)));

  router.post("/:id/beeindigen", planner, async (req, res) => {
    const schedule = await scheduleOr404(req);
    const { actor } = actorOf(req);
    onInvalid(res, async (err) =>
      res.status(422).render("planning/schedule", {
        ...(await schedulePage(db, schedule, today(clock))),
        canPlan: true,
        endValue: typeof req.body?.valid_until === "string" ? req.body.valid_until : "",
        endErrors: err.fields,
      }),
    );
    const { valid_until } = validValue(parseForm(endSchema, req.body));
    const { cancelled } = await endSchedule(db, clock, actor, schedule.id, valid_until);
    flash(req, "success", cancelled ? "planning.schedule.cancelled" : "planning.schedule.ended");
    res.redirect(303, cancelled ? `/planning/locaties/${schedule.location_id}` : `/roosters/${schedule.id}`);
  });

  return router;
}
