import { expect } from "chai";
import fc from "fast-check";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { dayRides, type PlannedVisit } from "../../src/domain/transport";

const visit = (client_id: number, dagdeel: Dagdeel, coming = true, location_id = 1): PlannedVisit => ({ client_id, location_id, dagdeel, coming });

describe("transport: the rides of a day", () => {
  it("a whole-day client is fetched in the morning and taken home in the afternoon, nothing at noon", () => {
    const { rides, notComing } = dayRides([visit(1, "ochtend"), visit(1, "middag")]);
    expect(rides).to.deep.equal([
      { client_id: 1, location_id: 1, direction: "heen", dagdeel: "ochtend", wholeDay: true },
      { client_id: 1, location_id: 1, direction: "terug", dagdeel: "middag", wholeDay: true },
    ]);
    expect(notComing).to.deep.equal([]);
  });

  it("a half-day client rides out and back on that dagdeel", () => {
    expect(dayRides([visit(2, "middag")]).rides).to.deep.equal([
      { client_id: 2, location_id: 1, direction: "heen", dagdeel: "middag", wholeDay: false },
      { client_id: 2, location_id: 1, direction: "terug", dagdeel: "middag", wholeDay: false },
    ]);
  });

  it("absent in the morning: 'niet ophalen' then, and out and back in the afternoon", () => {
    const { rides, notComing } = dayRides([visit(3, "ochtend", false), visit(3, "middag")]);
    expect(notComing).to.deep.equal([visit(3, "ochtend", false)]);
    expect(rides.map((r) => `${r.direction} ${r.dagdeel} ${r.wholeDay}`)).to.deep.equal(["heen middag false", "terug middag false"]);
  });

  it("absent all day: no ride, two 'niet ophalen'", () => {
    const { rides, notComing } = dayRides([visit(4, "ochtend", false), visit(4, "middag", false)]);
    expect(rides).to.deep.equal([]);
    expect(notComing).to.have.length(2);
  });

  it("morning at one location and afternoon at another are two separate half days", () => {
    const { rides } = dayRides([visit(5, "ochtend", true, 1), visit(5, "middag", true, 2)]);
    expect(rides.filter((r) => r.wholeDay)).to.deep.equal([]);
    expect(rides).to.have.length(4);
  });

  it("property: every coming client is fetched once and taken home once per location, never home before being fetched", () => {
    const arbVisit = fc.record({
      client_id: fc.integer({ min: 1, max: 6 }),
      location_id: fc.integer({ min: 1, max: 2 }),
      dagdeel: fc.constantFrom<Dagdeel>("ochtend", "middag"),
      coming: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbVisit, { maxLength: 20 }), (raw) => {
        // One row per client × dagdeel × location, as the schedules give it.
        const seen = new Set<string>();
        const visits = raw.filter((v) => {
          const k = `${v.client_id}|${v.location_id}|${v.dagdeel}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
        const { rides, notComing } = dayRides(visits);
        const order = { ochtend: 0, middag: 1 };
        const groups = new Set(visits.map((v) => `${v.client_id}|${v.location_id}`));
        for (const g of groups) {
          const own = visits.filter((v) => `${v.client_id}|${v.location_id}` === g);
          const coming = own.filter((v) => v.coming);
          const out = rides.filter((r) => `${r.client_id}|${r.location_id}` === g && r.direction === "heen");
          const back = rides.filter((r) => `${r.client_id}|${r.location_id}` === g && r.direction === "terug");
          expect(out).to.have.length(coming.length > 0 ? 1 : 0);
          expect(back).to.have.length(coming.length > 0 ? 1 : 0);
          if (coming.length > 0) {
            expect(order[out[0].dagdeel]).to.be.at.most(order[back[0].dagdeel]);
            expect(out[0].wholeDay).to.equal(coming.length === 2);
          }
        }
        expect(notComing).to.have.length(visits.filter((v) => !v.coming).length);
      }),
    );
  });
});
