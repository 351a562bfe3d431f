import { expect } from "chai";
import fc from "fast-check";
import { compareTariffs, type ComparedContract, type ComparedLine } from "../../src/domain/tariff-comparison";

const contract = (id: number, provider_name: string, valid_from: string, valid_until: string, status = "actief", kind = "inkoop"): ComparedContract => ({ id, kind, status, provider_name, valid_from, valid_until });
const line = (contract_id: number, product_id: number, tariff_cents: number, valid_from: string, valid_until: string): ComparedLine => ({ contract_id, product_id, tariff_cents, valid_from, valid_until });

describe("tariff comparison on one date", () => {
  const contracts = [
    contract(1, "Zorgboerderij A", "2026-01-01", "2026-12-31"),
    contract(2, "Zorgboerderij A", "2027-01-01", "2027-12-31"),
    contract(3, "Dorpshuis B", "2026-01-01", "2027-12-31"),
    contract(4, "Concept C", "2026-01-01", "2027-12-31", "concept"),
    contract(5, "Subsidie D", "2026-01-01", "2027-12-31", "actief", "subsidie"),
  ];
  const lines = [
    line(1, 10, 5150, "2026-01-01", "2026-06-30"),
    line(1, 10, 5310, "2026-07-01", "2026-12-31"),
    line(2, 10, 5500, "2027-01-01", "2027-12-31"),
    line(3, 10, 4900, "2026-01-01", "2027-12-31"),
    line(3, 20, 1200, "2027-01-01", "2027-12-31"),
    line(4, 10, 9900, "2026-01-01", "2027-12-31"),
  ];
  const products = [{ id: 10 }, { id: 20 }];

  it("takes only the signed inkoop contracts running that day and their lines valid that day", () => {
    const r = compareTariffs(contracts, lines, products, "2026-11-23");
    expect(r.rows.map((x) => x.contract.id)).to.deep.equal([3, 1]);
    expect(r.products.map((p) => p.id)).to.deep.equal([10]); // no line of product 20 runs in 2026
    expect(r.rows.map((x) => x.cells[0].tariff_cents)).to.deep.equal([4900, 5310]);
    expect(r.stats[0]).to.deep.include({ lowest: 4900, highest: 5310, average: 5105, count: 2 });
    expect(r.rows[0].cells[0]).to.include({ lowest: true, highest: false });
  });

  it("next year: next year's contract, never this year's beside it", () => {
    const r = compareTariffs(contracts, lines, products, "2027-01-04");
    expect(r.rows.map((x) => x.contract.id)).to.deep.equal([3, 2]);
    expect(r.rows.find((x) => x.contract.id === 2)!.cells.map((c) => c.tariff_cents)).to.deep.equal([5500, null]);
    expect(r.products.map((p) => p.id)).to.deep.equal([10, 20]);
  });

  it("before an index: the older line", () => {
    const r = compareTariffs(contracts, lines, products, "2026-03-01");
    expect(r.rows.find((x) => x.contract.id === 1)!.cells[0].tariff_cents).to.equal(5150);
  });

  it("property: every tariff shown is of a line valid that day, of a contract running that day", () => {
    const day = fc.integer({ min: 0, max: 729 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    const period = fc.tuple(day, day).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [string, string]);
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 1, max: 5 }), p: period, status: fc.constantFrom("actief", "concept", "beeindigd") }), { maxLength: 5 }),
        fc.array(fc.record({ c: fc.integer({ min: 1, max: 5 }), product: fc.integer({ min: 1, max: 3 }), t: fc.integer({ min: 1, max: 10_000 }), p: period }), { maxLength: 12 }),
        day,
        (cs, ls, date) => {
          const uniq = [...new Map(cs.map((c) => [c.id, contract(c.id, `P${c.id}`, c.p[0], c.p[1], c.status)])).values()];
          const ls2 = ls.map((l) => line(l.c, l.product, l.t, l.p[0], l.p[1]));
          const r = compareTariffs(uniq, ls2, [{ id: 1 }, { id: 2 }, { id: 3 }], date);
          for (const row of r.rows) {
            expect(row.contract.status).to.not.equal("concept");
            expect(row.contract.valid_from <= date && date <= row.contract.valid_until).to.equal(true);
            row.cells.forEach((cell, i) => {
              if (cell.tariff_cents === null) return;
              expect(ls2.some((l) => l.contract_id === row.contract.id && l.product_id === r.products[i].id && l.tariff_cents === cell.tariff_cents && l.valid_from <= date && date <= l.valid_until)).to.equal(true);
            });
          }
        },
      ),
    );
  });
});
