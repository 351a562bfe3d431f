import type { Knex } from "knex";
import { isPostgres } from "./knex";

// The little SQL that differs between SQLite and PostgreSQL, in one place.

/**
 * An aggregate joining the text of a group's rows with commas, in the order of `orderBy`:
 * SQLite's group_concat, PostgreSQL's string_agg. The expression is code, never user input.
 */
export function joinedText(db: Knex | Knex.Transaction, expression: string, orderBy: string): Knex.Raw {
  return isPostgres(db) ? db.raw(`string_agg(${expression}, ',' order by ${orderBy})`) : db.raw(`group_concat(${expression}, ',')`);
}
