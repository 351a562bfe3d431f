import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { ROLES } from "../auth/types";
import type { Clock } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import { listOrganisations } from "../organisations/repository";
import { choice, email, optionalId, optionalText, parseId, requiredText } from "../web/fields";
import { keptInput, parseForm, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { findUser, listUsers } from "../users/repository";
import { createUser, setUserActive, updateUser, type UserInput } from "../users/service";

const userSchema = z.object({
  name: requiredText(200),
  email: email(),
  role: choice(ROLES),
  organisation_id: optionalId(),
  locale: choice(["nl", "en"] as const),
  password: optionalText(200).pipe(z.string().min(10, "errors.passwordTooShort").nullable()),
});

/** The admin's user management: list, create, edit, deactivate and reactivate. */
export function adminUserRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  async function renderForm(res: Response, status: number, values: Record<string, unknown>, errors: FieldErrors = {}, id?: number) {
    const organisations = await listOrganisations(deps.db, null);
    res.status(status).render("admin/user-form", {
      title: id ? "users.editTitle" : "users.newTitle",
      id,
      values,
      errors,
      roles: ROLES,
      organisations,
      passwordHint: id ? "users.passwordHintEdit" : "users.passwordHint",
    });
  }

  async function save(req: Request, res: Response, id?: number) {
    const { actor } = actorOf(req);
    const form = parseForm(userSchema, req.body);
    if (!form.ok) return renderForm(res, 422, keptInput(req.body), form.errors, id);
    try {
      const input: UserInput = form.value;
      if (id) await updateUser(deps.db, deps.clock, actor, id, input);
      else await createUser(deps.db, deps.clock, actor, input);
      flash(req, "success", id ? "users.saved" : "users.created", { name: input.name });
      res.redirect(303, "/beheer/gebruikers");
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(res, 422, keptInput(req.body), err.fields, id);
      throw err;
    }
  }

  router.get("/", async (_req, res) => {
    res.render("admin/users", { title: "users.title", users: await listUsers(deps.db) });
  });

  router.get("/nieuw", async (_req, res) => renderForm(res, 200, { locale: "nl", role: "coordinator" }));
  router.post("/", (req, res) => save(req, res));

  router.get("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    const user = id ? await findUser(deps.db, id) : undefined;
    if (!user || !id) throw new NotFoundError("user");
    const { password_hash: _hidden, ...values } = user;
    await renderForm(res, 200, { ...values, organisation_id: user.organisation_id ?? "" }, {}, id);
  });

  router.post("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    if (!id || !(await findUser(deps.db, id))) throw new NotFoundError("user");
    await save(req, res, id);
  });

  router.post("/:id/actief", async (req, res) => {
    const { actor } = actorOf(req);
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError("user");
    const active = req.body?.active === "1";
    try {
      await setUserActive(deps.db, deps.clock, actor, id, active);
      flash(req, "success", active ? "users.activated" : "users.deactivated");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      flash(req, "error", err.fields._form ?? "errors.invalid");
    }
    res.redirect(303, "/beheer/gebruikers");
  });

  return router;
}
