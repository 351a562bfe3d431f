import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { actorOf } from "../auth/middleware";
import { queryText, urlWith } from "../clients/forms";
import { today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { ForbiddenError } from "../domain/errors";
import { parseId } from "../web/fields";
import { onInvalid } from "../web/errors";
import { flash } from "../web/locals";
import { redenBeeindigingCodes } from "./codes";
import * as repo from "./messages-repository";
import { chooseReason, markSent, messageXml } from "./messages-service";
import { berichtIdentificatie } from "./outgoing";

// "Berichten" for providers and coordinators: the WMO305/307 due, overdue (more than 5
// werkdagen) and sent, per provider. The provider downloads each as XML and marks it sent.
// Purchasers have their own Berichten page (purchaser-routes.ts).

export const PAGE_SIZE = 50;
/** The sent count on the page covers the last 30 days; the list itself goes back as far as there are messages. */
export const SENT_WINDOW_DAYS = 30;

export function messageRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  async function renderList(req: Request, res: Response, status = 200, problems: string[] = []) {
    const { actor, scope } = actorOf(req);
    const date = today(clock);
    const since = addDays(date, -SENT_WINDOW_DAYS);
    const providerId = actor.role === "coordinator" ? parseId(req.query.aanbieder) : null;
    const asked = queryText(req.query.toon);
    const askedView = (repo.VIEWS as readonly string[]).includes(asked) ? (asked as repo.MessageView) : null;
    const page = parseId(req.query.pagina) ?? 1;
    const at = { today: date, providerId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
    // The tabs' counts and the list in one round trip. A coordinator over every provider: the
    // per-provider table's counts are the tabs' counts too (counted once). Which view shows
    // when none is asked depends on them, so the list is then read for both it may be
    // (dueRows); the counts are the list's total too, but for the sent messages, counted over
    // all time on their list and over the last 30 days on their tab.
    const [{ totals: counts, perProvider }, rows, sentTotal] = await Promise.all([
      actor.role === "coordinator" && providerId === null
        ? repo.countsPerProvider(db, date, since)
        : repo.viewCounts(db, scope, date, since, providerId).then((totals) => ({ totals, perProvider: [] as repo.ProviderCounts[] })),
      askedView === null ? repo.dueRows(db, scope, at) : repo.messageRows(db, scope, { ...at, view: askedView }),
      askedView === "verzonden" ? repo.countMessages(db, scope, { view: "verzonden", today: date, providerId }) : null,
    ]);
    const view: repo.MessageView = askedView ?? (counts["te-laat"] > 0 ? "te-laat" : "open");
    const list = { total: sentTotal ?? counts[view], rows: rows.filter((m) => repo.inView(view, m, date)) };
    const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
    const filters = { toon: view, aanbieder: providerId };
    const isProvider = actor.role === "provider";
    res.status(status).render("iwmo/messages", {
      title: "iwmo.messages.title",
      view,
      counts,
      tabs: repo.VIEWS.map((v) => ({ view: v, count: counts[v], url: urlWith("/berichten", { ...filters, toon: v }), current: v === view })),
      perProvider: perProvider.map((p) => ({ ...p, url: urlWith("/berichten", { aanbieder: p.provider_id }) })),
      providerId,
      providerName: providerId !== null ? (list.rows[0]?.provider_name ?? perProvider.find((p) => p.provider_id === providerId)?.provider_name ?? null) : null,
      messages: list.rows.map((m) => ({
        ...m,
        code: m.kind === "start" ? "WMO305" : "WMO307",
        identificatie: m.bericht_identificatie ?? berichtIdentificatie(m.kind, m.id),
        overdue: m.status === "open" && m.deadline < date,
        reasons: m.kind === "stop" && m.status === "open" && isProvider ? redenBeeindigingCodes().map((code) => ({ value: code, selected: code === m.reason })) : null,
      })),
      total: list.total,
      from: list.total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
      until: Math.min(list.total, page * PAGE_SIZE),
      previousUrl: page > 1 ? urlWith("/berichten", { ...filters, pagina: page - 1 }) : null,
      nextUrl: page < pages ? urlWith("/berichten", { ...filters, pagina: page + 1 }) : null,
      page,
      pages,
      isProvider,
      isCoordinator: actor.role === "coordinator",
      sentWindow: SENT_WINDOW_DAYS,
      problems,
      backUrl: urlWith("/berichten", filters),
    });
  }

  router.get("/berichten", async (req, res, next) => {
    const { actor } = actorOf(req);
    if (actor.role === "purchaser") return next(); // the purchaser's page, in purchaser-routes.ts
    if (actor.role !== "coordinator" && actor.role !== "provider") throw new ForbiddenError(`role ${actor.role}`);
    await renderList(req, res);
  });

  router.get("/berichten/:id/bericht.xml", async (req, res) => {
    const { actor, scope } = actorOf(req);
    onInvalid(res, (err) => renderList(req, res, 422, Object.values(err.fields)));
    const { fileName, xml } = await messageXml(db, clock, actor, scope, parseId(req.params.id) ?? -1);
    res.type("application/xml; charset=utf-8").attachment(fileName).send(xml);
  });

  /** Back to the list the provider acted from. */
  const back = (req: Request) => {
    const view = queryText(req.body?.toon);
    return urlWith("/berichten", { toon: (repo.VIEWS as readonly string[]).includes(view) ? view : null });
  };

  router.post("/berichten/:id/verzonden", async (req, res) => {
    const { actor, scope } = actorOf(req);
    onInvalid(res, (err) => renderList(req, res, 422, Object.values(err.fields)));
    const m = await markSent(db, clock, actor, scope, parseId(req.params.id) ?? -1);
    flash(req, "success", "iwmo.messages.markedSent", { client: `${m.first_name} ${m.last_name}`, code: m.kind === "start" ? "WMO305" : "WMO307" });
    res.redirect(303, back(req));
  });

  router.post("/berichten/:id/reden", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const reason = typeof req.body?.reason === "string" ? req.body.reason : "";
    onInvalid(res, (err) => renderList(req, res, 422, err.fields.reason ? ["iwmo.messages.errors.reason"] : Object.values(err.fields)));
    await chooseReason(db, clock, actor, scope, parseId(req.params.id) ?? -1, reason);
    flash(req, "success", "iwmo.messages.reasonSaved");
    res.redirect(303, back(req));
  });

  return router;
}
