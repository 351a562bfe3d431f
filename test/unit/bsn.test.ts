import { expect } from "chai";
import fc from "fast-check";
import { isValidBsn, maskBsn, normaliseBsn } from "../../src/domain/bsn";

describe("BSN 11-test", () => {
  it("accepts known valid numbers", () => {
    for (const bsn of ["111222333", "123456782", "999990019", "999991772"]) expect(isValidBsn(bsn), bsn).to.equal(true);
  });

  it("refuses wrong check digits, wrong lengths, letters and all zeros", () => {
    for (const bsn of ["123456789", "12345678", "1234567821", "12345678a", "", "000000000", " 23456782"]) {
      expect(isValidBsn(bsn), bsn).to.equal(false);
    }
  });

  it("changing any single digit of a valid BSN makes it invalid", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const valid = "123456782";
        const digit = (Number(valid[pos]) + delta) % 10;
        const changed = valid.slice(0, pos) + digit + valid.slice(pos + 1);
        return !isValidBsn(changed);
      }),
    );
  });

  it("for every 8-digit prefix at most one check digit passes", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8}$/), (prefix) => {
        const passing = [..."0123456789"].filter((d) => isValidBsn(prefix + d));
        return passing.length <= 1;
      }),
    );
  });

  it("masks all but the last three digits", () => {
    expect(maskBsn("123456782")).to.equal("******782");
    expect(maskBsn(null)).to.equal("");
  });

  it("strips the spaces and dots people type", () => {
    expect(normaliseBsn("1234.56.782")).to.equal("123456782");
    expect(normaliseBsn(" 123 456 782 ")).to.equal("123456782");
  });
});
