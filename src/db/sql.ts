import type { Knex } from "knex";
import type { Dagdeel } from "../domain/dagdeel";
import type { Slot } from "../domain/schedule";
import { isPostgres } from "./dialect";

// The little SQL that differs between SQLite and PostgreSQL, in one place.

/**
 * An aggregate joining the text of a group's rows with commas, in the order of `orderBy`:
 * SQLite's group_concat, PostgreSQL's string_agg. The expression is code, never user input.
 */
export function joinedText(db: Knex | Knex.Transaction, expression: string, orderBy: string): Knex.Raw {
  return isPostgres(db) ? db.raw(`string_agg(${expression}, ',' order by ${orderBy})`) : db.raw(`group_concat(${expression}, ',')`);
}

/** A schedule's (or waiting entry's) slots in one column: "1ochtend,3middag", read back by slotsOf. */
export function joinedSlots(db: Knex | Knex.Transaction, alias = "ss"): Knex.Raw {
  return joinedText(db, `${alias}.weekday || ${alias}.dagdeel`, `${alias}.weekday, ${alias}.dagdeel`);
}

export function slotsOf(joined: string | null): Slot[] {
  return joined === null || joined === "" ? [] : joined.split(",").map((x) => ({ weekday: Number(x[0]), dagdeel: x.slice(1) as Dagdeel }));
}
