import type { Request, Response } from "express";
import type { Knex } from "knex";
import { DateTime } from "luxon";
import { actorOf } from "../auth/middleware";
import { allProducts } from "../contracts/repository";
import type { Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { parseId } from "../web/fields";
import { declarationNumber } from "./exports";
import type { Finding } from "../domain/declaration-check";
import { meaningOf, prestatieRefusalCodes } from "../iwmo/retourcodes";
import { formatDate, formatMoney } from "../web/format";
import { declarationPage } from "./pages";

// Rendering one declaration, shared by every route that shows it (and re-shows it with a
// refused form's message, 422).

export type Deps = { db: Knex; clock: Clock };

export const monthLabel = (res: Response) => (month: string) =>
  DateTime.fromISO(`${month}-01`).setLocale(res.locals.locale === "en" ? "en-GB" : "nl-NL").toFormat("LLLL yyyy");

export function declarationIdOf(req: Request): number {
  const id = parseId(req.params.id);
  if (!id) throw new NotFoundError("declaration");
  return id;
}

/** The WJ001 codes a purchaser picks from when it refuses a prestatie. */
export function refusalOptions() {
  return prestatieRefusalCodes().map((r) => ({ value: r.code, text: `${r.code} — ${r.meaning}` }));
}

const DATES = new Set(["from", "until", "start", "end"]);
const MONTHS = new Set(["last", "period"]);
const MONEY = new Set(["declared", "contract"]);

/** A finding in the page's words: dates, months and amounts formatted, the code's meaning. */
function presentFinding(f: Finding, res: Response) {
  const locale = res.locals.locale === "en" ? "en" : "nl";
  const label = monthLabel(res);
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f.params)) {
    // i18next picks the plural by a numeric count.
    if (k === "count") {
      params[k] = Number(v);
      continue;
    }
    const s = String(v);
    params[k] = DATES.has(k) ? formatDate(s, locale) : MONTHS.has(k) ? label(s) : MONEY.has(k) ? formatMoney(Number(v), locale) : k === "missing" ? s.split(", ").map(label).join(", ") : s;
  }
  const problemKey = `declaration.check.problems.${f.problem}`;
  const fixKey = `declaration.check.fixes.${f.fix}`;
  return { ...f, params, problemKey, fixKey, meaning: f.code === "start" ? null : meaningOf(f.code), refuse: f.severity === "refuse" };
}

export async function renderShow(deps: Deps, req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
  const { actor, scope } = actorOf(req);
  const page = await declarationPage(deps.db, deps.clock, actor, scope, declarationIdOf(req));
  const d = page.declaration;
  const products = new Map((await allProducts(deps.db)).map((p) => [p.id, p.name]));
  const label = monthLabel(res);
  res.status(status).render("declarations/show", {
    title: "declaration.title",
    heading: declarationNumber(d.id),
    ...page,
    number: declarationNumber(d.id),
    monthLabel: label(d.month),
    periodLabel: label(page.period),
    periodMoved: page.period !== d.month,
    unpriced: page.unpriced.map((u) => ({ ...u, product: products.get(u.product_id) ?? "" })),
    chain: page.chain.map((c) => ({ ...c, number: declarationNumber(c.id), current: c.id === d.id, periodLabel: c.period ? label(c.period) : null })),
    showChain: page.chain.length > 1,
    isWmo: d.purchaser_subkind === "gemeente",
    isCorrection: d.corrects_declaration_id !== null,
    answered: d.status === "geaccepteerd" || d.status === "afgewezen",
    isProvider: actor.role === "provider",
    refusalOptions: page.canDecide ? refusalOptions() : [],
    findings: page.findings?.map((f) => presentFinding(f, res)) ?? null,
    showCheck: page.findings !== null && d.purchaser_subkind === "gemeente",
    refusals: page.findings?.filter((f) => f.severity === "refuse").length ?? 0,
    errors: null,
    values: {},
    ...extra,
  });
}
