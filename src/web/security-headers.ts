import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet, { type HelmetOptions } from "helmet";

/**
 * helmet's headers, worked out once: with these options (no nonces, nothing taken from the
 * request) helmet sets the same headers on every response, but through a dozen middleware of
 * its own per request. Here helmet runs once at start-up on a stand-in response; each request
 * then gets the headers it set and loses the ones it removed (X-Powered-By).
 */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const set: [string, string][] = [];
  const removed: string[] = [];
  let finished = false;
  const standIn = {
    setHeader: (name: string, value: unknown) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  helmet(options)({} as Request, standIn as unknown as Response, (err?: unknown) => {
    if (err) throw err;
    finished = true;
  });
  // helmet answers synchronously; should a version not, its own middleware is the safe choice.
  if (!finished) return helmet(options);
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
