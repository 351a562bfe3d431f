import type { Attribution } from "./funding";
import { periodContains } from "./dates";
import { contractOn, isAttended, isBillable, type BillableUnit, type PricingContract } from "./pricing";

// Which dagdelen count, and for which contract. The same rules serve the declaration (what
// was attended) and the contract's use (attended so far, and what the schedules plan), so a
// purchaser's forecast and a provider's declaration never disagree about a unit.
//
//   toewijzing  1 unit of the allocation's product per billable dagdeel, under the signed
//               inkoop contract between the provider and the allocation's purchaser on that date
//   subsidie    1 dagdeel per billable dagdeel, under the signed subsidie contract between the
//               provider and the purchaser of the contract the schedule names that runs on that
//               date — the named one first — so a schedule naming this year's subsidy counts
//               under next year's after New Year, and one booked under next year's counts under
//               this year's until then (counted against its target; never declared per unit)
//   vervoer     2 rides (there and back) per day on which a client with a valid ride (`rit`)
//               allocation from the purchaser actually attended: per day, not per dagdeel,
//               because a client who stays for the morning and the afternoon travels once.
//               A no-show travelled nowhere, so it never counts for rides.
//   pgb/eigen   nothing to declare

export const RIDES_PER_DAY = 2;

export type BillingContract = PricingContract & { purchaser_id: number; provider_id: number; kind: "inkoop" | "subsidie" };

export type AttributedRow = {
  client_id: number;
  location_id?: number;
  date: string;
  status: string;
  attribution: Attribution;
};

export type RideAllocation = {
  id: number;
  client_id: number;
  purchaser_id: number;
  provider_id: number;
  product_id: number;
  valid_from: string;
  valid_until: string | null;
};

/**
 * The billable units of one provider's rows for one purchaser. `contracts` are that
 * provider's contracts with that purchaser; `rides` its ride allocations.
 */
export function billableUnits(
  rows: AttributedRow[],
  opts: { purchaserId: number; providerId: number; contracts: BillingContract[]; rides: RideAllocation[] },
): BillableUnit[] {
  const ofPair = opts.contracts.filter((c) => c.purchaser_id === opts.purchaserId && c.provider_id === opts.providerId);
  const inkoop = ofPair.filter((c) => c.kind === "inkoop");
  const subsidies = ofPair.filter((c) => c.kind === "subsidie");
  const units: BillableUnit[] = [];
  const rideDays = new Map<string, number | undefined>();
  // A month's thousands of rows fall on a few dates under a few contracts: each contractOn()
  // answer once (it filters and sorts the pair's contracts; a region's pair held the event loop).
  const inkoopOn = onceEach((date: string, preferredId: number | null) => contractOn(inkoop, date, preferredId));
  const subsidyOn = onceEach((date: string, preferredId: number | null) => contractOn(subsidies, date, preferredId));
  for (const r of rows) {
    const a = r.attribution;
    if (a.purchaser_id !== opts.purchaserId || a.product_id === null) continue;
    if (a.funding === "toewijzing" && a.allocation_id !== null) {
      const contract = inkoopOn(r.date, a.contract_id);
      if (!isBillable(r.status, contract?.no_show_billable ?? false)) continue;
      units.push({ client_id: r.client_id, allocation_id: a.allocation_id, product_id: a.product_id, contract_id: contract?.id ?? null, date: r.date, units: 1, location_id: r.location_id });
      const day = `${r.client_id}|${r.date}`;
      if (isAttended(r.status) && !rideDays.has(day)) rideDays.set(day, r.location_id);
    } else if (a.funding === "subsidie" && a.contract_id !== null) {
      const contract = subsidyOn(r.date, a.contract_id);
      if (!contract) continue;
      if (!isBillable(r.status, contract.no_show_billable)) continue;
      units.push({ client_id: r.client_id, allocation_id: null, product_id: a.product_id, contract_id: contract.id, date: r.date, units: 1, location_id: r.location_id });
    }
  }
  // This pair's ride allocations per client, in their given order: the first that runs on a day pays its rides.
  const ridesOf = new Map<number, RideAllocation[]>();
  for (const x of opts.rides) {
    if (x.purchaser_id !== opts.purchaserId || x.provider_id !== opts.providerId) continue;
    const own = ridesOf.get(x.client_id);
    if (own) own.push(x);
    else ridesOf.set(x.client_id, [x]);
  }
  for (const [day, locationId] of [...rideDays].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [clientId, date] = day.split("|");
    const ride = ridesOf.get(Number(clientId))?.find((x) => periodContains(x.valid_from, x.valid_until, date));
    if (!ride) continue;
    const contract = inkoopOn(date, null);
    units.push({ client_id: ride.client_id, allocation_id: ride.id, product_id: ride.product_id, contract_id: contract?.id ?? null, date, units: RIDES_PER_DAY, location_id: locationId });
  }
  return units;
}

/** f remembered per (date, preferred contract): the same answer as calling it each time. */
function onceEach<T>(f: (date: string, preferredId: number | null) => T): (date: string, preferredId: number | null) => T {
  const kept = new Map<string, T>();
  return (date, preferredId) => {
    const key = `${date}|${preferredId ?? ""}`;
    if (kept.has(key)) return kept.get(key)!;
    const answer = f(date, preferredId);
    kept.set(key, answer);
    return answer;
  };
}
