import { expect } from "chai";
import { carnaval, easterSunday, holidayProposals, nationalHolidays, openProposals } from "../../src/domain/holidays";

describe("holidays", () => {
  it("Carnaval is the Monday and Tuesday 48 and 47 days before Easter", () => {
    expect(carnaval(2027)).to.deep.equal({ monday: "2027-02-08", tuesday: "2027-02-09" });
    expect(carnaval(2026)).to.deep.equal({ monday: "2026-02-16", tuesday: "2026-02-17" });
    expect(carnaval(2028)).to.deep.equal({ monday: "2028-02-28", tuesday: "2028-02-29" }); // a leap year
    expect(easterSunday(2027)).to.equal("2027-03-28");
  });

  it("knows the eleven national holidays of every year", () => {
    for (let year = 2025; year <= 2035; year++) {
      expect(nationalHolidays(year).map((h) => h.key), String(year)).to.have.members([
        "nieuwjaarsdag", "goedeVrijdag", "eerstePaasdag", "tweedePaasdag", "koningsdag", "bevrijdingsdag",
        "hemelvaartsdag", "eerstePinksterdag", "tweedePinksterdag", "eersteKerstdag", "tweedeKerstdag",
      ]);
    }
    const y2027 = Object.fromEntries(nationalHolidays(2027).map((h) => [h.key, h.date]));
    expect(y2027).to.deep.include({ nieuwjaarsdag: "2027-01-01", tweedePaasdag: "2027-03-29", koningsdag: "2027-04-27", hemelvaartsdag: "2027-05-06", tweedePinksterdag: "2027-05-17", eersteKerstdag: "2027-12-25" });
  });

  it("moves Koningsdag to Saturday 26 April when the 27th is a Sunday", () => {
    expect(nationalHolidays(2025).find((h) => h.key === "koningsdag")?.date).to.equal("2025-04-26");
  });

  it("Goede Vrijdag is proposed as optional, the rest not", () => {
    const optional = nationalHolidays(2027).filter((h) => h.optional).map((h) => h.key);
    expect(optional).to.deep.equal(["goedeVrijdag"]);
  });

  it("proposes Carnaval only for a provider with a location in Limburg, in date order", () => {
    expect(holidayProposals(2027, { limburg: false }).some((h) => h.regional)).to.equal(false);
    const limburg = holidayProposals(2027, { limburg: true });
    expect(limburg.filter((h) => h.regional).map((h) => h.date)).to.deep.equal(["2027-02-08", "2027-02-09"]);
    const dates = limburg.map((h) => h.date);
    expect(dates).to.deep.equal([...dates].sort());
  });

  it("leaves out what is past and what a whole-day closure of all locations already covers", () => {
    const proposals = holidayProposals(2026, { limburg: false });
    const closures = [
      { location_id: null, starts_on: "2026-12-25", ends_on: "2026-12-26", dagdeel: null }, // "Kerst" as one closure
      { location_id: 5, starts_on: "2026-04-27", ends_on: "2026-04-27", dagdeel: null }, // one location only: still propose
    ];
    expect(openProposals(proposals, closures, "2026-11-23").map((p) => p.key)).to.deep.equal([]);
    expect(openProposals(proposals, closures, "2026-01-01").map((p) => p.key)).to.include.members(["nieuwjaarsdag", "koningsdag"]);
    expect(openProposals(proposals, closures, "2026-01-01").map((p) => p.key)).to.not.include.members(["eersteKerstdag", "tweedeKerstdag"]);
  });
});
