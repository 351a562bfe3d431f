import { createHash } from "node:crypto";

import type { Knex } from "knex";
import { refreshUse } from "./refresh";
import { anyDirty, useVersion } from "./repository";
import { ensureUseTriggers } from "./triggers";

// Answers kept against everything they were computed from (issue 11): the use version in the
// database (raised whenever refreshUse() counts a change to attendance, schedules, slots or
// allocations, by whichever process), and whatever else the caller puts in the key — the date,
// and the rows of the contracts, tariff lines, capacity rules and closures it read. The use of a
// gemeente's contracts, or the free places of a region's 200 locations, read and work through
// months of rows; asked again with nothing changed, the answer is the same, so it is kept. The
// version lives in the database, so several processes on one PostgreSQL each keep their own
// answers and all of them see a change.

/** A few answers per database handle: the home page's, a page or two of an overview. */
const KEPT = 12;

/**
 * The use version once every committed change is counted. Read before the rows an answer is
 * computed from, so an answer is never kept under a version older than its rows.
 */
export async function currentUseVersion(db: Knex): Promise<number> {
  await refreshUse(db);
  return useVersion(db);
}

const caches = new WeakMap<object, Map<string, unknown>>();

/**
 * The use version while no change waits to be counted, else null: then nothing may be kept or
 * taken. For pages that read schedules and attendance themselves and have no business counting
 * use (free places, the attendance start page): they do not wait for a recount, and an answer
 * computed while a change was uncounted is never kept under a version that does not include it.
 */
export async function settledUseVersion(db: Knex): Promise<number | null> {
  await ensureUseTriggers(db);
  if (await anyDirty(db)) return null;
  return useVersion(db);
}

/** A short digest of everything the answer depends on. */
export function keyOf(parts: unknown[]): string {
  return createHash("sha1").update(JSON.stringify(parts)).digest("base64");
}

export function keptAnswer<T>(db: object, key: string): T | undefined {
  const cache = caches.get(db);
  if (!cache || !cache.has(key)) return undefined;
  const value = cache.get(key) as T;
  // Most recently used last: the first one is the one to drop.
  cache.delete(key);
  cache.set(key, value);
  return value;
}

export function keepAnswer<T>(db: object, key: string, value: T): void {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > KEPT) cache.delete(cache.keys().next().value as string);
}
