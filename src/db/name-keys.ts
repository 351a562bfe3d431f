import type { Knex } from "knex";
import { containsPattern } from "../domain/client";
import { nameSearchKey, nameSortKey, personSearchKey, personSortKey } from "../domain/search-key";

// Every write of a name writes its search and sort keys with it (see domain/search-key.ts):
// the repositories, the demo seed and the region seed's bulk insert all come through here.

export type NameKeys = { search_key: string; sort_key: string };

/** The tables whose rows carry a name and its keys. */
export const NAMED_TABLES = ["clients", "locations", "organisations", "users", "villages"] as const;
export type NamedTable = (typeof NAMED_TABLES)[number];

export function isNamedTable(table: string): table is NamedTable {
  return (NAMED_TABLES as readonly string[]).includes(table);
}

/** A client's keys from its first and last name. */
export function personKeys(firstName: string, lastName: string): NameKeys {
  return { search_key: personSearchKey(firstName, lastName), sort_key: personSortKey(firstName, lastName) };
}

/** The keys of a location, organisation, user or village from its name. */
export function nameKeys(name: string): NameKeys {
  return { search_key: nameSearchKey(name), sort_key: nameSortKey(name) };
}

/**
 * The row with its keys added when it holds the name they come from (a client needs both its
 * names: an update changing one of them passes the other too); other rows come back as they are.
 */
export function withNameKeys<R extends Record<string, unknown>>(table: string, row: R): R | (R & NameKeys) {
  if (!isNamedTable(table)) return row;
  if (table === "clients") {
    const { first_name: first, last_name: last } = row;
    if (first === undefined && last === undefined) return row;
    if (typeof first !== "string" || typeof last !== "string") throw new Error("a client's keys need both its first and last name");
    return { ...row, ...personKeys(first, last) };
  }
  return typeof row.name === "string" ? { ...row, ...nameKeys(row.name) } : row;
}

/**
 * Rows whose key holds every one of the (folded) words: `key` is the caller's SQL for a key
 * column or a concatenation of them, never input; each word travels as a bound LIKE pattern
 * with its % and _ escaped, the same on SQLite and PostgreSQL.
 */
export function whereKeyHoldsWords<Q extends Knex.QueryBuilder>(q: Q, key: string, words: string[]): Q {
  for (const word of words) q.whereRaw(`${key} like ? escape '\\'`, [containsPattern(word)]);
  return q;
}
