import { withoutFeedToken } from "../calendar/tokens";

// What the request log may hold: method, path, status, timing — never a key to someone's
// session (cookie, set-cookie) or account (a reset link's token), never a BSN or a searched
// name (personal data under the AVG).
// pino-http hands these serializers the request and response it has already serialized.

const REDACTED = "[redacted]";
const SECRET_HEADERS = ["cookie", "authorization", "x-csrf-token"];
/** Query parameters that carry free text a user typed: a search for a name or a BSN. */
const FREE_TEXT_PARAMS = new Set(["q", "zoek", "bsn", "client", "naam"]);
/** A BSN is 9 digits (8 with a leading zero dropped); ids and years are shorter. */
const BSN_LIKE = /\d{8,9}/;
const BSN_LIKE_ALL = /(?<!\d)\d{8,9}(?!\d)/g;

type SerializedRequest = { url?: unknown; params?: unknown; query?: unknown; headers?: Record<string, unknown> };
type SerializedResponse = { headers?: Record<string, unknown> };

/** Paths whose last segment is a key: a password reset link's token. */
const TOKEN_PATH = /^(\/wachtwoord-herstel\/)[^/?]+/;

export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  const path = (q < 0 ? url : url.slice(0, q)).replace(TOKEN_PATH, `$1${REDACTED}`).replace(BSN_LIKE_ALL, REDACTED);
  if (q < 0) return path;
  const params = new URLSearchParams(url.slice(q + 1));
  const kept = [...params].map(([key, value]) => [key, FREE_TEXT_PARAMS.has(key) || BSN_LIKE.test(value) ? REDACTED : value]);
  return `${path}?${new URLSearchParams(kept).toString()}`;
}

function redactQuery(query: unknown): unknown {
  if (!query || typeof query !== "object") return query;
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, FREE_TEXT_PARAMS.has(key) || BSN_LIKE.test(String(value)) ? REDACTED : value]));
}

function withoutHeaders(headers: Record<string, unknown> | undefined, names: string[]): Record<string, unknown> | undefined {
  if (!headers) return headers;
  const copy = { ...headers };
  for (const name of names) if (name in copy) copy[name] = REDACTED;
  return copy;
}

export function requestSerializer<R extends SerializedRequest>(raw: R): R {
  const req = withoutFeedToken(raw);
  return {
    ...req,
    url: typeof req.url === "string" ? redactUrl(req.url) : req.url,
    query: redactQuery(req.query),
    params: typeof req.url === "string" && TOKEN_PATH.test(req.url) ? {} : req.params,
    headers: withoutHeaders(req.headers, SECRET_HEADERS),
  };
}

export function responseSerializer<R extends SerializedResponse>(res: R): R {
  return { ...res, headers: withoutHeaders(res.headers, ["set-cookie"]) };
}

/** Errors keep their stack, but a BSN bound into a failed query's message does not reach the log. */
export function errorSerializer<E extends { message?: unknown; stack?: unknown }>(err: E): E {
  if (!err || typeof err !== "object") return err;
  const scrub = (s: unknown) => (typeof s === "string" ? s.replace(BSN_LIKE_ALL, REDACTED) : s);
  return { ...err, message: scrub(err.message), stack: scrub(err.stack) };
}
