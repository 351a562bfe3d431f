import { expect } from "chai";
import { attribute, type FundingContext } from "../../src/domain/funding";

// Who pays for a dagdeel depends on the client's own schedule and allocation only: the same
// row gets the same answer whichever other clients, months or locations were loaded with it
// (the use tallies count clients in batches; a declaration counts one month of one pair).

describe("funding: who pays for an attended dagdeel", () => {
  const base = (over: Partial<FundingContext> = {}): FundingContext => ({
    locationProvider: new Map([
      [1, 10],
      [2, 20],
    ]),
    schedules: [{ id: 5, client_id: 7, location_id: 1, funding: "toewijzing", allocation_id: 50, contract_id: 90, product_id: null, valid_from: "2026-01-01", valid_until: null, slots: [{ weekday: 1, dagdeel: "ochtend" }] }],
    allocations: [{ id: 50, client_id: 7, purchaser_id: 100, provider_id: 10, product_id: 3, product_unit: "dagdeel", valid_from: "2026-01-01", valid_until: "2026-12-31" }],
    contracts: [{ id: 90, purchaser_id: 100, provider_id: 10 }],
    ...over,
  });
  const monday = { client_id: 7, location_id: 1, date: "2026-11-23", dagdeel: "ochtend" as const };

  it("the schedule's allocation pays, within its period", () => {
    expect(attribute(base(), monday)).to.deep.include({ funding: "toewijzing", purchaser_id: 100, allocation_id: 50, contract_id: 90, product_id: 3, schedule_id: 5 });
    expect(attribute(base(), { ...monday, date: "2027-01-04" }).purchaser_id).to.equal(null);
  });

  it("never another client's allocation, nor one of another provider", () => {
    const other = base({ allocations: [{ id: 50, client_id: 8, purchaser_id: 100, provider_id: 10, product_id: 3, product_unit: "dagdeel", valid_from: "2026-01-01", valid_until: null }] });
    expect(attribute(other, monday)).to.deep.include({ funding: "toewijzing", purchaser_id: null, schedule_id: 5 });
    const elsewhere = base({ allocations: [{ id: 50, client_id: 7, purchaser_id: 100, provider_id: 20, product_id: 3, product_unit: "dagdeel", valid_from: "2026-01-01", valid_until: null }] });
    expect(attribute(elsewhere, monday).purchaser_id).to.equal(null);
  });

  it("a subsidy is paid by its contract's purchaser, when the contract is this provider's", () => {
    const subsidy = (contractProvider: number) =>
      base({
        schedules: [{ id: 6, client_id: 7, location_id: 1, funding: "subsidie", allocation_id: null, contract_id: 91, product_id: 4, valid_from: "2026-01-01", valid_until: null, slots: [{ weekday: 1, dagdeel: "ochtend" }] }],
        contracts: [{ id: 91, purchaser_id: 100, provider_id: contractProvider }],
      });
    expect(attribute(subsidy(10), monday)).to.deep.include({ funding: "subsidie", purchaser_id: 100, contract_id: 91, product_id: 4 });
    expect(attribute(subsidy(20), monday).purchaser_id).to.equal(null);
  });

  it("an extra visit outside any schedule falls under the client's allocation with that provider", () => {
    const ctx = base({ schedules: [] });
    expect(attribute(ctx, monday)).to.deep.include({ funding: "toewijzing", purchaser_id: 100, allocation_id: 50, contract_id: 90, schedule_id: null });
    expect(attribute(ctx, { ...monday, location_id: 2 }).purchaser_id).to.equal(null);
  });
});
