import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../auth/middleware";
import { ROLES } from "../auth/types";
import type { Clock } from "../domain/clock";
import { NotFoundError } from "../domain/errors";
import { listOrganisations } from "../organisations/repository";
import { searchWords } from "../domain/search-key";
import { checkbox, choice, email, optionalChoice, optionalId, optionalText, parseId, requiredText } from "../web/fields";
import { keptInput, parseForm, validValue, type FieldErrors } from "../web/forms";
import { onInvalid, onInvalidBackTo } from "../web/errors";
import { flash } from "../web/locals";
import { pageOrLast, paging, urlWithParams, type PageParams } from "../web/pagination";
import { findUser, searchUsers, USER_STATUSES } from "../users/repository";
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

export const USERS_PER_PAGE = 50;

/** The list's filters, read from the address (?zoek=, ?rol=, ?status=, ?pagina=). */
const listSchema = z.object({
  zoek: optionalText(100),
  rol: optionalChoice(ROLES),
  status: optionalChoice(USER_STATUSES),
  pagina: optionalText(12).pipe(z.string().regex(/^[1-9]\d{0,8}$/, "users.errors.page").transform(Number).nullable()),
});

/** The list where the admin was, from its filters sent along with a form; the whole list when they are not the list's. */
function listUrl(sent: unknown): string {
  const form = parseForm(listSchema, sent);
  return form.ok ? urlWithParams("/beheer/gebruikers", form.value) : "/beheer/gebruikers";
}

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

  // A region has hundreds of users: fifty a page, searched by name or address, by role and status.
  router.get("/", async (req, res) => {
    const values = keptInput(req.query);
    const form = parseForm(listSchema, req.query);
    const roles = ROLES.map((r) => ({ value: r, key: `roles.${r}` }));
    const statuses = USER_STATUSES.map((s) => ({ value: s, key: `users.statusFilter.${s}` }));
    if (!form.ok) {
      const totpForCoordinators = await totpRequiredForCoordinators(deps.db);
      return res.status(422).render("admin/users", { title: "users.title", values, errors: form.errors, roles, statuses, users: [], totpForCoordinators, invalid: true });
    }
    const f = form.value;
    const search = { words: f.zoek ? searchWords(f.zoek) : [], role: f.rol, status: f.status };
    // Two round trips on PostgreSQL, at once rather than one after the other.
    const [found, totpForCoordinators] = await Promise.all([
      pageOrLast(f.pagina, USERS_PER_PAGE, (limit, offset) => searchUsers(deps.db, { ...search, limit, offset })),
      totpRequiredForCoordinators(deps.db),
    ]);
    const filters: PageParams = { zoek: f.zoek, rol: f.rol, status: f.status };
    const pages = paging("/beheer/gebruikers", filters, found.page, found.total, USERS_PER_PAGE);
    const users = found.rows;
    // Deactivating or reactivating a user comes back to this page of this list.
    const keep = Object.entries({ ...filters, pagina: pages.page > 1 ? pages.page : null }).filter(([, v]) => v !== null).map(([name, value]) => ({ name, value }));
    res.render("admin/users", { title: "users.title", values, errors: null, roles, statuses, users, paging: pages, keep, totpForCoordinators });
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
    const back = listUrl(req.body);
    onInvalidBackTo(req, res, back);
    await setUserActive(deps.db, deps.clock, actor, id, active);
    flash(req, "success", active ? "users.activated" : "users.deactivated");
    res.redirect(303, back);
  });

  return router;
}
