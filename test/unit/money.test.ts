import { expect } from "chai";
import fc from "fast-check";
import { formatEuro, parseEuroToCents } from "../../src/domain/money";

describe("euro amounts", () => {
  it("formats cents the Dutch way", () => {
    expect(formatEuro(123456)).to.equal("€ 1.234,56");
    expect(formatEuro(5)).to.equal("€ 0,05");
    expect(formatEuro(0)).to.equal("€ 0,00");
    expect(formatEuro(100000000)).to.equal("€ 1.000.000,00");
    expect(formatEuro(-5150)).to.equal("€ -51,50");
  });

  it("formats cents the English way", () => {
    expect(formatEuro(123456, "en")).to.equal("€1,234.56");
    expect(formatEuro(-5150, "en")).to.equal("-€51.50");
  });

  it("refuses fractions of a cent", () => {
    expect(() => formatEuro(10.5)).to.throw(RangeError);
  });

  it("parses what people type", () => {
    expect(parseEuroToCents("1.234,56")).to.equal(123456);
    expect(parseEuroToCents("€ 51,50")).to.equal(5150);
    expect(parseEuroToCents("51,5")).to.equal(5150);
    expect(parseEuroToCents("51.50")).to.equal(5150);
    expect(parseEuroToCents("12")).to.equal(1200);
    expect(parseEuroToCents("1.000")).to.equal(100000);
    expect(parseEuroToCents("-3,00")).to.equal(-300);
    for (const bad of ["", "abc", "1,2,3", "12,345", "1.23.4"]) expect(parseEuroToCents(bad), bad).to.equal(null);
  });

  it("parsing a formatted amount gives the same cents back (round trip)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => parseEuroToCents(formatEuro(cents)) === cents),
    );
  });
});
