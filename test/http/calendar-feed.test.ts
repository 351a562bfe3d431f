import { expect } from "chai";
import request from "supertest";
import { recordAudit } from "../../src/audit/repository";
import { fixedClock, timestamp } from "../../src/domain/clock";
import { hashFeedToken } from "../../src/calendar/tokens";
import { startTestApp, type TestContext } from "../support/app";
import { addAttendance, addClosure, addFeed, addSchedule, buildCalendarWorld, parseFeed, type ParsedFeed } from "../support/calendar-fixtures";

// The public .ics feeds, read back with ical.js (an independent parser), on clocks near the
// two DST changes of 2026: 29 March (CET → CEST) and 25 October (CEST → CET).

async function fetchFeed(ctx: TestContext, token: string) {
  const res = await request(ctx.app).get(`/agenda/feed/${token}.ics`);
  expect(res.status, res.text).to.equal(200);
  return { res, body: res.text, feed: parseFeed(res.text) };
}

function event(feed: ParsedFeed, uid: string) {
  const found = feed.events.find((e) => e.uid === uid);
  expect(found, `${uid} in ${feed.events.map((e) => e.uid).join(" ")}`).to.not.equal(undefined);
  return found!;
}

function expectWellFormed(feed: ParsedFeed) {
  expect(feed.timezones).to.deep.equal(["Europe/Amsterdam"]);
  expect(feed.events.length).to.be.greaterThan(0);
  for (const e of feed.events) {
    expect(e.startTzid, e.uid).to.equal("Europe/Amsterdam");
    expect(e.endTzid, e.uid).to.equal("Europe/Amsterdam");
    expect(e.dtstampIsUtc, `${e.uid} DTSTAMP in UTC`).to.equal(true);
  }
  expect(new Set(feed.events.map((e) => e.uid)).size).to.equal(feed.events.length);
}

describe("HTTP: calendar feeds in March (DST starts 29-3-2026)", () => {
  let ctx: TestContext;
  let cal: Awaited<ReturnType<typeof buildCalendarWorld>>;
  let annaFeed: string;
  let janFeed: string;
  let locationFeed: string;

  before(async () => {
    ctx = await startTestApp({ now: "2026-03-20T10:00:00" });
    cal = await buildCalendarWorld(ctx.db, ctx.world);
    const { world, db } = ctx;
    // Tweede Paasdag at locationA only; Koningsdag at every location of provider A.
    await addClosure(db, { provider_id: world.providerA, location_id: world.locationA, starts_on: "2026-04-06", reason: "Tweede Paasdag" });
    await addClosure(db, { provider_id: world.providerA, location_id: null, starts_on: "2026-04-27", reason: "Koningsdag" });
    // Provider B's closure must not touch provider A's location.
    await addClosure(db, { provider_id: world.providerB, location_id: null, starts_on: "2026-04-10", reason: "Studiedag B" });
    await addAttendance(db, { client_id: cal.clients.anna, location_id: world.locationA, date: "2026-03-23", dagdeel: "ochtend", status: "afgemeld" });
    await addAttendance(db, { client_id: cal.clients.anna, location_id: world.locationA, date: "2026-04-03", dagdeel: "ochtend", status: "ziek" });
    await addAttendance(db, { client_id: cal.clients.anna, location_id: world.locationA, date: "2026-03-13", dagdeel: "ochtend", status: "niet_verschenen" });
    await addAttendance(db, { client_id: cal.clients.jan, location_id: world.locationA, date: "2026-03-25", dagdeel: "middag", status: "extra" });
    annaFeed = (await addFeed(db, { scope: "client", client_id: cal.clients.anna })).token;
    janFeed = (await addFeed(db, { scope: "client", client_id: cal.clients.jan })).token;
    locationFeed = (await addFeed(db, { scope: "location", location_id: world.locationA })).token;
  });
  after(async () => ctx.close());

  it("serves text/calendar; charset=utf-8 with a VTIMEZONE and a TZID on every event", async () => {
    const { res, feed } = await fetchFeed(ctx, annaFeed);
    expect(res.headers["content-type"]).to.equal("text/calendar; charset=utf-8");
    expect(res.headers["cache-control"]).to.equal("private, max-age=300");
    expect(res.headers["set-cookie"], "a feed opens no session").to.equal(undefined);
    expect(res.text).to.match(/^BEGIN:VCALENDAR\r\n/);
    expectWellFormed(feed);
    expect(feed.name).to.equal("Dagbesteding Anna B.");
  });

  it("keeps 09:30 at 09:30 on both sides of the change: 08:30Z before, 07:30Z after", async () => {
    const { feed } = await fetchFeed(ctx, annaFeed);
    const before = event(feed, `client-${cal.clients.anna}-2026-03-27-ochtend@dagdeel`);
    const after = event(feed, `client-${cal.clients.anna}-2026-03-30-ochtend@dagdeel`);
    expect(before.localStart).to.equal("2026-03-27T09:30:00");
    expect(before.localEnd).to.equal("2026-03-27T12:30:00");
    expect(before.utcStart).to.equal("2026-03-27T08:30:00.000Z");
    expect(before.utcOffsetSeconds).to.equal(3600);
    expect(after.localStart).to.equal("2026-03-30T09:30:00");
    expect(after.utcStart).to.equal("2026-03-30T07:30:00.000Z");
    expect(after.utcOffsetSeconds).to.equal(7200);
    expect(before.summary).to.equal("Dagbesteding Boerderij A");
    expect(before.location).to.equal("Boerderij A, Dorpsstraat 1, 5988 AA Helden");
  });

  it("covers four weeks back to twelve weeks ahead, and nothing outside", async () => {
    const { feed } = await fetchFeed(ctx, annaFeed);
    const dates = feed.events.map((e) => e.localStart.slice(0, 10)).sort();
    // today 2026-03-20: from 2026-02-20 (a Friday) until 2026-06-12 (a Friday)
    expect(dates[0]).to.equal("2026-02-20");
    expect(dates.at(-1)).to.equal("2026-06-12");
  });

  it("leaves out closures (location and provider-wide) and reported absences, keeps a no-show", async () => {
    const { feed } = await fetchFeed(ctx, annaFeed);
    const uids = feed.events.map((e) => e.uid);
    const a = cal.clients.anna;
    expect(uids).to.not.include(`client-${a}-2026-04-06-ochtend@dagdeel`); // Tweede Paasdag
    expect(uids).to.not.include(`client-${a}-2026-04-27-ochtend@dagdeel`); // Koningsdag, provider-wide
    expect(uids).to.not.include(`client-${a}-2026-03-23-ochtend@dagdeel`); // afgemeld
    expect(uids).to.not.include(`client-${a}-2026-04-03-ochtend@dagdeel`); // ziek
    expect(uids).to.include(`client-${a}-2026-03-13-ochtend@dagdeel`); // niet verschenen: was planned
    expect(uids).to.include(`client-${a}-2026-04-10-ochtend@dagdeel`); // provider B's closure
    expect(uids).to.include(`client-${a}-2026-03-25-middag@dagdeel`);
  });

  it("adds an extra booked dagdeel to the client's feed", async () => {
    const { feed } = await fetchFeed(ctx, janFeed);
    expect(feed.events.map((e) => e.uid)).to.include(`client-${cal.clients.jan}-2026-03-25-middag@dagdeel`);
  });

  it("carries no BSN, no notes, no absence status, no other client", async () => {
    for (const token of [annaFeed, janFeed, locationFeed]) {
      const { body } = await fetchFeed(ctx, token);
      for (const secret of ["999990019", "999990032", "999990007", "Epilepsie", "medicatie", "ziek", "afgemeld", "niet_verschenen", "Bakker", "Vries", "van den Berg", "Janssen"]) {
        expect(body.toLowerCase(), `${secret} in a feed`).to.not.contain(secret.toLowerCase());
      }
    }
  });

  it("shows first names and initials on the location feed, with the count in the summary", async () => {
    const { feed } = await fetchFeed(ctx, locationFeed);
    expectWellFormed(feed);
    expect(feed.name).to.equal("Rooster Boerderij A");
    const friday = event(feed, `location-${ctx.world.locationA}-2026-03-27-ochtend@dagdeel`);
    expect(friday.summary).to.equal("ochtend: 2 cliënten");
    expect(friday.description).to.equal("Anna B., Jan de V.");
    expect(friday.utcStart).to.equal("2026-03-27T08:30:00.000Z");
    const monday = event(feed, `location-${ctx.world.locationA}-2026-03-30-ochtend@dagdeel`);
    expect(monday.summary).to.equal("ochtend: 3 cliënten");
    expect(monday.description).to.equal("Anna B., Jan de V., Piet van den B.");
    expect(monday.utcStart).to.equal("2026-03-30T07:30:00.000Z");
    // Anna reported absent on 23-3: she drops out, the others stay.
    const absentDay = event(feed, `location-${ctx.world.locationA}-2026-03-23-ochtend@dagdeel`);
    expect(absentDay.description).to.equal("Jan de V., Piet van den B.");
    // Wednesday afternoon: Anna, plus Jan's extra dagdeel.
    expect(event(feed, `location-${ctx.world.locationA}-2026-03-25-middag@dagdeel`).summary).to.equal("middag: 2 cliënten");
    expect(event(feed, `location-${ctx.world.locationA}-2026-04-01-middag@dagdeel`).summary).to.equal("middag: 1 cliënt");
    // Closed, or nobody there: no event.
    const uids = feed.events.map((e) => e.uid);
    expect(uids).to.not.include(`location-${ctx.world.locationA}-2026-04-06-ochtend@dagdeel`);
    expect(uids).to.not.include(`location-${ctx.world.locationA}-2026-03-24-ochtend@dagdeel`);
  });

  it("gives the same body and ETag on every poll, and 304 for a matching If-None-Match", async () => {
    const first = await fetchFeed(ctx, locationFeed);
    const second = await fetchFeed(ctx, locationFeed);
    expect(second.body).to.equal(first.body);
    const etag = first.res.headers.etag as string;
    expect(etag).to.match(/^"[A-Za-z0-9_-]{43}"$/);
    expect(second.res.headers.etag).to.equal(etag);
    const notModified = await request(ctx.app).get(`/agenda/feed/${locationFeed}.ics`).set("If-None-Match", etag);
    expect(notModified.status).to.equal(304);
    expect(notModified.text ?? "").to.equal("");
    expect(notModified.headers.etag).to.equal(etag);
    const weak = await request(ctx.app).get(`/agenda/feed/${locationFeed}.ics`).set("If-None-Match", `"other", W/${etag}`);
    expect(weak.status).to.equal(304);
    const stale = await request(ctx.app).get(`/agenda/feed/${locationFeed}.ics`).set("If-None-Match", '"something-else"');
    expect(stale.status).to.equal(200);
    expect(stale.text).to.equal(first.body);
  });

  it("answers an unchanged feed's If-None-Match from one query (the feed with the data version), without building it; a change builds it again", async () => {
    const first = await fetchFeed(ctx, janFeed);
    const etag = first.res.headers.etag as string;
    let queries = 0;
    const count = () => (queries += 1);
    ctx.db.on("query", count);
    try {
      const notModified = await request(ctx.app).get(`/agenda/feed/${janFeed}.ics`).set("If-None-Match", etag);
      expect(notModified.status).to.equal(304);
      expect(queries, "the feed with the data version; its summary kept").to.equal(1);
      queries = 0;
      expect((await fetchFeed(ctx, janFeed)).body).to.equal(first.body);
      expect(queries, "a body built before is served again").to.equal(1);
    } finally {
      ctx.db.removeListener("query", count);
    }
    // Jan's extra visit is taken back (the row goes): the feed changes, and so does its ETag.
    await ctx.db("attendance").where({ client_id: cal.clients.jan, status: "extra" }).delete();
    const after = await fetchFeed(ctx, janFeed);
    expect(after.res.headers.etag).to.not.equal(etag);
    expect(after.body).to.not.equal(first.body);
    expect((await request(ctx.app).get(`/agenda/feed/${janFeed}.ics`).set("If-None-Match", etag)).status).to.equal(200);
  });

  it("keeps UIDs and SEQUENCE stable while nothing changes, even when unrelated rows do", async () => {
    const before = (await fetchFeed(ctx, annaFeed)).feed;
    // Other rows change: provider B's location and Bram's schedule.
    const later = timestamp(ctx.clock);
    await ctx.db("locations").where({ id: ctx.world.locationB }).update({ name: "Dorpshuis B nieuw", updated_at: later });
    await ctx.db("schedules").where({ id: cal.schedules.bram }).update({ valid_until: "2026-12-31", updated_at: later });
    const after = (await fetchFeed(ctx, annaFeed)).feed;
    expect(after.events.map((e) => [e.uid, e.sequence, e.dtstamp])).to.deep.equal(before.events.map((e) => [e.uid, e.sequence, e.dtstamp]));
  });

  it("raises SEQUENCE when the location or the schedule changes", async () => {
    const uid = `client-${cal.clients.anna}-2026-03-27-ochtend@dagdeel`;
    const first = event((await fetchFeed(ctx, annaFeed)).feed, uid);

    await ctx.db("locations").where({ id: ctx.world.locationA }).update({ morning_start: "10:00", updated_at: "2026-03-20T09:00:00.000Z" });
    const second = event((await fetchFeed(ctx, annaFeed)).feed, uid);
    expect(second.localStart).to.equal("2026-03-27T10:00:00");
    expect(second.sequence).to.be.greaterThan(first.sequence);

    await ctx.db("schedules").where({ id: cal.schedules.anna }).update({ valid_until: "2026-12-31", updated_at: "2026-03-20T09:05:00.000Z" });
    const third = event((await fetchFeed(ctx, annaFeed)).feed, uid);
    expect(third.sequence).to.be.greaterThan(second.sequence);

    // And the location feed's event follows an absence being reported, leaving other days alone.
    const locationUid = (date: string) => `location-${ctx.world.locationA}-${date}-ochtend@dagdeel`;
    const l1 = (await fetchFeed(ctx, locationFeed)).feed;
    await addAttendance(ctx.db, { client_id: cal.clients.jan, location_id: ctx.world.locationA, date: "2026-03-27", dagdeel: "ochtend", status: "afgemeld", updated_at: "2026-03-20T09:10:00.000Z" });
    const l2 = (await fetchFeed(ctx, locationFeed)).feed;
    expect(event(l2, locationUid("2026-03-27")).sequence).to.be.greaterThan(event(l1, locationUid("2026-03-27")).sequence);
    expect(event(l2, locationUid("2026-03-27")).description).to.equal("Anna B.");
    expect(event(l2, locationUid("2026-03-30")).sequence).to.equal(event(l1, locationUid("2026-03-30")).sequence);
  });

  it("raises SEQUENCE on the location feed when a schedule is cancelled outright (deleted)", async () => {
    const uid = `location-${ctx.world.locationA}-2026-03-30-ochtend@dagdeel`;
    const before = event((await fetchFeed(ctx, locationFeed)).feed, uid);
    expect(before.description).to.contain("Piet van den B.");
    // What the planning feature does when it cancels a schedule: delete it, audit it.
    await ctx.db.transaction(async (trx) => {
      await trx("schedule_slots").where({ schedule_id: cal.schedules.piet }).delete();
      await trx("schedules").where({ id: cal.schedules.piet }).delete();
      await recordAudit(trx, fixedClock("2026-03-20T10:30:00"), { userId: null, action: "cancel", entity: "schedule", entityId: cal.schedules.piet });
    });
    const after = event((await fetchFeed(ctx, locationFeed)).feed, uid);
    expect(after.description).to.not.contain("Piet");
    expect(after.sequence).to.be.greaterThan(before.sequence);
    // The families' feeds do not churn over it: Anna's events keep their numbers.
    const anna = (await fetchFeed(ctx, annaFeed)).feed;
    expect(event(anna, `client-${cal.clients.anna}-2026-03-30-ochtend@dagdeel`).sequence).to.be.lessThan(after.sequence);
  });

  it("answers an unknown, malformed or revoked token with 404, and stores only the hash", async () => {
    const revoked = await addFeed(ctx.db, { scope: "client", client_id: cal.clients.anna, revoked_at: "2026-03-01T10:00:00.000Z" });
    for (const path of [
      `/agenda/feed/${revoked.token}.ics`,
      `/agenda/feed/${"A".repeat(43)}.ics`,
      "/agenda/feed/kort.ics",
      `/agenda/feed/${annaFeed}`,
      `/agenda/feed/${annaFeed}.ics.ics`,
    ]) {
      const res = await request(ctx.app).get(path);
      expect(res.status, path).to.equal(404);
      expect(res.text, path).to.not.contain("BEGIN:VCALENDAR");
    }
    const rows = await ctx.db("calendar_feeds").select("*");
    const everything = JSON.stringify(rows);
    for (const token of [annaFeed, janFeed, locationFeed]) {
      expect(everything).to.not.contain(token);
      expect(rows.map((r) => r.token_hash)).to.include(hashFeedToken(token));
    }
  });
});

describe("HTTP: calendar feeds in October (DST ends 25-10-2026)", () => {
  let ctx: TestContext;
  let clientFeed: string;
  let locationFeed: string;
  let client: number;

  before(async () => {
    ctx = await startTestApp({ now: "2026-10-20T10:00:00" });
    const cal = await buildCalendarWorld(ctx.db, ctx.world);
    client = cal.clients.anna;
    // An even-week schedule on Thursdays too: week 43 (22-10) is odd, week 44 (29-10) even.
    await addSchedule(ctx.db, { client_id: client, location_id: ctx.world.locationA, valid_from: "2026-09-01", week_parity: "even", slots: [{ weekday: 4, dagdeel: "middag" }] });
    clientFeed = (await addFeed(ctx.db, { scope: "client", client_id: client })).token;
    locationFeed = (await addFeed(ctx.db, { scope: "location", location_id: ctx.world.locationA })).token;
  });
  after(async () => ctx.close());

  it("keeps 09:30 at 09:30: 07:30Z on Friday 23-10, 08:30Z on Monday 26-10", async () => {
    for (const [token, scope, id] of [[clientFeed, "client", client], [locationFeed, "location", ctx.world.locationA]] as const) {
      const { feed } = await fetchFeed(ctx, token);
      expectWellFormed(feed);
      const before = event(feed, `${scope}-${id}-2026-10-23-ochtend@dagdeel`);
      const after = event(feed, `${scope}-${id}-2026-10-26-ochtend@dagdeel`);
      expect(before.localStart).to.equal("2026-10-23T09:30:00");
      expect(before.utcStart).to.equal("2026-10-23T07:30:00.000Z");
      expect(after.localStart).to.equal("2026-10-26T09:30:00");
      expect(after.utcStart).to.equal("2026-10-26T08:30:00.000Z");
    }
  });

  it("follows week parity through the same schedule expansion as the board", async () => {
    const { feed } = await fetchFeed(ctx, clientFeed);
    const uids = feed.events.map((e) => e.uid);
    expect(uids).to.include(`client-${client}-2026-10-29-middag@dagdeel`);
    expect(uids).to.not.include(`client-${client}-2026-10-22-middag@dagdeel`);
    const afternoon = event(feed, `client-${client}-2026-10-29-middag@dagdeel`);
    expect(afternoon.localStart).to.equal("2026-10-29T13:30:00");
    expect(afternoon.localEnd).to.equal("2026-10-29T16:30:00");
    expect(afternoon.utcStart).to.equal("2026-10-29T12:30:00.000Z");
  });
});
