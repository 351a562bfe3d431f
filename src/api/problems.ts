import type { ErrorRequestHandler, Request, Response } from "express";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { translator, type AppLocale } from "../web/i18n";

// Every error of the API is an RFC 9457 problem document (application/problem+json). `code`
// is what a client branches on; `title` and `detail` are for people, in Dutch or English as
// the request's Accept-Language asks. A 422 names each field that was wrong.

export type FieldProblem = { field?: string; code: string; message: string };

export type Problem = {
  type: "about:blank";
  status: number;
  title: string;
  code: string;
  detail?: string;
  errors?: FieldProblem[];
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/** An error the API answers with as it is. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problemCode: string,
    readonly detail?: string,
  ) {
    super(`${status} ${problemCode}`);
  }
}

export function localeOf(req: Request): AppLocale {
  return req.acceptsLanguages("nl", "en") === "en" ? "en" : "nl";
}

export function sendProblem(res: Response, status: number, code: string, extra: { detail?: string; errors?: FieldProblem[] } = {}): void {
  const body: Problem = { type: "about:blank", status, title: TITLES[status] ?? "Error", code, ...extra };
  res.status(status).type("application/problem+json").set("Cache-Control", "no-store").send(JSON.stringify(body));
}

/** A refused rule's fields (locale keys) as field problems, in the caller's language; "_form" has no field. */
export function fieldProblems(err: ValidationError, locale: AppLocale): FieldProblem[] {
  const t = translator(locale);
  return Object.entries(err.fields).map(([field, key]) => ({
    ...(field === "_form" ? {} : { field }),
    code: key,
    message: t(key, err.params),
  }));
}

export const apiErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  const locale = localeOf(req);
  if (err instanceof ApiProblem) return sendProblem(res, err.status, err.problemCode, err.detail ? { detail: err.detail } : {});
  if (err instanceof NotFoundError) return sendProblem(res, 404, "not_found");
  if (err instanceof ForbiddenError) return sendProblem(res, 403, "forbidden");
  if (err instanceof ValidationError) {
    const errors = fieldProblems(err, locale);
    const general = errors.find((e) => e.field === undefined);
    return sendProblem(res, 422, "validation", { errors, ...(general ? { detail: general.message } : {}) });
  }
  // body-parser's own errors: malformed JSON, a body too large.
  if (err?.type === "entity.parse.failed") return sendProblem(res, 400, "malformed_json");
  if (err?.type === "entity.too.large") return sendProblem(res, 413, "too_large");
  req.log?.error({ err }, "api request failed");
  sendProblem(res, 500, "internal");
};
