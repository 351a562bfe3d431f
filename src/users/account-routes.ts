import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { newPasswordSchema } from "../auth/reset-routes";
import { totpRequired } from "../auth/service";
import { mayUseTotp, newTotpSecret, totpQrDataUrl } from "../auth/totp";
import type { Clock } from "../domain/clock";
import { ForbiddenError, NotFoundError } from "../domain/errors";
import { onInvalid } from "../web/errors";
import { parseForm, validValue, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { changeOwnPassword, disableTotp, enableTotp } from "./account-service";
import { findUser } from "./repository";

const passwordSchema = z
  .object({ current_password: z.string({ error: "errors.required" }).min(1, "errors.required").max(200, "errors.tooLong") })
  .and(newPasswordSchema);
const codeSchema = z.object({ code: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(20, "account.errors.codeWrong") });
const disableSchema = z.object({ password: z.string({ error: "errors.required" }).min(1, "errors.required").max(200, "errors.tooLong") });

/** /account: every user's own account — the password, and two-factor login where the role has it. */
export function accountRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  async function me(req: Request) {
    const { actor } = actorOf(req);
    const user = await findUser(db, actor.userId);
    if (!user) throw new NotFoundError("user");
    return { actor, user };
  }

  router.get("/", async (req, res) => {
    const { actor, user } = await me(req);
    res.render("account/index", {
      title: "account.title",
      user: { name: user.name, email: user.email, role: user.role, totpEnabledAt: user.totp_enabled_at, passwordChangedAt: user.password_changed_at },
      mayUseTotp: mayUseTotp(actor.role),
    });
  });

  function renderPassword(res: Response, status: number, errors: FieldErrors = {}) {
    res.status(status).render("account/password", { title: "account.passwordTitle", errors });
  }

  router.get("/wachtwoord", (_req, res) => renderPassword(res, 200));

  router.post("/wachtwoord", async (req, res, next) => {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderPassword(res, 422, err.fields));
    const input = validValue(parseForm(passwordSchema, req.body));
    const generation = await changeOwnPassword(db, clock, actor, input.current_password, input.new_password);
    // Every other session of this user has ended; this browser gets a fresh one.
    const { locale } = req.session;
    req.session.regenerate((err) => {
      if (err) return next(err);
      Object.assign(req.session, { userId: actor.userId, generation, locale });
      flash(req, "success", "account.passwordChanged");
      req.session.save((err2) => (err2 ? next(err2) : res.redirect(303, "/account")));
    });
  });

  // Two-factor login: coordinators (who see full BSNs) and admins.
  router.use("/tweestaps", (req, _res, next) => next(mayUseTotp(actorOf(req).actor.role) ? undefined : new ForbiddenError("totp")));

  async function renderTotp(req: Request, res: Response, status: number, errors: FieldErrors = {}) {
    const { user } = await me(req);
    const required = await totpRequired(db, user);
    if (user.totp_secret) {
      return res.status(status).render("account/totp", { title: "account.totpTitle", enabled: true, enabledAt: user.totp_enabled_at, required, errors });
    }
    // A secret to set up stays in the session (not the database) until a code confirms it.
    req.session.totpSetup ??= newTotpSecret();
    const secret = req.session.totpSetup;
    res.status(status).set("Cache-Control", "no-store").render("account/totp", {
      title: "account.totpTitle",
      enabled: false,
      required,
      mustEnrol: req.mustEnrolTotp,
      qr: await totpQrDataUrl(secret, user.email),
      secret: secret.replace(/(.{4})/g, "$1 ").trim(),
      errors,
    });
  }

  router.get("/tweestaps", (req, res) => renderTotp(req, res, 200));

  router.post("/tweestaps", async (req, res) => {
    const { actor } = actorOf(req);
    const secret = req.session.totpSetup;
    if (!secret) return res.redirect(303, "/account/tweestaps");
    onInvalid(res, (err) => renderTotp(req, res, 422, err.fields));
    await enableTotp(db, clock, actor, secret, validValue(parseForm(codeSchema, req.body)).code);
    delete req.session.totpSetup;
    flash(req, "success", "account.totpEnabled");
    res.redirect(303, "/account");
  });

  router.post("/tweestaps/uit", async (req, res) => {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderTotp(req, res, 422, err.fields));
    await disableTotp(db, clock, actor, validValue(parseForm(disableSchema, req.body)).password);
    flash(req, "success", "account.totpDisabled");
    res.redirect(303, "/account");
  });

  return router;
}
