import { expect } from "chai";
import fc from "fast-check";
import { addToGroup } from "../../src/domain/groups";

// Rows grouped by a key (src/domain/groups.ts): the same groups, in the same order, as copying
// each group's list for every row, without the copies.

describe("addToGroup: rows grouped by a key in the order they come", () => {
  it("gives each key its rows in their order, as the copying way did", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), value: fc.integer() })), (rows) => {
        const grown = new Map<number, number[]>();
        const copied = new Map<number, number[]>();
        for (const r of rows) {
          addToGroup(grown, r.key, r.value);
          copied.set(r.key, [...(copied.get(r.key) ?? []), r.value]);
        }
        expect([...grown]).to.deep.equal([...copied]);
      }),
    );
  });
});
