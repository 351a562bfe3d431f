import { expect } from "chai";
import type { Actor } from "../../src/auth/types";
import { ValidationError } from "../../src/domain/errors";
import { checkBooking, type ScheduleInput } from "../../src/planning/booking-check";
import { insertSchedule, lockLocation } from "../../src/planning/schedule-repository";
import { bookSchedule } from "../../src/planning/schedule-service";
import { startTestApp, type TestContext } from "../support/app";
import { makeClient, makeLocation, planningWorld, setPlaces } from "../support/planning-fixtures";

// bookSchedule checks and writes in one transaction. With SQLite's single connection the two
// transactions below run one after the other, so the second sees the first one's schedule.
// The control case shows why that matters: check and write in two transactions, the same
// two bookings interleave (both check, then both write) and the location ends up overbooked —
// so the first test would fail if bookSchedule ever checked outside its transaction.

describe("bookSchedule under concurrency (real SQLite)", () => {
  let ctx: TestContext;
  let actor: Actor;
  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
    actor = { userId: ctx.world.users.coordinator.id, name: "Coördinator", role: "coordinator", organisationId: null };
  });
  after(async () => ctx.close());

  async function lastPlace() {
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
    await setPlaces(ctx.db, location, 4, "middag", 1);
    const input = (client: number): ScheduleInput => ({
      client_id: client,
      location_id: location,
      funding: "eigen",
      allocation_id: null,
      contract_id: null,
      product_id: null,
      valid_from: "2026-11-26",
      valid_until: "2026-12-31",
      week_parity: "elke",
      slots: [{ weekday: 4, dagdeel: "middag" }],
      overbook: false,
      overbook_reason: null,
    });
    return { location, a: input(await makeClient(ctx.db, "A")), b: input(await makeClient(ctx.db, "B")) };
  }

  it("two bookings of the last place at once: exactly one succeeds", async () => {
    const { location, a, b } = await lastPlace();
    const results = await Promise.allSettled([bookSchedule(ctx.db, ctx.clock, actor, a), bookSchedule(ctx.db, ctx.clock, actor, b)]);
    expect(results.filter((r) => r.status === "fulfilled")).to.have.length(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).to.be.instanceOf(ValidationError);
    expect(rejected.reason.fields).to.have.property("full");
    expect(await ctx.db("schedules").where({ location_id: location })).to.have.length(1);
  });

  it("control: checking and writing in separate transactions lets both through", async () => {
    const { location, a, b } = await lastPlace();
    async function naiveBook(input: ScheduleInput) {
      const loc = (await lockLocation(ctx.db, location))!;
      const checked = await ctx.db.transaction((trx) => checkBooking(trx, input, loc));
      if (checked.violations.length > 0) throw new Error("refused");
      const at = "2026-11-23T09:00:00.000Z";
      const row = {
        client_id: input.client_id, location_id: input.location_id, funding: input.funding, allocation_id: null, contract_id: null, product_id: null,
        valid_from: input.valid_from, valid_until: input.valid_until, week_parity: input.week_parity, created_by: null, created_at: at, updated_at: at,
      };
      await ctx.db.transaction((trx) => insertSchedule(trx, row, input.slots));
    }
    const results = await Promise.allSettled([naiveBook(a), naiveBook(b)]);
    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "fulfilled"]);
    expect(await ctx.db("schedules").where({ location_id: location })).to.have.length(2);
  });
});
