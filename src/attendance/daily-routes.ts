import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { NOTE_MAX_LENGTH } from "../domain/absence-note";
import { ABSENCE_REASONS, ATTENDANCE_STATUSES } from "../domain/attendance";
import { mondayOfWeekParam, weekParamOf } from "../domain/iso-week";
import { today, type Clock } from "../domain/clock";
import { DAGDELEN } from "../domain/dagdeel";
import { addDays, mondayOf } from "../domain/dates";
import { dateProblem } from "../domain/date-window";
import { NotFoundError } from "../domain/errors";
import { choice, id, isoDate, parseId } from "../web/fields";
import { keptInput, parseForm, type FieldErrors } from "../web/forms";
import type { AppLocale } from "../web/i18n";
import { onInvalid } from "../web/errors";
import { flash } from "../web/locals";
import { dailyList, findLocationOr404 } from "./daily";
import { displayParams, dagdeelWord, shortDay, statusWord } from "./present";
import { addExtra, everyonePresent, recordStatus, undoRecording } from "./recording";
import { saveAbsenceNote } from "./absence-note";
import { recordWholeDay } from "./whole-day";
import { extraCandidates } from "./repository";
import { weekView } from "./week";

const cellSchema = z.object({ client_id: id(), date: isoDate(), dagdeel: choice(DAGDELEN) });
// A note comes with an absence; a form without the field leaves the stored note as it is.
const note = () => z.string().max(NOTE_MAX_LENGTH, "errors.tooLong").optional();
const recordSchema = cellSchema.extend({ status: choice(ATTENDANCE_STATUSES), note: note() });
const noteSchema = cellSchema.extend({ note: z.string().max(NOTE_MAX_LENGTH, "errors.tooLong") });
const wholeDaySchema = z.object({ client_id: id(), date: isoDate(), status: choice(ABSENCE_REASONS), note: note() });
const bulkSchema = z.object({ date: isoDate(), dagdeel: choice(DAGDELEN) });

// The button forms have no field to show a message next to; say which part was wrong instead.
const BUTTON_MESSAGES: Record<string, string> = {
  status: "attendance.errors.status",
  date: "attendance.errors.date",
  dagdeel: "attendance.errors.dagdeel",
  client_id: "attendance.errors.client",
  note: "attendance.errors.noteTooLong",
};

type Problems = { errors: FieldErrors; errorParams: Record<string, string> };

/** The daily list, week view and every way of recording at a location. */
export function dailyRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const locale = (res: Response) => res.locals.locale as AppLocale;

  async function renderDaily(req: Request, res: Response, status: number, locationId: number, date: string, problems?: Problems, values: Record<string, string> = {}) {
    const { scope } = actorOf(req);
    const now = today(deps.clock);
    const list = await dailyList(deps.db, scope, locationId, date, now);
    const search = typeof req.query.zoek === "string" ? req.query.zoek.trim().slice(0, 100) : "";
    const open = list.dagdelen.filter((d) => d.available);
    const candidates = open.length > 0 && !list.isFuture ? await extraCandidates(deps.db, scope, date, search || null) : [];
    res.status(status).render("attendance/daily", {
      title: "attendance.title",
      heading: `${list.location.name} · ${shortDay(date, locale(res))}`,
      list,
      previousDate: addDays(date, -1),
      nextDate: addDays(date, 1),
      today: now,
      weekParam: weekParamOf(date),
      search,
      candidateOptions: candidates.map((c) => ({ value: String(c.id), text: `${c.last_name}, ${c.first_name}${c.village ? ` (${c.village})` : ""}` })),
      extraDagdelen: open.map((d) => ({ value: d.dagdeel, key: `dagdeel.${d.dagdeel}` })),
      values,
      errors: problems?.errors ?? {},
      errorParams: problems?.errorParams ?? {},
      hasErrors: problems !== undefined && Object.keys(problems.errors).length > 0,
    });
  }

  /** Location from the URL, in the actor's scope: anything else is not found, before the body is even read. */
  async function locationFrom(req: Request): Promise<number> {
    const locationId = parseId(req.params.id);
    if (locationId === null) throw new NotFoundError("location");
    await findLocationOr404(deps.db, actorOf(req).scope, locationId);
    return locationId;
  }

  function dateOf(req: Request): string {
    const d = typeof req.body?.date === "string" ? req.body.date.trim() : "";
    return dateProblem(d) === null ? d : today(deps.clock);
  }

  function back(locationId: number, date: string, anchor: string): string {
    return `/aanwezigheid/locaties/${locationId}?datum=${date}#${anchor}`;
  }

  /** Runs a write; a refused rule re-renders the list (422) with the message on top. */
  async function write(req: Request, res: Response, locationId: number, action: () => Promise<string>, values: Record<string, string> = {}) {
    onInvalid(res, (err) => renderDaily(req, res, 422, locationId, dateOf(req), { errors: err.fields, errorParams: displayParams(err.params, locale(res)) }, values));
    res.redirect(303, await action());
  }

  function buttonErrors(errors: FieldErrors): Problems {
    const mapped: FieldErrors = {};
    // A date outside 2000–2100 keeps the words that name the window.
    for (const field of Object.keys(errors)) mapped[field] = errors[field] === "errors.dateRange" ? errors[field] : (BUTTON_MESSAGES[field] ?? errors[field]);
    return { errors: mapped, errorParams: {} };
  }

  router.get("/:id", async (req, res) => {
    const locationId = parseId(req.params.id);
    if (locationId === null) throw new NotFoundError("location");
    const asked = typeof req.query.datum === "string" ? req.query.datum.trim() : "";
    const problem = asked === "" ? null : dateProblem(asked);
    if (problem) {
      await findLocationOr404(deps.db, actorOf(req).scope, locationId);
      return renderDaily(req, res, 422, locationId, today(deps.clock), { errors: { datum: problem === "errors.date" ? "attendance.errors.date" : problem }, errorParams: {} });
    }
    await renderDaily(req, res, 200, locationId, asked || today(deps.clock));
  });

  router.post("/:id/registreren", async (req, res) => {
    const locationId = await locationFrom(req);
    const form = parseForm(recordSchema, req.body);
    if (!form.ok) return renderDaily(req, res, 422, locationId, dateOf(req), buttonErrors(form.errors));
    const { actor, scope } = actorOf(req);
    const input = form.value;
    await write(req, res, locationId, async () => {
      const outcome = await recordStatus(deps.db, deps.clock, actor, scope, locationId, input);
      const params = { name: outcome.clientName, status: statusWord(input.status, locale(res)), dagdeel: dagdeelWord(input.dagdeel, locale(res)) };
      flash(req, "success", outcome.changed ? "attendance.flash.recorded" : "attendance.flash.unchanged", params);
      return back(locationId, input.date, `c-${input.client_id}-${input.dagdeel}`);
    });
  });

  router.post("/:id/hele-dag", async (req, res) => {
    const locationId = await locationFrom(req);
    const form = parseForm(wholeDaySchema, req.body);
    if (!form.ok) return renderDaily(req, res, 422, locationId, dateOf(req), buttonErrors(form.errors));
    const { actor, scope } = actorOf(req);
    const input = form.value;
    await write(req, res, locationId, async () => {
      const outcome = await recordWholeDay(deps.db, deps.clock, actor, scope, locationId, input);
      const params = { name: outcome.clientName, status: statusWord(input.status, locale(res)) };
      flash(req, "success", outcome.changed ? "attendance.flash.wholeDay" : "attendance.flash.wholeDayUnchanged", params);
      return back(locationId, input.date, `c-${input.client_id}-ochtend`);
    });
  });

  router.post("/:id/notitie", async (req, res) => {
    const locationId = await locationFrom(req);
    const form = parseForm(noteSchema, req.body);
    if (!form.ok) return renderDaily(req, res, 422, locationId, dateOf(req), buttonErrors(form.errors), keptInput(req.body));
    const { actor, scope } = actorOf(req);
    const input = form.value;
    await write(req, res, locationId, async () => {
      const outcome = await saveAbsenceNote(deps.db, deps.clock, actor, scope, locationId, input);
      const params = { name: outcome.clientName, dagdeel: dagdeelWord(input.dagdeel, locale(res)) };
      flash(req, "success", outcome.changed ? "attendance.flash.noteSaved" : "attendance.flash.noteUnchanged", params);
      return back(locationId, input.date, `c-${input.client_id}-${input.dagdeel}`);
    });
  });

  router.post("/:id/iedereen-aanwezig", async (req, res) => {
    const locationId = await locationFrom(req);
    const form = parseForm(bulkSchema, req.body);
    if (!form.ok) return renderDaily(req, res, 422, locationId, dateOf(req), buttonErrors(form.errors));
    const { actor, scope } = actorOf(req);
    const input = form.value;
    await write(req, res, locationId, async () => {
      const { marked, skippedLocked } = await everyonePresent(deps.db, deps.clock, actor, scope, locationId, input);
      const key = skippedLocked > 0 ? "attendance.flash.bulkSkipped" : marked > 0 ? "attendance.flash.bulk" : "attendance.flash.bulkNone";
      flash(req, "success", key, { count: marked, skipped: skippedLocked, dagdeel: dagdeelWord(input.dagdeel, locale(res)) });
      return back(locationId, input.date, `d-${input.dagdeel}`);
    });
  });

  router.post("/:id/extra", async (req, res) => {
    const locationId = await locationFrom(req);
    const values = keptInput(req.body);
    const form = parseForm(cellSchema, req.body);
    if (!form.ok) {
      // The extra form has real fields: the client and dagdeel messages go next to them.
      const errors = { ...form.errors, ...(form.errors.date ? { date: "attendance.errors.date" } : {}) };
      return renderDaily(req, res, 422, locationId, dateOf(req), { errors, errorParams: {} }, values);
    }
    const { actor, scope } = actorOf(req);
    const input = form.value;
    await write(
      req,
      res,
      locationId,
      async () => {
        const outcome = await addExtra(deps.db, deps.clock, actor, scope, locationId, input);
        flash(req, "success", "attendance.flash.extra", { name: outcome.clientName, dagdeel: dagdeelWord(input.dagdeel, locale(res)) });
        return back(locationId, input.date, `c-${input.client_id}-${input.dagdeel}`);
      },
      values,
    );
  });

  router.post("/:id/ongedaan-maken", async (req, res) => {
    const locationId = await locationFrom(req);
    const form = parseForm(cellSchema, req.body);
    if (!form.ok) return renderDaily(req, res, 422, locationId, dateOf(req), buttonErrors(form.errors));
    const { actor, scope } = actorOf(req);
    const input = form.value;
    await write(req, res, locationId, async () => {
      const outcome = await undoRecording(deps.db, deps.clock, actor, scope, locationId, input);
      flash(req, "success", "attendance.flash.undone", { name: outcome.clientName, dagdeel: dagdeelWord(input.dagdeel, locale(res)) });
      return back(locationId, input.date, `c-${input.client_id}-${input.dagdeel}`);
    });
  });

  router.get("/:id/week", async (req, res) => {
    const { scope } = actorOf(req);
    const locationId = parseId(req.params.id);
    if (locationId === null) throw new NotFoundError("location");
    const now = today(deps.clock);
    const asked = typeof req.query.week === "string" ? req.query.week.trim() : "";
    const monday = asked === "" ? mondayOf(now) : mondayOfWeekParam(asked);
    const view = await weekView(deps.db, scope, locationId, monday ?? mondayOf(now), now);
    res.status(monday ? 200 : 422).render("attendance/week", {
      title: "attendance.weekTitle",
      heading: `${view.location.name} · ${view.week}`,
      view,
      dayLabels: view.days.map((d) => ({ ...d, label: shortDay(d.date, locale(res)) })),
      thisWeek: weekParamOf(now),
      errors: monday ? {} : { week: "attendance.errors.week" },
      hasErrors: !monday,
      colspan: view.columns.length + 1,
      markKeys: ["aanwezig", "afgemeld", "ziek", "niet_verschenen", "extra", "open", "gepland"],
    });
  });

  return router;
}
