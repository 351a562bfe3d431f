import path from "node:path";
import type { Express } from "express";
import { create } from "express-handlebars";
import type { HelperOptions } from "handlebars";
import { isIsoDate } from "../domain/dates";
import { isLocale, translator, DEFAULT_LOCALE } from "./i18n";
import { formatDate, formatDateTime, formatMonth, formatLongDate, formatMoney, formatWeek, maskBsn, warmFormats } from "./format";
import { rhythmText } from "./rhythm";
import { nextTurn } from "./turns";

export const VIEWS_DIR = path.resolve(__dirname, "../../views");

function localeOf(options: HelperOptions): "nl" | "en" {
  const locale = options?.data?.root?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

// A text without parameters never changes while the process runs: a board or a list calls
// {{t}} for the same few keys in every row, and i18next takes microseconds per call.
const plainTexts = new Map<string, string>();

function plainText(locale: "nl" | "en", key: string): string {
  const cacheKey = `${locale}\u0000${key}`;
  let text = plainTexts.get(cacheKey);
  if (text === undefined) {
    text = translator(locale)(key);
    plainTexts.set(cacheKey, text);
  }
  return text;
}

// Helpers read the request's locale from the render context (@root.locale), which every
// render gets from res.locals, so no template hard-codes a language.
const helpers = {
  /** {{t "key"}}, {{t "key" name=value}}, or {{t "key" paramsObject}} (e.g. a flash's params). */
  t(key: string, ...rest: unknown[]) {
    const options = rest.pop() as HelperOptions;
    const params = rest[0] && typeof rest[0] === "object" ? (rest[0] as Record<string, unknown>) : null;
    const hash = options.hash ?? {};
    if (params === null && Object.keys(hash).length === 0) return plainText(localeOf(options), key);
    return translator(localeOf(options))(key, { ...params, ...hash });
  },
  date(value: string | null | undefined, options: HelperOptions) {
    return formatDate(value, localeOf(options));
  },
  longDate(value: string, options: HelperOptions) {
    return formatLongDate(value, localeOf(options));
  },
  week(value: string, options: HelperOptions) {
    return formatWeek(value, localeOf(options));
  },
  datetime(value: string | null | undefined, options: HelperOptions) {
    return formatDateTime(value, localeOf(options));
  },
  /** "2026-10" → "oktober 2026" / "October 2026". */
  monthName(value: string, options: HelperOptions) {
    return formatMonth(value, localeOf(options));
  },
  money(cents: number | null | undefined, options: HelperOptions) {
    return formatMoney(cents, localeOf(options));
  },
  /** A schedule's week rhythm: "elke week" or "om de week, te beginnen in week 49". */
  rhythm(validFrom: string, parity: string, options: HelperOptions) {
    return rhythmText(validFrom, parity, localeOf(options));
  },
  maskBsn(bsn: string | null | undefined) {
    return maskBsn(bsn);
  },
  eq(a: unknown, b: unknown) {
    return String(a) === String(b);
  },
  or(...args: unknown[]) {
    return args.slice(0, -1).some(Boolean);
  },
  and(...args: unknown[]) {
    return args.slice(0, -1).every(Boolean);
  },
  /** An empty errors object is truthy in Handlebars; this is not. */
  hasKeys(value: unknown) {
    return Boolean(value && typeof value === "object" && Object.keys(value).length > 0);
  },
  not(value: unknown) {
    return !value;
  },
  concat(...args: unknown[]) {
    return args.slice(0, -1).join("");
  },
  json(value: unknown) {
    return JSON.stringify(value);
  },
  /**
   * The type of a field's input. A date typed wrongly ("31-02-2026") comes back in a text input,
   * so the page keeps what the user typed: a date input can only hold a real yyyy-MM-dd date.
   */
  inputType(type: unknown, value: unknown) {
    const t = typeof type === "string" && type !== "" ? type : "text";
    return t === "date" && typeof value === "string" && value !== "" && !isIsoDate(value) ? "text" : t;
  },
  /** A phone number as link text: non-breaking hyphens keep "06-12345678" on one line. */
  phoneText(value: string | null | undefined) {
    return (value ?? "").replace(/-/g, "\u2011");
  },
};

// One engine per process: its compiled templates serve every app the process makes.
const handlebars = create({
  extname: ".hbs",
  defaultLayout: "main",
  layoutsDir: path.join(VIEWS_DIR, "layouts"),
  partialsDir: path.join(VIEWS_DIR, "partials"),
  helpers,
});

export function setUpViews(app: Express): void {
  app.engine("hbs", handlebars.engine);
  app.set("view engine", "hbs");
  app.set("views", VIEWS_DIR);
}

let warming: Promise<void> | null = null;

/**
 * Compiles every template (views, layouts, partials) once, into the cache the pages render from
 * (where the app keeps compiled templates: outside development), and loads the texts of the
 * default language. The start awaits it before it listens (src/server.ts): Handlebars compiles
 * a template at its first use, and the first request of each page after a start compiled its
 * templates and the layout in one piece, holding the event loop for up to 80 ms (issue 11). A
 * turn between two templates, should requests come in meanwhile. Once per process.
 */
export function warmTemplates(): Promise<void> {
  warming ??= (async () => {
    // ICU's data for dates and sorting, which the first page would otherwise load (src/web/format.ts).
    warmFormats();
    const templates = await handlebars.getTemplates(VIEWS_DIR, { cache: true });
    for (const template of Object.values(templates)) {
      await nextTurn();
      try {
        // The first call compiles; what it renders from an empty context does not matter.
        template({}, { helpers, partials: {}, data: {} });
      } catch {
        // A template that needs its data or partials fails after it was compiled: enough.
      }
    }
  })().catch(() => undefined);
  return warming;
}
