// Who sits where, and when: a location's capacity as seats. A cell (weekday × dagdeel) with
// P places gets at most P seats; a client takes one seat in each of its cells for the whole
// of its stay, and a seat is free again some weeks after its client left. Because a seat holds
// one client at a time, no date ever has more clients planned in a cell than it has places —
// the capacity rule holds by construction — and a client's cells are distinct, so nobody is
// booked twice in one dagdeel. Run from four years before the attendance window to three weeks
// after today; stays that ended before the window are dropped.

import type { Dagdeel } from "../../src/domain/dagdeel";
import type { Slot, WeekParity } from "../../src/domain/schedule";
import type { Rng } from "../random";
import type { RegionDates } from "./options";
import type { PlanLocation } from "./organisations";

export type StayKind = "zorg" | "subsidie" | "pgb" | "eigen";

export type Stay = {
  location: PlanLocation;
  /** zorg: under a toewijzing (Wmo) or indicatie (Wlz), decided with the BSNs; the rest have none. */
  kind: StayKind;
  /** A zorg stay at a farm with a Wlz contract may be Wlz care. */
  wlz: boolean;
  from: number;
  /** Last day (day number); null: still coming, no end planned. */
  until: number | null;
  parity: WeekParity;
  slots: Slot[];
};

type Seat = { freeFrom: number };
type Cell = { slot: Slot; seats: Seat[] };

// The share of a care farm's clients under a toewijzing or indicatie: chosen so that, at full
// scale, a little more than the 9,091 test-range BSNs are asked for (the rest become PGB).
const FARM_ZORG_SHARE = 0.64;

export function planStays(locations: PlanLocation[], dates: RegionDates, rng: Rng): Stay[] {
  const stays: Stay[] = [];
  for (const location of locations) stays.push(...locationStays(location, dates, rng));
  return stays.sort((a, b) => a.from - b.from || a.location.id - b.location.id);
}

function locationStays(location: PlanLocation, dates: RegionDates, rng: Rng): Stay[] {
  const start = Math.max(location.opened, dates.historyStartN);
  const cells: Cell[] = location.cells.map((c) => {
    const seats: Seat[] = [];
    const now = Math.round(c.places * c.fill);
    for (let i = 0; i < now; i++) seats.push({ freeFrom: start + rng.int(0, 120) });
    // Places added "from date X" become seats from that date.
    if (c.raise) for (let i = now; i < Math.round(c.raise.places * c.fill); i++) seats.push({ freeFrom: c.raise.at + rng.int(0, 60) });
    return { slot: { weekday: c.weekday, dagdeel: c.dagdeel }, seats };
  });
  const earliest = (c: Cell): Seat | undefined => c.seats.reduce<Seat | undefined>((best, s) => (!best || s.freeFrom < best.freeFrom ? s : best), undefined);
  const out: Stay[] = [];
  for (;;) {
    const open = cells.filter((c) => c.seats.length > 0).map((c) => ({ c, seat: earliest(c)! }));
    open.sort((a, b) => a.seat.freeFrom - b.seat.freeFrom);
    if (open.length === 0 || open[0].seat.freeFrom > dates.planAheadN) break;
    const { kind, wlz, k } = drawKind(location, rng);
    let chosen = chooseCells(open, Math.min(k, open.length), location.kind === "farm", rng);
    let from = Math.max(...chosen.map((x) => x.seat.freeFrom));
    if (from > dates.planAheadN) {
      chosen = [open[0]];
      from = open[0].seat.freeFrom;
    }
    const until = drawUntil(kind, wlz, from, dates, rng);
    for (const x of chosen) x.seat.freeFrom = until === null ? Infinity : until + 1 + rng.int(0, 35);
    if (until !== null && until < dates.windowStartN) continue; // over before the window: no one remembers
    const parity: WeekParity = kind === "subsidie" && rng.chance(0.1) ? rng.pick(["even", "oneven"] as const) : "elke";
    out.push({ location, kind, wlz, from, until, parity, slots: chosen.map((x) => x.c.slot).sort(bySlot) });
  }
  return out;
}

function drawKind(location: PlanLocation, rng: Rng): { kind: StayKind; wlz: boolean; k: number } {
  if (location.kind === "dorp") {
    const r = rng.next();
    const kind: StayKind = r < 0.9 ? "subsidie" : r < 0.94 ? "pgb" : "eigen";
    return { kind, wlz: false, k: rng.pick([1, 1, 2, 2, 2, 3]) };
  }
  const r = rng.next();
  if (r < FARM_ZORG_SHARE) {
    const wlz = location.wlz && rng.chance(0.35);
    return { kind: "zorg", wlz, k: wlz ? rng.int(4, 8) : rng.pick([2, 3, 3, 4, 4, 4, 5, 5, 6]) };
  }
  if (r < FARM_ZORG_SHARE + 0.26) return { kind: "pgb", wlz: false, k: rng.pick([2, 3, 3, 4, 5]) };
  return { kind: "eigen", wlz: false, k: rng.pick([1, 1, 2]) };
}

/** The earliest free cells; on a farm a client likes whole days, so a cell pulls its other half along. */
function chooseCells(open: { c: Cell; seat: Seat }[], k: number, farm: boolean, rng: Rng): { c: Cell; seat: Seat }[] {
  const chosen: { c: Cell; seat: Seat }[] = [];
  const rest = [...open];
  while (chosen.length < k && rest.length > 0) {
    // A little randomness among cells that free up about the same time.
    const window = rest.filter((x) => x.seat.freeFrom <= rest[0].seat.freeFrom + 14);
    const pick = rng.pick(window);
    chosen.push(pick);
    rest.splice(rest.indexOf(pick), 1);
    if (farm && chosen.length < k) {
      const partner = rest.find((x) => x.c.slot.weekday === pick.c.slot.weekday && x.seat.freeFrom <= pick.seat.freeFrom + 21);
      if (partner) {
        chosen.push(partner);
        rest.splice(rest.indexOf(partner), 1);
      }
    }
  }
  return chosen;
}

const MEAN_DAYS: Record<string, number> = { subsidie: 1100, zorg: 900, wlz: 1500, pgb: 800, eigen: 450 };

function drawUntil(kind: StayKind, wlz: boolean, from: number, dates: RegionDates, rng: Rng): number | null {
  const mean = MEAN_DAYS[wlz ? "wlz" : kind];
  const days = 42 + Math.floor(-Math.log(1 - rng.next()) * (mean - 42));
  const until = from + days - 1;
  if (until < dates.todayN) return until;
  // Still coming today: most without an end; a few have told when they stop.
  return until <= dates.todayN + 56 && rng.chance(0.25) ? until : null;
}

function bySlot(a: Slot, b: Slot): number {
  return a.weekday - b.weekday || dagdeelOrder(a.dagdeel) - dagdeelOrder(b.dagdeel);
}

function dagdeelOrder(d: Dagdeel): number {
  return d === "ochtend" ? 0 : 1;
}
