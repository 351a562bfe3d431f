import type { Frequency } from "../domain/allocation";
import type { FullRun, Run } from "../domain/pattern-checks";
import { toDateTime } from "../domain/dates";
import { ValidationError } from "../domain/errors";
import type { Occurrence } from "../domain/schedule";
import { formatDate } from "../web/format";
import { translator, type AppLocale } from "../web/i18n";

// What a booking was refused for, kept as data so the page can name the dagdelen and dates in
// the reader's language; the ValidationError's params carry the Dutch text for logs and callers
// that do not render.

export type Violation =
  | { rule: "full"; items: FullRun[] }
  | { rule: "notOpen"; items: Run[] }
  | { rule: "double"; items: (Occurrence & { location_name: string })[] }
  | { rule: "volume"; frequency: Frequency; volume: number; windows: { from: string; until: string | null; used: number }[] }
  | { rule: "allocationPeriod"; from: string; until: string | null }
  | { rule: "allocationClient" }
  | { rule: "allocationProvider"; provider_name: string }
  | { rule: "allocationProduct" }
  | { rule: "noContract"; from: string; until: string; product_name: string | null; purchaser_name: string | null; cause: CoverGapCause }
  | { rule: "contractProvider" }
  | { rule: "contractInactive" }
  | { rule: "productRequired" }
  | { rule: "locationInactive" }
  | { rule: "clientEnded"; ended_on: string }
  | { rule: "clientEnds"; ended_on: string };

export type Rule = Violation["rule"];

/**
 * What to change when a contract does not cover a booking: its end ("end": covered at the
 * start, the schedule runs past the cover), its start ("start": the cover begins later), or
 * the funding itself ("funding": nothing covers it).
 */
export type CoverGapCause = "end" | "start" | "funding";

export function coverGapCause(gap: { from: string; until: string }, from: string, spans: { from: string; until: string }[]): CoverGapCause {
  if (gap.from > from) return "end";
  return spans.some((s) => s.from > gap.until) ? "start" : "funding";
}

const FIELD_OF_CAUSE: Record<CoverGapCause, string | null> = { end: "valid_until", start: "valid_from", funding: null };

/** The form field each refusal belongs next to. */
export const FIELD_OF: Record<Rule, string> = {
  full: "slots",
  notOpen: "slots",
  double: "slots",
  volume: "allocation_id",
  allocationPeriod: "valid_from",
  allocationClient: "allocation_id",
  allocationProvider: "allocation_id",
  allocationProduct: "allocation_id",
  noContract: "contract_id",
  contractProvider: "contract_id",
  contractInactive: "contract_id",
  productRequired: "product_id",
  locationInactive: "location_id",
  clientEnded: "valid_from",
  clientEnds: "valid_until",
};

export type Message = { field: string; key: string; params: Record<string, string | number> };

const MAX_LISTED = 6;

/** Labels joined for a message, the first few and "en nog N". */
export function runsList(labels: string[], locale: AppLocale): string {
  return list(labels, locale);
}

function list(labels: string[], locale: AppLocale): string {
  const shown = labels.slice(0, MAX_LISTED).join(", ");
  const more = labels.length - MAX_LISTED;
  return more > 0 ? `${shown} ${translator(locale)("planning.errors.andMore", { count: more })}` : shown;
}

/** "di 24-11-2026 ochtend" / "Tue 24 Nov 2026 morning": with the year, as the rules look years ahead. */
export function dagdeelLabel(o: Occurrence, locale: AppLocale): string {
  const day = toDateTime(o.date).setLocale(locale === "nl" ? "nl-NL" : "en-GB").toFormat(locale === "nl" ? "ccc d-M-yyyy" : "ccc d MMM yyyy");
  return `${day} ${translator(locale)(`dagdeel.${o.dagdeel}`)}`;
}

/**
 * A run of dagdelen in words: "wo 25-11-2026 ochtend" for one, "wo 25-11-2026 ochtend, elke week
 * tot en met 30-12-2026" for a bounded run, "…, daarna om de week" for one that goes on.
 */
export function runLabel(run: Run, locale: AppLocale): string {
  const first = dagdeelLabel({ date: run.from, dagdeel: run.dagdeel }, locale);
  if (run.count === 1 && run.until !== null) return first;
  const rhythm = run.step === 1 ? "Weekly" : "Fortnightly";
  const t = translator(locale);
  return run.until === null ? t(`planning.errors.run${rhythm}Open`, { first }) : t(`planning.errors.run${rhythm}`, { first, last: formatDate(run.last, locale) });
}

/** A full run with how full it is: "… (vol: 2 van 2)". */
export function fullRunLabel(run: FullRun, locale: AppLocale): string {
  return `${runLabel(run, locale)} (${translator(locale)("planning.errors.fullOf", { booked: run.booked, places: run.places })})`;
}

function windowLabel(frequency: Frequency, w: { from: string }, locale: AppLocale): string {
  const d = toDateTime(w.from).setLocale(locale === "nl" ? "nl-NL" : "en-GB");
  if (frequency === "maand") return d.toFormat("LLLL yyyy");
  return translator(locale)("planning.errors.weekLabel", { week: d.weekNumber, year: d.weekYear });
}

/** The message key and its parameters, in the reader's language. */
export function messageFor(v: Violation, locale: AppLocale): Message {
  // A gap at the schedule's end or start belongs next to that date; no cover at all behind an
  // allocation is the allocation's matter, a chosen contract's the contract's.
  const field =
    v.rule === "noContract" ? (FIELD_OF_CAUSE[v.cause] ?? (v.purchaser_name !== null ? "allocation_id" : FIELD_OF.noContract)) : FIELD_OF[v.rule];
  const t = translator(locale);
  const date = (iso: string) => formatDate(iso, locale);
  switch (v.rule) {
    case "full":
      return {
        field,
        key: "planning.errors.full",
        params: { list: list(v.items.map((i) => fullRunLabel(i, locale)), locale) },
      };
    case "notOpen":
      return { field, key: "planning.errors.notOpen", params: { list: list(v.items.map((i) => runLabel(i, locale)), locale) } };
    case "double":
      return { field, key: "planning.errors.double", params: { list: list(v.items.map((i) => `${dagdeelLabel(i, locale)} (${i.location_name})`), locale) } };
    case "volume": {
      const key = v.frequency === "week" ? "planning.errors.volumeWeek" : v.frequency === "maand" ? "planning.errors.volumeMonth" : "planning.errors.volumeTotal";
      const labels = v.windows.map((w) => `${windowLabel(v.frequency, w, locale)}: ${w.used}`);
      return { field, key, params: { count: v.volume, list: list(labels, locale), planned: v.windows[0]?.used ?? 0 } };
    }
    case "allocationPeriod":
      return v.until === null
        ? { field, key: "planning.errors.allocationPeriodOpen", params: { from: date(v.from) } }
        : { field, key: "planning.errors.allocationPeriod", params: { from: date(v.from), until: date(v.until) } };
    case "allocationProvider":
      return { field, key: "planning.errors.allocationProvider", params: { provider: v.provider_name } };
    case "noContract":
      if (v.product_name === null) return { field, key: "planning.errors.contractPeriod", params: { from: date(v.from), until: date(v.until) } };
      return v.purchaser_name === null
        ? { field, key: "planning.errors.contractDoesNotCover", params: { product: v.product_name, from: date(v.from), until: date(v.until) } }
        : { field, key: "planning.errors.noContract", params: { purchaser: v.purchaser_name, product: v.product_name, from: date(v.from), until: date(v.until) } };
    case "allocationClient":
      return { field, key: "planning.errors.allocationClient", params: {} };
    case "allocationProduct":
      return { field, key: "planning.errors.allocationProduct", params: {} };
    case "contractProvider":
      return { field, key: "planning.errors.contractProvider", params: {} };
    case "contractInactive":
      return { field, key: "planning.errors.contractInactive", params: {} };
    case "productRequired":
      return { field, key: "planning.errors.productRequired", params: {} };
    case "locationInactive":
      return { field, key: "planning.errors.locationInactive", params: {} };
    case "clientEnded":
      return { field, key: "planning.errors.clientEnded", params: { date: date(v.ended_on) } };
    case "clientEnds":
      return { field, key: "planning.errors.clientEnds", params: { date: date(v.ended_on) } };
  }
}

/**
 * A booking the rules refused. `fields` names each broken rule (rule → message key) and
 * `params` its Dutch parameters, prefixed with the rule ("full.list"), so even a caller that
 * only reads the ValidationError learns which dagdelen and dates were full.
 */
export class BookingRefused extends ValidationError {
  constructor(readonly violations: Violation[]) {
    const fields: Record<string, string> = {};
    const params: Record<string, string | number> = {};
    for (const v of violations) {
      const m = messageFor(v, "nl");
      fields[v.rule] = m.key;
      for (const [k, value] of Object.entries(m.params)) params[`${v.rule}.${k}`] = value;
    }
    super(fields, params);
  }

  /** Only capacity stood in the way: a coordinator may overbook with a written reason. */
  get onlyCapacity(): boolean {
    return this.violations.every((v) => v.rule === "full");
  }

  get hasCapacity(): boolean {
    return this.violations.some((v) => v.rule === "full");
  }
}

/** Messages for a page: a refusal's violations, or a plain ValidationError's fields. */
export function messagesOf(err: ValidationError, locale: AppLocale): Message[] {
  if (err instanceof BookingRefused) return err.violations.map((v) => messageFor(v, locale));
  return Object.entries(err.fields).map(([field, key]) => ({ field, key, params: err.params }));
}
