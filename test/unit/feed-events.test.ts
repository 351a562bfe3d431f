import { expect } from "chai";
import fc from "fast-check";
import { addDays, datesBetween } from "../../src/domain/dates";
import {
  clientFeedEvents,
  clientPlan,
  eventUid,
  locationFeedEvents,
  revisionOf,
  type FeedAttendance,
  type FeedClosure,
  type FeedLocation,
  type FeedSchedule,
} from "../../src/domain/feed-events";
import { expandSchedule } from "../../src/domain/schedule";
import { shortName } from "../../src/domain/short-name";
import { mondayOfWeekParam, nextWeekParam, previousWeekParam, weekParamOf } from "../../src/domain/iso-week";

const T0 = "2026-01-01T00:00:00.000Z";

const location = (over: Partial<FeedLocation> = {}): FeedLocation => ({
  id: 1,
  provider_id: 10,
  name: "De Peelhoeve",
  street: "Peelweg 1",
  postcode: "5988 AA",
  village: "Helden",
  morning_start: "09:30",
  morning_end: "12:30",
  afternoon_start: "13:30",
  afternoon_end: "16:30",
  updated_at: T0,
  ...over,
});

const schedule = (over: Partial<FeedSchedule> = {}): FeedSchedule => ({
  id: 1,
  client_id: 7,
  location_id: 1,
  valid_from: "2026-01-01",
  valid_until: null,
  week_parity: "elke",
  slots: [
    { weekday: 1, dagdeel: "ochtend" },
    { weekday: 5, dagdeel: "ochtend" },
  ],
  ...over,
});

const attendance = (over: Partial<FeedAttendance>): FeedAttendance => ({
  client_id: 7,
  location_id: 1,
  date: "2026-03-23",
  dagdeel: "ochtend",
  status: "afgemeld",
  updated_at: T0,
  ...over,
});

const WINDOW = { from: "2026-03-16", until: "2026-04-12" };

describe("feed events: short names", () => {
  const cases: [string, string | null, string][] = [
    ["Anna", "Bakker", "Anna B."],
    ["Jan", "de Vries", "Jan de V."],
    ["Huub", "van den Beuken", "Huub van den B."],
    ["Ans", "Van Wijk", "Ans van W."],
    ["Kees", "Vries, de", "Kees de V."],
    ["Mia", "Jansen-Smit", "Mia J."],
    ["Tom", "'t Hart", "Tom 't H."],
    ["Emre", "öztürk", "Emre Ö."],
    ["  Anna  Maria ", "  Bakker ", "Anna Maria B."],
    ["Jo", "de", "Jo D."],
    ["Ria", "", "Ria"],
    ["Ria", null, "Ria"],
  ];
  for (const [first, last, expected] of cases) {
    it(`${first} + ${last} → ${expected}`, () => expect(shortName(first, last)).to.equal(expected));
  }

  it("never lets the main surname through, only its initial (property)", () => {
    const word = fc.stringMatching(/^[A-Z][a-z]{2,11}$/);
    const particles = fc.constantFrom("", "van ", "de ", "van der ", "van den ", "ter ", "'t ");
    fc.assert(
      fc.property(word, particles, word, (first, particle, surname) => {
        const short = shortName(first, `${particle}${surname}`);
        expect(short.startsWith(first)).to.equal(true);
        expect(short.endsWith(`${surname[0]}.`)).to.equal(true);
        expect(short.slice(first.length)).to.not.contain(surname.slice(0, 2));
      }),
    );
  });
});

describe("feed events: revisions and UIDs", () => {
  it("takes the latest timestamp as DTSTAMP and seconds since 2020 as SEQUENCE", () => {
    const r = revisionOf(["2026-03-01T10:00:00.000Z", null, "2026-03-20T09:00:00.500Z", undefined, "not a date"]);
    expect(r.stamp).to.equal("2026-03-20T09:00:00Z");
    expect(r.sequence).to.equal(Math.floor((Date.parse("2026-03-20T09:00:00Z") - Date.parse("2020-01-01T00:00:00Z")) / 1000));
    expect(revisionOf([]).sequence).to.equal(0);
    expect(revisionOf(["2019-06-01T00:00:00Z"]).sequence).to.equal(0);
  });

  it("rises with a later change, stays with an earlier one or a reordering (property)", () => {
    const instant = fc.integer({ min: Date.parse("2020-01-02T00:00:00Z"), max: Date.parse("2080-01-01T00:00:00Z") }).map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 8 }), instant, (stamps, extra) => {
        const before = revisionOf(stamps);
        const after = revisionOf([...stamps, extra]);
        expect(after.sequence).to.be.at.least(before.sequence);
        if (Date.parse(extra) >= Date.parse(before.stamp) + 1000) expect(after.sequence).to.be.greaterThan(before.sequence);
        if (Date.parse(extra) <= Date.parse(before.stamp)) expect(after).to.deep.equal(before);
        expect(revisionOf([...stamps].reverse())).to.deep.equal(before);
        expect(before.sequence).to.be.below(2 ** 31);
      }),
    );
  });

  it("builds the same UID for the same dagdeel, different ones otherwise", () => {
    expect(eventUid("client", 7, "2026-03-23", "ochtend")).to.equal("client-7-2026-03-23-ochtend@dagdeel");
    expect(eventUid("location", 7, "2026-03-23", "ochtend")).to.not.equal(eventUid("client", 7, "2026-03-23", "ochtend"));
    expect(eventUid("client", 7, "2026-03-23", "middag")).to.not.equal(eventUid("client", 7, "2026-03-23", "ochtend"));
  });
});

describe("feed events: a client's feed", () => {
  const base = { ...WINDOW, clientId: 7, schedules: [schedule()], locations: [location()], closures: [] as FeedClosure[], attendance: [] as FeedAttendance[], schedulesChangedAt: T0 };

  it("makes one event per planned dagdeel at the location's clock times, across the DST change", () => {
    const events = clientFeedEvents(base);
    expect(events.map((e) => e.date)).to.deep.equal(["2026-03-16", "2026-03-20", "2026-03-23", "2026-03-27", "2026-03-30", "2026-04-03", "2026-04-06", "2026-04-10"]);
    const friday = events.find((e) => e.date === "2026-03-27")!;
    const monday = events.find((e) => e.date === "2026-03-30")!;
    expect(friday.start.toFormat("HH:mm")).to.equal("09:30");
    expect(monday.start.toFormat("HH:mm")).to.equal("09:30");
    expect(friday.start.toUTC().toISO()).to.equal("2026-03-27T08:30:00.000Z");
    expect(monday.start.toUTC().toISO()).to.equal("2026-03-30T07:30:00.000Z");
    expect(monday.end.toUTC().toISO()).to.equal("2026-03-30T10:30:00.000Z");
    expect(friday.uid).to.equal("client-7-2026-03-27-ochtend@dagdeel");
  });

  it("drops closed dagdelen: the location's own, provider-wide, and a single dagdeel; not another provider's", () => {
    const closures: FeedClosure[] = [
      { provider_id: 10, location_id: 1, starts_on: "2026-04-06", ends_on: "2026-04-06", dagdeel: null, reason: "Tweede Paasdag" },
      { provider_id: 10, location_id: null, starts_on: "2026-03-20", ends_on: "2026-03-23", dagdeel: null, reason: "Verbouwing" },
      { provider_id: 10, location_id: 1, starts_on: "2026-04-03", ends_on: "2026-04-03", dagdeel: "middag", reason: "Middag dicht" },
      { provider_id: 11, location_id: null, starts_on: "2026-03-27", ends_on: "2026-03-27", dagdeel: null, reason: "Andere aanbieder" },
      { provider_id: 10, location_id: 2, starts_on: "2026-03-30", ends_on: "2026-03-30", dagdeel: null, reason: "Andere locatie" },
    ];
    const dates = clientFeedEvents({ ...base, closures }).map((e) => e.date);
    expect(dates).to.deep.equal(["2026-03-16", "2026-03-27", "2026-03-30", "2026-04-03", "2026-04-10"]);
  });

  it("drops afgemeld and ziek, keeps niet_verschenen and aanwezig, adds extras", () => {
    const rows = [
      attendance({ date: "2026-03-16", status: "afgemeld" }),
      attendance({ date: "2026-03-20", status: "ziek" }),
      attendance({ date: "2026-03-23", status: "niet_verschenen" }),
      attendance({ date: "2026-03-27", status: "aanwezig" }),
      attendance({ date: "2026-03-25", dagdeel: "middag", status: "extra" }),
      attendance({ date: "2026-03-30", status: "afgemeld", client_id: 8 }), // someone else's absence
    ];
    const events = clientFeedEvents({ ...base, attendance: rows });
    expect(events.map((e) => `${e.date} ${e.dagdeel}`)).to.deep.equal([
      "2026-03-23 ochtend",
      "2026-03-25 middag",
      "2026-03-27 ochtend",
      "2026-03-30 ochtend",
      "2026-04-03 ochtend",
      "2026-04-06 ochtend",
      "2026-04-10 ochtend",
    ]);
    expect(events.find((e) => e.date === "2026-03-25")!.start.toFormat("HH:mm")).to.equal("13:30");
  });

  it("raises SEQUENCE with a change to the schedules, the location or that dagdeel's attendance only", () => {
    const seq = (input: typeof base) => new Map(clientFeedEvents(input).map((e) => [e.date, e.sequence]));
    const before = seq(base);
    const schedulesLater = seq({ ...base, schedulesChangedAt: "2026-03-01T00:00:00Z" });
    const locationLater = seq({ ...base, locations: [location({ updated_at: "2026-03-01T00:00:00Z" })] });
    const attendanceLater = seq({ ...base, attendance: [attendance({ date: "2026-03-27", status: "aanwezig", updated_at: "2026-03-01T00:00:00Z" })] });
    for (const [date, s] of before) {
      expect(schedulesLater.get(date)).to.be.greaterThan(s);
      expect(locationLater.get(date)).to.be.greaterThan(s);
      expect(attendanceLater.get(date)).to.equal(date === "2026-03-27" ? attendanceLater.get(date) : s);
    }
    expect(attendanceLater.get("2026-03-27")).to.be.greaterThan(before.get("2026-03-27")!);
  });

  it("keeps every event inside the window, on an open, planned, unreported dagdeel (property)", () => {
    const weekday = fc.integer({ min: 1, max: 7 });
    const dagdeel = fc.constantFrom("ochtend" as const, "middag" as const);
    const day = fc.integer({ min: 0, max: 90 }).map((n) => addDays("2026-02-01", n));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ weekday, dagdeel }), { minLength: 1, maxLength: 6, selector: (s) => `${s.weekday}${s.dagdeel}` }),
        fc.constantFrom("elke" as const, "even" as const, "oneven" as const),
        day,
        fc.array(fc.record({ date: day, dagdeel: fc.option(dagdeel, { nil: null }), all: fc.boolean() }), { maxLength: 5 }),
        // One attendance row per client, date and dagdeel, as the unique key in the table has it.
        fc.uniqueArray(fc.record({ date: day, dagdeel, status: fc.constantFrom("afgemeld" as const, "ziek" as const, "aanwezig" as const, "niet_verschenen" as const) }), { maxLength: 8, selector: (a) => `${a.date}|${a.dagdeel}` }),
        (slots, parity, from, closureSpecs, absenceSpecs) => {
          const until = addDays(from, 40);
          const s = schedule({ slots, week_parity: parity, valid_from: "2026-02-10" });
          const closures: FeedClosure[] = closureSpecs.map((c) => ({ provider_id: 10, location_id: c.all ? null : 1, starts_on: c.date, ends_on: c.date, dagdeel: c.dagdeel, reason: "x" }));
          const rows = absenceSpecs.map((a) => attendance(a));
          const events = clientFeedEvents({ ...base, from, until, schedules: [s], closures, attendance: rows });
          const planned = new Set(expandSchedule(s, from, until).map((o) => `${o.date}|${o.dagdeel}`));
          const uids = new Set<string>();
          for (const e of events) {
            const k = `${e.date}|${e.dagdeel}`;
            expect(planned.has(k)).to.equal(true);
            expect(e.date >= from && e.date <= until).to.equal(true);
            expect(closures.some((c) => c.starts_on === e.date && (c.dagdeel === null || c.dagdeel === e.dagdeel))).to.equal(false);
            const row = rows.find((r) => r.date === e.date && r.dagdeel === e.dagdeel);
            expect(row && (row.status === "afgemeld" || row.status === "ziek")).to.not.equal(true);
            uids.add(e.uid);
          }
          expect(uids.size).to.equal(events.length);
          // Nothing planned, open and unreported is left out.
          const expected = [...planned].filter((k) => {
            const [date, part] = k.split("|");
            const closed = closures.some((c) => c.starts_on === date && (c.dagdeel === null || c.dagdeel === part));
            const row = rows.find((r) => r.date === date && r.dagdeel === part);
            return !closed && !(row && (row.status === "afgemeld" || row.status === "ziek"));
          });
          expect(events.length).to.equal(expected.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("marks closed and absent dagdelen in the plan a roster prints", () => {
    const plan = clientPlan({
      ...base,
      closures: [{ provider_id: 10, location_id: 1, starts_on: "2026-03-16", ends_on: "2026-03-16", dagdeel: null, reason: "x" }],
      attendance: [attendance({ date: "2026-03-20", status: "ziek" })],
    });
    expect(plan.find((d) => d.date === "2026-03-16")).to.include({ closed: true, absent: false });
    expect(plan.find((d) => d.date === "2026-03-20")).to.include({ closed: false, absent: true });
  });
});

describe("feed events: a location's feed", () => {
  const clients = [
    { id: 7, first_name: "Anna", last_name: "Bakker", updated_at: T0 },
    { id: 8, first_name: "Jan", last_name: "de Vries", updated_at: T0 },
    { id: 9, first_name: "Émile", last_name: "Aerts", updated_at: T0 },
  ];
  const base = {
    ...WINDOW,
    location: location(),
    schedules: [schedule(), schedule({ id: 2, client_id: 8 }), schedule({ id: 3, client_id: 9, slots: [{ weekday: 1, dagdeel: "ochtend" }] })],
    closures: [] as FeedClosure[],
    attendance: [] as FeedAttendance[],
    clients,
    schedulesChangedAt: T0,
    deletionsAt: null as string | null,
  };

  it("lists first names and initials, sorted, one event per dagdeel with anyone expected", () => {
    const events = locationFeedEvents(base);
    expect(events).to.have.length(8);
    const monday = events.find((e) => e.date === "2026-03-16")!;
    expect(monday.clientNames).to.deep.equal(["Anna B.", "Émile A.", "Jan de V."]);
    expect(monday.uid).to.equal("location-1-2026-03-16-ochtend@dagdeel");
    expect(events.find((e) => e.date === "2026-03-20")!.clientNames).to.deep.equal(["Anna B.", "Jan de V."]);
    for (const e of events) expect(e.clientNames.join(" ")).to.not.match(/Bakker|Vries|Aerts/);
  });

  it("drops a reported absence from the list, and the dagdeel when nobody is left", () => {
    const attendanceRows = [
      attendance({ client_id: 7, date: "2026-03-20", status: "ziek" }),
      attendance({ client_id: 8, date: "2026-03-20", status: "afgemeld" }),
      attendance({ client_id: 9, date: "2026-03-16", status: "afgemeld" }),
      attendance({ client_id: 9, date: "2026-03-18", dagdeel: "middag", status: "extra" }),
    ];
    const events = locationFeedEvents({ ...base, attendance: attendanceRows });
    expect(events.find((e) => e.date === "2026-03-20")).to.equal(undefined);
    expect(events.find((e) => e.date === "2026-03-16")!.clientNames).to.deep.equal(["Anna B.", "Jan de V."]);
    expect(events.find((e) => e.date === "2026-03-18")!.clientNames).to.deep.equal(["Émile A."]);
  });

  it("raises one dagdeel's SEQUENCE when its attendance changes, and all of them when the location changes", () => {
    const before = new Map(locationFeedEvents(base).map((e) => [e.date, e.sequence]));
    const absence = new Map(locationFeedEvents({ ...base, attendance: [attendance({ client_id: 9, date: "2026-03-16", status: "afgemeld", updated_at: "2026-03-01T00:00:00Z" })] }).map((e) => [e.date, e.sequence]));
    const moved = new Map(locationFeedEvents({ ...base, location: location({ updated_at: "2026-03-01T00:00:00Z" }) }).map((e) => [e.date, e.sequence]));
    for (const [date, s] of before) {
      expect(absence.get(date), date).to.equal(date === "2026-03-16" ? absence.get(date) : s);
      expect(moved.get(date)).to.be.greaterThan(s);
    }
    expect(absence.get("2026-03-16")).to.be.greaterThan(before.get("2026-03-16")!);
  });

  it("raises every event's SEQUENCE after a deletion (which leaves no updated_at behind)", () => {
    const before = locationFeedEvents(base);
    const after = locationFeedEvents({ ...base, deletionsAt: "2026-03-01T00:00:00Z" });
    expect(after.map((e) => e.uid)).to.deep.equal(before.map((e) => e.uid));
    after.forEach((e, i) => expect(e.sequence).to.be.greaterThan(before[i].sequence));
    // An older deletion changes nothing.
    expect(locationFeedEvents({ ...base, deletionsAt: "2025-12-01T00:00:00Z" }).map((e) => e.sequence)).to.deep.equal(before.map((e) => e.sequence));
  });

  it("covers every date of the window once per dagdeel in the plan", () => {
    const events = locationFeedEvents({ ...base, schedules: [schedule({ slots: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [{ weekday, dagdeel: "ochtend" as const }, { weekday, dagdeel: "middag" as const }]) })] });
    expect(events).to.have.length(datesBetween(WINDOW.from, WINDOW.until).length * 2);
  });
});

describe("week parameter", () => {
  it("reads 2026-W48 as Monday 23-11-2026 and writes it back", () => {
    expect(mondayOfWeekParam("2026-W48")).to.equal("2026-11-23");
    expect(weekParamOf("2026-11-29")).to.equal("2026-W48");
    expect(weekParamOf("2027-01-01")).to.equal("2026-W53");
    expect(nextWeekParam("2026-12-28")).to.equal("2027-W01");
    expect(previousWeekParam("2026-01-01")).to.equal("2025-W52");
  });

  it("refuses what is not a week", () => {
    for (const bad of ["2025-W53", "2026-W00", "2026-W54", "2026-48", "2026-W4", "", "W48"]) expect(mondayOfWeekParam(bad), bad).to.equal(null);
  });
});
