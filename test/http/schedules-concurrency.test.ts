import { expect } from "chai";
import { csrfToken, loginAs, startTestApp, type TestContext } from "../support/app";
import { encodeForm, makeClient, makeLocation, makeSchedule, planningWorld, scheduleForm, setPlaces } from "../support/planning-fixtures";

describe("HTTP: two coordinators book the last place at the same moment", () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
  });
  after(async () => ctx.close());

  it("exactly one booking succeeds, the other gets 422 naming the full dagdeel", async () => {
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
    await setPlaces(ctx.db, location, 2, "ochtend", 2);
    const already = await makeClient(ctx.db, "Al");
    await makeSchedule(ctx.db, { client: already, location, slots: [[2, "ochtend"]], from: "2026-11-03", until: null });
    const [first, second] = [await makeClient(ctx.db, "Eerste"), await makeClient(ctx.db, "Tweede")];

    // Two coordinators, each in their own session with their own form open.
    const agents = [await loginAs(ctx.app, ctx.world.users.coordinator.email), await loginAs(ctx.app, ctx.world.users.coordinator.email)];
    const tokens = [await csrfToken(agents[0], "/"), await csrfToken(agents[1], "/")];
    const body = (client: number, i: number) =>
      encodeForm({ ...scheduleForm({ client, location, funding: "eigen", slots: ["2-ochtend"], from: "2026-11-24", until: "2026-12-31" }), _csrf: tokens[i] });

    const responses = await Promise.all([
      agents[0].post("/roosters").type("form").send(body(first, 0)),
      agents[1].post("/roosters").type("form").send(body(second, 1)),
    ]);
    expect(responses.map((r) => r.status).sort()).to.deep.equal([303, 422]);
    const refused = responses.find((r) => r.status === 422)!;
    expect(refused.text).to.contain("Geen plaats meer op di 24-11-2026 ochtend, elke week tot en met 29-12-2026 (vol: 2 van 2).");
    const booked = await ctx.db("schedules").where({ location_id: location }).whereIn("client_id", [first, second]);
    expect(booked).to.have.length(1);
  });
});
