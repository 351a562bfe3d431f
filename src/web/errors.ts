import type { ErrorRequestHandler, Request, Response } from "express";
import { ForbiddenError, NotFoundError } from "../domain/errors";

export function notFound(_req: Request, res: Response): void {
  res.status(404).render("errors/not-found", { title: "errors.notFoundTitle" });
}

/** Friendly pages for every failure; the stack goes to the log, never to the browser. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof NotFoundError) return renderSafely(res, 404, "errors/not-found", { title: "errors.notFoundTitle" });
  if (err instanceof ForbiddenError) return renderSafely(res, 403, "errors/forbidden", { title: "errors.forbiddenTitle" });
  if (err?.code === "EBADCSRFTOKEN") return renderSafely(res, 403, "errors/csrf", { title: "errors.csrfTitle" });
  if (err?.type === "entity.too.large") return renderSafely(res, 413, "errors/error", { title: "errors.errorTitle" });
  req.log?.error({ err }, "request failed");
  renderSafely(res, 500, "errors/error", { title: "errors.errorTitle" });
};

// When even the error page cannot render, a plain page still hides every internal detail.
const FALLBACK = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>dagdeel</title></head>
<body><main><h1>Er ging iets mis</h1><p>Probeer het over een paar minuten opnieuw.</p><p lang="en">Something went wrong; please try again in a few minutes.</p><p><a href="/">dagdeel</a></p></main></body></html>`;

function renderSafely(res: Response, status: number, view: string, data: Record<string, unknown>): void {
  res.status(status).render(view, data, (err, html) => {
    if (err) {
      res.req.log?.error({ err }, "error page failed to render");
      res.type("html").send(FALLBACK);
    } else {
      res.send(html);
    }
  });
}
