import fs from "node:fs";
import path from "node:path";
import i18next, { type i18n, type TFunction } from "i18next";

export const LOCALES = ["nl", "en"] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = "nl";
export const LOCALES_DIR = path.resolve(__dirname, "locales");

export function isLocale(value: unknown): value is AppLocale {
  return value === "nl" || value === "en";
}

type Messages = { [key: string]: string | Messages };

function mergeInto(target: Messages, source: Messages, where: string): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof value === "object" && (existing === undefined || typeof existing === "object")) {
      target[key] = existing ?? {};
      mergeInto(target[key] as Messages, value, `${where}.${key}`);
    } else if (existing !== undefined) {
      throw new Error(`locale key "${where}.${key}" is defined twice`);
    } else {
      target[key] = value;
    }
  }
}

/**
 * All interface text of one language: every JSON file in locales/<lang>/, deep-merged. Each
 * feature keeps its own file (locales/nl/planning.json, …); a file may add leaves to a shared
 * group such as auditEntities, but never define the same key twice.
 */
export function loadMessages(locale: AppLocale): Messages {
  const dir = path.join(LOCALES_DIR, locale);
  const merged: Messages = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    mergeInto(merged, JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Messages, `${locale}/${file}`);
  }
  return merged;
}

// One i18next instance for the process.
let instance: i18n | null = null;

export function getI18n(): i18n {
  if (instance) return instance;
  const created = i18next.createInstance();
  created.init({
    resources: { nl: { translation: loadMessages("nl") }, en: { translation: loadMessages("en") } },
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    initAsync: false,
    interpolation: { escapeValue: false }, // handlebars escapes
    returnNull: false,
  });
  instance = created;
  return created;
}

// One fixed-language function per language: getFixedT builds a new one on every call.
const translators = new Map<AppLocale, TFunction>();

export function translator(locale: AppLocale): TFunction {
  let t = translators.get(locale);
  if (!t) {
    t = getI18n().getFixedT(locale);
    translators.set(locale, t);
  }
  return t;
}
