import { expect } from "chai";
import fc from "fast-check";
import type { ChooserLocation } from "../../src/attendance/chooser";
import { busyFirst } from "../../src/attendance/chooser-page";

// The attendance start page's order at region scale: the locations with clients on the date
// first, then the rest, each part in the order the repository gave (village, then name).

const at = (id: number, expected: number, recorded: number, closed: boolean) => ({ id, expected, recorded, closed }) as ChooserLocation;

describe("attendance start page: busy locations first", () => {
  it("examples: expected and open, or recorded, comes first; closed or empty after", () => {
    const order = busyFirst([at(1, 0, 0, false), at(2, 3, 0, true), at(3, 2, 0, false), at(4, 0, 1, false), at(5, 0, 0, true)]).map((l) => l.id);
    expect(order).to.deep.equal([3, 4, 1, 2, 5]);
  });

  it("any list: the same locations, every busy one before every other, each part in the given order", () => {
    const location = fc.record({ expected: fc.nat(5), recorded: fc.nat(3), closed: fc.boolean() });
    fc.assert(
      fc.property(fc.array(location, { maxLength: 60 }), (rows) => {
        const given = rows.map((r, i) => at(i, r.expected, r.recorded, r.closed));
        const busy = (l: ChooserLocation) => (l.expected > 0 && !l.closed) || l.recorded > 0;
        const out = busyFirst(given);
        expect(out.map((l) => l.id).sort((a, b) => a - b)).to.deep.equal(given.map((l) => l.id));
        const firstIdle = out.findIndex((l) => !busy(l));
        if (firstIdle >= 0) expect(out.slice(firstIdle).every((l) => !busy(l))).to.equal(true);
        for (const part of [out.filter(busy), out.filter((l) => !busy(l))]) expect(part.map((l) => l.id)).to.deep.equal([...part.map((l) => l.id)].sort((a, b) => a - b));
      }),
    );
  });
});
