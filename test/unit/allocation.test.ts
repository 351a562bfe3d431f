import { expect } from "chai";
import fc from "fast-check";
import {
  allocationRequiresBsn,
  allocationStatus,
  fitsAllocation,
  FREQUENCIES,
  frequencyFromIwmo,
  IWMO_FREQUENTIE,
  periodWithin,
  productFitsPurchaser,
  volumeUsage,
  volumeWindowOn,
  type AllocationVolume,
} from "../../src/domain/allocation";
import { addDays, isoWeekday } from "../../src/domain/dates";

const weekly: AllocationVolume = { volume: 2, frequency: "week", valid_from: "2026-11-04", valid_until: "2026-12-31" };

describe("allocations: iWmo frequency", () => {
  it("maps week, maand and totaal to Frequentie 2, 4 and 6, and back", () => {
    expect(IWMO_FREQUENTIE).to.deep.equal({ week: "2", maand: "4", totaal: "6" });
    for (const f of FREQUENCIES) expect(frequencyFromIwmo(IWMO_FREQUENTIE[f])).to.equal(f);
    expect(frequencyFromIwmo(" 4 ")).to.equal("maand");
    for (const code of ["1", "3", "5", "7", "", "week"]) expect(frequencyFromIwmo(code), code).to.equal(null);
  });
});

describe("allocations: status", () => {
  it("is toekomstig before the start, lopend on the first and last day, afgelopen after", () => {
    const p = { valid_from: "2026-12-01", valid_until: "2026-12-31" };
    expect(allocationStatus(p, "2026-11-30")).to.equal("toekomstig");
    expect(allocationStatus(p, "2026-12-01")).to.equal("lopend");
    expect(allocationStatus(p, "2026-12-31")).to.equal("lopend");
    expect(allocationStatus(p, "2027-01-01")).to.equal("afgelopen");
    expect(allocationStatus({ valid_from: "2020-01-01", valid_until: null }, "2099-01-01")).to.equal("lopend");
  });
});

describe("allocations: purchaser and product", () => {
  const wmo = { iwmo_category: "07", wlz_code: null };
  const wlz = { iwmo_category: null, wlz_code: "H811" };
  it("a gemeente takes iWmo products, a zorgkantoor Wlz products, nobody else either", () => {
    expect(productFitsPurchaser("gemeente", wmo)).to.equal(true);
    expect(productFitsPurchaser("gemeente", wlz)).to.equal(false);
    expect(productFitsPurchaser("zorgkantoor", wlz)).to.equal(true);
    expect(productFitsPurchaser("zorgkantoor", wmo)).to.equal(false);
    expect(productFitsPurchaser("zorgboerderij", wmo)).to.equal(false);
    expect(productFitsPurchaser("gemeente", { iwmo_category: "", wlz_code: null })).to.equal(false);
  });
  it("both a Wmo and a Wlz allocation need a BSN", () => {
    expect(allocationRequiresBsn("gemeente")).to.equal(true);
    expect(allocationRequiresBsn("zorgkantoor")).to.equal(true);
    expect(allocationRequiresBsn("dorpsdagvoorziening")).to.equal(false);
  });
});

describe("allocations: volume windows", () => {
  it("per week: Monday to Sunday, clipped to the period", () => {
    // 2026-11-04 is a Wednesday: the first window starts with the allocation.
    expect(volumeWindowOn(weekly, "2026-11-05")).to.deep.equal({ from: "2026-11-04", until: "2026-11-08" });
    expect(volumeWindowOn(weekly, "2026-11-11")).to.deep.equal({ from: "2026-11-09", until: "2026-11-15" });
    // The week across the year end is cut at 31 December.
    expect(volumeWindowOn(weekly, "2026-12-29")).to.deep.equal({ from: "2026-12-28", until: "2026-12-31" });
    expect(volumeWindowOn(weekly, "2026-11-03")).to.equal(null);
    expect(volumeWindowOn(weekly, "2027-01-01")).to.equal(null);
  });

  it("per month: the calendar month, clipped to the period, February included", () => {
    const monthly: AllocationVolume = { volume: 8, frequency: "maand", valid_from: "2027-01-15", valid_until: null };
    expect(volumeWindowOn(monthly, "2027-01-20")).to.deep.equal({ from: "2027-01-15", until: "2027-01-31" });
    expect(volumeWindowOn(monthly, "2027-02-10")).to.deep.equal({ from: "2027-02-01", until: "2027-02-28" });
    expect(volumeWindowOn(monthly, "2028-02-10")).to.deep.equal({ from: "2028-02-01", until: "2028-02-29" });
  });

  it("in total: the whole period, open-ended or not", () => {
    const total: AllocationVolume = { volume: 100, frequency: "totaal", valid_from: "2026-01-01", valid_until: null };
    expect(volumeWindowOn(total, "2030-06-01")).to.deep.equal({ from: "2026-01-01", until: null });
  });

  it("counts units per window and flags the windows above the volume", () => {
    const usage = volumeUsage(weekly, ["2026-11-09", "2026-11-09", "2026-11-11", "2026-11-16", "2026-11-03", "2027-01-04"]);
    expect(usage.outside).to.deep.equal(["2026-11-03", "2027-01-04"]);
    expect(usage.windows).to.deep.equal([
      { from: "2026-11-09", until: "2026-11-15", volume: 2, used: 3, over: true },
      { from: "2026-11-16", until: "2026-11-22", volume: 2, used: 1, over: false },
    ]);
    expect(fitsAllocation(weekly, ["2026-11-09", "2026-11-11", "2026-11-16"])).to.equal(true);
    expect(fitsAllocation(weekly, ["2026-11-09", "2026-11-10", "2026-11-11"])).to.equal(false);
    expect(fitsAllocation(weekly, ["2027-01-05"])).to.equal(false);
  });

  const allocations = fc.record({
    volume: fc.integer({ min: 1, max: 10 }),
    frequency: fc.constantFrom(...FREQUENCIES),
    start: fc.integer({ min: 0, max: 400 }),
    length: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
  }).map(({ volume, frequency, start, length }): AllocationVolume => {
    const valid_from = addDays("2026-01-01", start);
    return { volume, frequency, valid_from, valid_until: length === null ? null : addDays(valid_from, length) };
  });
  const dateLists = fc.array(fc.integer({ min: -30, max: 700 }).map((d) => addDays("2026-01-01", d)), { maxLength: 60 });

  it("property: every unit is counted exactly once, inside a window that contains it, or outside", () => {
    fc.assert(
      fc.property(allocations, dateLists, (a, dates) => {
        const usage = volumeUsage(a, dates);
        const counted = usage.windows.reduce((n, w) => n + w.used, 0) + usage.outside.length;
        if (counted !== dates.length) return false;
        for (const date of dates) {
          const w = volumeWindowOn(a, date);
          if (w === null) continue;
          if (date < w.from || (w.until !== null && date > w.until)) return false;
          if (w.from < a.valid_from || (a.valid_until !== null && (w.until === null || w.until > a.valid_until))) return false;
        }
        return usage.windows.every((w) => w.over === w.used > a.volume);
      }),
    );
  });

  it("property: a weekly window never spans two ISO weeks and has at most 7 days", () => {
    fc.assert(
      fc.property(allocations.map((a) => ({ ...a, frequency: "week" as const })), fc.integer({ min: 0, max: 600 }), (a, d) => {
        const date = addDays("2026-01-01", d);
        const w = volumeWindowOn(a, date);
        if (w === null) return true;
        const days = [] as string[];
        for (let x = w.from; x <= w.until!; x = addDays(x, 1)) days.push(x);
        return days.length <= 7 && days.every((x, i) => i === 0 || isoWeekday(x) > isoWeekday(days[i - 1]));
      }),
    );
  });

  it("property: removing units never turns a fitting plan into one that does not fit", () => {
    fc.assert(
      fc.property(allocations, dateLists, fc.nat(), (a, dates, cut) => {
        const fewer = dates.slice(0, cut % (dates.length + 1));
        return !fitsAllocation(a, dates) || fitsAllocation(a, fewer);
      }),
    );
  });
});

describe("allocations: period within period", () => {
  it("requires the inner period to start no earlier and end no later; open ends reach forever", () => {
    const outer = { valid_from: "2026-01-01", valid_until: "2026-12-31" };
    expect(periodWithin({ valid_from: "2026-01-01", valid_until: "2026-12-31" }, outer)).to.equal(true);
    expect(periodWithin({ valid_from: "2025-12-31", valid_until: "2026-06-30" }, outer)).to.equal(false);
    expect(periodWithin({ valid_from: "2026-02-01", valid_until: "2027-01-01" }, outer)).to.equal(false);
    expect(periodWithin({ valid_from: "2026-02-01", valid_until: null }, outer)).to.equal(false);
    expect(periodWithin({ valid_from: "2026-02-01", valid_until: null }, { valid_from: "2026-01-01", valid_until: null })).to.equal(true);
  });
});
