import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { FREQUENCIES } from "../../src/domain/allocation";
import { EENHEDEN, FREQUENTIES, mapOmvang, MAX_VOLUME, omvangOf, redenBeeindigingCodes, UNIT_EENHEID } from "../../src/iwmo/codes";
import { loadMessages } from "../../src/web/i18n";

// Omvang (Volume, Eenheid, Frequentie) → dagdeel's volume and period: exact, or a problem.

describe("iWmo codes: Omvang to an allocation's volume and period", () => {
  it("maps Frequentie 2, 4 and 6 to per week, per maand and in total, volume unchanged", () => {
    expect(mapOmvang({ volume: 5, eenheid: "16", frequentie: "2" }, "16")).to.deep.equal({ ok: true, volume: 5, frequency: "week", notes: [] });
    expect(mapOmvang({ volume: 20, eenheid: "16", frequentie: "4" }, "16")).to.deep.equal({ ok: true, volume: 20, frequency: "maand", notes: [] });
    expect(mapOmvang({ volume: 80, eenheid: "16", frequentie: "6" }, "16")).to.deep.equal({ ok: true, volume: 80, frequency: "totaal", notes: [] });
  });

  it("maps Frequentie 1 (per dag) to seven times the volume per week, and says so", () => {
    expect(mapOmvang({ volume: 1, eenheid: "16", frequentie: "1" }, "16")).to.deep.equal({ ok: true, volume: 7, frequency: "week", notes: [{ code: "perDay", perDay: 1 }] });
  });

  it("converts exactly: minutes to hours, hours to dagdelen (iWmo: a dagdeel is 4 hours), minutes to dagdelen", () => {
    expect(mapOmvang({ volume: 120, eenheid: "01", frequentie: "2" }, "04")).to.include({ ok: true, volume: 2 });
    expect(mapOmvang({ volume: 8, eenheid: "04", frequentie: "2" }, "16")).to.include({ ok: true, volume: 2 });
    expect(mapOmvang({ volume: 480, eenheid: "01", frequentie: "4" }, "16")).to.include({ ok: true, volume: 2, frequency: "maand" });
  });

  it("refuses what is not the same quantity: 6 hours is not a whole number of dagdelen, an etmaal is not dagdelen", () => {
    expect(mapOmvang({ volume: 6, eenheid: "04", frequentie: "2" }, "16")).to.deep.include({ ok: false, problem: { code: "notWhole", volume: 6, from: "04", to: "16" } });
    expect(mapOmvang({ volume: 2, eenheid: "14", frequentie: "2" }, "16")).to.deep.include({ ok: false, problem: { code: "eenheid", from: "14", to: "16" } });
    expect(mapOmvang({ volume: 2, eenheid: "16", frequentie: "2" }, "82")).to.deep.include({ ok: false, problem: { code: "eenheid", from: "16", to: "82" } });
    // The official example: 10 minutes a day is 70 minutes a week, not a whole number of hours.
    expect(mapOmvang({ volume: 10, eenheid: "01", frequentie: "1" }, "04")).to.deep.include({ ok: false, problem: { code: "notWhole", volume: 70, from: "01", to: "04" } });
  });

  it("refuses a volume of 0, one above what the allocation form takes, and an unknown Frequentie", () => {
    expect(mapOmvang({ volume: 0, eenheid: "16", frequentie: "2" }, "16")).to.deep.include({ ok: false, problem: { code: "zero" } });
    expect(mapOmvang({ volume: MAX_VOLUME + 1, eenheid: "16", frequentie: "6" }, "16")).to.deep.include({ ok: false, problem: { code: "tooLarge", volume: MAX_VOLUME + 1 } });
    expect(mapOmvang({ volume: 2, eenheid: "16", frequentie: "3" }, "16")).to.deep.include({ ok: false, problem: { code: "frequentie", frequentie: "3" } });
  });

  it("every Omvang either maps to exactly the same quantity or is refused (property)", () => {
    const factor: Record<string, number> = { "01": 1, "04": 60, "16": 240 }; // in minutes
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(...EENHEDEN),
        fc.constantFrom(...FREQUENTIES),
        fc.constantFrom("01", "04", "14", "16", "82"),
        (volume, eenheid, frequentie, target) => {
          const m = mapOmvang({ volume, eenheid, frequentie }, target);
          if (!m.ok) return;
          expect(m.volume).to.be.within(1, MAX_VOLUME);
          expect(Number.isInteger(m.volume)).to.equal(true);
          const perPeriod = frequentie === "1" ? volume * 7 : volume;
          if (eenheid === target) expect(m.volume).to.equal(perPeriod);
          else expect(m.volume * factor[target]).to.equal(perPeriod * factor[eenheid]);
        },
      ),
    );
  });

  it("what dagdeel writes (omvangOf) maps back to the same volume and period (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_VOLUME }), fc.constantFrom(...FREQUENCIES), fc.constantFrom(...Object.values(UNIT_EENHEID)), (volume, frequency, eenheid) => {
        expect(mapOmvang(omvangOf({ volume, frequency }, eenheid), eenheid)).to.deep.equal({ ok: true, volume, frequency, notes: [] });
      }),
    );
  });
});

describe("iWmo codes: RedenBeeindiging", () => {
  it("reads the official list, with 20 as the temporary stop, and every code has words in both languages", () => {
    const codes = redenBeeindigingCodes();
    const file = fs.readFileSync(path.resolve(__dirname, "../../src/iwmo/reden-beeindiging.tsv"), "utf8");
    expect(codes).to.have.length(file.trim().split("\n").length);
    expect(codes).to.include.members(["02", "19", "20", "23", "31", "36"]);
    for (const lang of ["nl", "en"] as const) {
      const reasons = (loadMessages(lang).iwmoReason ?? {}) as Record<string, string>;
      for (const code of codes) expect(reasons[code], `${lang} ${code}`).to.be.a("string");
    }
  });
});
