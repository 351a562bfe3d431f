import { paging } from "../web/pagination";
import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { mondayOf } from "../domain/dates";
import { mondayOfWeekParam } from "../domain/iso-week";
import { parseId, requiredText } from "../web/fields";
import { keptInput, parseForm, shownErrors, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { clientRoster, locationRoster } from "./roster-service";
import { calendarOverview, clientFeedsPage, FEEDS_PER_PAGE, LOCATIONS_PER_PAGE, createClientFeed, createLocationFeed, locationFeedsPage, revokeFeed, type CreatedFeed } from "./service";
import { feedPath } from "./tokens";

const feedSchema = z.object({ label: requiredText(100) });

/**
 * /agenda: feeds for clients (coordinators) and locations (their provider, coordinators), and
 * printable week rosters. Mounted behind requireRole("coordinator", "provider").
 */
export function calendarRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  function idParam(value: unknown, what: string): number {
    const id = parseId(value);
    if (id === null) throw new NotFoundError(what);
    return id;
  }

  /** ?week=2026-W48, or this week; a week that does not exist is not found. */
  function weekParam(req: Request): string {
    const value = req.query.week;
    if (value === undefined || value === "") return mondayOf(today(deps.clock));
    const monday = typeof value === "string" ? mondayOfWeekParam(value) : null;
    if (!monday) throw new NotFoundError("week");
    return monday;
  }

  /** The link is shown this once; the page is not stored by the browser. */
  function showCreated(req: Request, res: Response, created: CreatedFeed, back: string, subject: string) {
    const host = req.get("host") ?? "localhost";
    const path = feedPath(created.token);
    res.set("Cache-Control", "no-store");
    res.status(201).render("calendar/created", {
      title: "calendar.createdTitle",
      url: `${req.protocol}://${host}${path}`,
      webcal: `webcal://${host}${path}`,
      back,
      subject,
    });
  }

  router.get("/", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const q = typeof req.query.q === "string" ? req.query.q.trim().slice(0, 100) : "";
    const pages = { locations: parseId(req.query.pagina) ?? 1, feeds: parseId(req.query.feeds) ?? 1 };
    const overview = await calendarOverview(deps.db, actor, scope, q || null, pages);
    const params = { q: q || null, pagina: overview.locationPage.page === 1 ? null : overview.locationPage.page, feeds: overview.feedPage.page === 1 ? null : overview.feedPage.page };
    res.render("calendar/index", {
      title: "calendar.title",
      ...overview,
      locationPaging: paging("/agenda", params, overview.locationPage.page, overview.locationPage.total, LOCATIONS_PER_PAGE),
      // The feeds' pages turn with their own parameter.
      feedPaging: paging("/agenda", params, overview.feedPage.page, overview.feedPage.total, FEEDS_PER_PAGE, "feeds"),
    });
  });

  async function renderClientPage(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors: FieldErrors = {}) {
    const { actor, scope } = actorOf(req);
    const page = await clientFeedsPage(deps.db, actor, scope, idParam(req.params.clientId, "client"));
    const name = `${page.client.first_name} ${page.client.last_name}`;
    res.status(status).render("calendar/feeds", {
      title: "calendar.clientTitle",
      heading: name,
      subjectName: name,
      intro: "calendar.clientIntro",
      action: `/agenda/client/${page.client.id}`,
      roster: `/agenda/rooster/client/${page.client.id}`,
      feeds: page.feeds,
      values,
      errors: shownErrors(errors),
    });
  }

  async function renderLocationPage(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors: FieldErrors = {}) {
    const { scope } = actorOf(req);
    const page = await locationFeedsPage(deps.db, scope, idParam(req.params.locationId, "location"));
    res.status(status).render("calendar/feeds", {
      title: "calendar.locationTitle",
      heading: page.location.name,
      subjectName: page.location.name,
      intro: "calendar.locationIntro",
      action: `/agenda/locatie/${page.location.id}`,
      roster: `/agenda/rooster/locatie/${page.location.id}`,
      feeds: page.feeds,
      values,
      errors: shownErrors(errors),
    });
  }

  router.get("/client/:clientId", (req, res) => renderClientPage(req, res, 200));
  router.get("/locatie/:locationId", (req, res) => renderLocationPage(req, res, 200));

  router.post("/client/:clientId", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const clientId = idParam(req.params.clientId, "client");
    const form = parseForm(feedSchema, req.body);
    if (!form.ok) return renderClientPage(req, res, 422, keptInput(req.body), form.errors);
    const created = await createClientFeed(deps.db, deps.clock, actor, scope, clientId, form.value.label);
    showCreated(req, res, created, `/agenda/client/${clientId}`, form.value.label);
  });

  router.post("/locatie/:locationId", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const locationId = idParam(req.params.locationId, "location");
    const form = parseForm(feedSchema, req.body);
    if (!form.ok) return renderLocationPage(req, res, 422, keptInput(req.body), form.errors);
    const created = await createLocationFeed(deps.db, deps.clock, actor, scope, locationId, form.value.label);
    showCreated(req, res, created, `/agenda/locatie/${locationId}`, form.value.label);
  });

  router.post("/:feedId/intrekken", async (req, res) => {
    const { actor } = actorOf(req);
    const feed = await revokeFeed(deps.db, deps.clock, actor, idParam(req.params.feedId, "calendar feed"));
    flash(req, "success", "calendar.revoked", { label: feed.label ?? "" });
    res.redirect(303, feed.scope === "client" ? `/agenda/client/${feed.client_id}` : `/agenda/locatie/${feed.location_id}`);
  });

  router.get("/rooster/locatie/:id", async (req, res) => {
    const { scope } = actorOf(req);
    const roster = await locationRoster(deps.db, scope, idParam(req.params.id, "location"), weekParam(req));
    res.render("calendar/roster-location", { title: "calendar.rosterTitle", heading: roster.location.name, ...roster });
  });

  router.get("/rooster/client/:id", async (req, res) => {
    const { scope } = actorOf(req);
    const roster = await clientRoster(deps.db, scope, idParam(req.params.id, "client"), weekParam(req));
    res.render("calendar/roster-client", { title: "calendar.rosterTitle", heading: roster.name, ...roster });
  });

  return router;
}
