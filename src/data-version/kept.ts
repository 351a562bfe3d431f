import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { problemsVersion } from "./triggers";

// Answers kept against the data version (./triggers.ts): an answer computed at version v is
// given again while the database still says v, and computed afresh once a write raised it. The
// version is read BEFORE computing, so an answer may be newer than its version (a write that
// committed meanwhile: the next request computes again) but never older. Per database handle
// (tests and the bench run several in one process), at most KEPT answers each, the least
// recently used going first; a request that arrives while the same answer is being computed
// waits for that computation instead of starting its own.

const KEPT = 16;

type Entry = { version: number; value: Promise<unknown> };

const byDb = new WeakMap<object, Map<string, Entry>>();

/** Which organisations' data a scope sees, as part of a kept answer's key. */
export function scopeKey(scope: Scope): string {
  return scope.seesEverything ? "all" : `${scope.actor.role}:${scope.actor.organisationId ?? "-"}`;
}

/** The answer kept under `key` while the data version has not moved, else `compute()`'s (then kept). */
export async function kept<V>(db: Knex, key: string, compute: () => Promise<V>): Promise<V> {
  const version = await problemsVersion(db);
  let entries = byDb.get(db);
  if (!entries) byDb.set(db, (entries = new Map()));
  const found = entries.get(key);
  if (found && found.version === version) {
    // Most recently used goes last: Map keeps insertion order.
    entries.delete(key);
    entries.set(key, found);
    return found.value as Promise<V>;
  }
  const value = compute();
  const entry: Entry = { version, value };
  entries.delete(key);
  entries.set(key, entry);
  while (entries.size > KEPT) entries.delete(entries.keys().next().value!);
  // A failed computation is not kept: the next request tries again.
  value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return value;
}

/** Forgets every kept answer of this database (tests that change rows behind the triggers' back). */
export function forgetKept(db: Knex): void {
  byDb.delete(db);
}
