import type { NextFunction, Request, RequestHandler, Response } from "express";

/**
 * A feature router whose routes all lie under `prefixes`, entered only by requests for those
 * addresses. Express enters every router mounted without a path for every request, and a
 * router a request leaves unanswered costs its own walk, allocations and a turn of the event
 * loop (setImmediate) — on the planning board, asked hundreds of times a second, that was a
 * fifth of the request (issue 11). The routes keep their full paths; "/" serves only "/".
 * Compared without case, as express matches routes (a trailing slash is let through as well).
 */
export function servedUnder(prefixes: readonly string[], router: RequestHandler): RequestHandler {
  const exact = new Set(prefixes.map((p) => p.toLowerCase()));
  const under = [...exact].filter((p) => p !== "/").map((p) => `${p}/`);
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.path.toLowerCase();
    if (exact.has(path) || under.some((p) => path.startsWith(p))) return router(req, res, next);
    next();
  };
}
