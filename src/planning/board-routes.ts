import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { actorOf } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { mondayOf } from "../domain/dates";
import { dateProblem } from "../domain/date-window";
import { NotFoundError } from "../domain/errors";
import { mondayOfWeekParam, weekParamOf } from "../domain/iso-week";
import { parseId } from "../web/fields";
import { locationBoard, OVERVIEW_PAGE, printable, weekOverview, type LocationBoard } from "./board-service";
import { SUBKINDS } from "../organisations/service";
import { paging, urlWithParams } from "../web/pagination";
import { sendKeptPage } from "../web/kept-page";

/**
 * The board's table as HTML, rendered once per kept board (a new version makes a new board
 * object, and its tables go with the old one), language and whether the day links show. The
 * page around it is rendered per request: it holds the session's CSRF token and navigation.
 */
const tables = new WeakMap<LocationBoard, Map<string, string>>();

async function boardTable(req: Request, board: LocationBoard, locale: string, canRecord: boolean): Promise<string> {
  let rendered = tables.get(board);
  if (!rendered) tables.set(board, (rendered = new Map()));
  const key = `${locale}|${canRecord ? 1 : 0}`;
  const kept = rendered.get(key);
  if (kept !== undefined) return kept;
  const html = await new Promise<string>((resolve, reject) =>
    req.app.render("planning/board-table", { layout: false, ...board, locale, canRecord }, (err, out) => (err ? reject(err) : resolve(out))),
  );
  rendered.set(key, html);
  return html;
}

type WeekChoice = { monday: string } | { redirect: string } | { error: string; monday: string };

/**
 * ?week=2026-W48 chooses the week (a week that does not exist is not found); ?datum=2026-12-03
 * jumps to the week of that date; neither: this week.
 */
function chooseWeek(req: Request, date: string): WeekChoice {
  const datum = req.query.datum;
  if (typeof datum === "string" && datum !== "") {
    const problem = dateProblem(datum);
    if (problem) return { error: problem, monday: mondayOf(date) };
    const q = new URLSearchParams({ week: weekParamOf(datum) });
    return { redirect: `${req.baseUrl}${req.path === "/" ? "" : req.path}?${q.toString()}` };
  }
  const week = req.query.week;
  if (week === undefined || week === "") return { monday: mondayOf(date) };
  const monday = typeof week === "string" ? mondayOfWeekParam(week) : null;
  if (!monday) throw new NotFoundError("week");
  return { monday };
}

/** The planning board per location and week, its printable version, and the week overview. */
export function boardRoutes(deps: { db: Knex; clock: Clock }): Router {
  const { db, clock } = deps;
  const router = Router();

  async function board(req: Request, res: Response, print: boolean) {
    const { actor, scope } = actorOf(req);
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("location");
    const date = today(clock);
    const choice = chooseWeek(req, date);
    if ("redirect" in choice) return res.redirect(303, choice.redirect);
    const board = await locationBoard(db, scope, id, choice.monday, date, !print && actor.role === "coordinator", req.boardVersion);
    const model = print ? printable(board) : board;
    const error = "error" in choice ? choice.error : null;
    // Attendance is recorded by coordinators and the location's own provider (/aanwezigheid).
    const canRecord = actor.role === "coordinator" || scope.ownsProvider(model.location.provider_id);
    const locale = String(res.locals.locale);
    const locals = {
      title: "planning.board.title",
      heading: model.location.name,
      // The whole week fits a laptop's screen only with the page's full width.
      wideMain: !print,
      ...model,
      canPlan: actor.role === "coordinator",
      canRecord,
      boardTable: print ? null : await boardTable(req, board, locale, canRecord),
      dateError: error,
      dateValue: typeof req.query.datum === "string" ? req.query.datum : "",
    };
    if (print || error || locals.dateValue !== "") return res.status(error ? 422 : 200).render(print ? "planning/board-print" : "planning/board", locals);
    // The page as a whole is kept with the board (src/web/kept-page.ts): what else it shows is
    // the language, the role (navigation, fits, day links) and whether the day links show.
    await sendKeptPage(req, res, board, `${locale}|${actor.role}|${canRecord ? 1 : 0}|${req.path}`, "planning/board", locals);
  }

  router.get("/", async (req, res) => {
    const { scope } = actorOf(req);
    const date = today(clock);
    const choice = chooseWeek(req, date);
    if ("redirect" in choice) return res.redirect(303, choice.redirect);
    const error = "error" in choice ? choice.error : null;
    // Narrowed by village (?kern=) and kind of provider (?soort=), forty locations a page.
    const villageId = parseId(req.query.kern);
    const subkind = SUBKINDS.provider.find((k) => k === req.query.soort) ?? null;
    const overview = await weekOverview(db, scope, choice.monday, date, { villageId, subkind, page: parseId(req.query.pagina) ?? 1 });
    const filters = { kern: villageId, soort: subkind };
    res.status(error ? 422 : 200).render("planning/overview", {
      title: "planning.overview.title",
      wideMain: true,
      ...overview,
      filterSuffix: urlWithParams("", filters).replace(/^\?/, "&"),
      villageOptions: overview.villages.map((v) => ({ value: v.id, text: v.name })),
      subkindOptions: SUBKINDS.provider.map((k) => ({ value: k, key: `subkinds.${k}` })),
      filterValues: { kern: villageId === null ? "" : String(villageId), soort: subkind ?? "" },
      paging: paging("/planning", { week: overview.weekParam, ...filters }, overview.page, overview.total, OVERVIEW_PAGE),
      dateError: error,
      dateValue: typeof req.query.datum === "string" ? req.query.datum : "",
    });
  });

  router.get("/locaties/:id", (req, res) => board(req, res, false));
  router.get("/locaties/:id/afdruk", (req, res) => board(req, res, true));

  return router;
}
