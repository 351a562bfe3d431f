import { createHash } from "node:crypto";
import type { Knex } from "knex";
import { today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { clientFeedEvents, locationFeedEvents, type Window } from "../domain/feed-events";
import { shortName } from "../domain/short-name";
import { clientFeedVersion, locationFeedVersion } from "./feed-version";
import { renderFeed } from "./ics";
import { loadClientPlanData, loadLocationPlanData } from "./plan-repository";
import { findActiveFeedByHash, type FeedRow } from "./repository";
import { hashFeedToken, isFeedTokenShaped } from "./tokens";

/** A feed covers four weeks back (what was) and twelve weeks ahead (what comes). */
export function feedWindow(clock: Clock): Window {
  const date = today(clock);
  return { from: addDays(date, -28), until: addDays(date, 84) };
}

export type ServedFeed = { etag: string; body: () => Promise<string | null> };

/**
 * Bodies built lately, by feed: a calendar app polls every few minutes, and a body is built
 * again only when its feed's version moved. Bounded, the oldest going first.
 */
const BUILT_LIMIT = 500;
const builtPerDatabase = new WeakMap<Knex, Map<number, { etag: string; body: string }>>();

function builtIn(db: Knex): Map<number, { etag: string; body: string }> {
  let built = builtPerDatabase.get(db);
  if (!built) builtPerDatabase.set(db, (built = new Map()));
  return built;
}

function keep(db: Knex, feedId: number, etag: string, body: string): void {
  const built = builtIn(db);
  built.delete(feedId);
  built.set(feedId, { etag, body });
  if (built.size > BUILT_LIMIT) built.delete(built.keys().next().value!);
}

// A new process may render differently (a new release): its ETags never match an older one's.
const RELEASE = Date.now().toString(36);

/**
 * The calendar a token opens, or null when the token is unknown, malformed or revoked: its
 * ETag from two queries (the feed, its version), and its body, built only when asked for and
 * not kept from before — so a poll of an unchanged feed (If-None-Match) never builds it.
 */
export async function feedForToken(db: Knex, clock: Clock, token: string): Promise<ServedFeed | null> {
  if (!isFeedTokenShaped(token)) return null;
  const feed = await findActiveFeedByHash(db, hashFeedToken(token));
  if (!feed) return null;
  const window = feedWindow(clock);
  let version: string;
  if (feed.scope === "client" && feed.client_id !== null) version = await clientFeedVersion(db, feed.client_id, window);
  else if (feed.scope === "location" && feed.location_id !== null) version = await locationFeedVersion(db, feed.location_id, window);
  else return null;
  const etag = `"${createHash("sha256").update(`${RELEASE}|${version}`).digest("base64url")}"`;
  return {
    etag,
    body: async () => {
      const kept = builtIn(db).get(feed.id);
      if (kept?.etag === etag) return kept.body;
      const body = await buildFeed(db, feed, window);
      if (body !== null) keep(db, feed.id, etag, body);
      return body;
    },
  };
}

async function buildFeed(db: Knex, feed: FeedRow, window: Window): Promise<string | null> {
  if (feed.scope === "client" && feed.client_id !== null) {
    const data = await loadClientPlanData(db, feed.client_id, window);
    if (!data) return null;
    const events = clientFeedEvents({ ...window, clientId: data.client.id, ...data });
    return renderFeed({ scope: "client", clientName: shortName(data.client.first_name, data.client.last_name) }, events);
  }
  if (feed.scope === "location" && feed.location_id !== null) {
    const data = await loadLocationPlanData(db, feed.location_id, window);
    if (!data) return null;
    return renderFeed({ scope: "location", locationName: data.location.name }, locationFeedEvents({ ...window, ...data }));
  }
  return null;
}
