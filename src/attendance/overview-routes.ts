import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { stringify } from "csv-stringify/sync";
import { actorOf } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { dateProblem } from "../domain/date-window";
import { parseId } from "../web/fields";
import type { FieldErrors } from "../web/forms";
import { translator, type AppLocale } from "../web/i18n";
import { clientOverview, locationOverview, type OverviewInput } from "./overviews";
import { locationOffer, searchKeep } from "../planning/choices";
import { monthLabel } from "./present";

// Planned against attended per client per month and per location per ISO week, on screen and
// as CSV for any period (semicolons and a BOM, as Dutch Excel expects; ISO dates; no BSN).

export const MAX_PERIOD_DAYS = 366;

type Period = { ok: true; input: OverviewInput } | { ok: false; errors: FieldErrors; values: Record<string, string> };

function query(req: Request, name: string): string {
  const v = req.query[name];
  return typeof v === "string" ? v.trim() : "";
}

/** van/tot/locatie from the query; by default the current month up to today. */
function readPeriod(req: Request, now: string): Period {
  const from = query(req, "van") || `${now.slice(0, 7)}-01`;
  const until = query(req, "tot") || now;
  const location = query(req, "locatie");
  const errors: FieldErrors = {};
  const fromProblem = dateProblem(from);
  const untilProblem = dateProblem(until);
  if (fromProblem) errors.van = fromProblem;
  if (untilProblem) errors.tot = untilProblem;
  if (!errors.van && !errors.tot) {
    if (until < from) errors.tot = "attendance.errors.periodOrder";
    else if (until > addDays(from, MAX_PERIOD_DAYS - 1)) errors.tot = "attendance.errors.periodTooLong";
  }
  const locationId = location === "" ? null : parseId(location);
  if (location !== "" && locationId === null) errors.locatie = "errors.choice";
  if (Object.keys(errors).length > 0) return { ok: false, errors, values: { van: from, tot: until, locatie: location } };
  return { ok: true, input: { from, until, locationId } };
}

function sendCsv(res: Response, filename: string, header: string[], rows: (string | number)[][]): void {
  res.setHeader("Content-Type", "text/csv; charset=utf-8");
  res.setHeader("Content-Disposition", `attachment; filename="${filename}"`);
  // The BOM makes Excel read the file as UTF-8, so "Crème" and "Hüsken" survive.
  res.send("\uFEFF" + stringify([header, ...rows], { delimiter: ";", record_delimiter: "windows" }));
}

const share = (n: number | null) => (n === null ? "" : n);

export function overviewRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  async function page(req: Request, res: Response, kind: "clienten" | "locaties") {
    const { scope } = actorOf(req);
    const locale = res.locals.locale as AppLocale;
    const t = translator(locale);
    const now = today(deps.clock);
    const period = readPeriod(req, now);
    const view = kind === "clienten" ? "attendance/overview-clients" : "attendance/overview-locations";
    const title = kind === "clienten" ? "attendance.overviewClientsTitle" : "attendance.overviewLocationsTitle";
    // At region scale the location filter is searched (?plaats=), as on the planning forms; a
    // location closed since still has its past, so the closed ones are found too.
    const search = query(req, "plaats").slice(0, 100);
    const locationFilter = async (values: Record<string, string>) => {
      const offer = await locationOffer(deps.db, scope, search, parseId(values.locatie), { inactiveToo: true });
      return {
        locationOptions: offer.choices,
        locationSearch: offer.searchable ? { query: search, keep: searchKeep([["van", values.van], ["tot", values.tot], ["locatie", values.locatie]]) } : null,
      };
    };
    if (!period.ok) {
      return res.status(422).render(view, { title, values: period.values, errors: period.errors, hasErrors: true, ...(await locationFilter(period.values)), rows: [] });
    }
    const { input } = period;
    const values = { van: input.from, tot: input.until, locatie: input.locationId ? String(input.locationId) : "" };
    const csvQuery = new URLSearchParams({ ...values, formaat: "csv" }).toString();
    const asCsv = query(req, "formaat") === "csv";

    if (kind === "clienten") {
      const result = await clientOverview(deps.db, scope, input, now);
      if (asCsv) {
        return sendCsv(
          res,
          `aanwezigheid-clienten-${input.from}-${input.until}.csv`,
          ["client_id", "last_name", "first_name", "month", "scheduled", "attended", "attendedUnscheduled", "afgemeld", "ziek", "niet_verschenen", "unrecorded", "share"].map((c) => t(`attendance.csv.${c}`)),
          result.rows.map((r) => [r.client_id, r.last_name, r.first_name, r.month, r.scheduled, r.attended, r.attendedUnscheduled, r.afgemeld, r.ziek, r.niet_verschenen, r.unrecorded, share(r.shareAttended)]),
        );
      }
      return res.render(view, {
        title,
        values,
        errors: {},
        csvQuery,
        countedUntil: result.countedUntil,
        cappedAtToday: result.countedUntil < input.until,
        ...(await locationFilter(values)),
        rows: result.rows.map((r) => ({ ...r, monthLabel: monthLabel(r.month, locale) })),
      });
    }

    const result = await locationOverview(deps.db, scope, input, now);
    if (asCsv) {
      return sendCsv(
        res,
        `aanwezigheid-locaties-${input.from}-${input.until}.csv`,
        ["location_id", "location", "provider", "week", "week_start", "scheduled", "attended", "attendedUnscheduled", "afgemeld", "ziek", "niet_verschenen", "unrecorded", "share"].map((c) => t(`attendance.csv.${c}`)),
        result.rows.map((r) => [r.location_id, r.location_name, r.provider_name, r.week, r.week_start, r.scheduled, r.attended, r.attendedUnscheduled, r.afgemeld, r.ziek, r.niet_verschenen, r.unrecorded, share(r.shareAttended)]),
      );
    }
    res.render(view, {
      title,
      values,
      errors: {},
      csvQuery,
      countedUntil: result.countedUntil,
      cappedAtToday: result.countedUntil < input.until,
      ...(await locationFilter(values)),
      rows: result.rows,
    });
  }

  router.get("/clienten", (req, res) => page(req, res, "clienten"));
  router.get("/locaties", (req, res) => page(req, res, "locaties"));
  return router;
}
