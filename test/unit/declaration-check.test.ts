import { expect } from "chai";
import fc from "fast-check";
import { checkDeclaration, type CheckAllocation, type CheckInput, type CheckLine } from "../../src/domain/declaration-check";
import { addDays } from "../../src/domain/dates";

// The check before sending: one case per rule, and properties for the volume rules.

const line = (over: Partial<CheckLine> = {}): CheckLine => ({
  id: 1,
  client_id: 7,
  client_name: "Aerts, Anna",
  bsn: "999901011",
  allocation_id: 11,
  allocation_reference: "104101",
  contract_line_id: 21,
  product_name: "Dagbesteding basis",
  period_from: "2026-10-01",
  period_until: "2026-10-31",
  units: 8,
  tariff_cents: 5150,
  debit_credit: "D",
  ...over,
});

const allocation = (over: Partial<CheckAllocation> = {}): CheckAllocation => ({ id: 11, volume: 3, frequency: "week", valid_from: "2026-01-01", valid_until: null, ...over });

const input = (over: Partial<CheckInput> = {}): CheckInput => ({
  lines: [line()],
  allocations: new Map([[11, allocation()]]),
  units: [],
  declaredElsewhere: new Map(),
  tariffs: new Map([[21, { tariff_cents: 5150, valid_from: "2026-01-01", valid_until: "2026-12-31" }]]),
  period: [],
  startMessage: { required: false, reported: new Map() },
  ...over,
});

const codes = (i: CheckInput) => checkDeclaration(i).map((f) => f.code);

describe("check before sending (what a gemeente would refuse)", function () {
  this.timeout(60_000); // the property runs a hundred cases
  it("finds nothing in a clean month", () => {
    expect(checkDeclaration(input())).to.deep.equal([]);
  });

  it("0001: a BSN that fails the 11-test or is missing, once per client", () => {
    expect(codes(input({ lines: [line({ bsn: "123456789" }), line({ id: 2, bsn: "123456789" })] }))).to.deep.equal(["0001"]);
    expect(codes(input({ lines: [line({ bsn: null })] }))).to.deep.equal(["0001"]);
  });

  it("9338: a reference that is not the gemeente's ToewijzingNummer", () => {
    const [f] = checkDeclaration(input({ lines: [line({ allocation_reference: "PM-T-104101" })] }));
    expect(f).to.include({ code: "9338", severity: "refuse", lineId: 1, client: "Aerts, Anna" });
    expect(f.params).to.include({ reference: "PM-T-104101" });
  });

  it("0611: a debit at another tariff than the contract's; a credit repeats the old one and is fine", () => {
    const tariffs = new Map([[21, { tariff_cents: 5310, valid_from: "2026-01-01", valid_until: "2026-12-31" }]]);
    expect(checkDeclaration(input({ tariffs }))[0]).to.deep.include({ code: "0611", params: { product: "Dagbesteding basis", from: "2026-10-01", until: "2026-10-31", declared: 5150, contract: 5310 } });
    expect(codes(input({ tariffs, lines: [line({ debit_credit: "C" })] }))).to.deep.equal([]);
  });

  it("9319, 9387, 9388: a ProductPeriode over two months, or cut inside the month without the toewijzing starting or ending there", () => {
    expect(codes(input({ lines: [line({ period_from: "2026-09-20", period_until: "2026-10-10" })] }))).to.include.members(["9319", "9387", "9388"]);
    expect(codes(input({ lines: [line({ period_from: "2026-10-15" })] }))).to.deep.equal(["9387"]);
    expect(codes(input({ lines: [line({ period_until: "2026-10-14" })] }))).to.deep.equal(["9388"]);
    // A credit repeats the prestatie as it was approved: its period is not judged again.
    expect(codes(input({ lines: [line({ period_until: "2026-10-14", debit_credit: "C" })] }))).to.deep.equal([]);
    // A toewijzing that starts on the 15th and ends on the 20th: that period is right.
    const short = new Map([[11, allocation({ valid_from: "2026-10-15", valid_until: "2026-10-20" })]]);
    expect(codes(input({ allocations: short, lines: [line({ period_from: "2026-10-15", period_until: "2026-10-20" })] }))).to.deep.equal([]);
  });

  it("9307, 9308: a ProductPeriode before or after the toewijzing", () => {
    const short = new Map([[11, allocation({ valid_from: "2026-10-05", valid_until: "2026-10-25" })]]);
    expect(codes(input({ allocations: short }))).to.include.members(["9307", "9308"]);
  });

  it("9321: more units in a week than allocated, with the worst week; 9322: more than allocated in total", () => {
    const monday = "2026-10-05";
    const units = [0, 1, 2, 3].map((d) => ({ allocation_id: 11, date: addDays(monday, d), units: 1 }));
    const [f] = checkDeclaration(input({ units }));
    expect(f).to.deep.include({ code: "9321", problem: "volumeWeek", client: "Aerts, Anna" });
    expect(f.params).to.include({ used: 4, volume: 3, from: monday });
    const total = new Map([[11, allocation({ frequency: "totaal", volume: 40 })]]);
    expect(codes(input({ allocations: total, units, declaredElsewhere: new Map([[11, 37]]) }))).to.deep.equal(["9322"]);
    expect(codes(input({ allocations: total, units, declaredElsewhere: new Map([[11, 36]]) }))).to.deep.equal([]);
  });

  it("8214: months with care left undeclared refuse; a late month moved up is only information", () => {
    const gap = checkDeclaration(input({ period: [{ kind: "gap", retourcode: "8214", period: "2026-10", lastSubmitted: "2026-08", missing: ["2026-09"] }] }));
    expect(gap).to.deep.equal([{ code: "8214", severity: "refuse", problem: "periodGap", fix: "periodGap", lineId: null, client: null, params: { last: "2026-08", period: "2026-10", missing: "2026-09" } }]);
    const moved = checkDeclaration(input({ period: [{ kind: "movedUp", retourcode: "8214", period: "2026-10", lastSubmitted: "2026-10" }] }));
    expect(moved[0]).to.include({ code: "8214", severity: "info" });
  });

  it("start message: only where the gemeente asks for it; missing per toewijzing", () => {
    expect(codes(input({ startMessage: { required: false, reported: new Map() } }))).to.deep.equal([]);
    expect(checkDeclaration(input({ startMessage: { required: true, reported: new Map([[11, false]]) } }))[0]).to.include({ code: "start", severity: "info", problem: "startMissing", client: "Aerts, Anna" });
    expect(codes(input({ startMessage: { required: true, reported: new Map([[11, true]]) } }))).to.deep.equal([]);
  });

  it("property: 9321 is found exactly when some ISO week holds more units than the weekly volume", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.record({ day: fc.integer({ min: 0, max: 30 }), units: fc.integer({ min: 1, max: 2 }) }), { maxLength: 25 }), (volume, rows) => {
        const units = rows.map((r) => ({ allocation_id: 11, date: addDays("2026-10-01", r.day), units: r.units }));
        const perWeek = new Map<string, number>();
        for (const u of units) {
          const monday = addDays(u.date, -((new Date(`${u.date}T12:00:00Z`).getUTCDay() + 6) % 7));
          perWeek.set(monday, (perWeek.get(monday) ?? 0) + u.units);
        }
        const over = [...perWeek.values()].some((n) => n > volume);
        const found = codes(input({ allocations: new Map([[11, allocation({ volume })]]), units })).includes("9321");
        expect(found).to.equal(over);
      }),
    );
  });
});
