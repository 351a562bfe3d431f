import { expect } from "chai";
import fc from "fast-check";
import {
  allowedOnDate,
  clientMonthTallies,
  consecutiveAbsences,
  locationWeekTallies,
  locationWeekGroup,
  percentHalfUp,
  tally,
  TallyOfParts,
  type AttendanceStatus,
  type PlannedDagdeel,
  type RecordedDagdeel,
} from "../../src/domain/attendance";
import { weekParamOf } from "../../src/domain/iso-week";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { addDays } from "../../src/domain/dates";
import { occupancyCells } from "../../src/domain/occupancy";
import { plannedFromCells } from "../../src/attendance/expected";

const L = 7;
const plan = (client_id: number, date: string, dagdeel: Dagdeel = "ochtend", location_id = L): PlannedDagdeel => ({ client_id, location_id, date, dagdeel });
const rec = (client_id: number, date: string, status: AttendanceStatus, dagdeel: Dagdeel = "ochtend", location_id = L): RecordedDagdeel => ({
  client_id,
  location_id,
  date,
  dagdeel,
  status,
});

describe("attendance: month aggregation", () => {
  it("counts planned, attended, absent by reason and unrecorded per client per month", () => {
    const planned = [plan(1, "2026-11-02"), plan(1, "2026-11-02", "middag"), plan(1, "2026-11-09"), plan(1, "2026-11-16"), plan(1, "2026-11-23")];
    const recorded = [rec(1, "2026-11-02", "aanwezig"), rec(1, "2026-11-02", "ziek", "middag"), rec(1, "2026-11-09", "afgemeld"), rec(1, "2026-11-16", "niet_verschenen")];
    expect(clientMonthTallies(planned, recorded)).to.deep.equal([
      { client_id: 1, month: "2026-11", scheduled: 5, attended: 1, attendedUnscheduled: 0, afgemeld: 1, ziek: 1, niet_verschenen: 1, unrecorded: 1, shareAttended: 20 },
    ]);
  });

  it("counts an extra visit as attended but not as planned, and it does not raise the share", () => {
    const planned = [plan(1, "2026-11-02"), plan(1, "2026-11-09")];
    const recorded = [rec(1, "2026-11-02", "aanwezig"), rec(1, "2026-11-03", "extra"), rec(1, "2026-11-09", "ziek")];
    const [t] = clientMonthTallies(planned, recorded);
    expect(t).to.include({ scheduled: 2, attended: 2, attendedUnscheduled: 1, ziek: 1, unrecorded: 0, shareAttended: 50 });
  });

  it("counts a status recorded on a dagdeel that is no longer planned (ended schedule) without inventing a plan", () => {
    const [t] = clientMonthTallies([], [rec(1, "2026-11-02", "aanwezig"), rec(1, "2026-11-09", "ziek")]);
    expect(t).to.include({ scheduled: 0, attended: 1, attendedUnscheduled: 1, ziek: 1, shareAttended: null });
  });

  it("splits by calendar month and by client", () => {
    const planned = [plan(1, "2026-10-26"), plan(1, "2026-11-02"), plan(2, "2026-11-02")];
    const recorded = [rec(1, "2026-10-26", "aanwezig"), rec(2, "2026-11-02", "aanwezig")];
    const rows = clientMonthTallies(planned, recorded).map((t) => [t.client_id, t.month, t.scheduled, t.attended, t.shareAttended]);
    expect(rows).to.deep.equal([
      [1, "2026-10", 1, 1, 100],
      [1, "2026-11", 1, 0, 0],
      [2, "2026-11", 1, 1, 100],
    ]);
  });

  it("counts a dagdeel planned by two schedules once: a client is in one place per dagdeel", () => {
    const [t] = clientMonthTallies([plan(1, "2026-11-02"), plan(1, "2026-11-02")], [rec(1, "2026-11-02", "aanwezig")]);
    expect(t).to.include({ scheduled: 1, attended: 1, shareAttended: 100 });
  });

  it("leaves closures out of the plan: planned comes from the shared occupancy, which drops closed dagdelen", () => {
    // Client 1 every Monday morning in November 2026; Monday the 9th the location is closed.
    const cells = occupancyCells(
      {
        locations: [{ id: L, provider_id: 3 }],
        rules: [{ location_id: L, weekday: 1, dagdeel: "ochtend", places: 8, valid_from: "2026-01-01", valid_until: null }],
        closures: [{ provider_id: 3, location_id: L, starts_on: "2026-11-09", ends_on: "2026-11-09", dagdeel: null, reason: "Studiedag" }],
        schedules: [{ id: 1, client_id: 1, location_id: L, valid_from: "2026-01-01", valid_until: null, week_parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }] }],
        extras: [],
      },
      "2026-11-01",
      "2026-11-30",
    );
    const planned = plannedFromCells(cells);
    expect(planned.map((p) => p.date)).to.deep.equal(["2026-11-02", "2026-11-16", "2026-11-23", "2026-11-30"]);
    const [t] = clientMonthTallies(planned, [rec(1, "2026-11-02", "aanwezig"), rec(1, "2026-11-16", "aanwezig"), rec(1, "2026-11-23", "aanwezig")]);
    expect(t).to.include({ scheduled: 4, attended: 3, unrecorded: 1, shareAttended: 75 });
  });

  it("groups per location per ISO week, across a year boundary", () => {
    expect(weekParamOf("2026-12-31")).to.equal("2026-W53");
    expect(weekParamOf("2027-01-01")).to.equal("2026-W53");
    expect(weekParamOf("2027-01-04")).to.equal("2027-W01");
    const rows = locationWeekTallies(
      [plan(1, "2026-12-31"), plan(1, "2027-01-01"), plan(1, "2027-01-04"), plan(2, "2027-01-04", "ochtend", 8)],
      [rec(1, "2026-12-31", "aanwezig"), rec(1, "2027-01-01", "aanwezig"), rec(2, "2027-01-04", "ziek", "ochtend", 8)],
    );
    expect(rows.map((r) => [r.location_id, r.week, r.scheduled, r.attended, r.ziek])).to.deep.equal([
      [7, "2026-W53", 2, 2, 0],
      [7, "2027-W01", 1, 0, 0],
      [8, "2027-W01", 1, 0, 1],
    ]);
  });

  it("rounds the share half up to whole percent, in integers", () => {
    expect(percentHalfUp(1, 8)).to.equal(13); // 12.5
    expect(percentHalfUp(29, 40)).to.equal(73); // 72.5, which floating point makes 72.49999…
    expect(percentHalfUp(1, 3)).to.equal(33);
    expect(percentHalfUp(2, 3)).to.equal(67);
    expect(percentHalfUp(10, 13)).to.equal(77);
    expect(percentHalfUp(0, 5)).to.equal(0);
    expect(percentHalfUp(5, 5)).to.equal(100);
    expect(percentHalfUp(0, 0)).to.equal(null);
  });

  it("property: the share is 100·part/whole rounded half up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.nat(5000), (whole, p) => {
        const part = p % (whole + 1);
        const r = percentHalfUp(part, whole)!;
        // r - ½ ≤ 100·part/whole < r + ½, multiplied out by 2·whole
        return (2 * r - 1) * whole <= 200 * part && 200 * part < (2 * r + 1) * whole;
      }),
    );
  });

  const dates = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-09", "2026-11-10"];
  const cellArb = fc.record({ client_id: fc.integer({ min: 1, max: 4 }), date: fc.constantFrom(...dates), dagdeel: fc.constantFrom<Dagdeel>("ochtend", "middag") });
  const statusArb = fc.constantFrom<AttendanceStatus>("aanwezig", "afgemeld", "ziek", "niet_verschenen", "extra");
  const uniqueRows = (rows: RecordedDagdeel[]) => [...new Map(rows.map((r) => [`${r.client_id}|${r.date}|${r.dagdeel}`, r])).values()];

  it("property: totals add up whatever the plan and the rows", () => {
    fc.assert(
      fc.property(fc.array(cellArb, { maxLength: 30 }), fc.array(fc.tuple(cellArb, statusArb), { maxLength: 30 }), (cells, recs) => {
        const planned = cells.map((c) => ({ ...c, location_id: L }));
        const recorded = uniqueRows(recs.map(([c, status]) => ({ ...c, location_id: L, status })));
        const all = [...tally(planned, recorded, () => "all").values()];
        const plannedKeys = new Set(planned.map((p) => `${p.client_id}|${p.date}|${p.dagdeel}`));
        if (all.length === 0) return planned.length === 0 && recorded.length === 0;
        const t = all[0];
        const perClient = clientMonthTallies(planned, recorded);
        const sum = (k: "scheduled" | "attended" | "unrecorded") => perClient.reduce((n, r) => n + r[k], 0);
        return (
          t.scheduled === plannedKeys.size &&
          t.attended + t.afgemeld + t.ziek + t.niet_verschenen === recorded.length &&
          t.attendedUnscheduled <= t.attended &&
          t.unrecorded <= t.scheduled &&
          (t.shareAttended === null ? t.scheduled === 0 : t.shareAttended >= 0 && t.shareAttended <= 100) &&
          sum("scheduled") === t.scheduled &&
          sum("attended") === t.attended &&
          sum("unrecorded") === t.unrecorded
        );
      }),
    );
  });
});

describe("attendance: counting a part at a time (issue 11)", () => {
  const dates = ["2026-11-01", "2026-11-02", "2026-11-08", "2026-11-09", "2026-11-30", "2026-12-01"];
  const cellArb = fc.record({
    client_id: fc.integer({ min: 1, max: 6 }),
    location_id: fc.integer({ min: 1, max: 3 }),
    date: fc.constantFrom(...dates),
    dagdeel: fc.constantFrom<Dagdeel>("ochtend", "middag"),
  });
  const statusArb = fc.constantFrom<AttendanceStatus>("aanwezig", "afgemeld", "ziek", "niet_verschenen", "extra");

  it("property: parts that share no client add up to one count over all (per client × month and per location × week)", () => {
    fc.assert(
      fc.property(
        fc.array(cellArb, { maxLength: 40 }),
        fc.array(fc.tuple(cellArb, statusArb), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 7, maxLength: 7 }),
        (planned, recs, partOf) => {
          // Two schedules may plan one dagdeel at two locations; a row may be at another location than its plan.
          const recorded = [...new Map(recs.map(([c, status]) => [`${c.client_id}|${c.date}|${c.dagdeel}`, { ...c, status }])).values()];
          for (const groupOf of [(c: PlannedDagdeel) => `${c.client_id}|${c.date.slice(0, 7)}`, locationWeekGroup()]) {
            const parts = new TallyOfParts(groupOf);
            for (const part of [0, 1, 2]) {
              const mine = (c: { client_id: number }) => partOf[c.client_id] === part;
              parts.add(planned.filter(mine), recorded.filter(mine));
            }
            expect(parts.result()).to.deep.equal(tally(planned, recorded, groupOf));
          }
        },
      ),
    );
  });

  it("property: locationWeekTallies names each date's ISO week", () => {
    fc.assert(
      fc.property(fc.array(cellArb, { maxLength: 20 }), (planned) => {
        for (const t of locationWeekTallies(planned, [])) expect(planned.some((p) => p.location_id === t.location_id && weekParamOf(p.date) === t.week)).to.equal(true);
      }),
    );
  });
});

describe("attendance: absent several planned dagdelen in a row", () => {
  const mondays = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"];
  const planned = mondays.map((d) => plan(1, d));

  it("flags three ziek / niet verschenen in a row ending at the latest recorded planned dagdeel", () => {
    const runs = consecutiveAbsences(planned, [rec(1, mondays[0], "aanwezig"), rec(1, mondays[1], "ziek"), rec(1, mondays[2], "niet_verschenen"), rec(1, mondays[3], "ziek")]);
    expect(runs).to.deep.equal([{ client_id: 1, location_id: L, since: mondays[1], sinceDagdeel: "ochtend", last: mondays[3], count: 3 }]);
  });

  it("does not flag two in a row, or a run that ended with presence", () => {
    expect(consecutiveAbsences(planned, [rec(1, mondays[2], "ziek"), rec(1, mondays[3], "ziek")])).to.deep.equal([]);
    expect(consecutiveAbsences(planned, [rec(1, mondays[0], "ziek"), rec(1, mondays[1], "ziek"), rec(1, mondays[2], "ziek"), rec(1, mondays[3], "aanwezig")])).to.deep.equal([]);
  });

  it("afgemeld breaks the run: a reported absence is not a no-show or illness", () => {
    expect(consecutiveAbsences(planned, [rec(1, mondays[0], "ziek"), rec(1, mondays[1], "afgemeld"), rec(1, mondays[2], "ziek"), rec(1, mondays[3], "ziek")])).to.deep.equal([]);
  });

  it("skips planned dagdelen that were not recorded, and unplanned days", () => {
    const runs = consecutiveAbsences(planned, [rec(1, mondays[0], "ziek"), rec(1, mondays[2], "ziek"), rec(1, mondays[3], "niet_verschenen")]);
    expect(runs.map((r) => [r.since, r.count])).to.deep.equal([[mondays[0], 3]]);
  });

  it("ignores an absence on a dagdeel that is not planned, but presence anywhere breaks the run", () => {
    const absences = [rec(1, mondays[1], "ziek"), rec(1, mondays[2], "ziek"), rec(1, mondays[3], "ziek")];
    expect(consecutiveAbsences(planned, [...absences, rec(1, "2026-11-24", "ziek")])[0].count).to.equal(3);
    expect(consecutiveAbsences(planned, [rec(1, mondays[1], "ziek"), rec(1, mondays[2], "ziek"), rec(1, "2026-11-18", "extra"), rec(1, mondays[3], "ziek")])).to.deep.equal([]);
  });

  it("orders ochtend before middag on the same day", () => {
    const p = [plan(1, "2026-11-02", "ochtend"), plan(1, "2026-11-02", "middag"), plan(1, "2026-11-03", "ochtend")];
    expect(consecutiveAbsences(p, [rec(1, "2026-11-02", "ziek", "middag"), rec(1, "2026-11-02", "aanwezig", "ochtend"), rec(1, "2026-11-03", "ziek")], 2)[0]).to.include({ since: "2026-11-02", sinceDagdeel: "middag", count: 2 });
    expect(consecutiveAbsences(p, [rec(1, "2026-11-02", "ziek", "ochtend"), rec(1, "2026-11-02", "aanwezig", "middag"), rec(1, "2026-11-03", "ziek")], 2)).to.deep.equal([]);
  });

  it("looks at each client on its own and reports where the latest absence was", () => {
    const p = [plan(1, mondays[0]), plan(1, mondays[1]), plan(1, mondays[2], "ochtend", 8), plan(2, mondays[0]), plan(2, mondays[1]), plan(2, mondays[2])];
    const r = [rec(1, mondays[0], "ziek"), rec(1, mondays[1], "ziek"), rec(1, mondays[2], "ziek", "ochtend", 8), rec(2, mondays[0], "ziek"), rec(2, mondays[1], "aanwezig"), rec(2, mondays[2], "ziek")];
    expect(consecutiveAbsences(p, r).map((x) => [x.client_id, x.location_id, x.count])).to.deep.equal([[1, 8, 3]]);
  });

  // Property tests over random histories of one client on consecutive planned Mondays.
  const history = fc.array(fc.option(fc.constantFrom<AttendanceStatus>("aanwezig", "afgemeld", "ziek", "niet_verschenen"), { nil: null }), { maxLength: 12 });
  const build = (statuses: (AttendanceStatus | null)[]) => {
    const days = statuses.map((_, i) => addDays("2026-09-07", 7 * i));
    return {
      planned: days.map((d) => plan(1, d)),
      recorded: statuses.flatMap((s, i) => (s === null ? [] : [rec(1, days[i], s)])),
      next: addDays("2026-09-07", 7 * statuses.length),
    };
  };

  it("property: flagged exactly when the last three recorded planned dagdelen are ziek or niet verschenen", () => {
    fc.assert(
      fc.property(history, (statuses) => {
        const { planned: p, recorded } = build(statuses);
        const last3 = statuses.filter((s): s is AttendanceStatus => s !== null).slice(-3);
        const expected = last3.length === 3 && last3.every((s) => s === "ziek" || s === "niet_verschenen");
        return (consecutiveAbsences(p, recorded).length === 1) === expected;
      }),
    );
  });

  it("property: presence on a later planned dagdeel clears the flag; one more absence lengthens the run by one", () => {
    fc.assert(
      fc.property(history, fc.constantFrom<AttendanceStatus>("ziek", "niet_verschenen"), (statuses, absent) => {
        const { planned: p, recorded, next } = build(statuses);
        const before = consecutiveAbsences(p, recorded)[0]?.count ?? 0;
        const present = consecutiveAbsences([...p, plan(1, next)], [...recorded, rec(1, next, "aanwezig")]);
        const more = consecutiveAbsences([...p, plan(1, next)], [...recorded, rec(1, next, absent)], 1);
        const trailing = (() => {
          let n = 0;
          for (const s of statuses.filter((x) => x !== null).reverse()) {
            if (s === "ziek" || s === "niet_verschenen") n += 1;
            else break;
          }
          return n;
        })();
        return present.length === 0 && more[0].count === trailing + 1 && (before === 0 || before === trailing);
      }),
    );
  });

  it("property: the order of the input does not matter", () => {
    fc.assert(
      fc.property(history, fc.integer(), (statuses, seed) => {
        const { planned: p, recorded } = build(statuses);
        const shuffled = [...recorded].sort((a, b) => ((a.date.charCodeAt(9) * 31 + seed) % 7) - ((b.date.charCodeAt(9) * 31 + seed) % 7));
        return JSON.stringify(consecutiveAbsences([...p].reverse(), shuffled)) === JSON.stringify(consecutiveAbsences(p, recorded));
      }),
    );
  });
});

describe("attendance: what may be recorded ahead of time", () => {
  it("allows only afgemeld after today; anything up to and including today", () => {
    expect(allowedOnDate("afgemeld", "2026-11-30", "2026-11-23")).to.equal(true);
    for (const s of ["aanwezig", "ziek", "niet_verschenen", "extra"] as const) {
      expect(allowedOnDate(s, "2026-11-24", "2026-11-23"), s).to.equal(false);
      expect(allowedOnDate(s, "2026-11-23", "2026-11-23"), s).to.equal(true);
    }
  });
});
