// How full a dagdeel reads, for every view that colours or names a cell: the planning board,
// the week overview, a location's week and the free places. One rule, one set of words
// (locale group `fullness`) and one set of CSS classes (`is-<fullness>`), so a cell never reads
// "free" on one page and "nearly full" on the next.

export type Fullness = "closed" | "shut" | "over" | "full" | "tight" | "free";

/** From emptiest to fullest, for comparisons; closed and shut stand outside the scale. */
export const FULLNESS_SCALE: readonly Fullness[] = ["free", "tight", "full", "over"];

export type FullnessInput = { closed: boolean; places: number; booked: number };

/**
 * Closed (a closure) wins; no places is shut unless somebody is booked anyway (then over);
 * more booked than places is over; none left is full; "nearly full" when at most a fifth of the
 * places is left, and always when only one is: a coordinator with one place left on a small
 * group plans as carefully as with two of ten.
 */
export function fullnessOf(cell: FullnessInput): Fullness {
  if (cell.closed) return "closed";
  if (cell.places <= 0) return cell.booked > 0 ? "over" : "shut";
  if (cell.booked > cell.places) return "over";
  const free = cell.places - cell.booked;
  if (free === 0) return "full";
  if (free <= Math.max(1, Math.floor(cell.places / 5))) return "tight";
  return "free";
}

/** No place left (full, or more booked than places): the home page's "full today". */
export function noRoom(f: Fullness): boolean {
  return f === "full" || f === "over";
}

/** Locale keys of the words, written out so the locale test sees every one. */
export const FULLNESS_KEYS: Record<Fullness, string> = {
  closed: "fullness.closed",
  shut: "fullness.shut",
  over: "fullness.over",
  full: "fullness.full",
  tight: "fullness.tight",
  free: "fullness.free",
};
