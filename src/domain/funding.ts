import type { Dagdeel } from "./dagdeel";
import { periodContains } from "./dates";
import { isoDayNumber } from "./fast-calendar";
import { weekdayOfDayNumber } from "./schedule";
import { addToGroup } from "./groups";

// Which purchaser pays for an attended dagdeel. Funding is a property of the schedule
// (src/CONTEXT.md#funding): a toewijzing (allocation) names its purchaser, a subsidie schedule its
// contract's purchaser; PGB and self-pay have none to declare to. An `extra` dagdeel outside
// any schedule falls under the client's allocation with that provider, if one covers the date.

export type Funding = "toewijzing" | "subsidie" | "pgb" | "eigen";

export type FundingSchedule = {
  id: number;
  client_id: number;
  location_id: number;
  funding: Funding;
  allocation_id: number | null;
  contract_id: number | null;
  product_id: number | null;
  valid_from: string;
  valid_until: string | null;
  slots: { weekday: number; dagdeel: Dagdeel }[];
};

export type FundingAllocation = {
  id: number;
  client_id: number;
  purchaser_id: number;
  provider_id: number;
  product_id: number;
  product_unit: string;
  valid_from: string;
  valid_until: string | null;
};

export type FundingContract = { id: number; purchaser_id: number; provider_id: number };

export type FundingContext = {
  locationProvider: Map<number, number>;
  schedules: FundingSchedule[];
  allocations: FundingAllocation[];
  contracts: FundingContract[];
};

export type Attribution = {
  funding: Funding | null;
  purchaser_id: number | null;
  allocation_id: number | null;
  contract_id: number | null;
  product_id: number | null;
  schedule_id: number | null;
};

const NONE: Attribution = { funding: null, purchaser_id: null, allocation_id: null, contract_id: null, product_id: null, schedule_id: null };

type ContextIndex = {
  schedules: Map<string, FundingSchedule[]>;
  allocationsById: Map<number, FundingAllocation>;
  dagdeelAllocationsByClient: Map<number, FundingAllocation[]>;
  contractsById: Map<number, FundingContract>;
};

// attribute() runs for every attended and planned dagdeel of a contract's year (thousands of
// rows), so the context is indexed once, on first use, instead of scanned on every call.
const indexes = new WeakMap<FundingContext, ContextIndex>();

function indexOf(ctx: FundingContext): ContextIndex {
  let index = indexes.get(ctx);
  if (index) return index;
  const schedules = new Map<string, FundingSchedule[]>();
  for (const s of ctx.schedules) {
    const key = `${s.client_id}|${s.location_id}`;
    addToGroup(schedules, key, s);
  }
  const dagdeelAllocationsByClient = new Map<number, FundingAllocation[]>();
  for (const a of ctx.allocations.filter((x) => x.product_unit === "dagdeel")) {
    addToGroup(dagdeelAllocationsByClient, a.client_id, a);
  }
  index = {
    schedules,
    allocationsById: new Map(ctx.allocations.map((a) => [a.id, a])),
    dagdeelAllocationsByClient,
    contractsById: new Map(ctx.contracts.map((c) => [c.id, c])),
  };
  indexes.set(ctx, index);
  return index;
}

export function attribute(
  ctx: FundingContext,
  row: { client_id: number; location_id: number; date: string; dagdeel: Dagdeel },
): Attribution {
  const index = indexOf(ctx);
  const candidates = (index.schedules.get(`${row.client_id}|${row.location_id}`) ?? []).filter((s) =>
    periodContains(s.valid_from, s.valid_until, row.date),
  );
  const weekday = weekdayOfDayNumber(isoDayNumber(row.date));
  // A schedule whose slot is this very dagdeel wins over one that merely runs that week.
  const schedule =
    candidates.find((s) => s.slots.some((slot) => slot.weekday === weekday && slot.dagdeel === row.dagdeel)) ?? candidates[0];

  const providerId = ctx.locationProvider.get(row.location_id);
  if (schedule) {
    if (schedule.funding === "toewijzing" && schedule.allocation_id !== null) {
      const allocation = index.allocationsById.get(schedule.allocation_id);
      // An allocation pays for its own client's dagdelen at its own provider within its period,
      // never for another's: so the answer depends on the rows alone, not on which other
      // clients, months or locations the caller happened to load with them.
      if (!allocation || allocation.client_id !== row.client_id || allocation.provider_id !== providerId || !periodContains(allocation.valid_from, allocation.valid_until, row.date)) {
        return { ...NONE, funding: "toewijzing", schedule_id: schedule.id };
      }
      return {
        funding: "toewijzing",
        purchaser_id: allocation.purchaser_id,
        allocation_id: allocation.id,
        contract_id: schedule.contract_id,
        product_id: allocation.product_id,
        schedule_id: schedule.id,
      };
    }
    // A subsidy is paid by the purchaser of the named contract, when that is a contract of this provider.
    const contract = schedule.contract_id !== null ? index.contractsById.get(schedule.contract_id) : undefined;
    return {
      funding: schedule.funding,
      purchaser_id: schedule.funding === "subsidie" && contract !== undefined && contract.provider_id === providerId ? contract.purchaser_id : null,
      allocation_id: null,
      contract_id: schedule.contract_id,
      product_id: schedule.product_id,
      schedule_id: schedule.id,
    };
  }

  const allocation = (index.dagdeelAllocationsByClient.get(row.client_id) ?? []).find(
    (a) => a.provider_id === providerId && periodContains(a.valid_from, a.valid_until, row.date),
  );
  if (!allocation) return NONE;
  const contract = ctx.contracts.find((c) => c.purchaser_id === allocation.purchaser_id && c.provider_id === providerId);
  return {
    funding: "toewijzing",
    purchaser_id: allocation.purchaser_id,
    allocation_id: allocation.id,
    contract_id: contract?.id ?? null,
    product_id: allocation.product_id,
    schedule_id: null,
  };
}
