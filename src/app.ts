import path from "node:path";
import express from "express";
import session from "express-session";
import { csrfSync } from "csrf-sync";
import type { Knex } from "knex";
import pino from "pino";
import type { Config } from "./config";
import type { Clock } from "./domain/clock";
import { setUpViews } from "./web/views";
import { chooseLocale, layoutLocals } from "./web/locals";
import { errorHandler, notFound } from "./web/errors";
import { requestLog } from "./web/request-log";
import { securityHeaders } from "./web/security-headers";
import { servedUnder } from "./web/served-under";
import { loadActor, refuseRole, requireLogin, requireRole, requireTotpEnrolment } from "./auth/middleware";
import { passwordResetRoutes } from "./auth/reset-routes";
import { accountRoutes } from "./users/account-routes";
import { SessionStore } from "./auth/session-store";
import { sessionUserRead } from "./auth/service";
import { multipartBody } from "./web/uploads";
import { authRoutes } from "./auth/routes";
import { healthRoutes } from "./health/routes";
import { homeRoutes } from "./home/routes";
import { adminUserRoutes } from "./admin/users-routes";
import { adminOrganisationRoutes } from "./admin/organisations-routes";
import { adminAuditRoutes } from "./admin/audit-routes";
import { organisationRoutes } from "./organisations/routes";
import { contractRoutes } from "./contracts/routes";
import { declarationRoutes } from "./declarations/routes";
import { locationRoutes } from "./locations/routes";
import { freePlacesRoutes } from "./freeplaces/routes";
import { attendanceRoutes } from "./attendance/routes";
import { calendarFeedRoutes } from "./calendar/feed-routes";
import { calendarRoutes } from "./calendar/routes";
import { clientRoutes } from "./clients/routes";
import { planningRoutes } from "./planning/routes";
import { productRoutes } from "./products/routes";
import { iwmoRoutes } from "./iwmo/routes";
import { apiRoutes } from "./api/router";
import { apiTokenRoutes } from "./api/tokens/routes";
import { importRoutes } from "./imports/routes";

/** Pages that show clients, allocations, schedules, attendance, declarations or iWmo messages (BSNs). */
const CARE_DATA_PATHS = ["/clienten", "/toewijzingen", "/roosters", "/wachtlijst", "/planning", "/signalen", "/aanwezigheid", "/vervoer", "/agenda", "/declaraties", "/berichten", "/importeren"];

export type AppDeps = {
  db: Knex;
  clock: Clock;
  config: Config;
  logger?: pino.Logger;
};

export type App = express.Express & { close(): Promise<void> };

export function createApp(deps: AppDeps): App {
  const { db, clock, config } = deps;
  const logger = deps.logger ?? pino({ level: config.logLevel });
  const app = express() as App;
  app.set("trust proxy", config.env === "production" ? 1 : false);
  app.disable("x-powered-by");
  // Compiled templates are kept everywhere but in development (where an edited template shows
  // at once); without it every page view read and compiled its templates again.
  app.set("view cache", config.env !== "development");
  setUpViews(app);

  const sessionStore = new SessionStore({
    knex: db,
    tableName: "sessions",
    createTable: false,
    // Expired sessions are cleaned hourly; tests close the app, which stops the timer.
    cleanupInterval: config.env === "test" ? 0 : 60 * 60 * 1000,
    // Read in the session's row's own query (see SessionStore and loadActor).
    sessionUser: sessionUserRead,
  });
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => req.body?._csrf ?? req.headers["x-csrf-token"],
  });

  // The middleware, in the order a request meets it.
  app.use(requestLog(logger));
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        directives: {
          "script-src": ["'self'"],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:"],
          // Over plain http (development, tests) an upgrade would send fetches to https and fail.
          "upgrade-insecure-requests": config.env === "production" ? [] : null,
        },
      },
    }),
  );
  app.use("/static", express.static(path.resolve(__dirname, "web/public"), { maxAge: "1h" }));
  app.use(servedUnder(["/healthz"], healthRoutes({ db })));
  app.use(servedUnder(["/agenda/feed"], calendarFeedRoutes({ db, clock }))); // public .ics feeds: no session, no CSRF, the token is the key
  app.use("/api/v1", apiRoutes({ db, clock, rateLimitPerMinute: config.apiRateLimit })); // JSON API: bearer tokens, no session, no CSRF
  app.use(
    session({
      name: "dagdeel.sid",
      secret: config.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      // The cookie's expiry follows every request (an 8-hour idle timeout); the row behind it
      // is rewritten at most every few minutes (SessionStore).
      rolling: true,
      cookie: { httpOnly: true, sameSite: "lax", secure: config.secureCookies, maxAge: 8 * 60 * 60 * 1000 },
    }),
  );
  app.use(chooseLocale);
  // After the session and the language, so a body it cannot read gets the error page in the
  // user's language; body-parser's 400/413/415 go to errorHandler as they are.
  app.use(express.urlencoded({ extended: false, limit: "200kb", parameterLimit: 1000 }));
  app.use(multipartBody); // file uploads: read within limits, so their _csrf field is checked below
  app.use(csrfSynchronisedProtection);
  app.use((req, res, next) => {
    res.locals.csrfToken = generateToken(req);
    next();
  });
  app.use(loadActor(db));
  app.use(requireTotpEnrolment);
  app.use(layoutLocals);

  // The features. Everything after requireLogin needs a logged-in user; each router says
  // which roles it serves, and its repositories apply the organisation scope. A router whose
  // routes keep their full paths is entered only for its own addresses (servedUnder).
  app.use(servedUnder(["/login", "/logout", "/taal"], authRoutes({ db, clock, loginRateLimit: config.loginRateLimit, newCsrfToken: (req) => generateToken(req, true) })));
  app.use(servedUnder(["/wachtwoord-herstel"], passwordResetRoutes({ db, clock })));
  app.use(requireLogin);
  app.use("/account", accountRoutes({ db, clock })); // every user: own password, two-factor login
  // Care data is for those who work with clients. The admin keeps the application (users,
  // organisations, products, the audit log) and reads none of it; its scope finds no client either.
  app.use(CARE_DATA_PATHS, refuseRole("admin"));
  app.use(servedUnder(["/"], homeRoutes({ db, clock })));
  app.use("/organisaties", organisationRoutes({ db, clock }));
  app.use("/locaties", locationRoutes({ db, clock })); // every role reads in scope; only providers change their own (closures: coordinators too)
  app.use("/vrije-plaatsen", freePlacesRoutes({ db, clock }));
  app.use(servedUnder(["/aanwezigheid", "/vervoer"], attendanceRoutes({ db, clock }))); // coordinator and provider
  app.use("/importeren", importRoutes({ db, clock })); // clients and schedules from a spreadsheet
  app.use(servedUnder(["/clienten", "/toewijzingen"], clientRoutes({ db, clock })));
  app.use(servedUnder(["/roosters", "/wachtlijst", "/planning", "/signalen"], planningRoutes({ db, clock })));
  app.use("/agenda", requireRole("coordinator", "provider"), calendarRoutes({ db, clock }));
  app.use("/contracten", contractRoutes({ db, clock })); // read in scope; written by the purchaser (or admin)
  app.use("/declaraties", declarationRoutes({ db, clock })); // providers prepare/submit, purchasers decide
  app.use(servedUnder(["/berichten"], iwmoRoutes({ db, clock }))); // WMO301 import, WMO305/307 due and sent, the gemeente's side
  app.use("/api-sleutels", apiTokenRoutes({ db, clock })); // an organisation's API tokens (the admin: every organisation's)
  app.use("/beheer/gebruikers", requireRole("admin"), adminUserRoutes({ db, clock, publicUrl: config.publicUrl }));
  app.use("/beheer/organisaties", requireRole("admin"), adminOrganisationRoutes({ db, clock }));
  app.use("/beheer/audit", requireRole("admin"), adminAuditRoutes({ db }));
  app.use("/beheer/producten", requireRole("admin"), productRoutes({ db, clock }));

  app.use(notFound);
  app.use(errorHandler);

  app.close = async () => {
    // Let the store finish creating/cleaning before the database closes under it.
    await sessionStore.ready.catch(() => undefined);
    if (sessionStore.nextDbCleanup) clearTimeout(sessionStore.nextDbCleanup);
  };
  return app;
}
