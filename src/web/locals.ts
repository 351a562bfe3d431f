import type { NextFunction, Request, Response } from "express";
import { DEFAULT_LOCALE, isLocale } from "./i18n";
import { navigationFor } from "./navigation";

/** Chooses the interface language: the session's choice, else ?lang=, else Dutch. */
export function chooseLocale(req: Request, res: Response, next: NextFunction): void {
  const asked = req.query?.lang;
  if (isLocale(asked) && req.session) req.session.locale = asked;
  const locale = req.session?.locale;
  res.locals.locale = isLocale(locale) ? locale : DEFAULT_LOCALE;
  res.locals.otherLocale = res.locals.locale === "nl" ? "en" : "nl";
  next();
}

/** What the layout needs on every page: navigation, the current path, a flash message. */
export function layoutLocals(req: Request, res: Response, next: NextFunction): void {
  res.locals.currentPath = req.originalUrl;
  if (req.actor) res.locals.navigation = navigationFor(req.actor.role, req.path);
  if (req.session?.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
}

/** Params stay numbers where they are counts: i18next picks "_one" or "_other" only for a number. */
export function flash(req: Request, kind: "success" | "error", key: string, params?: Record<string, string | number>): void {
  req.session.flash = { kind, key, params };
}
