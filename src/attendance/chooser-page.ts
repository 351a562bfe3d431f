import type { ChooserLocation } from "./chooser";

// The start page's table at region scale: a coordinator's scope holds some 200 locations, so
// the table shows fifty a page (as the other lists), and the locations where clients are
// expected or already recorded on the date come first: those are the ones a coordinator opens
// today; a location without anyone (or closed) follows, still in village and name order.

export const CHOOSER_LOCATIONS_PER_PAGE = 50;

/** Whether anyone is expected at (and it is open), or was recorded at, the location on the date. */
function busy(l: ChooserLocation): boolean {
  return (l.expected > 0 && !l.closed) || l.recorded > 0;
}

/** The busy locations first; within each part the order given (village, then name). */
export function busyFirst(locations: ChooserLocation[]): ChooserLocation[] {
  return [...locations.filter(busy), ...locations.filter((l) => !busy(l))];
}
