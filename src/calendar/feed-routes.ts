import { Router } from "express";
import type { Knex } from "knex";
import type { Clock } from "../domain/clock";
import { DEFAULT_LOCALE, translator } from "../web/i18n";
import { feedForToken } from "./feed-service";
import { ifNoneMatchHits } from "./ics";

const FEED_FILE = /^(.+)\.ics$/;

/**
 * GET /agenda/feed/<token>.ics — the public, subscribable calendar. Mounted before the
 * session middleware: a calendar app carries no cookie and no CSRF token; the token in the
 * path is the whole authorisation. Unknown and revoked tokens get the same plain 404.
 */
export function calendarFeedRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();

  router.get("/agenda/feed/:file", async (req, res) => {
    const token = FEED_FILE.exec(req.params.file)?.[1] ?? "";
    const feed = await feedForToken(deps.db, deps.clock, token);
    // Kept out of search engines should a link ever be posted somewhere.
    res.set("X-Robots-Tag", "noindex, nofollow");
    const notFound = () => res.status(404).set("Cache-Control", "no-store").type("text/plain; charset=utf-8").send(translator(DEFAULT_LOCALE)("calendar.feed.notFound"));
    if (!feed) {
      notFound();
      return;
    }
    // Private: never kept by a shared cache. Five minutes: a revoked link stops soon enough.
    res.set({ "Cache-Control": "private, max-age=300", ETag: feed.etag });
    if (ifNoneMatchHits(req.get("If-None-Match"), feed.etag)) {
      res.status(304).end();
      return;
    }
    const body = await feed.body();
    if (body === null) {
      notFound();
      return;
    }
    res.status(200).set("Content-Type", "text/calendar; charset=utf-8").send(body);
  });

  return router;
}
