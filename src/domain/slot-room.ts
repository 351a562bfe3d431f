import { othersIn, type CapacityCell } from "./booking-rules";
import type { Dagdeel } from "./dagdeel";
import { dayNumber, runsInWeekOf, weekdayOfDayNumber, type WeekParity } from "./schedule";

// Room per weekday × dagdeel over the coming weeks, for the schedule form: what a booking of
// that slot every (or every other) week would find. Closed dates drop out (no one is expected
// then); a date without a capacity rule is not open. The least free over the open dates is what
// the booking can count on; the first full date says where it would be refused.

export type SlotRoom = {
  weekday: number;
  dagdeel: Dagdeel;
  /** Open dates of this slot in the window (after closures and the week rhythm). */
  openDates: number;
  /** The fewest free places on any open date (0 when full somewhere; null when never open). */
  leastFree: number | null;
  /** The first open date without a free place, if any. */
  firstFull: string | null;
  /** Dates of the slot left out because the location is closed then. */
  closedDates: number;
};

export type RoomCell = CapacityCell & { open: boolean };

/**
 * Room per weekday × dagdeel from one location's cells (in date order), for a client (its own
 * place does not count against it) and a week rhythm counted from `from` (every other week: only
 * the weeks the schedule would run).
 */
export function slotRoom(cells: RoomCell[], clientId: number | null, rhythm: { valid_from: string; week_parity: WeekParity }): SlotRoom[] {
  const bySlot = new Map<string, SlotRoom>();
  for (const c of cells) {
    const weekday = weekdayOfDayNumber(dayNumber(c.date));
    const key = `${weekday}|${c.dagdeel}`;
    let room = bySlot.get(key);
    if (!room) bySlot.set(key, (room = { weekday, dagdeel: c.dagdeel, openDates: 0, leastFree: null, firstFull: null, closedDates: 0 }));
    if (!runsInWeekOf(rhythm, c.date)) continue;
    if (c.closed) {
      room.closedDates++;
      continue;
    }
    if (!c.open || c.places <= 0) continue;
    const free = Math.max(0, c.places - othersIn(c, clientId ?? -1));
    room.openDates++;
    room.leastFree = room.leastFree === null ? free : Math.min(room.leastFree, free);
    if (free === 0 && room.firstFull === null) room.firstFull = c.date;
  }
  return [...bySlot.values()].sort((a, b) => a.weekday - b.weekday || (a.dagdeel === b.dagdeel ? 0 : a.dagdeel === "ochtend" ? -1 : 1));
}
