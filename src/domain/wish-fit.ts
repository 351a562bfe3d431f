import { othersIn, type CapacityCell, type Wish } from "./booking-rules";
import { isoDayNumber } from "./fast-calendar";
import { weekdayOfDayNumber } from "./schedule";

// The fast path of wishesFit() for a list of waiting clients: a location's cells are sorted by
// weekday and dagdeel once, instead of every wish of every entry filtering all the location's
// cells (half a year of them) with a date parse per cell. wishesFit() stays the reference;
// test/unit/wish-fit.test.ts compares the two.

export type WishIndex = Map<string, CapacityCell[]>;

/** The open cells (not closed) of one location by "weekday|dagdeel". */
export function wishIndex(cells: CapacityCell[]): WishIndex {
  const index: WishIndex = new Map();
  for (const c of cells) {
    if (c.closed) continue;
    const key = `${weekdayOfDayNumber(isoDayNumber(c.date))}|${c.dagdeel}`;
    const list = index.get(key);
    if (list) list.push(c);
    else index.set(key, [c]);
  }
  return index;
}

/** What wishesFit(wishes, cells, clientId) says, for the cells the index was made of. */
export function wishesFitIndexed(wishes: Wish[], index: WishIndex, clientId: number): boolean {
  if (wishes.length === 0) return false;
  return wishes.every((w) => {
    const relevant = index.get(`${w.weekday}|${w.dagdeel}`) ?? [];
    return relevant.length > 0 && relevant.every((c) => c.places > 0 && othersIn(c, clientId) < c.places);
  });
}
