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

const NO_SLOTS = Object.freeze([]) as unknown as Slot[];
/** The slots of each text read so far: a region's twelve thousand schedules have a few hundred patterns. */
const slotsRead = new Map<string, Slot[]>();
/** Enough for every pattern a region has; beyond it the map starts again (bounded memory). */
const SLOT_PATTERNS_KEPT = 4096;

/**
 * The slots of a joined column. Schedules with the same slots share one (frozen) list: the
 * problem lists and planned use read every running schedule at once, and an array with its
 * slot objects for each of them was young garbage by the hundred thousand, whose copying made
 * the garbage collections that came with those requests' longest blocks (issue 11).
 */
export function slotsOf(joined: string | null): Slot[] {
  if (joined === null || joined === "") return NO_SLOTS;
  let slots = slotsRead.get(joined);
  if (!slots) {
    if (slotsRead.size >= SLOT_PATTERNS_KEPT) slotsRead.clear();
    slots = Object.freeze(joined.split(",").map((x) => Object.freeze({ weekday: Number(x[0]), dagdeel: x.slice(1) as Dagdeel }))) as unknown as Slot[];
    slotsRead.set(joined, slots);
  }
  return slots;
}
