import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Knex } from "knex";
import { ForbiddenError } from "../domain/errors";
import { sessionUser, toActor, type SessionUser } from "./service";
import { Scope } from "./scope";
import type { Role } from "./types";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      scope?: Scope;
    }
  }
}

/**
 * Reads the session's user on every request. A user deactivated (or deleted) since logging in,
 * or whose password was changed or reset since (a new session generation), loses the session
 * here, at the next request, whatever page it asks for. One query (the user and the two-factor
 * setting together): it runs before every page, as a rule alongside the session's own row.
 */
export function loadActor(db: Knex): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (!userId) return next();
    // Read in the session's row's query when the store knew the session's user (SessionStore).
    const ahead = req.sessionUserAhead;
    const found = ahead && ahead.userId === userId ? (ahead.found as SessionUser | null) : await sessionUser(db, userId);
    const user = found?.user;
    if (!found || !user || (req.session.generation ?? 0) !== user.session_generation) {
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
      return res.redirect(303, "/login");
    }
    req.actor = toActor(user);
    req.scope = new Scope(db, req.actor);
    req.mustEnrolTotp = found.mustEnrolTotp;
    req.boardVersion = found.boardVersion ?? undefined;
    req.problemsVersion = found.problemsVersion ?? undefined;
    res.locals.actor = req.actor;
    next();
  };
}

/** Where a user who must still set up two-factor login may go meanwhile. */
const ENROLMENT_PATHS = ["/account/tweestaps", "/logout", "/taal"];

/**
 * A user of whom the admin requires two-factor login, and who has not set it up, gets to do
 * that first: every other page sends them to the set-up page.
 */
export function requireTotpEnrolment(req: Request, res: Response, next: NextFunction): void {
  if (!req.mustEnrolTotp || ENROLMENT_PATHS.some((p) => req.path === p || req.path.startsWith(p + "/"))) return next();
  res.redirect(303, "/account/tweestaps");
}

export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (req.actor) return next();
  const target = req.method === "GET" ? `?next=${encodeURIComponent(req.originalUrl)}` : "";
  res.redirect(303, `/login${target}`);
}

/** Refuses (403) every role not listed; put it on a router so no route in it can forget. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.actor) return next(new ForbiddenError("not logged in"));
    if (!roles.includes(req.actor.role)) return next(new ForbiddenError(`role ${req.actor.role}`));
    next();
  };
}

/** Refuses (403) the roles listed, on a path whose routers serve several other roles. */
export function refuseRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (req.actor && roles.includes(req.actor.role)) return next(new ForbiddenError(`role ${req.actor.role}`));
    next();
  };
}

/** The actor and scope of a request that passed requireLogin. */
export function actorOf(req: Request): { actor: NonNullable<Request["actor"]>; scope: Scope } {
  if (!req.actor || !req.scope) throw new ForbiddenError("not logged in");
  return { actor: req.actor, scope: req.scope };
}
