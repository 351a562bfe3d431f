import type { Knex } from "knex";
import { checkedUntil, contractCheckUntil, productCover, uncoveredRanges, type CoverSpan } from "../domain/booking-rules";
import { addDays } from "../domain/dates";
import { NotFoundError } from "../domain/errors";
import type { Funding } from "../domain/funding";
import type { SchedulePattern, Slot, WeekParity } from "../domain/schedule";
import { boundedEnd } from "../domain/date-window";
import { capacityOverValidity, clashesOverValidity, type FullRun } from "../domain/pattern-checks";
import { loadOccupancyInputs } from "../occupancy/repository";
import * as repo from "./schedule-repository";
import { coverGapCause, type Violation } from "./violations";
import { allocationRule, volumeRange, type AllocationCase } from "./allocation-rule";
import { readTogether } from "../db/dialect";

// Loads what one booking is checked against — inside the booking's transaction — and applies
// every booking rule (src/CONTEXT.md#booking-rules) to it, collecting all violations rather
// than stopping at the first.

export type ScheduleInput = {
  client_id: number;
  location_id: number;
  funding: Funding;
  allocation_id: number | null;
  contract_id: number | null;
  product_id: number | null;
  valid_from: string;
  valid_until: string | null;
  week_parity: WeekParity;
  slots: Slot[];
  overbook: boolean;
  overbook_reason: string | null;
  /** Change "from valid_from" of this schedule of the same client. */
  replaces?: number | null;
  /** The waiting-list entry this booking places. */
  waitlist_entry_id?: number | null;
};

export type CheckedBooking = {
  violations: Violation[];
  full: FullRun[];
  allocation_id: number | null;
  contract_id: number | null;
  product_id: number | null;
  replaced: repo.ScheduleWithSlots | null;
  /** The change starts on or before the replaced schedule's first day: it is replaced whole. */
  inPlace: boolean;
};

type Location = { id: number; name: string; provider_id: number; active: boolean };

export async function checkBooking(trx: Knex.Transaction, input: ScheduleInput, location: Location): Promise<CheckedBooking> {
  const violations: Violation[] = [];
  if (!location.active) violations.push({ rule: "locationInactive" });
  // Care that has ended (or ends on a set day) takes no schedule past that day; the caller
  // holds the client's row locked, so ending the client cannot slip in between.
  const ended = await repo.clientEndedOn(trx, input.client_id);
  if (ended !== null && input.valid_from > ended) violations.push({ rule: "clientEnded", ended_on: ended });
  else if (ended !== null && (input.valid_until === null || input.valid_until > ended)) violations.push({ rule: "clientEnds", ended_on: ended });

  const existing = await repo.schedulesOfClient(trx, input.client_id);
  const replaced = input.replaces ? (existing.find((s) => s.id === input.replaces) ?? null) : null;
  if (input.replaces && !replaced) throw new NotFoundError("schedule");
  const inPlace = replaced !== null && input.valid_from <= replaced.valid_from;
  // The client's schedules as they stand after the change: the replaced one ends the day before.
  const after = existing
    .filter((s) => s.id !== replaced?.id)
    .concat(replaced && !inPlace ? [{ ...replaced, valid_until: addDays(input.valid_from, -1) }] : []);

  const until = checkedUntil(input.valid_from, input.valid_until);
  const pattern: SchedulePattern = { valid_from: input.valid_from, valid_until: input.valid_until, week_parity: input.week_parity, slots: input.slots };

  // Capacity over the schedule's whole validity, pattern against the location's rows (closures
  // drop out): the rows are read for the validity in a few queries, the counting never walks days.
  const inputs = await loadOccupancyInputs(trx, [location.id], input.valid_from, boundedEnd(input.valid_until));
  const { full, notOpen } = capacityOverValidity(pattern, { locationId: location.id, ...inputs }, input.client_id);
  if (full.length > 0) violations.push({ rule: "full", items: full });
  if (notOpen.length > 0) violations.push({ rule: "notOpen", items: notOpen });

  // No double booking, at any location, over both schedules' whole validity.
  const clash = clashesOverValidity(pattern, after);
  if (clash.length > 0) violations.push({ rule: "double", items: clash.map((c) => ({ date: c.date, dagdeel: c.dagdeel, location_name: c.other.location_name })) });

  let allocation_id: number | null = null;
  let contract_id: number | null = null;
  let product_id: number | null = input.product_id;

  if (input.funding === "toewijzing") {
    const a = input.allocation_id === null ? undefined : await repo.findAllocation(trx, input.allocation_id);
    if (!a) throw new NotFoundError("allocation");
    allocation_id = a.id;
    product_id = a.product_id;
    const funded = after.filter((s) => s.allocation_id === a.id);
    const c: AllocationCase = { allocation: a, clientId: input.client_id, location, pattern, until, funded };
    const range = volumeRange(c);
    const providers = [...new Set([location.provider_id, ...funded.map((s) => s.provider_id)])];
    const [closures, lines] = await readTogether(trx, [() => repo.closuresOf(trx, providers, range.from, range.until), () => repo.contractLines(trx, [location.provider_id])]);
    const ruled = allocationRule(c, closures, lines);
    violations.push(...ruled.violations);
    contract_id = ruled.contract_id;
  } else if (input.contract_id !== null) {
    // Subsidie needs the contract it falls under; PGB and self-pay may name one (then it must cover).
    const c = await repo.findContract(trx, input.contract_id);
    if (!c) throw new NotFoundError("contract");
    contract_id = c.id;
    if (c.provider_id !== location.provider_id) violations.push({ rule: "contractProvider" });
    else if (c.status !== "actief") violations.push({ rule: "contractInactive" });
    else {
      const lines = (await repo.contractLines(trx, [location.provider_id])).filter((l) => l.contract_id === c.id);
      const products = [...new Set(lines.map((l) => l.product_id))];
      if (product_id === null && input.funding === "subsidie" && products.length === 1) product_id = products[0];
      if (product_id === null && input.funding === "subsidie") violations.push({ rule: "productRequired" });
      let spans: CoverSpan[];
      let productName: string | null = null;
      if (product_id !== null) {
        const p = await repo.productName(trx, product_id);
        if (!p) throw new NotFoundError("product");
        productName = p.name;
        spans = productCover(lines, { provider_id: location.provider_id, product_id, contract_id: c.id });
      } else {
        spans = [{ from: c.valid_from, until: c.valid_until, contract_id: c.id }];
      }
      const gaps = uncoveredRanges(input.valid_from, contractCheckUntil(input.valid_from, input.valid_until, until, spans), spans);
      if (gaps.length > 0 && (product_id !== null || input.funding !== "subsidie")) {
        violations.push({ rule: "noContract", ...gaps[0], product_name: productName, purchaser_name: null, cause: coverGapCause(gaps[0], input.valid_from, spans) });
      }
    }
  } else if (product_id !== null && !(await repo.productName(trx, product_id))) {
    throw new NotFoundError("product");
  }

  return { violations, full, allocation_id, contract_id, product_id, replaced, inPlace };
}
