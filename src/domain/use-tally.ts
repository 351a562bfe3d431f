import { RIDES_PER_DAY } from "./billing";
import type { Dagdeel } from "./dagdeel";
import { periodContains } from "./dates";
import { attribute, type FundingContext } from "./funding";
import { isAttended } from "./pricing";

// What one client's attended dagdelen contribute to contract use, per month, before any
// contract is chosen: who pays (attribute(), the one function the declarations use too), for
// which product, with which status, and the rides of the days attended under an allocation.
// Which contract a quantity falls under and whether a no-show is billable depend on the
// contracts of the pair, which may change any day: that is decided when the tallies are read
// (src/contracts/use.ts), with the same contractOn() and isBillable() as billableUnits().

export type TallyAttendance = { client_id: number; location_id: number; date: string; dagdeel: Dagdeel; status: string };

export type TallyKind = "toewijzing" | "subsidie" | "rit";

/** The status of ride rows: a ride is counted for a day, not for a dagdeel's status. */
export const RIDE_STATUS = "rit";

export type TallyKey = {
  provider_id: number;
  purchaser_id: number;
  kind: TallyKind;
  /** The contract the schedule names, 0 for none. */
  named_contract_id: number;
  /** False for an extra visit outside any schedule: it prefers the pair's first contract. */
  via_schedule: boolean;
  product_id: number;
  status: string;
  month: string;
};

/** A client's row also says where the dagdelen were delivered. */
export type TallyRow = TallyKey & { client_id: number; location_id: number; units: number; last_date: string };

export function tallyKey(k: TallyKey): string {
  return `${k.provider_id}|${k.purchaser_id}|${k.kind}|${k.named_contract_id}|${k.via_schedule ? 1 : 0}|${k.product_id}|${k.status}|${k.month}`;
}

/**
 * The tally rows of the given attendance rows (any clients, billable candidates or not). A
 * day's rides are counted at the location billableUnits() meets first: the afternoon's.
 */
export function tallyRows(rows: TallyAttendance[], ctx: FundingContext): TallyRow[] {
  const out = new Map<string, TallyRow>();
  const add = (provider_id: number, purchaser_id: number, location_id: number, kind: TallyKind, named_contract_id: number, via_schedule: boolean, product_id: number, status: string, client_id: number, units: number, date: string) => {
    const month = date.slice(0, 7);
    const k = `${client_id}|${provider_id}|${purchaser_id}|${location_id}|${kind}|${named_contract_id}|${via_schedule ? 1 : 0}|${product_id}|${status}|${month}`;
    const row = out.get(k);
    if (row) {
      row.units += units;
      if (date > row.last_date) row.last_date = date;
    } else out.set(k, { provider_id, purchaser_id, location_id, kind, named_contract_id, via_schedule, product_id, status, month, client_id, units, last_date: date });
  };
  // Per provider × purchaser × client × day: where the client attended under an allocation.
  const rideDays = new Map<string, { provider_id: number; purchaser_id: number; client_id: number; date: string; location_id: number }>();
  for (const r of rows) {
    const providerId = ctx.locationProvider.get(r.location_id);
    if (providerId === undefined) continue;
    const a = attribute(ctx, r);
    if (a.purchaser_id === null || a.product_id === null) continue;
    if (a.funding === "toewijzing" && a.allocation_id !== null) {
      add(providerId, a.purchaser_id, r.location_id, "toewijzing", a.contract_id ?? 0, a.schedule_id !== null, a.product_id, r.status, r.client_id, 1, r.date);
      if (!isAttended(r.status)) continue;
      const day = `${providerId}|${a.purchaser_id}|${r.client_id}|${r.date}`;
      const seen = rideDays.get(day);
      if (!seen) rideDays.set(day, { provider_id: providerId, purchaser_id: a.purchaser_id, client_id: r.client_id, date: r.date, location_id: r.location_id });
      else if (r.dagdeel === "middag") seen.location_id = r.location_id;
    } else if (a.funding === "subsidie" && a.contract_id !== null) {
      add(providerId, a.purchaser_id, r.location_id, "subsidie", a.contract_id, true, a.product_id, r.status, r.client_id, 1, r.date);
    }
  }
  const rides = ctx.allocations.filter((x) => x.product_unit === "rit");
  for (const d of rideDays.values()) {
    const ride = rides.find((x) => x.client_id === d.client_id && x.purchaser_id === d.purchaser_id && x.provider_id === d.provider_id && periodContains(x.valid_from, x.valid_until, d.date));
    if (ride) add(d.provider_id, d.purchaser_id, d.location_id, "rit", 0, true, ride.product_id, RIDE_STATUS, d.client_id, RIDES_PER_DAY, d.date);
  }
  return [...out.values()];
}
