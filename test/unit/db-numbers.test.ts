import { expect } from "chai";
import fc from "fast-check";
import { countOf, numbersIn, toNumber, toNumberOrNull } from "../../src/db/numbers";

describe("numbers from the database", () => {
  it("turns node-postgres' numeric strings into the numbers SQLite gives", () => {
    expect(toNumber("12345")).to.equal(12345);
    expect(toNumber("-250")).to.equal(-250);
    expect(toNumber("12.50")).to.equal(12.5);
    expect(toNumber(7)).to.equal(7);
    expect(toNumber(7n)).to.equal(7);
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => toNumber(String(n)) === n && toNumber(n) === n));
  });

  it("refuses what is no number instead of passing NaN or 0 on", () => {
    for (const bad of [null, undefined, "", " ", "abc", "12abc", {}, NaN, Infinity]) expect(() => toNumber(bad), String(bad)).to.throw(TypeError);
  });

  it("keeps null as null where a column may be empty", () => {
    expect(toNumberOrNull(null)).to.equal(null);
    expect(toNumberOrNull(undefined)).to.equal(null);
    expect(toNumberOrNull("40")).to.equal(40);
  });

  it("converts only the named columns of a row", () => {
    const row = { id: 3, month: "2026-10", total_cents: "4321", awarded_cents: null as string | null };
    expect(numbersIn(row, ["total_cents", "awarded_cents"])).to.deep.equal({ id: 3, month: "2026-10", total_cents: 4321, awarded_cents: null });
    expect(row.total_cents).to.equal("4321");
  });

  it("reads a count query's n, from its row or its rows; no row counts 0", () => {
    expect(countOf([{ n: "17" }])).to.equal(17);
    expect(countOf({ n: 4 })).to.equal(4);
    expect(countOf(undefined)).to.equal(0);
    expect(countOf([])).to.equal(0);
  });
});
