import type { Knex } from "knex";
import { addDays, isIsoDate } from "../domain/dates";
import { DAGDELEN } from "../domain/dagdeel";
import type { WeekParity } from "../domain/schedule";
import { slotRoom, type SlotRoom } from "../domain/slot-room";
import { occupancy } from "../occupancy/service";
import { ALL_WEEKDAYS } from "./weekdays";

// The room the schedule form shows once a location is chosen: per weekday × dagdeel the free
// places over the coming weeks, so a coordinator picks free dagdelen instead of learning by
// refusal. One occupancy() call for one location over a bounded window (the same counting as
// the booking's capacity check), whatever the size of the region.

export const ROOM_WEEKS = 8;

export type RoomCellView = { dagdeel: string; state: "free" | "full" | "shut"; free: number; firstFull: string | null; closedDates: number };
export type RoomView = { from: string; until: string; weeks: number; parity: WeekParity; rows: { weekday: number; key: string; cells: RoomCellView[] }[] };

function cellView(room: SlotRoom | undefined, dagdeel: string): RoomCellView {
  if (!room || room.leastFree === null) return { dagdeel, state: "shut", free: 0, firstFull: null, closedDates: room?.closedDates ?? 0 };
  return { dagdeel, state: room.leastFree > 0 ? "free" : "full", free: room.leastFree, firstFull: room.firstFull, closedDates: room.closedDates };
}

/**
 * The room at a location from the form's first day (today when it holds no date or a past
 * one) for ROOM_WEEKS weeks, in the form's week rhythm, for this client. Weekdays the location
 * never opens in the window are left out.
 */
export async function scheduleRoom(db: Knex, locationId: number, clientId: number | null, validFrom: string | undefined, parity: string | undefined, date: string): Promise<RoomView> {
  const from = validFrom && isIsoDate(validFrom) && validFrom > date ? validFrom : date;
  const weekParity: WeekParity = parity === "even" || parity === "oneven" ? parity : "elke";
  const until = addDays(from, ROOM_WEEKS * 7 - 1);
  const rooms = slotRoom(await occupancy(db, [locationId], from, until), clientId, { valid_from: from, week_parity: weekParity });
  const bySlot = new Map(rooms.map((r) => [`${r.weekday}|${r.dagdeel}`, r]));
  const rows = ALL_WEEKDAYS.filter((d) => DAGDELEN.some((dd) => bySlot.get(`${d.n}|${dd}`)?.leastFree != null)).map((d) => ({
    weekday: d.n,
    key: d.key,
    cells: DAGDELEN.map((dd) => cellView(bySlot.get(`${d.n}|${dd}`), dd)),
  }));
  return { from, until, weeks: ROOM_WEEKS, parity: weekParity, rows };
}
