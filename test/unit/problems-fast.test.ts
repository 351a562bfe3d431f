import { expect } from "chai";
import fc from "fast-check";
import { volumeWindows } from "../../src/domain/booking-rules";
import { addDays } from "../../src/domain/dates";
import { OccupancyGrid } from "../../src/domain/occupancy-grid";
import { occupancyCells, type OccupancyInputs } from "../../src/domain/occupancy";
import { anyOverCapacity, overCapacityRuns, type CapacityContext } from "../../src/domain/pattern-checks";
import { expandSchedule } from "../../src/domain/schedule";
import { mostPerWindow } from "../../src/planning/problems-service";
import { dateArb, occupancyInputsArb, parityArb, periodArb, slotsArb } from "../support/arbitraries";

// The problem lists' short cuts, each held to the reference it skips: the over-capacity list
// looks run by run only at locations anyOverCapacity (stretch by stretch, up to the end of every
// schedule) finds past their places, and the over-volume list skips allocations whose volume no
// window could exceed.

/** One location's capacity context, as the over-capacity list builds it. */
function contextOf(inputs: OccupancyInputs, location: OccupancyInputs["locations"][number]): CapacityContext {
  return {
    locationId: location.id,
    rules: inputs.rules.filter((r) => r.location_id === location.id),
    closures: inputs.closures.filter((c) => c.provider_id === location.provider_id),
    schedules: inputs.schedules.filter((s) => s.location_id === location.id),
    extras: inputs.extras.filter((e) => e.location_id === location.id),
  };
}

describe("problem lists: the short cuts against the reference (property)", () => {
  it("a location the grid finds within its places has no over-capacity run, and one it finds past them has one", () => {
    fc.assert(
      fc.property(occupancyInputsArb, dateArb, fc.integer({ min: 0, max: 60 }), (inputs, from, length) => {
        const until = addDays(from, length);
        const overfull = new OccupancyGrid(inputs, from, until).overfullLocationIds();
        for (const location of inputs.locations) {
          const ctx = contextOf(inputs, location);
          expect(overCapacityRuns(ctx, from, until).length > 0, `location ${location.id}`).to.equal(overfull.has(location.id));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("anyOverCapacity says yes exactly where overCapacityRuns finds a run and the day-by-day cells hold more than their places, also open-ended", () => {
    let over = 0;
    fc.assert(
      fc.property(occupancyInputsArb, dateArb, fc.integer({ min: 0, max: 200 }), (inputs, from, length) => {
        const until = addDays(from, length);
        const cells = occupancyCells(inputs, from, until);
        for (const location of inputs.locations) {
          const ctx = contextOf(inputs, location);
          const reference = cells.some((c) => c.location_id === location.id && !c.closed && c.booked > c.places);
          expect(anyOverCapacity(ctx, from, until), `location ${location.id}`).to.equal(reference);
          expect(overCapacityRuns(ctx, from, until).length > 0).to.equal(reference);
          // To the end of the window (open ends run to LAST_DATE): the same as the runs say, as one open run or more.
          expect(anyOverCapacity(ctx, from, "2100-12-31")).to.equal(overCapacityRuns(ctx, from, "2100-12-31", true).length > 0);
          if (reference) over += 1;
        }
      }),
      { numRuns: 200 },
    );
    expect(over).to.be.greaterThan(20);
  });

  it("an allocation whose volume is at least every slot every window has no window over it", () => {
    const schedule = fc.record({ period: periodArb, week_parity: parityArb, slots: slotsArb }).map(({ period, ...s }) => ({ ...s, ...period }));
    fc.assert(
      fc.property(
        fc.array(schedule, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("week", "maand", "totaal"),
        fc.integer({ min: 1, max: 12 }),
        periodArb,
        dateArb,
        fc.integer({ min: 0, max: 120 }),
        (funded, frequency, volume, period, from, length) => {
          const until = addDays(from, length);
          if (mostPerWindow(frequency, funded, from, until) > volume) return;
          const dates = funded.flatMap((s) => expandSchedule(s, from, until).map((o) => o.date));
          const windows = volumeWindows({ ...period, volume, frequency: frequency as "week" | "maand" | "totaal" }, dates);
          expect(windows.filter((w) => w.over)).to.deep.equal([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
