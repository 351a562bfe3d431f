import { Router, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import type { Clock } from "../domain/clock";
import { parseForm, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { findValidReset, useResetLink } from "../users/password-reset";

export const newPasswordSchema = z
  .object({
    new_password: z.string({ error: "errors.required" }).min(10, "errors.passwordTooShort").max(200, "errors.tooLong"),
    new_password_confirm: z.string({ error: "errors.required" }),
  })
  .refine((f) => f.new_password === f.new_password_confirm, { path: ["new_password_confirm"], message: "account.errors.passwordsDiffer" });

/**
 * The page behind an admin's reset link: choose a new password, once, before the link expires.
 * Public (the user cannot log in); the token in the path is the key, and it is kept out of the
 * request log (src/web/request-log.ts) and out of Referer headers (helmet's no-referrer).
 */
export function passwordResetRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  function renderForm(res: Response, status: number, token: string, name: string, errors: FieldErrors = {}) {
    res.status(status).set("Cache-Control", "no-store").render("auth/reset", { title: "passwordReset.title", token, name, errors });
  }

  function renderInvalid(res: Response) {
    // Used, expired or never made: the page does not say which.
    res.status(404).render("auth/reset-invalid", { title: "passwordReset.invalidTitle" });
  }

  router.get("/wachtwoord-herstel/:token", async (req, res) => {
    const reset = await findValidReset(deps.db, deps.clock, req.params.token);
    if (!reset) return renderInvalid(res);
    renderForm(res, 200, req.params.token, reset.user.name);
  });

  router.post("/wachtwoord-herstel/:token", async (req, res) => {
    const reset = await findValidReset(deps.db, deps.clock, req.params.token);
    if (!reset) return renderInvalid(res);
    const form = parseForm(newPasswordSchema, req.body);
    if (!form.ok) return renderForm(res, 422, req.params.token, reset.user.name, form.errors);
    if (!(await useResetLink(deps.db, deps.clock, req.params.token, form.value.new_password))) return renderInvalid(res);
    flash(req, "success", "passwordReset.done");
    res.redirect(303, "/login");
  });

  return router;
}
