import type { ErrorRequestHandler, NextFunction, Request, Response } from "express";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { DEFAULT_LOCALE } from "./i18n";
import { flash } from "./locals";

export function notFound(_req: Request, res: Response): void {
  res.status(404).render("errors/not-found", { title: "errors.notFoundTitle" });
}

/** How a route answers a refused rule: re-render its own form (422) with err.fields next to the fields. */
export type InvalidAnswer = (err: ValidationError) => unknown;

const INVALID_ANSWER = "invalidAnswer";

/**
 * Names the form a route re-renders when a rule refuses the input. Call it before the service:
 * a ValidationError thrown anywhere after it reaches errorHandler, which hands it to `answer`
 * (with the status already 422). One route, one answer; no try/catch around the service.
 *
 *   onInvalid(res, (err) => renderForm(res, 422, keptInput(req.body), err.fields, id));
 *   const input = validValue(parseForm(schema, req.body)); // a wrong field: the same answer
 *   await saveThing(db, clock, actor, input);
 */
export function onInvalid(res: Response, answer: InvalidAnswer): void {
  // By the time errorHandler runs the routers have let go of the request: req.params, url and
  // baseUrl are the app's again. The answer sees them as the route did.
  const req = res.req;
  const route = { params: req.params, url: req.url, baseUrl: req.baseUrl };
  res.locals[INVALID_ANSWER] = (err: ValidationError) => {
    Object.assign(req, route);
    return answer(err);
  };
}

/**
 * For a button without a form of its own (activate, remove): a refused rule becomes an error
 * message on the page it goes back to, as a success would.
 */
export function onInvalidBackTo(req: Request, res: Response, url: string): void {
  onInvalid(res, (err) => {
    flash(req, "error", err.fields._form ?? "errors.invalid");
    res.redirect(303, url);
  });
}

/** Friendly pages for every failure; the stack goes to the log, never to the browser. */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return;
  if (err instanceof ValidationError) return answerInvalid(err, req, res, next);
  if (err instanceof NotFoundError) return renderSafely(res, 404, "errors/not-found", { title: "errors.notFoundTitle" });
  if (err instanceof ForbiddenError) return renderSafely(res, 403, "errors/forbidden", { title: "errors.forbiddenTitle" });
  if (err?.code === "EBADCSRFTOKEN") return renderSafely(res, 403, "errors/csrf", { title: "errors.csrfTitle" });
  const status = clientErrorStatus(err);
  if (status !== null) {
    // The client's mistake (an unreadable body, a malformed URL): worth a line, not an alarm.
    req.log?.warn({ status, type: err?.type, message: err?.message }, "unreadable request");
    return renderSafely(res, status, "errors/bad-request", err instanceof URIError ? BAD_URL : badRequestText(status));
  }
  req.log?.error({ err }, "request failed");
  renderSafely(res, 500, "errors/error", { title: "errors.errorTitle" });
};

/**
 * A refused rule: the route's own answer (its form again, 422) when it named one; without one,
 * a plain 422 page rather than a 500 — the input was wrong, nothing broke. The answer runs once:
 * should it fail itself, that failure takes the ordinary way through errorHandler.
 */
function answerInvalid(err: ValidationError, req: Request, res: Response, next: NextFunction): void {
  const answer = res.locals[INVALID_ANSWER] as InvalidAnswer | undefined;
  delete res.locals[INVALID_ANSWER];
  if (!answer) return renderSafely(res, 422, "errors/bad-request", { title: "errors.clientErrorTitle", text: "errors.clientErrorText" });
  res.status(422);
  Promise.resolve()
    .then(() => answer(err))
    .catch((failure: unknown) => errorHandler(failure, req, res, next));
}

/**
 * The 4xx status that body-parser (charset, encoding, too large, too many fields) and the
 * router (a malformed %-escape) attach to their errors; null for everything else.
 */
function clientErrorStatus(err: unknown): number | null {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  if (!Number.isInteger(status) || status < 400 || status > 499) return null;
  return status;
}

const BAD_URL = { title: "errors.badUrlTitle", text: "errors.badUrlText" };

function badRequestText(status: number): { title: string; text: string } {
  if (status === 413) return { title: "errors.tooLargeTitle", text: "errors.tooLargeText" };
  if (status === 415) return { title: "errors.unsupportedTitle", text: "errors.unsupportedText" };
  if (status === 400) return { title: "errors.badRequestTitle", text: "errors.badRequestText" };
  return { title: "errors.clientErrorTitle", text: "errors.clientErrorText" };
}

// When even the error page cannot render, a plain page still hides every internal detail.
const FALLBACK = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>dagdeel</title></head>
<body><main><h1>Er ging iets mis</h1><p>Probeer het over een paar minuten opnieuw.</p><p lang="en">Something went wrong; please try again in a few minutes.</p><p><a href="/">dagdeel</a></p></main></body></html>`;

function renderSafely(res: Response, status: number, view: string, data: Record<string, unknown>): void {
  // A failure before the language was chosen still renders a page in a language.
  res.locals.locale ??= DEFAULT_LOCALE;
  res.locals.otherLocale ??= DEFAULT_LOCALE === "nl" ? "en" : "nl";
  res.status(status).render(view, data, (err, html) => {
    if (err) {
      res.req.log?.error({ err }, "error page failed to render");
      res.type("html").send(FALLBACK);
    } else {
      res.send(html);
    }
  });
}
