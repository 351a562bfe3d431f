import { expect } from "chai";
import { slotsOf } from "../../src/db/sql";

// A schedule's slots read back from their joined column (src/db/sql.ts): schedules with the
// same slots share one frozen list, so reading a region's running schedules makes no garbage
// per row (issue 11).

describe("slotsOf: a joined slots column read back", () => {
  it("reads every slot in the column's order", () => {
    expect(slotsOf("1ochtend,3middag,5ochtend")).to.deep.equal([
      { weekday: 1, dagdeel: "ochtend" },
      { weekday: 3, dagdeel: "middag" },
      { weekday: 5, dagdeel: "ochtend" },
    ]);
    expect(slotsOf(null)).to.deep.equal([]);
    expect(slotsOf("")).to.deep.equal([]);
  });

  it("gives the same frozen list for the same text, so no caller can change another schedule's slots", () => {
    const a = slotsOf("2middag,4ochtend");
    expect(slotsOf("2middag,4ochtend")).to.equal(a);
    expect(Object.isFrozen(a)).to.equal(true);
    expect(Object.isFrozen(a[0])).to.equal(true);
    expect(() => (a as { weekday: number }[]).push({ weekday: 1 })).to.throw(TypeError);
  });
});
