import { createHash } from "node:crypto";
import type { Knex } from "knex";
import { today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { clientFeedEvents, locationFeedEvents, type Window } from "../domain/feed-events";
import { shortName } from "../domain/short-name";
import { clientFeedVersion, locationFeedVersion } from "./feed-version";
import { renderFeedInTurns } from "./ics";
import { nextTurn } from "../web/turns";
import { loadClientPlanData, loadLocationPlanData } from "./plan-repository";
import { findActiveFeedWithVersion, type FeedRow } from "./repository";
import { KeptAnswers } from "../data-version/kept";
import { ensureVersionTriggers } from "../data-version/triggers";
import { hashFeedToken, isFeedTokenShaped } from "./tokens";

/** A feed covers four weeks back (what was) and twelve weeks ahead (what comes). */
export function feedWindow(clock: Clock): Window {
  const date = today(clock);
  return { from: addDays(date, -28), until: addDays(date, 84) };
}

export type ServedFeed = { etag: string; body: () => Promise<string | null> };

/**
 * Bodies built lately, by feed, kept against their ETag (src/data-version/kept.ts): a calendar
 * app polls every few minutes, and a body is built again only when its feed's ETag moved; many
 * polls of a changed feed at once build it once.
 */
const keptBodies = new KeptAnswers<string | null>(500);

// A new process may render differently (a new release): its ETags never match an older one's.
const RELEASE = Date.now().toString(36);

/**
 * A feed's summary (feed-version.ts) is read again only when the planning data version moved:
 * every table the summary reads (clients, schedules and slots, attendance, locations, villages,
 * closures) raises that version in the same transaction as its change, deletions too. So an
 * unchanged feed costs one query: its row with the version. Kept as the ETag it makes, by feed
 * and window (src/data-version/kept.ts).
 */
const keptEtags = new KeptAnswers<string | null>(5000);

/** A feed's ETag: its summary's digest; null when the feed names nothing. */
async function feedEtag(db: Knex, feed: FeedRow, window: Window): Promise<string | null> {
  let version: string;
  if (feed.scope === "client" && feed.client_id !== null) version = await clientFeedVersion(db, feed.client_id, window);
  else if (feed.scope === "location" && feed.location_id !== null) version = await locationFeedVersion(db, feed.location_id, window);
  else return null;
  return `"${createHash("sha256").update(`${RELEASE}|${version}`).digest("base64url")}"`;
}

/**
 * The calendar a token opens, or null when the token is unknown, malformed or revoked: its
 * ETag from the feed's row and the data version (one query), its summary read again only when
 * that version moved, and its body, built only when asked for and not kept from before — so a
 * poll of an unchanged feed (If-None-Match) never builds it.
 */
export async function feedForToken(db: Knex, clock: Clock, token: string): Promise<ServedFeed | null> {
  if (!isFeedTokenShaped(token)) return null;
  const feed = await findActiveFeedWithVersion(db, hashFeedToken(token));
  if (!feed) return null;
  const window = feedWindow(clock);
  // Triggers created just now (the first feed of a process on a new database) raised the version.
  const dataVersion = (await ensureVersionTriggers(db)) ? null : feed.data_version;
  // The summary is read after the version: kept under it, it is never older than what it stands for.
  const etag = await keptEtags.answer(db, `${feed.id}|${window.from}|${window.until}`, dataVersion, () => feedEtag(db, feed, window));
  if (etag === null) return null;
  return {
    etag,
    body: async () => {
      return keptBodies.answer(db, String(feed.id), etag, () => buildFeed(db, feed, window));
    },
  };
}

async function buildFeed(db: Knex, feed: FeedRow, window: Window): Promise<string | null> {
  if (feed.scope === "client" && feed.client_id !== null) {
    const data = await loadClientPlanData(db, feed.client_id, window);
    if (!data) return null;
    const events = clientFeedEvents({ ...window, clientId: data.client.id, ...data });
    await nextTurn();
    return renderFeedInTurns({ scope: "client", clientName: shortName(data.client.first_name, data.client.last_name) }, events);
  }
  if (feed.scope === "location" && feed.location_id !== null) {
    const data = await loadLocationPlanData(db, feed.location_id, window);
    if (!data) return null;
    const events = locationFeedEvents({ ...window, ...data });
    await nextTurn();
    return renderFeedInTurns({ scope: "location", locationName: data.location.name }, events);
  }
  return null;
}
