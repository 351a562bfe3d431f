import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import type { Slot } from "../domain/schedule";
import { choice, id, isoDate, optionalText, parseId } from "../web/fields";
import { keptInput, parseForm, type FieldErrors } from "../web/forms";
import { onInvalid } from "../web/errors";
import { flash } from "../web/locals";
import { paging } from "../web/pagination";
import { slotsMissing, valuesOf } from "./schedule-form";
import { renderScheduleForm } from "./schedule-routes";
import { clientChoices, locationChoices, locationOffer } from "./choices";
import { addEntry, ENTRIES_PER_PAGE, lapseEntry, planInput, waitingList } from "./waitlist-service";
import { villageOptions, WAITLIST_FUNDINGS } from "./waitlist-repository";
import { manyStrings, parseSlot, slotGrid, slotLabels } from "./weekdays";

const entrySchema = z.object({
  client_id: id(),
  location_id: id(),
  since: isoDate(),
  priority: z.enum(["1", "2", "3", "4", "5"], { error: "errors.choice" }).transform(Number),
  funding: choice(WAITLIST_FUNDINGS),
  note: optionalText(1000),
  slots: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => manyStrings(v))
    .pipe(z.array(z.string().regex(/^[1-5]-(ochtend|middag)$/, "errors.choice"))),
});

const PRIORITIES = [
  { value: 1, key: "planning.waitlist.priority1" },
  { value: 2, key: "planning.waitlist.priority2" },
  { value: 3, key: "planning.waitlist.priority3" },
  { value: 4, key: "planning.waitlist.priority4" },
  { value: 5, key: "planning.waitlist.priority5" },
];

/** The waiting list (coordinators only): the list, a new entry, "inplannen" and "vervallen". */
export function waitlistRoutes(deps: { db: Knex; clock: Clock }): Router {
  const { db, clock } = deps;
  const router = Router();

  /**
   * The form, with a client and a location to choose from by searching (?zoek=, ?plaats=):
   * each search is its own small GET form that keeps what the other one chose.
   */
  async function renderForm(req: Request, res: Response, status: number, values: Record<string, string>, slots: string[], errors: FieldErrors = {}) {
    const { scope } = actorOf(req);
    const q = req.query as Record<string, unknown>;
    const text = (key: string) => (typeof q[key] === "string" ? (q[key] as string).slice(0, 100) : "");
    const [clients, locations] = await Promise.all([
      clientChoices(db, scope, text("zoek"), today(clock), parseId(values.client_id)),
      locationChoices(db, scope, text("plaats"), parseId(values.location_id)),
    ]);
    const kept = (param: string) =>
      [
        ["client", values.client_id],
        ["locatie", values.location_id],
        ["zoek", param === "zoek" ? "" : text("zoek")],
        ["plaats", param === "plaats" ? "" : text("plaats")],
        ...slots.map((slot) => ["dagdelen", slot]),
      ]
        .filter(([name, value]) => value && name !== param)
        .map(([name, value]) => ({ name, value }));
    res.status(status).render("planning/waitlist-form", {
      title: "planning.waitlist.newTitle",
      values,
      slotGrid: slotGrid(slots),
      errors,
      clients,
      locations,
      clientSearch: { query: text("zoek"), keep: kept("zoek") },
      locationSearch: { query: text("plaats"), keep: kept("plaats") },
      priorities: PRIORITIES,
      fundings: WAITLIST_FUNDINGS.map((f) => ({ value: f, key: `planningFunding.${f}` })),
    });
  }

  /**
   * The regional waiting list: every location's waiting clients by need, fifty a page,
   * narrowed by gemeente, village or location (each a GET parameter, so a page can be shared
   * and reloaded). An unknown location or village answers 404, as a foreign id does.
   */
  router.get("/", async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const param = (key: string) => (typeof q[key] === "string" && q[key] !== "" ? (q[key] as string) : null);
    const locationId = param("locatie") === null ? null : parseId(param("locatie"));
    if (param("locatie") !== null && locationId === null) throw new NotFoundError("location");
    // At region scale the location filter is searched (?plaats=), as on the forms.
    const search = (param("plaats") ?? "").slice(0, 100);
    const [locations, villages] = await Promise.all([locationOffer(db, actorOf(req).scope, search, locationId), villageOptions(db)]);
    if (locationId !== null && !locations.choices.some((l) => l.value === locationId)) throw new NotFoundError("location");
    const villageId = param("dorp") === null ? null : parseId(param("dorp"));
    if (param("dorp") !== null && (villageId === null || !villages.some((v) => v.id === villageId))) throw new NotFoundError("village");
    const gemeentecode = param("gemeente");
    if (gemeentecode !== null && !villages.some((v) => v.gemeentecode === gemeentecode)) throw new NotFoundError("gemeente");
    const requested = parseId(req.query.pagina);
    const filter = { locationId, villageId, gemeentecode };
    const { entries, total } = await waitingList(db, today(clock), filter, requested ?? 1);
    const gemeenten = [...new Map(villages.map((v) => [v.gemeentecode, v.municipality])).entries()].map(([value, text]) => ({ value, text }));
    res.render("planning/waitlist", {
      title: "planning.waitlist.title",
      entries: entries.map((e) => ({ ...e, slotLabels: slotLabels(e.slots) })),
      paging: paging("/wachtlijst", { gemeente: gemeentecode, dorp: villageId, locatie: locationId }, requested, total, ENTRIES_PER_PAGE),
      total,
      locations: locations.choices,
      locationSearch: locations.searchable
        ? { query: search, keep: [["gemeente", gemeentecode], ["dorp", villageId], ["locatie", locationId]].filter(([, v]) => v !== null).map(([name, value]) => ({ name, value: String(value) })) }
        : null,
      villages: villages.map((v) => ({ value: v.id, text: gemeenten.length > 1 ? `${v.name} (${v.municipality})` : v.name })),
      gemeenten,
      locationId: locationId ?? "",
      villageId: villageId ?? "",
      gemeentecode: gemeentecode ?? "",
    });
  });

  router.get("/nieuw", async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const one = (key: string) => (typeof q[key] === "string" ? (q[key] as string) : "");
    await renderForm(req, res, 200, { client_id: one("client"), location_id: one("locatie"), since: today(clock), priority: "3", funding: "toewijzing" }, manyStrings(q.dagdelen));
  });

  router.post("/", async (req: Request, res: Response) => {
    const { actor } = actorOf(req);
    const kept = keptInput(req.body);
    const slots = manyStrings(req.body?.slots);
    // Funding defaults to an allocation, the usual case (the form's radio starts there too).
    const form = parseForm(entrySchema, { funding: "toewijzing", ...req.body });
    const missing = slotsMissing(slots);
    if (!form.ok || missing.slots) return renderForm(req, res, 422, kept, slots, { ...(form.ok ? {} : form.errors), ...missing });
    onInvalid(res, (err) => renderForm(req, res, 422, kept, slots, err.fields));
    await addEntry(db, clock, actor, { ...form.value, slots: form.value.slots.map(parseSlot).filter((s): s is Slot => s !== null) });
    flash(req, "success", "planning.waitlist.added");
    res.redirect(303, `/wachtlijst?locatie=${form.value.location_id}`);
  });

  // "Inplannen" is a page: the schedule form prefilled from the entry, at an address that a
  // reload (or a colleague) opens again. Saving it books, and closes the entry.
  router.get("/:id/inplannen", async (req, res) => {
    const { actor } = actorOf(req);
    const entryId = parseId(req.params.id);
    if (entryId === null) throw new NotFoundError("waitlist entry");
    const input = await planInput(db, clock, actor, entryId);
    await renderScheduleForm(db, today(clock), req, res, 200, input.client_id, valuesOf(input));
  });

  // An older page's button: to the form's address.
  router.post("/:id/inplannen", async (req, res) => {
    const entryId = parseId(req.params.id);
    if (entryId === null) throw new NotFoundError("waitlist entry");
    res.redirect(303, `/wachtlijst/${entryId}/inplannen`);
  });

  router.post("/:id/vervallen", async (req, res) => {
    const { actor } = actorOf(req);
    const entryId = parseId(req.params.id);
    if (entryId === null) throw new NotFoundError("waitlist entry");
    await lapseEntry(db, clock, actor, entryId);
    flash(req, "success", "planning.waitlist.lapsed");
    res.redirect(303, "/wachtlijst");
  });

  return router;
}
