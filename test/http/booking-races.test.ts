import { expect } from "chai";
import { csrfToken, loginAs } from "../support/app";
import { encodeForm, makeClient, planningWorld, scheduleForm } from "../support/planning-fixtures";
import { atTheSameMoment, hasPostgres, startTwoApps, type RaceContext } from "../support/postgres-race";

// Issue 12.2: ending a client locks the client's row like a booking does. Two app instances on
// one PostgreSQL database, one coordinator ending the client while another books it: whichever
// comes second sees the first, so no schedule runs past the end of the client's care.

describe("HTTP on PostgreSQL: ending a client while it is being booked", function () {
  this.timeout(120_000);
  let ctx: RaceContext;

  before(async function () {
    if (!hasPostgres()) this.skip();
    ctx = await startTwoApps();
    await planningWorld(ctx.db, ctx.world);
  });
  after(async () => ctx?.close());

  it("no schedule outlives the end of care, whichever request wins", async () => {
    const client = await makeClient(ctx.db, "Gelijk", "Tijdig");
    const [booker, ender] = [await loginAs(ctx.apps[0], ctx.world.users.coordinator.email), await loginAs(ctx.apps[1], ctx.world.users.coordinator.email)];
    const [bookToken, endToken] = [await csrfToken(booker, "/"), await csrfToken(ender, `/clienten/${client}/beeindigen`)];
    const booking = encodeForm({ ...scheduleForm({ client, location: ctx.world.locationA, funding: "eigen", slots: ["2-ochtend"], from: "2026-11-24" }), _csrf: bookToken });

    const [booked, ended] = await atTheSameMoment(ctx.control, "schedules", 2, [
      () => booker.post("/roosters").type("form").send(booking),
      () => ender.post(`/clienten/${client}/beeindigen`).type("form").send({ ended_on: "2026-11-30", _csrf: endToken }),
    ]);

    expect(ended.status).to.equal(303);
    expect([303, 422]).to.include(booked.status);
    expect((await ctx.db("clients").where({ id: client }).first()).ended_on).to.equal("2026-11-30");
    for (const s of await ctx.db("schedules").where({ client_id: client })) {
      expect(s.valid_until, "a schedule of an ended client").to.not.equal(null);
      expect(s.valid_until <= "2026-11-30").to.equal(true);
    }
  });
});
