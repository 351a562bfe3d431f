import express, { Router, type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import type { Knex } from "knex";
import type { Clock } from "../domain/clock";
import { apiAuthentication } from "./auth";
import { openApiDocument } from "./openapi";
import { apiErrorHandler, sendProblem } from "./problems";
import { attendanceApi } from "./resources/attendance";
import { clientApi } from "./resources/clients";
import { contractApi } from "./resources/contracts";
import { declarationApi } from "./resources/declarations";
import { freePlacesApi } from "./resources/free-places";
import { locationApi } from "./resources/locations";
import { scheduleApi } from "./resources/schedules";

export type ApiDeps = { db: Knex; clock: Clock; rateLimitPerMinute: number };

/** A body that is there must be JSON; anything else is refused before it is read. */
const jsonOnly: RequestHandler = (req, res, next) => {
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (hasBody && !req.is(["application/json", "application/*+json"])) return sendProblem(res, 415, "unsupported_media_type");
  next();
};

/**
 * /api/v1: the JSON API. Mounted before the session and CSRF middleware — it has neither: a
 * bearer token is its whole authorisation, and a session cookie sent along is ignored. It has
 * its own body parser, its own 404 and its own error handler, all answering
 * application/problem+json, so no API request ever falls through to the HTML pages.
 */
export function apiRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.use((_req, res, next) => {
    // Answers carry personal data: never kept by a cache.
    res.set("Cache-Control", "no-store");
    next();
  });

  router.get("/openapi.json", (_req, res) => {
    res.set("Cache-Control", "public, max-age=300");
    res.json(openApiDocument);
  });

  router.use(jsonOnly);
  router.use(express.json({ limit: "64kb", type: ["application/json", "application/*+json"] }));

  // Guessing tokens is hopeless (256 random bits), but a client stuck on a bad one is slowed down.
  router.use(
    rateLimit({
      windowMs: 15 * 60 * 1000,
      limit: 100,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      handler: (_req, res) => sendProblem(res, 429, "rate_limited"),
    }),
  );
  router.use(apiAuthentication(deps));
  // Per token, whoever calls with it, from wherever.
  router.use(
    rateLimit({
      windowMs: 60 * 1000,
      limit: deps.rateLimitPerMinute,
      keyGenerator: (req) => `token:${req.apiToken?.id ?? "none"}`,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      handler: (_req, res) => sendProblem(res, 429, "rate_limited"),
    }),
  );

  router.use("/locations/:id/attendance", attendanceApi(deps));
  router.use("/locations", locationApi(deps));
  router.use("/free-places", freePlacesApi(deps));
  router.use("/clients", clientApi(deps));
  router.use("/schedules", scheduleApi(deps));
  router.use("/contracts", contractApi(deps));
  router.use("/declarations", declarationApi(deps));

  router.use((_req, res) => sendProblem(res, 404, "not_found"));
  router.use(apiErrorHandler);
  return router;
}
