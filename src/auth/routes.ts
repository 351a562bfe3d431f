import { Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { Knex } from "knex";
import { z } from "zod";
import type { Clock } from "../domain/clock";
import { parseForm } from "../web/forms";
import { isLocale } from "../web/i18n";
import { logIn } from "./service";
import { recordAudit } from "../audit/repository";

const loginSchema = z.object({
  email: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(200, "errors.tooLong"),
  password: z.string({ error: "errors.required" }).min(1, "errors.required").max(200, "errors.tooLong"),
  next: z.string().optional(),
});

/** Only same-site paths are followed after login, never another host. */
function safeNext(next: string | undefined): string {
  if (next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")) return next;
  return "/";
}

export function authRoutes(deps: { db: Knex; clock: Clock; loginRateLimit: number }): Router {
  const router = Router();

  const loginLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: deps.loginRateLimit,
    skipSuccessfulRequests: true,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (req, res) => {
      res.status(429).render("auth/login", {
        title: "auth.loginTitle",
        values: { email: typeof req.body?.email === "string" ? req.body.email : "" },
        formError: "auth.tooManyAttempts",
      });
    },
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
      const user = await logIn(deps.db, deps.clock, form.value.email, form.value.password);
      if (!user) {
        return res.status(401).render("auth/login", {
          title: "auth.loginTitle",
          values: { email: form.value.email, next: form.value.next ?? "" },
          formError: "auth.invalidCredentials",
        });
      }
      // A new session id on login, so a session id planted before login is worth nothing.
      const locale = req.session.locale;
      req.session.regenerate((err) => {
        if (err) return next(err);
        req.session.userId = user.id;
        req.session.locale = isLocale(user.locale) ? user.locale : locale;
        req.session.save((err2) => (err2 ? next(err2) : res.redirect(303, safeNext(form.value.next))));
      });
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
