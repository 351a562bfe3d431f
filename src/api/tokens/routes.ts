import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { actorOf } from "../../auth/middleware";
import { today, type Clock } from "../../domain/clock";
import { addDays } from "../../domain/dates";
import { NotFoundError } from "../../domain/errors";
import { choice, isoDate, optionalId, parseId, requiredText } from "../../web/fields";
import { onInvalid } from "../../web/errors";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../../web/forms";
import { flash } from "../../web/locals";
import { TOKEN_ACCESS } from "./repository";
import { createToken, DEFAULT_DAYS, MAX_DAYS, revokeToken, tokenKeeper, tokensPage, tokenState } from "./service";

const tokenSchema = z.object({
  organisation_id: optionalId(),
  label: requiredText(100),
  access: choice(TOKEN_ACCESS),
  expires_on: isoDate(),
});

/**
 * /api-sleutels: an organisation's users (and the admin, for every organisation) list, create
 * and revoke API tokens. A new token is shown once, on the answer to the form that made it.
 */
export function apiTokenRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  async function renderList(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors: FieldErrors = {}) {
    const { actor } = actorOf(req);
    const page = Math.max(1, parseId(req.query.pagina) ?? 1);
    const list = await tokensPage(db, actor, page);
    const date = today(clock);
    res.status(status).render("apitokens/index", {
      title: "apiTokens.title",
      isAdmin: actor.role === "admin",
      tokens: list.rows.map((t) => {
        const state = tokenState(t, date);
        return { ...t, state, stateKey: `apiTokens.state.${state}`, accessKey: `apiTokens.access.${t.access}`, active: state === "active" };
      }),
      total: list.total,
      page,
      previousUrl: page > 1 ? `/api-sleutels?pagina=${page - 1}` : null,
      nextUrl: page < list.pages ? `/api-sleutels?pagina=${page + 1}` : null,
      organisations: list.organisations.map((o) => ({ value: o.id, text: o.name })),
      accessOptions: TOKEN_ACCESS.map((a) => ({ value: a, key: `apiTokens.access.${a}` })),
      values: { access: "read", expires_on: addDays(date, DEFAULT_DAYS), ...values },
      errors: shownErrors(errors),
      maxDays: MAX_DAYS,
      docsUrl: "/api/v1/openapi.json",
    });
  }

  router.use((req, _res, next) => {
    // A user without an organisation has no tokens to keep: refused (403) on every page here.
    tokenKeeper(actorOf(req).actor);
    next();
  });

  router.get("/", (req, res) => renderList(req, res, 200));

  router.post("/", async (req, res) => {
    const { actor } = actorOf(req);
    onInvalid(res, (err) => renderList(req, res, 422, keptInput(req.body), err.fields));
    const created = await createToken(db, clock, actor, validValue(parseForm(tokenSchema, req.body)));
    // The secret is in this page and nowhere else: no cache may keep it.
    res.set("Cache-Control", "no-store");
    res.status(201).render("apitokens/created", { title: "apiTokens.createdTitle", token: created.token, authHeader: `Authorization: Bearer ${created.token}`, row: created.row, accessKey: `apiTokens.access.${created.row.access}` });
  });

  router.post("/:id/intrekken", async (req, res) => {
    const { actor } = actorOf(req);
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("api token");
    const token = await revokeToken(db, clock, actor, id);
    flash(req, "success", "apiTokens.revoked", { label: token.label });
    res.redirect(303, "/api-sleutels");
  });

  return router;
}
