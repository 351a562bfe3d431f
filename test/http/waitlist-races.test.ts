import { expect } from "chai";
import { csrfToken, loginAs, type Agent } from "../support/app";
import { encodeForm, makeClient, makeWaitlistEntry, planningWorld, setCapacity, scheduleForm } from "../support/planning-fixtures";
import { atTheSameMoment, hasPostgres, startTwoApps, type RaceContext } from "../support/postgres-race";

// Issue 15.7 on PostgreSQL: "an entry is closed when its client is booked at that location",
// exactly once. Two app instances on one database, two coordinators at the same moment: both
// book the waiting client at that location, or one books while the other lets the entry lapse.
// One booking wins where there is room for one; the entry ends closed once, with one audit
// entry; nothing is half saved.

describe("HTTP on PostgreSQL: closing a waiting list entry while it is being booked (issue 15.7)", function () {
  this.timeout(120_000);
  let ctx: RaceContext;
  let first: Agent;
  let second: Agent;

  before(async function () {
    if (!hasPostgres()) this.skip();
    ctx = await startTwoApps();
    await planningWorld(ctx.db, ctx.world);
    // One place a dagdeel: room for one booking, not two.
    await setCapacity(ctx.db, ctx.world.locationB, 1);
    [first, second] = [await loginAs(ctx.apps[0], ctx.world.users.coordinator.email), await loginAs(ctx.apps[1], ctx.world.users.coordinator.email)];
  });
  after(async () => ctx?.close());

  async function closings(entry: number) {
    return ctx.db("audit_log").where({ entity: "waitlist_entry", entity_id: entry }).whereIn("action", ["place", "lapse"]).select("action");
  }

  function booking(client: number, entry: number, slot: string, token: string): string {
    return encodeForm({ ...scheduleForm({ client, location: ctx.world.locationB, funding: "eigen", slots: [slot], from: "2026-11-25" }), waitlist_entry_id: String(entry), _csrf: token });
  }

  it("two coordinators book the same waiting client there: one schedule, the entry placed once", async () => {
    const client = await makeClient(ctx.db, "Dubbel", "Ingepland");
    const entry = await makeWaitlistEntry(ctx.db, { client, location: ctx.world.locationB, slots: [[3, "ochtend"]], funding: "eigen" });
    const [a, b] = [await csrfToken(first, `/wachtlijst/${entry}/inplannen`), await csrfToken(second, `/wachtlijst/${entry}/inplannen`)];

    const results = await atTheSameMoment(ctx.control, "schedules", 2, [
      () => first.post("/roosters").type("form").send(booking(client, entry, "3-ochtend", a)),
      () => second.post("/roosters").type("form").send(booking(client, entry, "3-ochtend", b)),
    ]);

    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).to.equal(303);
    expect([404, 422]).to.include(statuses[1]);
    expect(await ctx.db("schedules").where({ client_id: client })).to.have.length(1);
    expect((await ctx.db("waitlist_entries").where({ id: entry }).first()).status).to.equal("geplaatst");
    expect(await closings(entry)).to.deep.equal([{ action: "place" }]);
  });

  it("one books while the other lets the entry lapse: closed once, the schedule there only if placed", async () => {
    const client = await makeClient(ctx.db, "Gelijk", "Vervallen");
    const entry = await makeWaitlistEntry(ctx.db, { client, location: ctx.world.locationB, slots: [[4, "middag"]], funding: "eigen" });
    const [bookToken, lapseToken] = [await csrfToken(first, `/wachtlijst/${entry}/inplannen`), await csrfToken(second, "/wachtlijst")];

    // Both queue at their write to waitlist_entries (the booking has saved its schedule by then).
    const [booked, lapsed] = await atTheSameMoment(ctx.control, "waitlist_entries", 2, [
      () => first.post("/roosters").type("form").send(booking(client, entry, "4-middag", bookToken)),
      () => second.post(`/wachtlijst/${entry}/vervallen`).type("form").send({ _csrf: lapseToken }),
    ]);

    const status = (await ctx.db("waitlist_entries").where({ id: entry }).first()).status;
    const schedules = await ctx.db("schedules").where({ client_id: client });
    const audited = await closings(entry);
    expect(audited, "one closing audited").to.have.length(1);
    if (booked.status === 303) {
      expect(lapsed.status).to.equal(404);
      expect(status).to.equal("geplaatst");
      expect(schedules).to.have.length(1);
      expect(audited[0].action).to.equal("place");
    } else {
      expect(lapsed.status).to.equal(303);
      expect(booked.status).to.equal(404);
      expect(status).to.equal("vervallen");
      expect(schedules, "no schedule saved without its entry's closing").to.have.length(0);
      expect(audited[0].action).to.equal("lapse");
    }
  });
});
