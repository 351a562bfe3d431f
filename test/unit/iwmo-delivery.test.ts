import { expect } from "chai";
import fc from "fast-check";
import type { Period } from "../../src/domain/allocation";
import { addDays, periodContains } from "../../src/domain/dates";
import { deliveryBlocks, deriveMessages, episodeOf, type DeliveryInput } from "../../src/iwmo/delivery";

// When a WMO305 (start) and a WMO307 (stop) are due for an allocation.

const input = (overrides: Partial<DeliveryInput> = {}): DeliveryInput => ({
  allocation: { valid_from: "2026-09-01", valid_until: "2027-08-31" },
  clientEndedOn: null,
  trigger: "aanwezigheid",
  schedules: [{ valid_from: "2026-09-07", valid_until: null }],
  sent: [],
  firstAttended: null,
  ...overrides,
});

describe("iWmo start and stop: when they are due", () => {
  it("owes nothing before the first attended dagdeel (the default trigger)", () => {
    expect(deriveMessages(input())).to.deep.equal({ start: null, stop: null });
  });

  it("owes a start on the first attended dagdeel, and the stop when the allocation ends", () => {
    expect(deriveMessages(input({ firstAttended: "2026-09-08" }))).to.deep.equal({
      start: { start_date: "2026-09-08" },
      stop: { start_date: "2026-09-08", end_date: "2027-08-31", cause: "allocationShortened", reason: "36" },
    });
    // Schedules planned to the allocation's end: the plan ran its course (reden 19).
    const planned = deriveMessages(input({ firstAttended: "2026-09-08", schedules: [{ valid_from: "2026-09-07", valid_until: "2027-08-31" }] }));
    expect(planned.stop).to.deep.equal({ start_date: "2026-09-08", end_date: "2027-08-31", cause: "allocationEnd", reason: "19" });
  });

  it("with the gemeente's schedule trigger, owes the start when the first schedule under it starts", () => {
    expect(deriveMessages(input({ trigger: "rooster" })).start).to.deep.equal({ start_date: "2026-09-07" });
    // A schedule from before the allocation starts counts from the allocation's first day.
    expect(deriveMessages(input({ trigger: "rooster", schedules: [{ valid_from: "2026-08-01", valid_until: null }] })).start).to.deep.equal({ start_date: "2026-09-01" });
    expect(deriveMessages(input({ trigger: "rooster", schedules: [] }))).to.deep.equal({ start: null, stop: null });
  });

  it("owes the stop when the last schedule under it ends before the allocation does", () => {
    const d = deriveMessages(input({ firstAttended: "2026-09-08", schedules: [{ valid_from: "2026-09-07", valid_until: "2026-10-31" }, { valid_from: "2026-11-01", valid_until: "2026-12-18" }] }));
    expect(d.stop).to.deep.equal({ start_date: "2026-09-08", end_date: "2026-12-18", cause: "schedulesEnded", reason: "23" });
  });

  it("takes a gap between schedules as the end of the delivery", () => {
    const d = deriveMessages(input({ firstAttended: "2026-09-08", schedules: [{ valid_from: "2026-09-07", valid_until: "2026-10-31" }, { valid_from: "2027-01-04", valid_until: null }] }));
    expect(d.stop?.end_date).to.equal("2026-10-31");
  });

  it("owes the stop on the client's end when that comes first", () => {
    const d = deriveMessages(input({ firstAttended: "2026-09-08", clientEndedOn: "2026-11-20", schedules: [{ valid_from: "2026-09-07", valid_until: "2026-11-20" }] }));
    expect(d.stop).to.deep.equal({ start_date: "2026-09-08", end_date: "2026-11-20", cause: "client", reason: "23" });
  });

  it("owes only the stop once the start was sent, from the start that was sent", () => {
    const d = deriveMessages(input({ sent: [{ kind: "start", start_date: "2026-09-08", end_date: null }], clientEndedOn: "2026-11-20" }));
    expect(d).to.deep.equal({ start: null, stop: { start_date: "2026-09-08", end_date: "2026-11-20", cause: "client", reason: "23" } });
  });

  it("after a stop was sent (e.g. reden 20, a hospital stay), owes a new start when care resumes, and nothing before", () => {
    const sent = [
      { kind: "start" as const, start_date: "2026-09-08", end_date: null },
      { kind: "stop" as const, start_date: "2026-09-08", end_date: "2026-10-09" },
    ];
    expect(episodeOf(sent, { valid_from: "2026-09-01", valid_until: null })).to.deep.equal({ from: "2026-10-10", startedOn: null });
    expect(deriveMessages(input({ sent, firstAttended: null, schedules: [{ valid_from: "2026-09-07", valid_until: "2026-10-09" }] }))).to.deep.equal({ start: null, stop: null });
    const resumed = deriveMessages(input({ sent, firstAttended: "2026-11-02", schedules: [{ valid_from: "2026-09-07", valid_until: "2026-10-09" }, { valid_from: "2026-11-02", valid_until: null }] }));
    expect(resumed.start).to.deep.equal({ start_date: "2026-11-02" });
    expect(resumed.stop?.start_date).to.equal("2026-11-02");
  });

  it("owes no start after the allocation or the client has ended", () => {
    expect(deriveMessages(input({ trigger: "rooster", allocation: { valid_from: "2026-09-01", valid_until: "2026-09-05" } }))).to.deep.equal({ start: null, stop: null });
    expect(deriveMessages(input({ firstAttended: "2026-09-08", clientEndedOn: "2026-09-04" }))).to.deep.equal({ start: null, stop: null });
  });
});

// ---- properties ---------------------------------------------------------------------------------

const day = (n: number) => addDays("2026-01-01", n);
const periodArb: fc.Arbitrary<Period> = fc
  .tuple(fc.integer({ min: 0, max: 500 }), fc.option(fc.integer({ min: 0, max: 300 }), { freq: 3 }))
  .map(([from, len]) => ({ valid_from: day(from), valid_until: len === null ? null : day(from + len) }));

describe("iWmo start and stop: properties", () => {
  it("delivery blocks cover exactly the days some schedule covers, and never touch each other", () => {
    fc.assert(
      fc.property(fc.array(periodArb, { maxLength: 6 }), fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 20, maxLength: 20 }), (schedules, probes) => {
        const blocks = deliveryBlocks(schedules);
        for (const n of probes) {
          const d = day(n);
          const inSchedule = schedules.some((s) => periodContains(s.valid_from, s.valid_until, d));
          const inBlock = blocks.filter((b) => periodContains(b.valid_from, b.valid_until, d)).length;
          expect(inBlock).to.equal(inSchedule ? 1 : 0);
        }
        for (let i = 1; i < blocks.length; i++) {
          expect(blocks[i - 1].valid_until).to.not.equal(null);
          expect(blocks[i].valid_from > addDays(blocks[i - 1].valid_until!, 1)).to.equal(true);
        }
      }),
    );
  });

  it("a start lies within the allocation and the client's time; a stop never before its start", () => {
    fc.assert(
      fc.property(
        periodArb,
        fc.option(fc.integer({ min: 0, max: 900 })),
        fc.constantFrom("aanwezigheid" as const, "rooster" as const),
        fc.array(periodArb, { maxLength: 4 }),
        fc.option(fc.integer({ min: 0, max: 900 })),
        (allocation, ended, trigger, schedules, attended) => {
          const clientEndedOn = ended === null ? null : day(ended);
          const firstAttended = attended === null ? null : day(attended);
          const d = deriveMessages({ allocation, clientEndedOn, trigger, schedules, sent: [], firstAttended: firstAttended && firstAttended >= allocation.valid_from ? firstAttended : null });
          if (d.start) {
            expect(d.start.start_date >= allocation.valid_from).to.equal(true);
            if (allocation.valid_until) expect(d.start.start_date <= allocation.valid_until).to.equal(true);
            if (clientEndedOn) expect(d.start.start_date <= clientEndedOn).to.equal(true);
          }
          if (d.stop) {
            expect(d.start).to.not.equal(null);
            expect(d.stop.end_date >= d.stop.start_date).to.equal(true);
            expect(d.stop.start_date).to.equal(d.start!.start_date);
          }
          // Nothing to stop without a start, and with a definite end there is always a stop.
          if (d.start && (allocation.valid_until || clientEndedOn)) expect(d.stop).to.not.equal(null);
        },
      ),
    );
  });

  it("after a sent stop, a new start lies after that stop", () => {
    fc.assert(
      fc.property(periodArb, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.array(periodArb, { maxLength: 4 }), fc.option(fc.integer({ min: 0, max: 900 })), (allocation, startOffset, length, schedules, attended) => {
        const start = addDays(allocation.valid_from, startOffset);
        const end = addDays(start, length);
        const sent = [
          { kind: "start" as const, start_date: start, end_date: null },
          { kind: "stop" as const, start_date: start, end_date: end },
        ];
        const { from } = episodeOf(sent, allocation);
        const firstAttended = attended === null ? null : day(attended) >= from ? day(attended) : null;
        for (const trigger of ["aanwezigheid", "rooster"] as const) {
          const d = deriveMessages({ allocation, clientEndedOn: null, trigger, schedules, sent, firstAttended });
          if (d.start) expect(d.start.start_date > end).to.equal(true);
        }
      }),
    );
  });
});
