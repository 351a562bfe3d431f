import { periodWithin } from "../domain/allocation";
import { contractCheckUntil, contractOn, productCover, uncoveredRanges, volumeCheckUntil, volumeExcess, type ContractLineSpan } from "../domain/booking-rules";
import { closuresOn } from "../domain/closures";
import type { Dagdeel } from "../domain/dagdeel";
import { addDays, mondayOf, toDateTime } from "../domain/dates";
import { expandSchedule, type Occurrence, type SchedulePattern, type Slot } from "../domain/schedule";
import type { AllocationRow, ClosureRow } from "./schedule-repository";
import { coverGapCause, type Violation } from "./violations";

// The allocation and contract rules of src/CONTEXT.md ("Booking rules") for a booking funded by
// an allocation, without I/O: within the allocation (client, provider, product, period, volume)
// and under a contract that covers the product. The schedule POST (checkBooking) and the waiting list's "past nu" both ask this one
// function, so the list offers a client exactly where the booking would be let through.

/** A schedule under the same allocation, as the volume counts it. */
export type FundedSchedule = SchedulePattern & { location_id: number; provider_id: number };

export type AllocationCase = {
  allocation: AllocationRow;
  clientId: number;
  location: { id: number; provider_id: number };
  pattern: SchedulePattern;
  /** The last day the rules look at (checkedUntil of the pattern). */
  until: string;
  /** The client's other schedules on this allocation, as they stand after the booking. */
  funded: FundedSchedule[];
};

/** The dates over which the allocation's volume is counted for this booking. */
export function volumeRange(c: AllocationCase): { from: string; until: string } {
  const a = c.allocation;
  const from = c.pattern.valid_from;
  const to = volumeCheckUntil(from, c.pattern.valid_until, c.funded);
  let start = from;
  let end = to;
  if (a.frequency === "week") {
    start = mondayOf(from);
    end = addDays(mondayOf(to), 6);
  } else if (a.frequency === "maand") {
    start = toDateTime(from).startOf("month").toISODate()!;
    end = toDateTime(to).endOf("month").toISODate()!;
  } else {
    start = a.valid_from;
    end = a.valid_until ?? to;
  }
  return { from: start > a.valid_from ? start : a.valid_from, until: a.valid_until !== null && a.valid_until < end ? a.valid_until : end };
}

function closedAt(closures: ClosureRow[], s: { location_id: number; provider_id: number }) {
  const own = closures.filter((c) => c.provider_id === s.provider_id);
  return (date: string, dagdeel: Dagdeel) => closuresOn(own, s.location_id, date, dagdeel).length > 0;
}

/**
 * What the allocation rules say about the case: the violations (empty: allowed) and the
 * contract the booking falls under on its first day. `closures` cover volumeRange(c) for the
 * providers of the case's schedules; `lines` are the location's provider's contract lines.
 */
export function allocationRule(c: AllocationCase, closures: ClosureRow[], lines: ContractLineSpan[]): { violations: Violation[]; contract_id: number | null } {
  const a = c.allocation;
  const violations: Violation[] = [];
  if (a.client_id !== c.clientId) return { violations: [{ rule: "allocationClient" }], contract_id: null };
  if (a.provider_id !== c.location.provider_id) return { violations: [{ rule: "allocationProvider", provider_name: a.provider_name }], contract_id: null };
  if (a.product_unit !== "dagdeel") return { violations: [{ rule: "allocationProduct" }], contract_id: null };
  const { pattern } = c;
  if (!periodWithin(pattern, a)) violations.push({ rule: "allocationPeriod", from: a.valid_from, until: a.valid_until });
  const range = volumeRange(c);
  const occurrences = expandSchedule(pattern, pattern.valid_from, range.until, closedAt(closures, { location_id: c.location.id, provider_id: c.location.provider_id }));
  const all: Occurrence[] = [...occurrences, ...c.funded.flatMap((s) => expandSchedule(s, range.from, range.until, closedAt(closures, s)))];
  const over = volumeExcess(a, occurrences, all);
  if (over.length > 0) {
    violations.push({ rule: "volume", frequency: a.frequency, volume: a.volume, windows: over.map((w) => ({ from: w.from, until: w.until, used: w.used })) });
  }
  const spans = productCover(lines, { provider_id: c.location.provider_id, product_id: a.product_id, purchaser_id: a.purchaser_id });
  const gaps = uncoveredRanges(pattern.valid_from, contractCheckUntil(pattern.valid_from, pattern.valid_until, c.until, spans), spans);
  if (gaps.length > 0) violations.push({ rule: "noContract", ...gaps[0], product_name: a.product_name, purchaser_name: a.purchaser_name, cause: coverGapCause(gaps[0], pattern.valid_from, spans) });
  return { violations, contract_id: contractOn(spans, pattern.valid_from) };
}

/** The slots every week from `from` under the allocation until its end: how the waiting list books. */
export function waitlistPattern(slots: Slot[], from: string, until: string | null): SchedulePattern {
  return { valid_from: from, valid_until: until, week_parity: "elke", slots };
}
