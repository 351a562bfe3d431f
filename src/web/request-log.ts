import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import pino from "pino";
import { withoutFeedToken } from "../calendar/tokens";

declare module "http" {
  interface IncomingMessage {
    /** The request's logger: its lines carry the request (serialized as below). */
    log: pino.Logger;
  }
}

// What the request log may hold: method, path, status, timing — never a key to someone's
// session (cookie, set-cookie) or account (a reset link's token), never a BSN or a searched
// name (personal data under the AVG).
// The serializers get the request and response already serialized by pino's standard ones.

const REDACTED = "[redacted]";
const SECRET_HEADERS = ["cookie", "authorization", "x-csrf-token"];
/** Query parameters that carry free text a user typed: a search for a name or a BSN (the audit log's for a client's or a user's name too). */
const FREE_TEXT_PARAMS = new Set(["q", "zoek", "bsn", "client", "naam", "clientnaam", "gebruikersnaam"]);
/** A BSN is 9 digits (8 with a leading zero dropped); ids and years are shorter. */
const BSN_LIKE = /\d{8,9}/;
const BSN_LIKE_ALL = /(?<!\d)\d{8,9}(?!\d)/g;

type SerializedRequest = { url?: unknown; params?: unknown; query?: unknown; headers?: Record<string, unknown> };
type SerializedResponse = { headers?: Record<string, unknown> };

/** Paths whose last segment is a key: a password reset link's token. */
const TOKEN_PATH = /^(\/wachtwoord-herstel\/)[^/?]+/;

export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  const path = (q < 0 ? url : url.slice(0, q)).replace(TOKEN_PATH, `$1${REDACTED}`).replace(BSN_LIKE_ALL, REDACTED);
  if (q < 0) return path;
  const params = new URLSearchParams(url.slice(q + 1));
  const kept = [...params].map(([key, value]) => [key, FREE_TEXT_PARAMS.has(key) || BSN_LIKE.test(value) ? REDACTED : value]);
  return `${path}?${new URLSearchParams(kept).toString()}`;
}

function redactQuery(query: unknown): unknown {
  if (!query || typeof query !== "object") return query;
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, FREE_TEXT_PARAMS.has(key) || BSN_LIKE.test(String(value)) ? REDACTED : value]));
}

function withoutHeaders(headers: Record<string, unknown> | undefined, names: string[]): Record<string, unknown> | undefined {
  if (!headers) return headers;
  const copy = { ...headers };
  for (const name of names) if (name in copy) copy[name] = REDACTED;
  return copy;
}

export function requestSerializer<R extends SerializedRequest>(raw: R): R {
  const req = withoutFeedToken(raw);
  return {
    ...req,
    url: typeof req.url === "string" ? redactUrl(req.url) : req.url,
    query: redactQuery(req.query),
    params: typeof req.url === "string" && TOKEN_PATH.test(req.url) ? {} : req.params,
    headers: withoutHeaders(req.headers, SECRET_HEADERS),
  };
}

export function responseSerializer<R extends SerializedResponse>(res: R): R {
  return { ...res, headers: withoutHeaders(res.headers, ["set-cookie"]) };
}

/** Errors keep their stack, but a BSN bound into a failed query's message does not reach the log. */
export function errorSerializer<E extends { message?: unknown; stack?: unknown }>(err: E): E {
  if (!err || typeof err !== "object") return err;
  const scrub = (s: unknown) => (typeof s === "string" ? s.replace(BSN_LIKE_ALL, REDACTED) : s);
  return { ...err, message: scrub(err.message), stack: scrub(err.stack) };
}

let lastId = 0;

/**
 * One line per request when it ends (finished or closed): the request, the response's status
 * and headers, the time it took — "request completed", or at error level "request errored"
 * with a 5xx. The same lines pino-http wrote; what it also did for every request, even with
 * the level off (a child logger with the request serialized into it, up front), is done here
 * only when a line is written: req.log makes its child when first used (the error handler).
 */
export function requestLog(logger: pino.Logger): RequestHandler {
  const serializeRequest = (req: IncomingMessage & { id?: number }) => requestSerializer(pino.stdSerializers.req(req));
  const serializeResponse = (res: ServerResponse) => responseSerializer(pino.stdSerializers.res(res));
  const childSerializers = { req: requestSerializer, err: (err: Error) => errorSerializer(pino.stdSerializers.err(err)) };
  return (req: Request, res: Response, next: NextFunction) => {
    const started = Date.now();
    const id = (lastId = (lastId + 1) & 0x7fffffff);
    (req as { id?: number }).id = id;
    let child: pino.Logger | undefined;
    Object.defineProperty(req, "log", {
      configurable: true,
      get: () => (child ??= logger.child({ req: pino.stdSerializers.req(req) }, { serializers: childSerializers })),
    });
    let done = false;
    const onEnd = () => {
      if (done) return;
      done = true;
      res.removeListener("finish", onEnd);
      res.removeListener("close", onEnd);
      const failed = res.statusCode >= 500;
      const level = failed ? "error" : "info";
      if (!logger.isLevelEnabled(level)) return;
      const line: Record<string, unknown> = { req: serializeRequest(req), res: serializeResponse(res), responseTime: Date.now() - started };
      if (failed) line.err = errorSerializer(pino.stdSerializers.err(new Error(`failed with status code ${res.statusCode}`)));
      logger[level](line, failed ? "request errored" : !req.readableAborted && res.writableEnded ? "request completed" : "request aborted");
    };
    res.on("finish", onEnd);
    res.on("close", onEnd);
    next();
  };
}
