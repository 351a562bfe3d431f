import { expect } from "chai";
import fc from "fast-check";
import { isToewijzingNummer, referenceProblem, toewijzingNummerProblem } from "../../src/domain/toewijzing-nummer";

describe("iWmo ToewijzingNummer", () => {
  it("is digits only, at most nine, as the gemeente gave it", () => {
    expect(toewijzingNummerProblem("104237")).to.equal(null);
    expect(toewijzingNummerProblem("000000001")).to.equal(null);
    expect(toewijzingNummerProblem("999999999")).to.equal(null);
    expect(toewijzingNummerProblem("1000000000")).to.equal("tooLong");
    expect(toewijzingNummerProblem("PM-T-104237")).to.equal("digitsOnly");
    expect(toewijzingNummerProblem("104 237")).to.equal("digitsOnly");
    expect(toewijzingNummerProblem("")).to.equal("digitsOnly");
    expect(toewijzingNummerProblem("١٢٣")).to.equal("digitsOnly"); // Arabic-Indic digits are not 0-9
  });

  it("applies to a gemeente only; a zorgkantoor's reference is free text", () => {
    expect(referenceProblem("gemeente", "VGZ-2318401")).to.equal("digitsOnly");
    expect(referenceProblem("zorgkantoor", "VGZ-2318401")).to.equal(null);
  });

  it("property: accepted exactly when it is an integer 0–999999999 in the schema's sense", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^\d{1,11}$/)), (s) => {
        const schemaInteger = /^\d+$/.test(s) && s.length <= 9 && Number(s) <= 999_999_999;
        expect(isToewijzingNummer(s)).to.equal(schemaInteger);
      }),
    );
  });
});
