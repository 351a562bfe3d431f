import type { Knex } from "knex";
import { today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { clientFeedEvents, locationFeedEvents, type Window } from "../domain/feed-events";
import { shortName } from "../domain/short-name";
import { etagOf, renderFeed } from "./ics";
import { loadClientPlanData, loadLocationPlanData } from "./plan-repository";
import { findActiveFeedByHash } from "./repository";
import { hashFeedToken, isFeedTokenShaped } from "./tokens";

/** A feed covers four weeks back (what was) and twelve weeks ahead (what comes). */
export function feedWindow(clock: Clock): Window {
  const date = today(clock);
  return { from: addDays(date, -28), until: addDays(date, 84) };
}

export type ServedFeed = { body: string; etag: string };

/** The calendar a token opens, or null when the token is unknown, malformed or revoked. */
export async function feedForToken(db: Knex, clock: Clock, token: string): Promise<ServedFeed | null> {
  if (!isFeedTokenShaped(token)) return null;
  const feed = await findActiveFeedByHash(db, hashFeedToken(token));
  if (!feed) return null;
  const window = feedWindow(clock);

  let body: string;
  if (feed.scope === "client" && feed.client_id !== null) {
    const data = await loadClientPlanData(db, feed.client_id, window);
    if (!data) return null;
    const events = clientFeedEvents({ ...window, clientId: data.client.id, ...data });
    body = renderFeed({ scope: "client", clientName: shortName(data.client.first_name, data.client.last_name) }, events);
  } else if (feed.scope === "location" && feed.location_id !== null) {
    const data = await loadLocationPlanData(db, feed.location_id, window);
    if (!data) return null;
    body = renderFeed({ scope: "location", locationName: data.location.name }, locationFeedEvents({ ...window, ...data }));
  } else {
    return null;
  }
  return { body, etag: etagOf(body) };
}
