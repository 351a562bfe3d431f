import { Router, type NextFunction, type Request, type Response } from "express";
import { rateLimit } from "express-rate-limit";
import type { Knex } from "knex";
import { z } from "zod";
import type { Clock } from "../domain/clock";
import { parseForm } from "../web/forms";
import { isLocale } from "../web/i18n";
import { checkCredentials, currentUser, recordSuccessfulLogin, verifySecondFactor } from "./service";
import type { UserRow } from "./types";
import { recordAudit } from "../audit/repository";

const loginSchema = z.object({
  email: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(200, "errors.tooLong"),
  password: z.string({ error: "errors.required" }).min(1, "errors.required").max(200, "errors.tooLong"),
  next: z.string().optional(),
});

const codeSchema = z.object({
  code: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(20, "auth.invalidCode"),
});

/** Wrong codes allowed for one password before the password must be typed again. */
const CODE_ATTEMPTS = 5;

/**
 * Logs the user in: a new session id (a session id planted before login is worth nothing),
 * carrying the user's session generation so a later password change or reset ends it.
 */
function startSession(req: Request, res: Response, next: NextFunction, user: UserRow, target: string, newCsrfToken: (req: Request) => unknown): void {
  const locale = req.session.locale;
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.userId = user.id;
    req.session.generation = user.session_generation;
    req.session.locale = isLocale(user.locale) ? user.locale : locale;
    // The new session's CSRF token now, in this one write, not as a second write on the next page.
    newCsrfToken(req);
    req.session.save((err2) => (err2 ? next(err2) : res.redirect(303, target)));
  });
}

/** At most `limit` failed attempts per IP address in 15 minutes; successes do not count. */
function failureLimiter(limit: number, handler: (req: Request, res: Response) => void) {
  return rateLimit({ windowMs: 15 * 60 * 1000, limit, skipSuccessfulRequests: true, standardHeaders: "draft-8", legacyHeaders: false, handler });
}

/** Only same-site paths are followed after login, never another host. */
function safeNext(next: string | undefined): string {
  if (next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")) return next;
  return "/";
}

export function authRoutes(deps: { db: Knex; clock: Clock; loginRateLimit: number; newCsrfToken: (req: Request) => unknown }): Router {
  const router = Router();

  // Wrong passwords and wrong codes per IP address, each with its own budget.
  const loginLimiter = failureLimiter(deps.loginRateLimit, (req, res) => {
    res.status(429).render("auth/login", {
      title: "auth.loginTitle",
      values: { email: typeof req.body?.email === "string" ? req.body.email : "" },
      formError: "auth.tooManyAttempts",
    });
  });
  const codeLimiter = failureLimiter(deps.loginRateLimit, (_req, res) => {
    res.status(429).render("auth/code", { title: "auth.codeTitle", formError: "auth.tooManyAttempts" });
  });

  router.get("/login", (req, res) => {
    if (req.actor) return res.redirect(303, "/");
    res.render("auth/login", { title: "auth.loginTitle", values: { next: req.query.next ?? "" } });
  });

  router.post("/login", loginLimiter, async (req, res, next) => {
    try {
      const form = parseForm(loginSchema, req.body);
      if (!form.ok) {
        return res.status(422).render("auth/login", {
          title: "auth.loginTitle",
          values: { email: req.body?.email ?? "", next: req.body?.next ?? "" },
          errors: form.errors,
        });
      }
      const user = await checkCredentials(deps.db, form.value.email, form.value.password);
      if (!user) {
        return res.status(401).render("auth/login", {
          title: "auth.loginTitle",
          values: { email: form.value.email, next: form.value.next ?? "" },
          formError: "auth.invalidCredentials",
        });
      }
      const target = safeNext(form.value.next);
      if (user.totp_secret) {
        // The password was right; the session stays anonymous until the code is right too.
        req.session.pendingLogin = { userId: user.id, generation: user.session_generation, attempts: 0, next: target };
        return req.session.save((err) => (err ? next(err) : res.redirect(303, "/login/code")));
      }
      await recordSuccessfulLogin(deps.db, deps.clock, user, false);
      startSession(req, res, next, user, target, deps.newCsrfToken);
    } catch (err) {
      next(err);
    }
  });

  router.get("/login/code", (req, res) => {
    if (!req.session.pendingLogin) return res.redirect(303, "/login");
    res.render("auth/code", { title: "auth.codeTitle" });
  });

  router.post("/login/code", codeLimiter, async (req, res, next) => {
    try {
      const pending = req.session.pendingLogin;
      if (!pending) return res.redirect(303, "/login");
      const form = parseForm(codeSchema, req.body);
      if (!form.ok) return res.status(422).render("auth/code", { title: "auth.codeTitle", errors: form.errors });
      const ok = await verifySecondFactor(deps.db, pending.userId, form.value.code);
      const user = ok ? await currentUser(deps.db, pending.userId) : null;
      if (!user || user.session_generation !== pending.generation) {
        pending.attempts += 1;
        if (pending.attempts >= CODE_ATTEMPTS) {
          // Start again from the password, which has its own rate limit.
          delete req.session.pendingLogin;
          return res.status(401).render("auth/login", { title: "auth.loginTitle", values: {}, formError: "auth.codeAttemptsUsed" });
        }
        return res.status(401).render("auth/code", { title: "auth.codeTitle", errors: { code: "auth.invalidCode" } });
      }
      delete req.session.pendingLogin;
      await recordSuccessfulLogin(deps.db, deps.clock, user, true);
      startSession(req, res, next, user, pending.next, deps.newCsrfToken);
    } catch (err) {
      next(err);
    }
  });

  router.post("/logout", async (req, res, next) => {
    try {
      if (req.actor) {
        await recordAudit(deps.db, deps.clock, {
          userId: req.actor.userId,
          action: "logout",
          entity: "user",
          entityId: req.actor.userId,
        });
      }
      const locale = req.session.locale;
      req.session.destroy((err) => {
        if (err) return next(err);
        res.clearCookie("dagdeel.sid");
        res.redirect(303, locale === "en" ? "/login?lang=en" : "/login");
      });
    } catch (err) {
      next(err);
    }
  });

  // The language switch: a small form in the header of every page.
  router.post("/taal", async (req, res, next) => {
    try {
      const locale = req.body?.locale;
      if (isLocale(locale)) {
        req.session.locale = locale;
        if (req.actor) await deps.db("users").where({ id: req.actor.userId }).update({ locale });
      }
      res.redirect(303, safeNext(typeof req.body?.back === "string" ? req.body.back : "/"));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
