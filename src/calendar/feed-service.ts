import { createHash } from "node:crypto";
import type { Knex } from "knex";
import { today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { clientFeedEvents, locationFeedEvents, type Window } from "../domain/feed-events";
import { shortName } from "../domain/short-name";
import { clientFeedVersion, locationFeedVersion } from "./feed-version";
import { renderFeed } from "./ics";
import { loadClientPlanData, loadLocationPlanData } from "./plan-repository";
import { findActiveFeedWithVersion, type FeedRow } from "./repository";
import { ensureBoardTriggers } from "../planning/board-version";
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

const buildingPerDatabase = new WeakMap<Knex, Map<string, Promise<string | null>>>();

function buildingIn(db: Knex): Map<string, Promise<string | null>> {
  let building = buildingPerDatabase.get(db);
  if (!building) buildingPerDatabase.set(db, (building = new Map()));
  return building;
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
 * A feed's summary (feed-version.ts) is read again only when the planning data version moved:
 * every table the summary reads (clients, schedules and slots, attendance, locations, villages,
 * closures) raises that version in the same transaction as its change, deletions too. So an
 * unchanged feed costs one query: its row with the version. Bounded, the oldest going first.
 */
const SUMMARY_LIMIT = 5000;
type KeptSummary = { dataVersion: number; from: string; until: string; etag: string };
const summariesPerDatabase = new WeakMap<Knex, Map<number, KeptSummary>>();

function summariesIn(db: Knex): Map<number, KeptSummary> {
  let kept = summariesPerDatabase.get(db);
  if (!kept) summariesPerDatabase.set(db, (kept = new Map()));
  return kept;
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
  const dataVersion = (await ensureBoardTriggers(db)) ? null : feed.data_version;
  const summaries = summariesIn(db);
  const kept = summaries.get(feed.id);
  let etag: string;
  if (kept && dataVersion !== null && kept.dataVersion === dataVersion && kept.from === window.from && kept.until === window.until) {
    etag = kept.etag;
  } else {
    let version: string;
    if (feed.scope === "client" && feed.client_id !== null) version = await clientFeedVersion(db, feed.client_id, window);
    else if (feed.scope === "location" && feed.location_id !== null) version = await locationFeedVersion(db, feed.location_id, window);
    else return null;
    etag = `"${createHash("sha256").update(`${RELEASE}|${version}`).digest("base64url")}"`;
    // The summary was read after the version: kept under it, it is never older than what it stands for.
    if (dataVersion !== null) {
      summaries.delete(feed.id);
      summaries.set(feed.id, { dataVersion, from: window.from, until: window.until, etag });
      if (summaries.size > SUMMARY_LIMIT) summaries.delete(summaries.keys().next().value!);
    }
  }
  return {
    etag,
    body: async () => {
      const kept = builtIn(db).get(feed.id);
      if (kept?.etag === etag) return kept.body;
      // Many polls of a changed feed at once build it once: the others wait for that build.
      const key = `${feed.id}|${etag}`;
      const building = buildingIn(db);
      let built = building.get(key);
      if (!built) {
        built = buildFeed(db, feed, window).finally(() => building.delete(key));
        building.set(key, built);
      }
      const body = await built;
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
