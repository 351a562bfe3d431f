import type { ErrorRequestHandler, Request, Response } from "express";
import { ForbiddenError, NotFoundError } from "../domain/errors";
import { DEFAULT_LOCALE } from "./i18n";

export function notFound(_req: Request, res: Response): void {
  res.status(404).render("errors/not-found", { title: "errors.notFoundTitle" });
}

/** Friendly pages for every failure; the stack goes to the log, never to the browser. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
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
