import type { RequestHandler } from "express";
import type { Knex } from "knex";
import { withAuditSource } from "../audit/repository";
import { Scope } from "../auth/scope";
import type { Clock } from "../domain/clock";
import { sendProblem } from "./problems";
import { authenticate, type ApiCaller } from "./tokens/service";
import { bearerToken } from "./tokens/secret";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      apiToken?: ApiCaller["token"];
    }
  }
}

const CHALLENGE = 'Bearer realm="dagdeel"';

/**
 * The API's only way in: `Authorization: Bearer <token>`. A session cookie means nothing here
 * (the router sits before the session middleware), and a token means nothing on the pages
 * (they read only the session). Every unknown, expired or revoked token gets the same 401.
 * The rest of the request runs with the token as its audit source.
 */
export function apiAuthentication(deps: { db: Knex; clock: Clock }): RequestHandler {
  return async (req, res, next) => {
    const presented = bearerToken(req.get("authorization"));
    if (!presented) {
      res.set("WWW-Authenticate", CHALLENGE);
      return sendProblem(res, 401, "unauthenticated");
    }
    const caller = await authenticate(deps.db, deps.clock, presented);
    if (!caller) {
      res.set("WWW-Authenticate", `${CHALLENGE}, error="invalid_token"`);
      return sendProblem(res, 401, "invalid_token");
    }
    req.actor = caller.actor;
    req.scope = new Scope(deps.db, caller.actor);
    req.apiToken = caller.token;
    withAuditSource({ api_token: { id: caller.token.id, label: caller.token.label } }, () => next());
  };
}

/** Writes need a read-write token; a read-only one is refused (403) before the body is looked at. */
export const requireWriteToken: RequestHandler = (req, res, next) => {
  if (req.apiToken?.access === "write") return next();
  sendProblem(res, 403, "read_only_token");
};
