import type { AllocationVolume, WindowUsage } from "./allocation";
import type { Dagdeel } from "./dagdeel";
import { LAST_DATE, boundedEnd } from "./date-window";
import { addDays } from "./dates";
import { dateOfDayNumber, dayNumber, expandSchedule, weekdayOfDayNumber, type Occurrence, type SchedulePattern } from "./schedule";

// The booking rules (src/CONTEXT.md#booking-rules) for one booking, as pure functions over rows
// the service has loaded inside its transaction. Every count goes through expandSchedule, so the rules, the board,
// the forecast and the feeds agree on which dagdelen a schedule asks for. Capacity and double
// booking are checked over the whole validity in src/domain/pattern-checks.ts; capacityCheck
// and clashes here are the day-by-day reference its property tests compare with.

/**
 * How far ahead an open-ended schedule's contract cover and allocation volume are checked: 26
 * weeks (half a year) from its first day, further where the client's other schedules change
 * later (volumeCheckUntil). Contracts are renewed year by year, so a later gap is a signal on
 * the problem lists — which look over the same horizon — not a reason to refuse.
 */
export const HORIZON_WEEKS = 26;

/** The last day the rules look at: the schedule's own end, or the horizon for an open end. */
export function checkedUntil(validFrom: string, validUntil: string | null): string {
  return validUntil === null ? addDays(validFrom, HORIZON_WEEKS * 7 - 1) : boundedEnd(validUntil);
}

/**
 * How far an allocation's volume is counted for a booking. A schedule with an end: to that end.
 * An open-ended one: the horizon, or further when the client's other schedules on the same
 * allocation start or stop later — to a year past the last such change. After it nothing
 * changes any more: every week repeats the fortnight before it, and a year holds months of
 * every length with five of each weekday, the fullest a month can be.
 */
export function volumeCheckUntil(validFrom: string, validUntil: string | null, funded: { valid_from: string; valid_until: string | null }[]): string {
  if (validUntil !== null) return boundedEnd(validUntil);
  let until = checkedUntil(validFrom, null);
  for (const s of funded) {
    for (const change of [s.valid_from, s.valid_until]) {
      if (change === null || change <= validFrom || change > LAST_DATE) continue;
      const margin = addDays(change, 366);
      if (margin > until) until = margin;
    }
  }
  return boundedEnd(until);
}

export function occurrenceKey(o: { date: string; dagdeel: Dagdeel }): string {
  return `${o.date}|${o.dagdeel}`;
}

// ---------------------------------------------------------------------------------------------
// Capacity

/** What the capacity rule needs of an occupancy cell (src/domain/occupancy.ts). */
export type CapacityCell = {
  date: string;
  dagdeel: Dagdeel;
  places: number;
  closed: boolean;
  scheduledClientIds: number[];
  extraClientIds: number[];
};

export type FullDagdeel = Occurrence & { booked: number; places: number };

/** Clients other than this one who take a place in the cell (planned or `extra`). */
export function othersIn(cell: CapacityCell, clientId: number): number {
  const ids = new Set([...cell.scheduledClientIds, ...cell.extraClientIds]);
  ids.delete(clientId);
  return ids.size;
}

/**
 * The occurrences (already without closures) that find no place. The client itself is left
 * out of the count, so a change of its own schedule, or an `extra` it already has on that
 * dagdeel, never counts against it. A dagdeel without a capacity rule is not open at all:
 * that is a separate refusal which no overbooking can lift.
 */
export function capacityCheck(
  occurrences: Occurrence[],
  cellAt: (date: string, dagdeel: Dagdeel) => CapacityCell | undefined,
  clientId: number,
): { full: FullDagdeel[]; notOpen: Occurrence[] } {
  const full: FullDagdeel[] = [];
  const notOpen: Occurrence[] = [];
  for (const o of occurrences) {
    const cell = cellAt(o.date, o.dagdeel);
    if (!cell || cell.places <= 0) {
      notOpen.push(o);
      continue;
    }
    const booked = othersIn(cell, clientId);
    if (booked + 1 > cell.places) full.push({ ...o, booked, places: cell.places });
  }
  return { full, notOpen };
}

// ---------------------------------------------------------------------------------------------
// Double booking

export type PlacedPattern = SchedulePattern & { location_id: number };

/**
 * The dagdelen on which the new pattern meets one of the client's other schedules, at any
 * location, between from and until. Compared on the weekly patterns without closures: a
 * clash is a clash even in a week where a holiday happens to hide it.
 */
export function clashes<P extends PlacedPattern>(pattern: SchedulePattern, others: P[], from: string, until: string): (Occurrence & { other: P })[] {
  const taken = new Map<string, P>();
  for (const other of others) {
    for (const o of expandSchedule(other, from, until)) taken.set(occurrenceKey(o), other);
  }
  const out: (Occurrence & { other: P })[] = [];
  for (const o of expandSchedule(pattern, from, until)) {
    const other = taken.get(occurrenceKey(o));
    if (other) out.push({ ...o, other });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Within the allocation

/**
 * The allocation's volume windows (ISO week, calendar month, or its whole period) that the new
 * occurrences fall in and that then hold more than the volume. `all` is every planned
 * dagdeel funded by the allocation after the change: the new schedule's and those of the
 * client's other schedules on the same allocation. Windows the new schedule does not touch
 * are not its fault and are not reported here (the problem list shows them).
 */
export function volumeExcess(allocation: AllocationVolume, newOccurrences: Occurrence[], all: Occurrence[]): WindowUsage[] {
  const windows = volumeWindows(
    allocation,
    all.map((o) => o.date),
  );
  const touched = (w: WindowUsage) => newOccurrences.some((o) => o.date >= w.from && (w.until === null || o.date <= w.until));
  return windows.filter((w) => w.over && touched(w));
}

/**
 * The allocation's volume windows that hold these dated units — the same answer as
 * volumeUsage() in src/domain/allocation.ts (a property test holds them together), computed
 * on day numbers because the problem lists count every allocation over half a year.
 */
export function volumeWindows(allocation: AllocationVolume, dates: readonly string[]): WindowUsage[] {
  const windows = new Map<string, WindowUsage>();
  const later = (a: string, b: string) => (a > b ? a : b);
  for (const date of dates) {
    if (date < allocation.valid_from || (allocation.valid_until !== null && date > allocation.valid_until)) continue;
    let from: string;
    let until: string | null;
    if (allocation.frequency === "week") {
      const n = dayNumber(date);
      const monday = n - weekdayOfDayNumber(n) + 1;
      from = dateOfDayNumber(monday);
      until = dateOfDayNumber(monday + 6);
    } else if (allocation.frequency === "maand") {
      const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
      from = `${date.slice(0, 7)}-01`;
      until = dateOfDayNumber(Date.UTC(y, m, 0) / 86_400_000);
    } else {
      from = allocation.valid_from;
      until = allocation.valid_until;
    }
    from = later(from, allocation.valid_from);
    if (allocation.valid_until !== null && (until === null || until > allocation.valid_until)) until = allocation.valid_until;
    const w = windows.get(from) ?? { from, until, volume: allocation.volume, used: 0, over: false };
    w.used += 1;
    w.over = w.used > allocation.volume;
    windows.set(from, w);
  }
  return [...windows.values()].sort((a, b) => a.from.localeCompare(b.from));
}

// ---------------------------------------------------------------------------------------------
// Within a contract

/** A stretch of dates a contract (one of its lines, or the contract itself) covers. */
export type CoverSpan = { from: string; until: string; contract_id: number };

/** The parts of [from, until] that no span covers, in date order. */
export function uncoveredRanges(from: string, until: string, spans: CoverSpan[]): { from: string; until: string }[] {
  const sorted = [...spans].filter((s) => s.until >= from && s.from <= until).sort((a, b) => a.from.localeCompare(b.from));
  const gaps: { from: string; until: string }[] = [];
  let cursor = from;
  for (const s of sorted) {
    if (cursor > until) break;
    if (s.from > cursor) gaps.push({ from: cursor, until: addDays(s.from, -1) < until ? addDays(s.from, -1) : until });
    if (s.until >= cursor) cursor = addDays(s.until, 1);
  }
  if (cursor <= until) gaps.push({ from: cursor, until });
  return gaps;
}

/**
 * How far a booking's contract cover is checked. A schedule with an end date needs cover up to
 * that end. An open-ended one needs cover from its first day for as long as that cover runs
 * without a gap: contracts are renewed year by year, so the end of this year's contract is a
 * signal on the problem list (weeks ahead), not a reason to refuse every open-ended booking.
 */
export function contractCheckUntil(from: string, validUntil: string | null, checkUntil: string, spans: CoverSpan[]): string {
  if (validUntil !== null) return checkUntil;
  const gaps = uncoveredRanges(from, checkUntil, spans);
  if (gaps.length === 0 || gaps[0].from === from) return checkUntil;
  return addDays(gaps[0].from, -1);
}

/** The problem list flags contract gaps that start within this many weeks. */
export const CONTRACT_SIGNAL_WEEKS = 8;

/** The contract that covers a date, if any (the first one found). */
export function contractOn(spans: CoverSpan[], date: string): number | null {
  return spans.find((s) => s.from <= date && date <= s.until)?.contract_id ?? null;
}

export type ContractLineSpan = {
  contract_id: number;
  provider_id: number;
  purchaser_id: number;
  status: string;
  product_id: number;
  contract_from: string;
  contract_until: string;
  line_from: string;
  line_until: string;
};

/**
 * Where an active contract covers a product: each line's period clipped to its contract's.
 * Filters by provider, and by purchaser and/or one contract when given.
 */
export function productCover(
  lines: ContractLineSpan[],
  want: { provider_id: number; product_id: number; purchaser_id?: number; contract_id?: number },
): CoverSpan[] {
  return lines
    .filter(
      (l) =>
        l.status === "actief" &&
        l.provider_id === want.provider_id &&
        l.product_id === want.product_id &&
        (want.purchaser_id === undefined || l.purchaser_id === want.purchaser_id) &&
        (want.contract_id === undefined || l.contract_id === want.contract_id),
    )
    .map((l) => ({
      contract_id: l.contract_id,
      from: l.line_from > l.contract_from ? l.line_from : l.contract_from,
      until: l.line_until < l.contract_until ? l.line_until : l.contract_until,
    }))
    .filter((s) => s.from <= s.until);
}

// ---------------------------------------------------------------------------------------------
// Waiting list

export type Wish = { weekday: number; dagdeel: Dagdeel };

/**
 * Would a client with these wished slots find a place on every one of them, on every open
 * date in the cells (the location's occupancy over the coming weeks)? A wished slot on which
 * the location never opens in that time does not fit.
 */
export function wishesFit(wishes: Wish[], cells: CapacityCell[], clientId: number): boolean {
  if (wishes.length === 0) return false;
  return wishes.every((w) => {
    const relevant = cells.filter((c) => c.dagdeel === w.dagdeel && !c.closed && weekdayOfDayNumber(dayNumber(c.date)) === w.weekday);
    return relevant.length > 0 && relevant.every((c) => c.places > 0 && othersIn(c, clientId) < c.places);
  });
}
