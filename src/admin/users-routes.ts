import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { ROLES } from "../auth/types";
import type { Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { listOrganisations } from "../organisations/repository";
import { checkbox, choice, email, optionalId, optionalText, parseId, requiredText } from "../web/fields";
import { keptInput, parseForm, validValue, type FieldErrors } from "../web/forms";
import { onInvalid, onInvalidBackTo } from "../web/errors";
import { flash } from "../web/locals";
import { findUser, listUsers } from "../users/repository";
import { createUser, setUserActive, updateUser, type UserInput } from "../users/service";
import { createResetLink } from "../users/password-reset";
import { setTotpRequiredForCoordinators, totpRequiredForCoordinators } from "../users/security-settings";

const userSchema = z.object({
  name: requiredText(200),
  email: email(),
  role: choice(ROLES),
  organisation_id: optionalId(),
  locale: choice(["nl", "en"] as const),
  password: optionalText(200).pipe(z.string().min(10, "errors.passwordTooShort").nullable()),
  totp_required: checkbox(),
});

/**
 * The admin's user management: list, create, edit, deactivate and reactivate; a one-time
 * password reset link; two-factor login required per user or for every coordinator.
 */
export function adminUserRoutes(deps: { db: Knex; clock: Clock; publicUrl?: string }): Router {
  const router = Router();

  async function renderForm(res: Response, status: number, values: Record<string, unknown>, errors: FieldErrors = {}, id?: number) {
    const organisations = await listOrganisations(deps.db, null);
    const user = id ? await findUser(deps.db, id) : undefined;
    res.status(status).render("admin/user-form", {
      title: id ? "users.editTitle" : "users.newTitle",
      id,
      values,
      errors,
      roles: ROLES,
      organisations,
      passwordHint: id ? "users.passwordHintEdit" : "users.passwordHint",
      totpEnabledAt: user?.totp_enabled_at ?? null,
      resetPending: user ? user.password_hash === "" : false,
    });
  }

  async function save(req: Request, res: Response, id?: number) {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderForm(res, 422, keptInput(req.body), err.fields, id));
    const input: UserInput = validValue(parseForm(userSchema, req.body));
    if (id) await updateUser(deps.db, deps.clock, actor, id, input);
    else await createUser(deps.db, deps.clock, actor, input);
    flash(req, "success", id ? "users.saved" : "users.created", { name: input.name });
    res.redirect(303, "/beheer/gebruikers");
  }

  router.get("/", async (_req, res) => {
    res.render("admin/users", { title: "users.title", users: await listUsers(deps.db), totpForCoordinators: await totpRequiredForCoordinators(deps.db) });
  });

  router.post("/tweestaps", async (req, res) => {
    const { actor } = actorOf(req);
    const required = req.body?.required === "1";
    await setTotpRequiredForCoordinators(deps.db, deps.clock, actor, required);
    flash(req, "success", required ? "users.totpCoordinatorsOn" : "users.totpCoordinatorsOff");
    res.redirect(303, "/beheer/gebruikers");
  });

  router.get("/nieuw", async (_req, res) => renderForm(res, 200, { locale: "nl", role: "coordinator" }));
  router.post("/", (req, res) => save(req, res));

  router.get("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    const user = id ? await findUser(deps.db, id) : undefined;
    if (!user || !id) throw new NotFoundError("user");
    const { password_hash: _hidden, totp_secret: _secret, ...values } = user;
    await renderForm(res, 200, { ...values, organisation_id: user.organisation_id ?? "", totp_required: Boolean(user.totp_required) }, {}, id);
  });

  router.post("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    if (!id || !(await findUser(deps.db, id))) throw new NotFoundError("user");
    await save(req, res, id);
  });

  // A one-time link, shown once, for the admin to hand to the user by a channel of their choice.
  router.post("/:id/herstellen", async (req, res) => {
    const { actor } = actorOf(req);
    const id = parseId(req.params.id);
    const user = id ? await findUser(deps.db, id) : undefined;
    if (!user || !id) throw new NotFoundError("user");
    const link = await createResetLink(deps.db, deps.clock, actor, id);
    const base = deps.publicUrl ?? `${req.protocol}://${req.get("host")}`;
    res.set("Cache-Control", "no-store").render("admin/reset-link", {
      title: "users.resetTitle",
      user: { id: user.id, name: user.name, email: user.email },
      link: `${base}/wachtwoord-herstel/${link.token}`,
      expiresAt: link.expiresAt,
    });
  });

  router.post("/:id/actief", async (req, res) => {
    const { actor } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("user");
    const active = req.body?.active === "1";
    onInvalidBackTo(req, res, "/beheer/gebruikers");
    await setUserActive(deps.db, deps.clock, actor, id, active);
    flash(req, "success", active ? "users.activated" : "users.deactivated");
    res.redirect(303, "/beheer/gebruikers");
  });

  return router;
}
