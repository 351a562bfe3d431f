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
import { paging } from "../web/pagination";
import { clientOverviewPage, clientOverviewSlices, locationOverviewPage, locationOverviewSlices, type OverviewInput } from "./overviews";
import { locationOffer, searchKeep } from "../planning/choices";
import { monthLabel } from "./present";

// Planned against attended per client per month and per location per ISO week, on screen and
// as CSV for any period (semicolons and a BOM, as Dutch Excel expects; ISO dates; no BSN).
// On screen a page of clients (50) or locations (as many as keep it near 500 rows); the CSV is
// the whole period and scope, written a slice at a time (issue 11).

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

/**
 * The CSV, slice by slice as the slices are counted: the whole region's year is never one string
 * (nor one computation) in memory. An error after the first slice can only cut the download off.
 */
async function sendCsv<R>(res: Response, filename: string, header: string[], slices: AsyncIterable<R[]>, line: (r: R) => (string | number)[]): Promise<void> {
  const csv = (rows: (string | number)[][]) => stringify(rows, { delimiter: ";", record_delimiter: "windows" });
  const iterator = slices[Symbol.asyncIterator]();
  // The first slice before the headers: a location outside the scope is still a 404.
  let next = await iterator.next();
  res.setHeader("Content-Type", "text/csv; charset=utf-8");
  res.setHeader("Content-Disposition", `attachment; filename="${filename}"`);
  // The BOM makes Excel read the file as UTF-8, so "Crème" and "Hüsken" survive.
  res.write("\uFEFF" + csv([header]));
  try {
    while (!next.done) {
      if (next.value.length > 0 && !res.write(csv(next.value.map(line)))) await new Promise((resolve) => res.once("drain", resolve));
      next = await iterator.next();
    }
  } catch (err) {
    res.destroy(err as Error);
    return;
  }
  res.end();
}

/** "1.234" in Dutch, "1,234" in English. */
const count = (n: number, locale: AppLocale) => new Intl.NumberFormat(locale === "en" ? "en-GB" : "nl-NL").format(n);

function requestedPage(req: Request): number | null {
  const v = typeof req.query.pagina === "string" ? Number(req.query.pagina) : NaN;
  return Number.isInteger(v) && v > 0 ? v : null;
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

    const pageParams = { ...values, plaats: search };
    const shown = (p: { total: number; page: number; pageSize: number }, path: string) => {
      const pg = paging(path, pageParams, p.page, p.total, p.pageSize);
      return { paging: pg, shown: { from: count(pg.from, locale), until: count(pg.until, locale), total: count(pg.total, locale), n: pg.total } };
    };

    if (kind === "clienten") {
      if (asCsv) {
        return sendCsv(
          res,
          `aanwezigheid-clienten-${input.from}-${input.until}.csv`,
          ["client_id", "last_name", "first_name", "month", "scheduled", "attended", "attendedUnscheduled", "afgemeld", "ziek", "niet_verschenen", "unrecorded", "share"].map((c) => t(`attendance.csv.${c}`)),
          clientOverviewSlices(deps.db, scope, input, now),
          (r) => [r.client_id, r.last_name, r.first_name, r.month, r.scheduled, r.attended, r.attendedUnscheduled, r.afgemeld, r.ziek, r.niet_verschenen, r.unrecorded, share(r.shareAttended)],
        );
      }
      const result = await clientOverviewPage(deps.db, scope, input, now, requestedPage(req));
      // Fifty clients' year is 650 rows of 13 months: each month's name once.
      const months = new Map<string, string>();
      const labelOf = (month: string) => months.get(month) ?? months.set(month, monthLabel(month, locale)).get(month)!;
      return res.render(view, {
        title,
        values,
        errors: {},
        csvQuery,
        countedUntil: result.countedUntil,
        cappedAtToday: result.countedUntil < input.until,
        ...(await locationFilter(values)),
        ...shown(result, "/aanwezigheid/overzicht/clienten"),
        rows: result.groups.flatMap((g): object[] =>
          g.rows.length === 0 ? [{ name: g.name, nothing: true }] : g.rows.map((r) => ({ ...r, monthLabel: labelOf(r.month) })),
        ),
      });
    }

    if (asCsv) {
      return sendCsv(
        res,
        `aanwezigheid-locaties-${input.from}-${input.until}.csv`,
        ["location_id", "location", "provider", "week", "week_start", "scheduled", "attended", "attendedUnscheduled", "afgemeld", "ziek", "niet_verschenen", "unrecorded", "share"].map((c) => t(`attendance.csv.${c}`)),
        locationOverviewSlices(deps.db, scope, input, now),
        (r) => [r.location_id, r.location_name, r.provider_name, r.week, r.week_start, r.scheduled, r.attended, r.attendedUnscheduled, r.afgemeld, r.ziek, r.niet_verschenen, r.unrecorded, share(r.shareAttended)],
      );
    }
    const result = await locationOverviewPage(deps.db, scope, input, now, requestedPage(req));
    res.render(view, {
      title,
      values,
      errors: {},
      csvQuery,
      countedUntil: result.countedUntil,
      cappedAtToday: result.countedUntil < input.until,
      ...(await locationFilter(values)),
      ...shown(result, "/aanwezigheid/overzicht/locaties"),
      rows: result.groups.flatMap((g): object[] =>
        g.rows.length === 0 ? [{ location_name: g.location_name, provider_name: g.provider_name, nothing: true }] : g.rows,
      ),
    });
  }

  router.get("/clienten", (req, res) => page(req, res, "clienten"));
  router.get("/locaties", (req, res) => page(req, res, "locaties"));
  return router;
}
