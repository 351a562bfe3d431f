import { expect } from "chai";
import fc from "fast-check";
import { isValidBsn } from "../../src/domain/bsn";
import { ageOn, clientStatus, containsPattern, normalisePostcode, parseClientQuery } from "../../src/domain/client";

describe("clients: what a search box means", () => {
  it("reads a whole BSN however it is typed", () => {
    for (const typed of ["999990019", "9999.90.019", "9999 90 019", " 999-990-019 "]) {
      expect(parseClientQuery(typed), typed).to.deep.equal({ bsn: "999990019", terms: [] });
    }
  });

  it("adds the leading zero people drop from an 8-digit BSN", () => {
    expect(parseClientQuery("12345672")).to.deep.equal({ bsn: "012345672", terms: [] });
  });

  it("never matches part of a BSN: other digit strings are only name words", () => {
    expect(parseClientQuery("99999")).to.deep.equal({ bsn: null, terms: ["99999"] });
    // Nine digits that fail the 11-test still search by BSN, and so find nobody.
    expect(parseClientQuery("123456789")).to.deep.equal({ bsn: "123456789", terms: [] });
  });

  it("splits names into lower-case words, ignoring extra spaces", () => {
    expect(parseClientQuery("  Anna   van den BERG ")).to.deep.equal({ bsn: null, terms: ["anna", "van", "den", "berg"] });
    expect(parseClientQuery("")).to.deep.equal({ bsn: null, terms: [] });
    expect(parseClientQuery(undefined)).to.deep.equal({ bsn: null, terms: [] });
  });

  it("property: a valid BSN with any dots and spaces between its digits is read back exactly", () => {
    const bsn = fc.stringMatching(/^[0-9]{9}$/).filter(isValidBsn);
    fc.assert(
      fc.property(bsn, fc.array(fc.constantFrom("", " ", ".", "-"), { minLength: 9, maxLength: 9 }), (b, seps) => {
        const typed = [...b].map((d, i) => d + seps[i]).join("");
        return parseClientQuery(typed).bsn === b;
      }),
    );
  });

  it("escapes LIKE wildcards so they match themselves", () => {
    expect(containsPattern("ann")).to.equal("%ann%");
    expect(containsPattern("50%_a\\b")).to.equal("%50\\%\\_a\\\\b%");
  });
});

describe("clients: small rules", () => {
  it("writes a Dutch postcode as 1234 AB and refuses anything else", () => {
    expect(normalisePostcode("5988aa")).to.equal("5988 AA");
    expect(normalisePostcode(" 5988  Ab ")).to.equal("5988 AB");
    for (const bad of ["0988 AA", "598 AA", "5988 A", "AB 1234", "59880AA", ""]) expect(normalisePostcode(bad), bad).to.equal(null);
  });

  it("counts whole years of age", () => {
    expect(ageOn("1950-11-23", "2026-11-23")).to.equal(76);
    expect(ageOn("1950-11-24", "2026-11-23")).to.equal(75);
    expect(ageOn("1948-02-29", "2026-02-27")).to.equal(77);
    expect(ageOn("1948-02-29", "2026-02-28")).to.equal(78);
  });

  it("a client ended on a date is still active that day and ended the day after", () => {
    expect(clientStatus(null, "2026-11-23")).to.equal("actief");
    expect(clientStatus("2026-11-23", "2026-11-23")).to.equal("actief");
    expect(clientStatus("2026-11-22", "2026-11-23")).to.equal("beeindigd");
  });
});
