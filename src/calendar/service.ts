import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { ForbiddenError, NotFoundError } from "../domain/errors";
import * as feeds from "./repository";
import { findVisibleClient, findVisibleLocation, searchClients, visibleLocations } from "./subjects-repository";
import { hashFeedToken, newFeedToken } from "./tokens";
import { pageOf } from "../web/pagination";

// Who manages which feed:
//   client feeds    coordinators (they keep the clients and talk to the families);
//   location feeds  the provider of the location, and coordinators;
//   purchasers and admins manage none (the router refuses them): a feed exposes planning.
// Outside that, a feed, client or location is simply not found.

export type CreatedFeed = { feedId: number; token: string };

function requireCoordinator(actor: Actor): void {
  if (actor.role !== "coordinator") throw new ForbiddenError("client feeds are the coordinator's");
}

async function insertWithAudit(
  db: Knex,
  clock: Clock,
  actor: Actor,
  row: { scope: feeds.FeedScope; client_id: number | null; location_id: number | null; label: string },
): Promise<CreatedFeed> {
  const token = newFeedToken();
  const at = timestamp(clock);
  const feedId = await db.transaction(async (trx) => {
    const id = await feeds.insertFeed(trx, { ...row, token_hash: hashFeedToken(token), created_by: actor.userId, created_at: at, updated_at: at });
    // Never the token or its hash: the audit log is read by more people than the feed is meant for.
    await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "calendar_feed", entityId: id, details: { ...row } });
    return id;
  });
  return { feedId, token };
}

export async function createClientFeed(db: Knex, clock: Clock, actor: Actor, scope: Scope, clientId: number, label: string): Promise<CreatedFeed> {
  requireCoordinator(actor);
  if (!(await findVisibleClient(db, scope, clientId))) throw new NotFoundError("client");
  return insertWithAudit(db, clock, actor, { scope: "client", client_id: clientId, location_id: null, label });
}

export async function createLocationFeed(db: Knex, clock: Clock, actor: Actor, scope: Scope, locationId: number, label: string): Promise<CreatedFeed> {
  if (actor.role !== "coordinator" && actor.role !== "provider") throw new ForbiddenError("location feeds");
  if (!(await findVisibleLocation(db, scope, locationId))) throw new NotFoundError("location");
  return insertWithAudit(db, clock, actor, { scope: "location", client_id: null, location_id: locationId, label });
}

/** Who may revoke this feed; everyone else gets "not found", so its existence stays hidden. */
function mayManage(actor: Actor, feed: feeds.FeedWithOwner): boolean {
  if (actor.role === "coordinator") return true;
  return feed.scope === "location" && actor.role === "provider" && feed.provider_id === actor.organisationId;
}

/** Revokes a feed: its link answers 404 from now on. Revoking twice changes nothing. */
export async function revokeFeed(db: Knex, clock: Clock, actor: Actor, feedId: number): Promise<feeds.FeedWithOwner> {
  const feed = await feeds.findFeed(db, feedId);
  if (!feed || !mayManage(actor, feed)) throw new NotFoundError("calendar feed");
  if (feed.revoked_at !== null) return feed;
  const at = timestamp(clock);
  await db.transaction(async (trx) => {
    await feeds.markRevoked(trx, feedId, at);
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "revoke",
      entity: "calendar_feed",
      entityId: feedId,
      details: { scope: feed.scope, client_id: feed.client_id, location_id: feed.location_id, label: feed.label },
    });
  });
  return { ...feed, revoked_at: at };
}

/** The overview: a coordinator's client search and every active feed; a provider's locations and their feeds. */
export const LOCATIONS_PER_PAGE = 50;
export const FEEDS_PER_PAGE = 25;

/** The page asked for of a list, clamped, and its rows. */
function pageOfRows<T>(rows: T[], requested: number, size: number): { rows: T[]; page: number; total: number } {
  const { page, offset } = pageOf(requested, rows.length, size);
  return { rows: rows.slice(offset, offset + size), page, total: rows.length };
}

export async function calendarOverview(db: Knex, actor: Actor, scope: Scope, search: string | null, pages: { locations: number; feeds: number } = { locations: 1, feeds: 1 }) {
  const coordinator = actor.role === "coordinator";
  const [locations, locationFeeds, clientFeeds, clients] = await Promise.all([
    visibleLocations(db, scope),
    feeds.activeLocationFeeds(db, scope, null),
    coordinator ? feeds.activeClientFeeds(db, null) : Promise.resolve([]),
    search ? searchClients(db, scope, search) : Promise.resolve([]),
  ]);
  const feedCount = new Map<number, number>();
  for (const f of locationFeeds) if (f.location_id !== null) feedCount.set(f.location_id, (feedCount.get(f.location_id) ?? 0) + 1);
  // A region has hundreds of locations and client feeds: the page shows them a page at a time.
  const locationPage = pageOfRows(locations, pages.locations, LOCATIONS_PER_PAGE);
  const feedPage = pageOfRows(clientFeeds, pages.feeds, FEEDS_PER_PAGE);
  return {
    coordinator,
    locations: locationPage.rows.map((l) => ({ ...l, feedCount: feedCount.get(l.id) ?? 0 })),
    locationFeeds,
    clientFeeds: feedPage.rows,
    clients,
    search,
    locationPage,
    feedPage,
  };
}

export async function clientFeedsPage(db: Knex, actor: Actor, scope: Scope, clientId: number) {
  requireCoordinator(actor);
  const client = await findVisibleClient(db, scope, clientId);
  if (!client) throw new NotFoundError("client");
  return { client, feeds: await feeds.activeClientFeeds(db, clientId) };
}

export async function locationFeedsPage(db: Knex, scope: Scope, locationId: number) {
  const location = await findVisibleLocation(db, scope, locationId);
  if (!location) throw new NotFoundError("location");
  return { location, feeds: await feeds.activeLocationFeeds(db, scope, locationId) };
}
