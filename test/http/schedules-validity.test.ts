import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeClient, makeLocation, makeSchedule, planningWorld, postPlanning, scheduleForm, setCapacity } from "../support/planning-fixtures";

// The rules over a schedule's whole validity (issue 12.3), the weekend and every other week
// across 2026's week 53 (issue 15.5), over HTTP. Today is Monday 23 November 2026 (week 48).

describe("HTTP: bookings checked over their whole validity; weekends; every other week across week 53", () => {
  let ctx: TestContext;
  let coordinator: Agent;

  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  const schedulesOf = (client: number) => ctx.db("schedules").where({ client_id: client }).orderBy("id");
  const book = (client: number, location: number, f: { slots: string[]; from: string; until?: string; parity?: string }) =>
    postPlanning(coordinator, "/roosters", scheduleForm({ client, location, funding: "eigen", ...f }));

  async function onePlaceMondayMorning(): Promise<number> {
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
    await setCapacity(ctx.db, location, 1, [{ weekday: 1, dagdeel: "ochtend" }]);
    return location;
  }

  describe("no double booking, whatever the distance", () => {
    it("Mondays from January 2027 while the client already has Mondays from December 2027 elsewhere: refused, naming the first clash", async () => {
      const client = await makeClient(ctx.db, "Ver");
      await makeSchedule(ctx.db, { client, location: ctx.world.locationB, slots: [[1, "ochtend"]], from: "2027-12-06", until: null });
      const res = await book(client, ctx.world.locationA, { slots: ["1-ochtend"], from: "2027-01-04" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("De cliënt staat dan al ingeroosterd, voor het eerst op ma 6-12-2027 ochtend (Dorpshuis B).");
      expect(await schedulesOf(client)).to.have.length(1);
    });

    it("the other way round too, and decades apart: a schedule to 2099 meets one starting in 2090", async () => {
      const client = await makeClient(ctx.db, "Lang");
      expect((await book(client, ctx.world.locationA, { slots: ["3-middag"], from: "2026-11-25", until: "2099-12-31" })).status).to.equal(303);
      const res = await book(client, ctx.world.locationB, { slots: ["3-middag"], from: "2090-01-04" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("voor het eerst op wo 4-1-2090 middag (Boerderij A)");
    });

    it("every other week in step clashes, out of step does not — counted from each schedule's start week", async () => {
      const client = await makeClient(ctx.db, "Om");
      // Week 49 (2026-11-30) onwards every other Monday: weeks 49, 51, 53, 2027 week 2, …
      expect((await book(client, ctx.world.locationA, { slots: ["1-middag"], from: "2026-11-30", parity: "oneven" })).status).to.equal(303);
      // From 2027-01-04 (week 1, odd) in its own week: a week after week 53, so out of step: fine.
      expect((await book(client, ctx.world.locationB, { slots: ["1-middag"], from: "2027-01-04", parity: "oneven" })).status).to.equal(303);
      // From 2027-01-11 (week 2, even) in its own week: in step with weeks 49, 51, 53, 2 …: refused.
      const res = await book(client, ctx.world.locationB, { slots: ["1-middag"], from: "2027-01-11", parity: "even" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("voor het eerst op ma 11-1-2027 middag (Boerderij A)");
    });
  });

  describe("capacity over every date the new schedule shares with those already there", () => {
    it("a one-place dagdeel booked from July 2027, then open-ended from December 2027: the second is refused", async () => {
      const location = await onePlaceMondayMorning();
      const july = await makeClient(ctx.db, "Juli");
      const december = await makeClient(ctx.db, "December");
      expect((await book(july, location, { slots: ["1-ochtend"], from: "2027-07-05" })).status).to.equal(303);
      const res = await book(december, location, { slots: ["1-ochtend"], from: "2027-12-06" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Geen plaats meer op ma 6-12-2027 ochtend en daarna elke week (vol: 1 van 1).");
      expect(await schedulesOf(december)).to.have.length(0);
    });

    it("and in the other order: open-ended from December 2027 first, then from January 2027 (48 weeks earlier)", async () => {
      const location = await onePlaceMondayMorning();
      const first = await makeClient(ctx.db, "Eerst");
      const second = await makeClient(ctx.db, "Daarna");
      expect((await book(first, location, { slots: ["1-ochtend"], from: "2027-12-06" })).status).to.equal(303);
      const res = await book(second, location, { slots: ["1-ochtend"], from: "2027-01-04" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Geen plaats meer op ma 6-12-2027 ochtend en daarna elke week (vol: 1 van 1).");
      // Up to the day before it is free: a schedule that ends then fits.
      expect((await book(second, location, { slots: ["1-ochtend"], from: "2027-01-04", until: "2027-12-05" })).status).to.equal(303);
    });

    it("two fortnightly schedules out of step share one place; a third in step with either is refused", async () => {
      const location = await onePlaceMondayMorning();
      const [a, b, c] = [await makeClient(ctx.db, "A"), await makeClient(ctx.db, "B"), await makeClient(ctx.db, "C")];
      expect((await book(a, location, { slots: ["1-ochtend"], from: "2026-11-30", parity: "oneven" })).status).to.equal(303);
      expect((await book(b, location, { slots: ["1-ochtend"], from: "2026-12-07", parity: "even" })).status).to.equal(303);
      const res = await book(c, location, { slots: ["1-ochtend"], from: "2027-03-01", parity: "oneven" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Geen plaats meer op ma 1-3-2027 ochtend en daarna om de week (vol: 1 van 1).");
    });

    it("a schedule running to 2100 is checked at once, and its pages open", async () => {
      const location = await onePlaceMondayMorning();
      const client = await makeClient(ctx.db, "Eeuw");
      const res = await book(client, location, { slots: ["1-ochtend"], from: "2026-11-30", until: "2100-12-31" });
      expect(res.status).to.equal(303);
      for (const page of [res.headers.location, `/clienten/${client}`, `/planning/locaties/${location}?week=2100-W52`]) {
        expect((await coordinator.get(page)).status, page).to.equal(200);
      }
    });

    it("a date outside 2000–2100 is refused with a message next to the field, the input kept", async () => {
      const client = await makeClient(ctx.db, "Fout");
      for (const [field, value] of [["valid_until", "9999-12-31"], ["valid_from", "0202-01-01"]] as const) {
        const res = await book(client, ctx.world.locationA, { slots: ["2-ochtend"], from: field === "valid_from" ? value : "2026-11-24", until: field === "valid_until" ? value : undefined });
        expect(res.status, field).to.equal(422);
        expect(res.text).to.contain("Kies een datum tussen 1-1-2000 en 31-12-2100.");
        expect(res.text).to.contain(`value="${value}"`);
      }
      expect(await schedulesOf(client)).to.have.length(0);
    });
  });

  describe("weekends", () => {
    it("Saturday is bookable where the location has places then, and refused where it is not open", async () => {
      const weekend = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setCapacity(ctx.db, weekend, 3, [{ weekday: 6, dagdeel: "ochtend" }, { weekday: 7, dagdeel: "middag" }]);
      const client = await makeClient(ctx.db, "Zaterdag");
      const form = await coordinator.get(`/roosters/nieuw?client=${client}`);
      expect(form.text).to.contain('value="6-ochtend"');
      expect(form.text).to.contain('value="7-middag"');
      expect(form.text).to.contain("zaterdag");
      expect((await book(client, weekend, { slots: ["6-ochtend", "7-middag"], from: "2026-11-28" })).status).to.equal(303);
      const [schedule] = await schedulesOf(client);
      const page = await coordinator.get(`/roosters/${schedule.id}`);
      expect(page.text).to.contain("zaterdag");
      expect(page.text).to.contain("zondag");
      const elsewhere = await book(await makeClient(ctx.db, "Nergens"), ctx.world.locationA, { slots: ["6-ochtend"], from: "2026-11-28" });
      expect(elsewhere.status).to.equal(422);
      expect(elsewhere.text).to.contain("De locatie is niet open op za 28-11-2026 ochtend en daarna elke week.");
    });

    it("a slot that is no day of the week is refused (422) with a message", async () => {
      const res = await book(await makeClient(ctx.db, "Acht"), ctx.world.locationA, { slots: ["8-ochtend"], from: "2026-11-24" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('class="field-error"');
    });
  });

  describe("every other week, counted from the start week", () => {
    it("the form names the start weeks for its first day: this week or the next (53 → 1 at the turn of 2026)", async () => {
      const client = await makeClient(ctx.db, "Week");
      const form = await coordinator.get(`/roosters/nieuw?client=${client}`);
      expect(form.text).to.contain("Om de week, te beginnen in week 48");
      expect(form.text).to.contain("Om de week, te beginnen in week 49");
      // A refused form keeps the first day and names its weeks: 29-12-2026 is in week 53.
      const refused = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, funding: "eigen", slots: [], from: "2026-12-29", parity: "even" }));
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain("Om de week, te beginnen in week 53");
      expect(refused.text).to.contain("Om de week, te beginnen in week 1");
      expect(refused.text).to.match(/value="even" data-start="next" checked/);
    });

    it("runs in 2026 weeks 51 and 53, then 2027 week 2 — not in week 1 — on the board and the schedule's page", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      const client = await makeClient(ctx.db, "Tweewekelijks", "Jansen");
      const res = await book(client, location, { slots: ["1-ochtend"], from: "2026-12-14", parity: "oneven" });
      expect(res.status).to.equal(303);
      const page = await coordinator.get(res.headers.location);
      expect(page.text).to.contain("om de week, te beginnen in week 51");
      const onBoard = async (week: string) => (await coordinator.get(`/planning/locaties/${location}?week=${week}`)).text.includes("Jansen");
      expect(await onBoard("2026-W51")).to.equal(true);
      expect(await onBoard("2026-W52")).to.equal(false);
      expect(await onBoard("2026-W53")).to.equal(true);
      expect(await onBoard("2027-W01")).to.equal(false);
      expect(await onBoard("2027-W02")).to.equal(true);
    });
  });

  it("a provider may not book (403), and another provider's location is not a choice for it either", async () => {
    const provider = await loginAs(ctx.app, ctx.world.users.providerA.email);
    const res = await postPlanning(provider, "/roosters", scheduleForm({ client: await makeClient(ctx.db, "Nee"), location: ctx.world.locationA, funding: "eigen", slots: ["1-ochtend"] }));
    expect(res.status).to.equal(403);
  });
});
