import { createHash, randomBytes } from "node:crypto";

// An API token is 32 random bytes, base64url, behind a fixed prefix ("dgd_") so a token that
// leaks into a repository or a log is recognisable as ours. Only its SHA-256 is stored: a copy
// of the database opens nothing, and the lookup by digest (an index, not a comparison of the
// secret) says nothing about how close a guess was.

const PREFIX = "dgd_";
const SHAPE = /^dgd_[A-Za-z0-9_-]{43}$/;

export function newApiToken(): string {
  return PREFIX + randomBytes(32).toString("base64url");
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function isApiTokenShaped(value: string): boolean {
  return SHAPE.test(value);
}

/** The last four characters, shown in lists so a user can tell which token is which. */
export function tokenHint(token: string): string {
  return token.slice(-4);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return m ? m[1] : null;
}
