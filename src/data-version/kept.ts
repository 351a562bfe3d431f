import { createHash } from "node:crypto";

import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { ensureVersionTriggers } from "./triggers";
import { dataVersion } from "./versions";
import type { VersionName } from "./watched";

// Answers kept against a data version (./versions.ts), the one way every feature keeps an
// answer between requests (issue 11): an answer computed at version v is given again while the
// database still says v, and computed afresh once a write raised it. The caller reads the
// version BEFORE the data it computes from (keptAt does), so an answer may be newer than its
// version — the next request computes again — but never older.
//
// Per database handle (tests and the bench run several in one process), at most `size` answers
// per kind of answer, the least recently used going first; a request that arrives while the
// same answer is being computed waits for that computation instead of starting its own; a
// failed computation is not kept (the next request tries again). Whatever else an answer
// depends on goes in its key (the scope, the date, rows the version does not watch: keyOf).

/** A data version, or whatever else stands for the data an answer was made from (a calendar feed's ETag). */
type Version = number | string;

type Entry<V> = { version: Version; value: Promise<V> };

export class KeptAnswers<V> {
  private readonly byDb = new WeakMap<object, Map<string, Entry<V>>>();

  /** `size`: how many answers one database handle keeps. */
  constructor(private readonly size: number) {}

  /**
   * The answer kept under `key` at `version`, else `compute()`'s (then kept). A null version
   * (the use version while a change waits to be counted) neither keeps nor takes.
   */
  answer(db: object, key: string, version: Version | null, compute: () => Promise<V>): Promise<V> {
    if (version === null) return compute();
    let entries = this.byDb.get(db);
    if (!entries) this.byDb.set(db, (entries = new Map()));
    const found = entries.get(key);
    if (found && found.version === version) {
      // Most recently used goes last: Map keeps insertion order.
      entries.delete(key);
      entries.set(key, found);
      return found.value;
    }
    const value = compute();
    const entry: Entry<V> = { version, value };
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > this.size) entries.delete(entries.keys().next().value!);
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return value;
  }

  /** Forgets every answer kept for this database (tests that change rows behind the triggers' back). */
  forget(db: object): void {
    this.byDb.delete(db);
  }
}

/**
 * The answer kept against the version `name` as the database says it now (one query; none when
 * the request read it already, `known`, with the session's user), else computed and kept.
 * Triggers created just now (the first kept answer of a process on a new database) raised the
 * version again: then it is read afresh.
 */
export async function keptAt<V>(answers: KeptAnswers<V>, db: Knex, name: VersionName, key: string, compute: () => Promise<V>, known?: number): Promise<V> {
  const created = await ensureVersionTriggers(db);
  const version = known !== undefined && !created ? known : await dataVersion(db, name);
  return answers.answer(db, key, version, compute);
}

/** Which organisations' data a scope sees, as part of a kept answer's key. */
export function scopeKey(scope: Scope): string {
  return scope.seesEverything ? "all" : `${scope.actor.role}:${scope.actor.organisationId ?? "-"}`;
}

/** A short digest of everything else an answer depends on (rows read alongside, the date), as its key. */
export function keyOf(parts: unknown[]): string {
  return createHash("sha1").update(JSON.stringify(parts)).digest("base64");
}
