import { createHash } from "node:crypto";
import { expect } from "chai";
import fc from "fast-check";
import { etagOf, ifNoneMatchHits, renderFeed, renderFeedInTurns } from "../../src/calendar/ics";
import { hashFeedToken, hideFeedToken, isFeedTokenShaped, newFeedToken, withoutFeedToken } from "../../src/calendar/tokens";
import { clientFeedEvents, locationFeedEvents, type FeedLocation } from "../../src/domain/feed-events";
import { parseFeed } from "../support/calendar-fixtures";

const location: FeedLocation = {
  id: 3,
  provider_id: 1,
  name: "Zorgboerderij ’t Hoekske, de Wei; achter",
  street: "Kerkstraat 4",
  postcode: "5981 AB",
  village: "Panningen",
  morning_start: "09:00",
  morning_end: "12:00",
  afternoon_start: "13:00",
  afternoon_end: "16:00",
  updated_at: "2026-02-01T10:00:00.000Z",
};

const clientInput = {
  from: "2026-10-19",
  until: "2026-11-01",
  clientId: 5,
  schedules: [{ id: 1, client_id: 5, location_id: 3, valid_from: "2026-01-01", valid_until: null, week_parity: "elke" as const, slots: [{ weekday: 1, dagdeel: "middag" as const }] }],
  locations: [location],
  closures: [],
  attendance: [],
  schedulesChangedAt: "2026-03-01T12:00:00.000Z",
};

describe("calendar: feed tokens", () => {
  it("makes 43-character base64url tokens from 32 random bytes, never the same twice", () => {
    const tokens = new Set(Array.from({ length: 200 }, newFeedToken));
    expect(tokens.size).to.equal(200);
    for (const t of tokens) {
      expect(t).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, "base64url")).to.have.length(32);
      expect(isFeedTokenShaped(t)).to.equal(true);
    }
  });

  it("stores the SHA-256 hex of the token", () => {
    const t = newFeedToken();
    expect(hashFeedToken(t)).to.equal(createHash("sha256").update(t).digest("hex"));
    expect(hashFeedToken(t)).to.have.length(64);
    expect(hashFeedToken(t)).to.not.contain(t);
  });

  it("rejects anything that is not token-shaped before it reaches the database", () => {
    for (const bad of ["", "kort", "A".repeat(42), "A".repeat(44), `${"A".repeat(42)}=`, `${"A".repeat(42)}/`, `${"A".repeat(42)}.`]) {
      expect(isFeedTokenShaped(bad), bad).to.equal(false);
    }
  });

  it("keeps tokens out of request logs", () => {
    const t = newFeedToken();
    expect(hideFeedToken(`/agenda/feed/${t}.ics?x=1`)).to.equal("/agenda/feed/[token]?x=1");
    const logged = withoutFeedToken({ url: `/agenda/feed/${t}.ics`, params: { file: `${t}.ics` }, method: "GET" });
    expect(JSON.stringify(logged)).to.not.contain(t);
    expect(logged.method).to.equal("GET");
    const other = { url: "/agenda/rooster/locatie/3", params: { id: "3" } };
    expect(withoutFeedToken(other)).to.equal(other);
  });
});

describe("calendar: iCalendar output", () => {
  it("writes the same bytes for the same events, with UTC DTSTAMP from the data, not the clock", () => {
    const a = renderFeed({ scope: "client", clientName: "Anna B." }, clientFeedEvents(clientInput));
    const b = renderFeed({ scope: "client", clientName: "Anna B." }, clientFeedEvents(clientInput));
    expect(a).to.equal(b);
    expect(a).to.contain("DTSTAMP:20260301T120000Z");
    expect(a).to.contain("LAST-MODIFIED:20260301T120000Z");
    expect(a).to.not.contain("X-WR-TIMEZONE"); // would have to follow the events in ical-generator's output
  });

  it("escapes text so an independent parser reads it back exactly", () => {
    const feed = parseFeed(renderFeed({ scope: "client", clientName: "Anna B." }, clientFeedEvents(clientInput)));
    expect(feed.events).to.have.length(2);
    expect(feed.events[0].summary).to.equal("Dagbesteding Zorgboerderij ’t Hoekske, de Wei; achter");
    expect(feed.events[0].location).to.equal("Zorgboerderij ’t Hoekske, de Wei; achter, Kerkstraat 4, 5981 AB Panningen");
    expect(feed.events[0].description).to.equal(null);
    // Monday 19-10 in summer time, Monday 26-10 in winter time, both 13:00 on the wall.
    expect(feed.events.map((e) => [e.localStart, e.utcStart])).to.deep.equal([
      ["2026-10-19T13:00:00", "2026-10-19T11:00:00.000Z"],
      ["2026-10-26T13:00:00", "2026-10-26T12:00:00.000Z"],
    ]);
  });

  it("writes an empty but valid calendar when nothing is planned", () => {
    const feed = parseFeed(renderFeed({ scope: "location", locationName: "Leeg" }, []));
    expect(feed.events).to.deep.equal([]);
    expect(feed.name).to.equal("Rooster Leeg");
  });

  it("summarises a location's dagdeel by count, singular and plural", () => {
    const input = {
      from: "2026-10-19",
      until: "2026-10-20",
      location,
      schedules: [
        { id: 1, client_id: 5, location_id: 3, valid_from: "2026-01-01", valid_until: null, week_parity: "elke" as const, slots: [{ weekday: 1, dagdeel: "middag" as const }, { weekday: 2, dagdeel: "ochtend" as const }] },
        { id: 2, client_id: 6, location_id: 3, valid_from: "2026-01-01", valid_until: null, week_parity: "elke" as const, slots: [{ weekday: 1, dagdeel: "middag" as const }] },
      ],
      closures: [],
      attendance: [],
      clients: [
        { id: 5, first_name: "Anna", last_name: "Bakker", updated_at: "2026-01-01T00:00:00Z" },
        { id: 6, first_name: "Jan", last_name: "van der Linden", updated_at: "2026-01-01T00:00:00Z" },
      ],
      schedulesChangedAt: null,
      deletionsAt: null,
    };
    const feed = parseFeed(renderFeed({ scope: "location", locationName: location.name }, locationFeedEvents(input)));
    expect(feed.events.map((e) => [e.summary, e.description])).to.deep.equal([
      ["middag: 2 cliënten", "Anna B., Jan van der L."],
      ["ochtend: 1 cliënt", "Anna B."],
    ]);
  });
});

describe("calendar: iCalendar output event by event (renderFeedInTurns)", () => {
  // The served path writes each event's folded lines between turns; renderFeed (one piece) is its reference.
  const nameArb = fc.string({ unit: fc.constantFrom("a", "Z", " ", ";", ",", "’", "é", "\\", "\n", "😀"), minLength: 1, maxLength: 90 });
  const scheduleArb = fc.record({
    weekday: fc.integer({ min: 1, max: 7 }),
    dagdeel: fc.constantFrom("ochtend" as const, "middag" as const),
    parity: fc.constantFrom("elke" as const, "even" as const, "oneven" as const),
  });

  it("writes the same bytes as renderFeed, for client and location feeds of any length and names", async () => {
    await fc.assert(
      fc.asyncProperty(nameArb, nameArb, fc.array(scheduleArb, { maxLength: 4 }), fc.integer({ min: 0, max: 120 }), async (name, clientName, slots, days) => {
        const place = { ...location, name };
        const schedules = slots.map((x, i) => ({ id: i + 1, client_id: 5 + (i % 2), location_id: 3, valid_from: "2026-01-05", valid_until: null, week_parity: x.parity, slots: [{ weekday: x.weekday, dagdeel: x.dagdeel }] }));
        const window = { from: "2026-10-19", until: addDaysIso("2026-10-19", days) };
        const client = clientFeedEvents({ ...clientInput, ...window, schedules: schedules.map((s) => ({ ...s, client_id: 5 })), locations: [place] });
        const kind = { scope: "client" as const, clientName };
        expect(await renderFeedInTurns(kind, client)).to.equal(renderFeed(kind, client));
        const clients = [
          { id: 5, first_name: clientName, last_name: "Bakker", updated_at: "2026-01-01T00:00:00Z" },
          { id: 6, first_name: "Jan", last_name: name, updated_at: "2026-01-01T00:00:00Z" },
        ];
        const at = locationFeedEvents({ ...window, location: place, schedules, closures: [], attendance: [], clients, schedulesChangedAt: null, deletionsAt: null });
        const where = { scope: "location" as const, locationName: name };
        expect(await renderFeedInTurns(where, at)).to.equal(renderFeed(where, at));
      }),
      { numRuns: 60 },
    );
  });
});

/** yyyy-MM-dd plus days (UTC arithmetic: no clock, no zone). */
function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe("calendar: ETag", () => {
  it("is a quoted SHA-256 of the body", () => {
    expect(etagOf("abc")).to.equal(`"${createHash("sha256").update("abc").digest("base64url")}"`);
    expect(etagOf("abc")).to.not.equal(etagOf("abd"));
  });

  it("matches If-None-Match lists, weak forms and *, nothing else", () => {
    const etag = etagOf("body");
    expect(ifNoneMatchHits(etag, etag)).to.equal(true);
    expect(ifNoneMatchHits(`"x", ${etag}`, etag)).to.equal(true);
    expect(ifNoneMatchHits(`W/${etag}`, etag)).to.equal(true);
    expect(ifNoneMatchHits("*", etag)).to.equal(true);
    expect(ifNoneMatchHits(undefined, etag)).to.equal(false);
    expect(ifNoneMatchHits("", etag)).to.equal(false);
    expect(ifNoneMatchHits(`"x"`, etag)).to.equal(false);
    expect(ifNoneMatchHits(etag.slice(1, -1), etag)).to.equal(false);
  });
});
