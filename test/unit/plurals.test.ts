import { expect } from "chai";
import { translator } from "../../src/web/i18n";

// i18next chooses "_one" or "_other" by the number it is given: "1 dagdeel", "2 dagdelen",
// "0 dagdelen" — in Dutch and in English. A count given as text would always be "_other".
describe("plurals through i18next", () => {
  const nl = translator("nl");
  const en = translator("en");

  it("one, several and none, in both languages", () => {
    expect([0, 1, 2].map((count) => nl("contract.nDagdelen", { count }))).to.deep.equal(["0 dagdelen", "1 dagdeel", "2 dagdelen"]);
    expect([0, 1, 2].map((count) => en("contract.nDagdelen", { count }))).to.deep.equal(["0 dagdelen", "1 dagdeel", "2 dagdelen"]);
    expect(nl("attendance.run.heen", { count: 1 })).to.equal("Heen: 1 cliënt ophalen");
    expect(nl("attendance.run.heen", { count: 2 })).to.equal("Heen: 2 cliënten ophalen");
    expect(en("attendance.run.heen", { count: 1 })).to.equal("Out: pick up 1 client");
    expect(en("freePlaces.weeksCount", { count: 1 })).to.equal("1 week");
    expect(nl("freePlaces.weeksCount", { count: 4 })).to.equal("4 weken");
    expect(nl("home.activeContracts", { count: 1 })).to.equal("actief contract");
    expect(nl("home.activeContracts", { count: 3 })).to.equal("actieve contracten");
  });

  it("a count needs to be a number: text always takes the plural", () => {
    expect(nl("contract.nDagdelen", { count: "1" as unknown as number })).to.not.equal("1 dagdeel");
  });
});
