import { createHash, randomBytes } from "node:crypto";

// A feed token is the only key to a feed: 32 random bytes, base64url (43 characters). Only its
// SHA-256 is stored, so a copy of the database opens no feed. A presented token is looked up
// by its hash: the comparison happens on the digest inside an index lookup, so how long it
// takes says nothing about how close a guess was.

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newFeedToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashFeedToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Anything that could not have come from newFeedToken is not worth a database query. */
export function isFeedTokenShaped(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/** The path of a feed; the full URL is shown once, right after creation. */
export function feedPath(token: string): string {
  return `/agenda/feed/${token}.ics`;
}

const FEED_PATH = /\/agenda\/feed\/[^/?#]*/;

/** Request logs must not keep feed tokens: they are the secret. */
export function hideFeedToken(url: string): string {
  return url.replace(new RegExp(FEED_PATH.source, "g"), "/agenda/feed/[token]");
}

/** The request log's request serializer (src/web/request-log.ts: it gets the already serialized request) that drops the token. */
export function withoutFeedToken<R extends { url?: unknown; params?: unknown }>(req: R): R {
  if (typeof req.url !== "string" || !FEED_PATH.test(req.url)) return req;
  return { ...req, url: hideFeedToken(req.url), params: {} };
}
