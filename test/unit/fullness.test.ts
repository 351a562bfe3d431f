import { expect } from "chai";
import fc from "fast-check";
import { FULLNESS_SCALE, fullnessOf } from "../../src/domain/fullness";

const rank = (places: number, booked: number) => FULLNESS_SCALE.indexOf(fullnessOf({ closed: false, places, booked }));

describe("fullness: how full a dagdeel reads", () => {
  it("examples a coordinator knows", () => {
    expect(fullnessOf({ closed: false, places: 3, booked: 2 })).to.equal("tight");
    expect(fullnessOf({ closed: false, places: 3, booked: 1 })).to.equal("free");
    expect(fullnessOf({ closed: false, places: 3, booked: 3 })).to.equal("full");
    expect(fullnessOf({ closed: false, places: 3, booked: 4 })).to.equal("over");
    expect(fullnessOf({ closed: false, places: 10, booked: 8 })).to.equal("tight");
    expect(fullnessOf({ closed: false, places: 10, booked: 7 })).to.equal("free");
    expect(fullnessOf({ closed: false, places: 0, booked: 0 })).to.equal("shut");
    expect(fullnessOf({ closed: false, places: 0, booked: 1 })).to.equal("over");
    expect(fullnessOf({ closed: true, places: 3, booked: 9 })).to.equal("closed");
  });

  it("closed wins over everything", () => {
    fc.assert(fc.property(fc.nat(60), fc.nat(60), (places, booked) => fullnessOf({ closed: true, places, booked }) === "closed"));
  });

  it("over exactly when more are booked than there are places", () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(60), (places, booked) => (fullnessOf({ closed: false, places, booked }) === "over") === booked > places),
    );
  });

  it("full exactly when every place is taken; shut only without places and bookings", () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(60), (places, booked) => {
        const f = fullnessOf({ closed: false, places, booked });
        expect(f === "full").to.equal(places > 0 && booked === places);
        expect(f === "shut").to.equal(places === 0 && booked === 0);
      }),
    );
  });

  it("monotone in booked: one more booking never reads emptier", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.nat(60), (places, booked) => rank(places, booked + 1) >= rank(places, booked)));
  });

  it("the last free place always reads nearly full, and at most a fifth left does too", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.nat(60), (places, free) => {
        fc.pre(free >= 1 && free <= places);
        const f = fullnessOf({ closed: false, places, booked: places - free });
        expect(f).to.equal(free === 1 || free * 5 <= places ? "tight" : "free");
      }),
    );
  });
});
