import { expect } from "chai";
import fc from "fast-check";
import {
  capacityCheck,
  checkedUntil,
  clashes,
  contractCheckUntil,
  contractOn,
  productCover,
  uncoveredRanges,
  volumeExcess,
  volumeWindows,
  wishesFit,
  type CapacityCell,
  type ContractLineSpan,
  type PlacedPattern,
} from "../../src/domain/booking-rules";
import { volumeUsage } from "../../src/domain/allocation";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { addDays, datesBetween } from "../../src/domain/dates";
import { expandSchedule, type SchedulePattern } from "../../src/domain/schedule";

const cell = (date: string, dagdeel: Dagdeel, places: number, scheduled: number[] = [], extra: number[] = [], closed = false): CapacityCell => ({
  date,
  dagdeel,
  places,
  closed,
  scheduledClientIds: scheduled,
  extraClientIds: extra,
});

describe("booking rules (pure)", () => {
  it("checks an open-ended schedule 26 weeks ahead, a bounded one to its end", () => {
    expect(checkedUntil("2026-11-24", null)).to.equal("2027-05-24");
    expect(checkedUntil("2026-11-24", "2026-12-31")).to.equal("2026-12-31");
  });

  describe("capacity", () => {
    const cells = new Map(
      [
        cell("2026-11-24", "ochtend", 2, [1, 2]),
        cell("2026-11-24", "middag", 2, [1], [3]),
        cell("2026-12-01", "ochtend", 2, [7]),
        cell("2026-12-01", "middag", 0),
        cell("2026-12-08", "ochtend", 2, [1], [9]),
      ].map((c) => [`${c.date}|${c.dagdeel}`, c]),
    );
    const at = (date: string, dagdeel: Dagdeel) => cells.get(`${date}|${dagdeel}`);

    it("refuses what passes the places, counting planned clients and extras", () => {
      const { full, notOpen } = capacityCheck(
        [
          { date: "2026-11-24", dagdeel: "ochtend" },
          { date: "2026-11-24", dagdeel: "middag" },
          { date: "2026-12-01", dagdeel: "ochtend" },
        ],
        at,
        5,
      );
      expect(full).to.deep.equal([
        { date: "2026-11-24", dagdeel: "ochtend", booked: 2, places: 2 },
        { date: "2026-11-24", dagdeel: "middag", booked: 2, places: 2 },
      ]);
      expect(notOpen).to.deep.equal([]);
    });

    it("never counts the client against itself (its own schedule being changed, or its own extra)", () => {
      expect(capacityCheck([{ date: "2026-11-24", dagdeel: "ochtend" }], at, 1).full).to.deep.equal([]);
      expect(capacityCheck([{ date: "2026-12-08", dagdeel: "ochtend" }], at, 9).full).to.deep.equal([]);
    });

    it("a dagdeel without places (or without a cell) is not open, which is not the same as full", () => {
      const { full, notOpen } = capacityCheck([{ date: "2026-12-01", dagdeel: "middag" }, { date: "2026-12-02", dagdeel: "middag" }], at, 5);
      expect(full).to.deep.equal([]);
      expect(notOpen).to.deep.equal([{ date: "2026-12-01", dagdeel: "middag" }, { date: "2026-12-02", dagdeel: "middag" }]);
    });
  });

  describe("double booking", () => {
    const base = (slots: SchedulePattern["slots"], parity: SchedulePattern["week_parity"] = "elke"): PlacedPattern => ({
      valid_from: "2026-11-23",
      valid_until: null,
      week_parity: parity,
      slots,
      location_id: 1,
    });

    it("finds the shared dagdelen and which schedule holds them", () => {
      const other = { ...base([{ weekday: 2, dagdeel: "ochtend" }]), location_id: 7, valid_from: "2026-12-01" };
      const found = clashes(base([{ weekday: 2, dagdeel: "ochtend" }, { weekday: 3, dagdeel: "ochtend" }]), [other], "2026-11-23", "2026-12-09");
      expect(found.map((c) => [c.date, c.dagdeel, c.other.location_id])).to.deep.equal([
        ["2026-12-01", "ochtend", 7],
        ["2026-12-08", "ochtend", 7],
      ]);
    });

    it("even and odd weeks from the same start never clash; every week clashes with both (property)", () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.constantFrom<Dagdeel>("ochtend", "middag"), fc.integer({ min: 0, max: 2000 }), (weekday, dagdeel, offset) => {
          const from = addDays("2024-01-01", offset);
          const until = addDays(from, 60);
          const slot = [{ weekday, dagdeel }];
          expect(clashes({ ...base(slot, "even"), valid_from: from }, [base(slot, "oneven")].map((p) => ({ ...p, valid_from: from })), from, until)).to.deep.equal([]);
          const every = clashes({ ...base(slot, "elke"), valid_from: from }, [{ ...base(slot, "even"), valid_from: from }], from, until);
          expect(every.length).to.equal(expandSchedule({ ...base(slot, "even"), valid_from: from }, from, until).length);
        }),
      );
    });
  });

  describe("allocation volume", () => {
    const weekly = { volume: 2, frequency: "week" as const, valid_from: "2026-01-01", valid_until: null };

    it("reports only the windows the new schedule touches", () => {
      const old = [{ date: "2026-11-16", dagdeel: "ochtend" as const }, { date: "2026-11-17", dagdeel: "ochtend" as const }, { date: "2026-11-18", dagdeel: "ochtend" as const }];
      const added = [{ date: "2026-11-25", dagdeel: "ochtend" as const }];
      const all = [...old, { date: "2026-11-23", dagdeel: "ochtend" as const }, { date: "2026-11-24", dagdeel: "ochtend" as const }, ...added];
      const over = volumeExcess(weekly, added, all);
      expect(over.map((w) => [w.from, w.used])).to.deep.equal([["2026-11-23", 3]]);
    });

    it("counts into the same windows as volumeUsage of the allocation domain (property)", () => {
      const day = fc.integer({ min: 0, max: 800 }).map((n) => addDays("2025-06-01", n));
      fc.assert(
        fc.property(
          fc.constantFrom("week" as const, "maand" as const, "totaal" as const),
          fc.integer({ min: 1, max: 10 }),
          day,
          fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
          fc.array(day, { maxLength: 60 }),
          (frequency, volume, from, length, dates) => {
            const allocation = { frequency, volume, valid_from: from, valid_until: length === null ? null : addDays(from, length) };
            expect(volumeWindows(allocation, dates)).to.deep.equal(volumeUsage(allocation, dates).windows);
          },
        ),
      );
    });

    it("counts per calendar month and in total", () => {
      const dates = datesBetween("2026-12-01", "2026-12-31").map((date) => ({ date, dagdeel: "ochtend" as const }));
      expect(volumeExcess({ volume: 30, frequency: "maand", valid_from: "2026-01-01", valid_until: null }, dates, dates).map((w) => w.used)).to.deep.equal([31]);
      expect(volumeExcess({ volume: 31, frequency: "maand", valid_from: "2026-01-01", valid_until: null }, dates, dates)).to.deep.equal([]);
      expect(volumeExcess({ volume: 20, frequency: "totaal", valid_from: "2026-12-01", valid_until: "2026-12-31" }, dates, dates).map((w) => w.used)).to.deep.equal([31]);
    });
  });

  describe("contract cover", () => {
    const line = (l: Partial<ContractLineSpan>): ContractLineSpan => ({
      contract_id: 1,
      provider_id: 10,
      purchaser_id: 20,
      status: "actief",
      product_id: 5,
      contract_from: "2026-01-01",
      contract_until: "2026-12-31",
      line_from: "2026-01-01",
      line_until: "2026-12-31",
      ...l,
    });

    it("takes active lines of the product between the provider and the purchaser, clipped to the contract", () => {
      const lines = [
        line({ line_from: "2025-07-01", line_until: "2026-06-30" }),
        line({ contract_id: 2, line_from: "2026-07-01", line_until: "2027-03-31" }),
        line({ contract_id: 3, status: "concept", contract_from: "2027-01-01", contract_until: "2027-12-31", line_from: "2027-01-01", line_until: "2027-12-31" }),
        line({ contract_id: 4, purchaser_id: 21 }),
        line({ contract_id: 5, product_id: 6 }),
      ];
      const spans = productCover(lines, { provider_id: 10, product_id: 5, purchaser_id: 20 });
      expect(spans).to.deep.equal([
        { contract_id: 1, from: "2026-01-01", until: "2026-06-30" },
        { contract_id: 2, from: "2026-07-01", until: "2026-12-31" },
      ]);
      expect(uncoveredRanges("2026-11-24", "2027-05-24", spans)).to.deep.equal([{ from: "2027-01-01", until: "2027-05-24" }]);
      expect(contractOn(spans, "2026-11-24")).to.equal(2);
      expect(productCover(lines, { provider_id: 10, product_id: 5, contract_id: 4 })).to.have.length(1);
    });

    it("every day of a range is either covered or in exactly one gap (property)", () => {
      const span = fc.record({ from: fc.integer({ min: 0, max: 120 }), length: fc.integer({ min: 0, max: 40 }) });
      fc.assert(
        fc.property(fc.array(span, { maxLength: 5 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 90 }), (raw, start, length) => {
          const d = (n: number) => addDays("2026-01-01", n);
          const spans = raw.map((s, i) => ({ contract_id: i, from: d(s.from), until: d(s.from + s.length) }));
          const from = d(start);
          const until = d(start + length);
          const gaps = uncoveredRanges(from, until, spans);
          for (const date of datesBetween(from, until)) {
            const covered = spans.some((s) => s.from <= date && date <= s.until);
            const inGaps = gaps.filter((g) => g.from <= date && date <= g.until).length;
            expect(inGaps, date).to.equal(covered ? 0 : 1);
          }
          for (const g of gaps) expect(g.from <= g.until && g.from >= from && g.until <= until).to.equal(true);
        }),
      );
    });
  });

  describe("waiting list: do the wishes fit?", () => {
    const tuesdays = ["2026-11-24", "2026-12-01", "2026-12-08"];

    it("fits when every open date of every wished slot has a place for the client", () => {
      const cells = tuesdays.map((d) => cell(d, "ochtend", 2, [1]));
      expect(wishesFit([{ weekday: 2, dagdeel: "ochtend" }], cells, 9)).to.equal(true);
      expect(wishesFit([{ weekday: 2, dagdeel: "ochtend" }, { weekday: 2, dagdeel: "middag" }], cells, 9)).to.equal(false);
    });

    it("one full date is enough not to fit; closed dates do not count", () => {
      const cells = [cell(tuesdays[0], "ochtend", 2, [1]), cell(tuesdays[1], "ochtend", 2, [1, 2]), cell(tuesdays[2], "ochtend", 2, [1])];
      expect(wishesFit([{ weekday: 2, dagdeel: "ochtend" }], cells, 9)).to.equal(false);
      cells[1] = cell(tuesdays[1], "ochtend", 2, [], [], true);
      expect(wishesFit([{ weekday: 2, dagdeel: "ochtend" }], cells, 9)).to.equal(true);
    });

    it("a slot on which the location never opens does not fit", () => {
      expect(wishesFit([{ weekday: 2, dagdeel: "ochtend" }], tuesdays.map((d) => cell(d, "ochtend", 0)), 9)).to.equal(false);
      expect(wishesFit([{ weekday: 2, dagdeel: "ochtend" }], tuesdays.map((d) => cell(d, "ochtend", 2, [], [], true)), 9)).to.equal(false);
      expect(wishesFit([], tuesdays.map((d) => cell(d, "ochtend", 2)), 9)).to.equal(false);
    });
  });
});

describe("contract cover checked for an open-ended schedule", () => {
  const spans = [
    { from: "2026-01-01", until: "2026-12-31", contract_id: 1 },
    { from: "2027-03-01", until: "2027-12-31", contract_id: 2 },
  ];

  it("stops at the first gap when the schedule has no end", () => {
    expect(contractCheckUntil("2026-11-24", null, "2027-05-24", spans)).to.equal("2026-12-31");
  });

  it("checks the whole period when the schedule has an end", () => {
    expect(contractCheckUntil("2026-11-24", "2027-05-24", "2027-05-24", spans)).to.equal("2027-05-24");
  });

  it("still refuses an open-ended schedule that starts without cover", () => {
    const until = contractCheckUntil("2027-01-10", null, "2027-07-10", spans);
    expect(uncoveredRanges("2027-01-10", until, spans)[0]).to.deep.equal({ from: "2027-01-10", until: "2027-02-28" });
  });

  it("never reports a gap for the checked range of an open-ended schedule that starts covered (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 1, max: 400 }), (startOffset, length) => {
        const from = addDays("2026-01-01", startOffset);
        const until = contractCheckUntil(from, null, addDays(from, length), spans);
        return uncoveredRanges(from, until, spans).length === 0;
      }),
    );
  });
});
