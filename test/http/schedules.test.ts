import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import {
  makeAllocation,
  makeClient,
  makeClosure,
  makeLocation,
  makeSchedule,
  planningWorld,
  postPlanning,
  scheduleForm,
  setPlaces,
  type PlanningWorld,
} from "../support/planning-fixtures";

// Today is Monday 23 November 2026 (ISO week 48): Tuesday 24-11, Thursday 26-11, Tuesday 1-12 …

describe("HTTP: schedules (roosters) and the booking rules", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  const schedulesOf = (client: number) => ctx.db("schedules").where({ client_id: client }).orderBy("id");

  async function clientWithAllocation(a: { volume?: number; frequency?: "week" | "maand" | "totaal"; from?: string; until?: string | null; purchaser?: number } = {}) {
    const client = await makeClient(ctx.db, "Anna");
    const allocation = await makeAllocation(ctx.db, {
      client,
      purchaser: a.purchaser ?? ctx.world.gemeente,
      provider: ctx.world.providerA,
      product: pw.basis,
      volume: a.volume ?? 4,
      frequency: a.frequency,
      from: a.from,
      until: a.until,
    });
    return { client, allocation };
  }

  describe("creating a schedule", () => {
    it("books a client under an allocation, with its slots and an audit entry", async () => {
      const { client, allocation } = await clientWithAllocation();
      const form = await coordinator.get(`/roosters/nieuw?client=${client}`);
      expect(form.status).to.equal(200);
      expect(form.text).to.contain("Nieuw rooster");
      // Exactly one running allocation: it is chosen already.
      expect(form.text).to.match(new RegExp(`<option value="${allocation}" selected>`));

      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend", "4-middag"] }));
      expect(res.status).to.equal(303);
      const [schedule] = await schedulesOf(client);
      expect(res.headers.location).to.equal(`/roosters/${schedule.id}`);
      expect(schedule).to.include({ location_id: ctx.world.locationA, funding: "toewijzing", allocation_id: allocation, product_id: pw.basis, valid_from: "2026-11-24", valid_until: null, week_parity: "elke" });
      // The contract that covers the first day is kept with the schedule.
      expect(schedule.contract_id).to.equal(ctx.world.contractA);
      const slots = await ctx.db("schedule_slots").where({ schedule_id: schedule.id }).orderBy("weekday").select("weekday", "dagdeel");
      expect(slots).to.deep.equal([{ weekday: 2, dagdeel: "ochtend" }, { weekday: 4, dagdeel: "middag" }]);
      const audit = await ctx.db("audit_log").where({ entity: "schedule", entity_id: schedule.id, action: "create" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.coordinator.id);
      expect(JSON.parse(audit.details)).to.include({ client_id: client, allocation_id: allocation });

      const page = await coordinator.get(`/roosters/${schedule.id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("Het rooster is opgeslagen.");
      expect(page.text).to.contain("dinsdag ochtend");
      expect(page.text).to.contain("dinsdag 24 november 2026");
    });

    it("books subsidy clients under the provider's contract, taking its one product", async () => {
      const client = await makeClient(ctx.db, "Sub");
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, funding: "subsidie", contract: ctx.world.contractA, slots: ["5-ochtend"], until: "2026-12-31" }));
      expect(res.status).to.equal(303);
      const [schedule] = await schedulesOf(client);
      expect(schedule).to.include({ funding: "subsidie", contract_id: ctx.world.contractA, product_id: pw.basis, allocation_id: null });
    });

    it("books self-pay without a contract", async () => {
      const client = await makeClient(ctx.db, "Eigen");
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, funding: "eigen", slots: ["5-middag"] }));
      expect(res.status).to.equal(303);
      expect((await schedulesOf(client))[0]).to.include({ funding: "eigen", contract_id: null, allocation_id: null });
    });

    it("asks first for the client when none is given, and answers an unknown client with 404", async () => {
      const pick = await coordinator.get("/roosters/nieuw");
      expect(pick.status).to.equal(200);
      expect(pick.text).to.contain('name="client"');
      expect((await coordinator.get("/roosters/nieuw?client=999999")).status).to.equal(404);
      expect((await coordinator.get("/roosters/nieuw?client=abc")).status).to.equal(404);
    });
  });

  describe("each rule refuses with 422 and names what is wrong", () => {
    it("capacity: names the full dagdelen and dates, offers the waiting list, saves nothing", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setPlaces(ctx.db, location, 3, "ochtend", 1); // Wednesday morning: 1 place
      const other = await makeClient(ctx.db, "Bezet");
      await makeSchedule(ctx.db, { client: other, location, slots: [[3, "ochtend"]], from: "2026-11-02", until: "2026-12-02" });
      const { client, allocation } = await clientWithAllocation();
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location, allocation, slots: ["3-ochtend", "3-middag"], until: "2026-12-31" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Geen plaats meer op wo 25-11-2026 ochtend, elke week tot en met 2-12-2026 (vol: 1 van 1).");
      expect(res.text).to.not.contain("9-12-2026");
      expect(res.text).to.contain("Op de wachtlijst zetten");
      const html = res.text.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");
      expect(html).to.contain(`/wachtlijst/nieuw?client=${client}&locatie=${location}&dagdelen=3-ochtend&dagdelen=3-middag`);
      // The form is kept.
      expect(res.text).to.match(/value="3-ochtend" checked/);
      expect(res.text).to.match(/value="3-middag" checked/);
      expect(res.text).to.contain('value="2026-12-31"');
      expect(await schedulesOf(client)).to.have.length(0);
    });

    it("capacity: names the dagdelen in the reader's language", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setPlaces(ctx.db, location, 3, "ochtend", 1);
      await makeSchedule(ctx.db, { client: await makeClient(ctx.db, "Bezet"), location, slots: [[3, "ochtend"]], from: "2026-11-02", until: null });
      const { client, allocation } = await clientWithAllocation();
      const english = await loginAs(ctx.app, ctx.world.users.coordinator.email);
      await english.get("/?lang=en");
      const res = await postPlanning(english, "/roosters", scheduleForm({ client, location, allocation, slots: ["3-ochtend"], until: "2026-12-09" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("No place left on Wed 25 Nov 2026 morning, every week up to and including 9 Dec 2026 (full: 1 of 1).");
      expect(res.text).to.contain("Put on the waiting list");
    });

    it("capacity: a closed date is not counted as full", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setPlaces(ctx.db, location, 1, "middag", 1); // Monday afternoon: 1 place
      const other = await makeClient(ctx.db, "Eendaags");
      await makeSchedule(ctx.db, { client: other, location, slots: [[1, "middag"]], from: "2026-12-07", until: "2026-12-07" });
      const { client, allocation } = await clientWithAllocation();
      const body = scheduleForm({ client, location, allocation, slots: ["1-middag"], from: "2026-11-30", until: "2026-12-31" });
      const refused = await postPlanning(coordinator, "/roosters", body);
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain("Geen plaats meer op ma 7-12-2026 middag (vol: 1 van 1).");
      await makeClosure(ctx.db, { provider: ctx.world.providerA, location, from: "2026-12-07", dagdeel: "middag", reason: "Sinterklaasmiddag" });
      const booked = await postPlanning(coordinator, "/roosters", body);
      expect(booked.status).to.equal(303);
      expect(await schedulesOf(client)).to.have.length(1);
    });

    it("no double booking: the client is already somewhere else on that dagdeel", async () => {
      const { client, allocation } = await clientWithAllocation();
      await makeSchedule(ctx.db, { client, location: ctx.world.locationB, slots: [[2, "middag"]], from: "2026-12-01", until: null, funding: "eigen" });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-middag", "4-ochtend"] }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("De cliënt staat dan al ingeroosterd, voor het eerst op di 1-12-2026 middag (Dorpshuis B).");
      expect(res.text).to.not.contain("24-11-2026 middag (Dorpshuis B)");
      expect(await schedulesOf(client)).to.have.length(1);
    });

    it("within the allocation: per week, counting the client's other schedules on it", async () => {
      const { client, allocation } = await clientWithAllocation({ volume: 2 });
      await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[1, "ochtend"]], from: "2026-11-02", until: null, allocation });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend", "2-middag"], from: "2026-12-01" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Meer dan de toewijzing van 2 dagdelen per week: week 49 (2026): 3, week 50 (2026): 3");
      // Two slots alone fit next to it? No: 1 + 2 = 3. One slot does.
      const ok = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"], from: "2026-12-01" }));
      expect(ok.status).to.equal(303);
    });

    it("within the allocation: per calendar month", async () => {
      const { client, allocation } = await clientWithAllocation({ volume: 8, frequency: "maand" });
      // Tuesdays and Thursdays in December 2026: 1, 3, 8, 10, 15, 17, 22, 24, 29, 31 = 10 > 8.
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-middag", "4-middag"], from: "2026-12-01", until: "2026-12-31" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Meer dan de toewijzing van 8 dagdelen per maand: december 2026: 10");
    });

    it("within the allocation: in total over its period", async () => {
      const { client, allocation } = await clientWithAllocation({ volume: 6, frequency: "totaal", from: "2026-11-01", until: "2026-12-31" });
      // Already planned: Mondays 2-11 … 23-11 (4 dagdelen) under the same allocation.
      await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[1, "ochtend"]], from: "2026-11-02", until: "2026-11-23", allocation });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["5-ochtend"], from: "2026-11-27", until: "2026-12-31" }));
      expect(res.status).to.equal(422);
      // 4 Mondays + Fridays 27-11 … 25-12 (5) = 9.
      expect(res.text).to.contain("Meer dan de toewijzing van 6 dagdelen in totaal: 9 gepland.");
      const ok = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["5-ochtend"], from: "2026-11-27", until: "2026-12-04" }));
      expect(ok.status).to.equal(303);
    });

    it("within the allocation's period: an open end past the allocation's end is refused", async () => {
      const { client, allocation } = await clientWithAllocation({ until: "2026-12-31" });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"] }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("De toewijzing loopt van 1-1-2026 tot en met 31-12-2026; het rooster moet daarbinnen vallen");
      const early = await clientWithAllocation({ from: "2026-12-01" });
      const before = await postPlanning(coordinator, "/roosters", scheduleForm({ client: early.client, location: ctx.world.locationA, allocation: early.allocation, slots: ["2-ochtend"] }));
      expect(before.status).to.equal(422);
      expect(before.text).to.contain("De toewijzing loopt vanaf 1-12-2026");
    });

    it("within a contract: no active contract between the provider and the allocation's purchaser", async () => {
      const { client, allocation } = await clientWithAllocation({ purchaser: ctx.world.zorgkantoor });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"], until: "2026-12-31" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Geen actief contract met VGZ Zorgkantoor Noord- en Midden-Limburg voor Dagbesteding basis van 24-11-2026 tot en met 31-12-2026.");
    });

    it("within a contract: a gap in the contract's lines is named", async () => {
      await ctx.db("contracts").where({ id: pw.contractA2027 }).update({ status: "concept" });
      try {
        const { client, allocation } = await clientWithAllocation();
        const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"], until: "2027-03-31" }));
        expect(res.status).to.equal(422);
        expect(res.text).to.contain("voor Dagbesteding basis van 1-1-2027 tot en met 31-3-2027");
        // Open-ended, the same schedule is booked: the contract's end is a signal, not a refusal.
        const open = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"] }));
        expect(open.status).to.equal(303);
      } finally {
        await ctx.db("contracts").where({ id: pw.contractA2027 }).update({ status: "actief" });
      }
    });

    it("an allocation of another provider, and subsidy without a contract, are refused", async () => {
      const client = await makeClient(ctx.db, "Elders");
      const allocation = await makeAllocation(ctx.db, { client, purchaser: ctx.world.zorgkantoor, provider: ctx.world.providerB, product: pw.basis, volume: 4 });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"] }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Deze toewijzing is voor Dorpsdagvoorziening B");
      const sub = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, funding: "subsidie", slots: ["2-ochtend"] }));
      expect(sub.status).to.equal(422);
      expect(sub.text).to.contain("Kies het subsidie- of inkoopcontract");
      const foreign = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, funding: "subsidie", contract: ctx.world.contractZorgkantoorB, slots: ["2-ochtend"] }));
      expect(foreign.status).to.equal(422);
      expect(foreign.text).to.contain("Dit contract is van een andere aanbieder");
      expect(await schedulesOf(client)).to.have.length(0);
    });

    it("collects every violation at once", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setPlaces(ctx.db, location, 3, "middag", 0); // Wednesday afternoon: not open
      const { client, allocation } = await clientWithAllocation({ volume: 1, until: "2026-12-31" });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location, allocation, slots: ["3-middag", "5-middag"] }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("De locatie is niet open op wo 25-11-2026 middag en daarna elke week.");
      expect(res.text).to.contain("Meer dan de toewijzing van 1 dagdeel per week");
      expect(res.text).to.contain("De toewijzing loopt van 1-1-2026 tot en met 31-12-2026");
    });
  });

  describe("overbooking", () => {
    let client: number;
    let allocation: number;
    let location: number;
    before(async () => {
      location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setPlaces(ctx.db, location, 1, "ochtend", 1); // Monday morning: 1 place, taken
      const other = await makeClient(ctx.db, "Vol");
      await makeSchedule(ctx.db, { client: other, location, slots: [[1, "ochtend"]], from: "2026-11-02", until: null });
      ({ client, allocation } = await clientWithAllocation());
    });

    it("without a written reason: 422, nothing saved", async () => {
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location, allocation, slots: ["1-ochtend"], from: "2026-11-30", until: "2026-12-14", overbook: true, reason: "  " }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Schrijf op waarom u overboekt.");
      expect(await schedulesOf(client)).to.have.length(0);
    });

    it("by a coordinator with a reason: saved, and the reason is in the audit log and on the page", async () => {
      const reason = "Tijdelijk extra begeleider aanwezig";
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location, allocation, slots: ["1-ochtend"], from: "2026-11-30", until: "2026-12-14", overbook: true, reason }));
      expect(res.status).to.equal(303);
      const [schedule] = await schedulesOf(client);
      const audit = await ctx.db("audit_log").where({ entity: "schedule", entity_id: schedule.id, action: "create" }).first();
      const details = JSON.parse(audit.details);
      expect(details.overbook.reason).to.equal(reason);
      expect(details.overbook.dagdelen).to.deep.equal(["ma 30-11-2026 ochtend, elke week tot en met 14-12-2026 (vol: 2 van 1)"]);
      const page = await coordinator.get(`/roosters/${schedule.id}`);
      expect(page.text).to.contain("overboekt op ma 30-11-2026 ochtend, elke week tot en met 14-12-2026 (vol: 2 van 1)");
      expect(page.text).to.contain(reason);
    });

    it("never past another rule", async () => {
      const { client: c2, allocation: a2 } = await clientWithAllocation({ volume: 1, until: "2026-12-31" });
      const res = await postPlanning(coordinator, "/roosters", scheduleForm({ client: c2, location, allocation: a2, slots: ["1-ochtend", "2-ochtend"], until: "2026-12-31", overbook: true, reason: "Moet kunnen" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Meer dan de toewijzing van 1 dagdeel per week");
      expect(res.text).to.not.contain("Geen plaats meer");
      expect(await schedulesOf(c2)).to.have.length(0);
    });
  });

  describe("roles, foreign ids and bad input", () => {
    it("a provider may not plan (403) but reads the schedules of its own locations only", async () => {
      const { client, allocation } = await clientWithAllocation();
      const own = await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[2, "ochtend"]], allocation });
      const foreignClient = await makeClient(ctx.db, "Ander");
      const foreign = await makeSchedule(ctx.db, { client: foreignClient, location: ctx.world.locationB, slots: [[2, "ochtend"]] });
      const provider = await loginAs(ctx.app, ctx.world.users.providerA.email);
      const post = await postPlanning(provider, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["3-ochtend"] }));
      expect(post.status).to.equal(403);
      expect((await provider.get(`/roosters/nieuw?client=${client}`)).status).to.equal(403);
      expect((await postPlanning(provider, `/roosters/${own}/beeindigen`, { valid_until: "2026-12-01" })).status).to.equal(403);
      const page = await provider.get(`/roosters/${own}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.not.contain("/wijzigen");
      expect((await provider.get(`/roosters/${foreign}`)).status).to.equal(404);
      expect(await schedulesOf(client)).to.have.length(1);
    });

    it("purchasers and admins have no planning (403)", async () => {
      for (const who of ["purchaser", "admin"] as const) {
        const agent = await loginAs(ctx.app, ctx.world.users[who].email);
        for (const url of ["/planning", "/wachtlijst", "/signalen", "/roosters/nieuw"]) expect((await agent.get(url)).status, `${who} ${url}`).to.equal(403);
      }
    });

    it("unknown ids answer 404", async () => {
      const { client, allocation } = await clientWithAllocation();
      expect((await coordinator.get("/roosters/999999")).status).to.equal(404);
      expect((await coordinator.get("/roosters/abc")).status).to.equal(404);
      expect((await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: 999999, allocation, slots: ["2-ochtend"] }))).status).to.equal(404);
      expect((await postPlanning(coordinator, "/roosters", scheduleForm({ client: 999999, location: ctx.world.locationA, allocation, slots: ["2-ochtend"] }))).status).to.equal(404);
      expect((await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation: 999999, slots: ["2-ochtend"] }))).status).to.equal(404);
      expect((await postPlanning(coordinator, "/roosters/999999/wijzigen", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"] }))).status).to.equal(404);
      expect(await schedulesOf(client)).to.have.length(0);
    });

    it("bad input: 422 with a message per field, the input kept, nothing saved", async () => {
      const { client, allocation } = await clientWithAllocation();
      const res = await postPlanning(coordinator, "/roosters", { ...scheduleForm({ client, location: ctx.world.locationA, allocation, slots: [] }), valid_from: "2026-02-30", week_parity: "soms", valid_until: "morgen" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Kies minstens één dagdeel.");
      expect(res.text).to.contain("Vul een bestaande datum in");
      expect(res.text).to.contain('value="2026-02-30"');
      expect(res.text).to.contain('value="morgen"');
      const past = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"], from: "2026-11-20" }));
      expect(past.status).to.equal(422);
      expect(past.text).to.contain("Plannen kan vanaf vandaag");
      const reversed = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-ochtend"], from: "2026-12-10", until: "2026-12-01" }));
      expect(reversed.status).to.equal(422);
      expect(reversed.text).to.contain("De einddatum ligt vóór de begindatum.");
      const noAllocation = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: ctx.world.locationA, slots: ["2-ochtend"] }));
      expect(noAllocation.status).to.equal(422);
      expect(noAllocation.text).to.contain("Kies de toewijzing");
      expect(await schedulesOf(client)).to.have.length(0);
    });
  });

  describe("change from a date, and ending", () => {
    it("ends the old schedule the day before and starts the new one: the past stays intact", async () => {
      const { client, allocation } = await clientWithAllocation();
      const old = await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[2, "ochtend"], [4, "ochtend"]], from: "2026-11-03", until: null, allocation });
      await ctx.db("attendance").insert({ client_id: client, location_id: ctx.world.locationA, date: "2026-11-17", dagdeel: "ochtend", status: "aanwezig", recorded_at: "2026-11-17T12:00:00.000Z", created_at: "2026-11-17T12:00:00.000Z", updated_at: "2026-11-17T12:00:00.000Z" });
      const form = await coordinator.get(`/roosters/${old}/wijzigen`);
      expect(form.status).to.equal(200);
      expect(form.text).to.contain("Wijzigen met ingang van");
      expect(form.text).to.contain('value="2026-11-23"');

      const res = await postPlanning(coordinator, `/roosters/${old}/wijzigen`, scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["2-middag", "4-middag"], from: "2026-12-07" }));
      expect(res.status).to.equal(303);
      const [before, after] = await schedulesOf(client);
      expect(before).to.include({ id: old, valid_from: "2026-11-03", valid_until: "2026-12-06" });
      expect(await ctx.db("schedule_slots").where({ schedule_id: old }).orderBy("weekday").select("weekday", "dagdeel")).to.deep.equal([
        { weekday: 2, dagdeel: "ochtend" },
        { weekday: 4, dagdeel: "ochtend" },
      ]);
      expect(after).to.include({ valid_from: "2026-12-07", valid_until: null, allocation_id: allocation });
      expect(res.headers.location).to.equal(`/roosters/${after.id}`);
      expect(await ctx.db("attendance").where({ client_id: client })).to.have.length(1);
      const audit = await ctx.db("audit_log").where({ entity: "schedule", entity_id: old, action: "reschedule" }).first();
      expect(JSON.parse(audit.details)).to.include({ valid_until: "2026-12-06", continued_as: after.id });
      // The change does not count the client twice (its own old schedule is not "someone else").
      const page = await coordinator.get(`/roosters/${old}`);
      expect(page.text).to.contain("Loopt verder als");
    });

    it("a change from the first day or earlier replaces the schedule in place", async () => {
      const { client, allocation } = await clientWithAllocation();
      const future = await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[5, "ochtend"]], from: "2026-12-14", until: null, allocation });
      const res = await postPlanning(coordinator, `/roosters/${future}/wijzigen`, scheduleForm({ client, location: ctx.world.locationA, allocation, slots: ["5-middag"], from: "2026-12-07" }));
      expect(res.status).to.equal(303);
      const all = await schedulesOf(client);
      expect(all).to.have.length(1);
      expect(all[0]).to.include({ id: future, valid_from: "2026-12-07" });
      expect(await ctx.db("schedule_slots").where({ schedule_id: future }).select("weekday", "dagdeel")).to.deep.equal([{ weekday: 5, dagdeel: "middag" }]);
      expect(await ctx.db("audit_log").where({ entity: "schedule", entity_id: future, action: "update" }).first()).to.not.equal(undefined);
    });

    it("a change is checked like a booking: a full dagdeel refuses it and keeps the old schedule", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setPlaces(ctx.db, location, 5, "ochtend", 1);
      const other = await makeClient(ctx.db, "Vrijdag");
      await makeSchedule(ctx.db, { client: other, location, slots: [[5, "ochtend"]], from: "2026-11-02", until: null, funding: "eigen" });
      const { client, allocation } = await clientWithAllocation();
      const old = await makeSchedule(ctx.db, { client, location, slots: [[2, "middag"]], from: "2026-11-03", until: null, allocation });
      const res = await postPlanning(coordinator, `/roosters/${old}/wijzigen`, scheduleForm({ client, location, allocation, slots: ["5-ochtend"], from: "2026-12-07" }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("vr 11-12-2026 ochtend en daarna elke week (vol: 1 van 1)");
      const all = await schedulesOf(client);
      expect(all).to.have.length(1);
      expect(all[0].valid_until).to.equal(null);
    });

    it("ends a schedule; not before yesterday, and only earlier than it runs", async () => {
      const { client, allocation } = await clientWithAllocation();
      const id = await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[3, "ochtend"]], from: "2026-11-04", until: null, allocation });
      const tooEarly = await postPlanning(coordinator, `/roosters/${id}/beeindigen`, { valid_until: "2026-11-10" });
      expect(tooEarly.status).to.equal(422);
      expect(tooEarly.text).to.contain("op zijn vroegst gisteren");
      const bad = await postPlanning(coordinator, `/roosters/${id}/beeindigen`, { valid_until: "2026-13-01" });
      expect(bad.status).to.equal(422);
      const ok = await postPlanning(coordinator, `/roosters/${id}/beeindigen`, { valid_until: "2026-12-09" });
      expect(ok.status).to.equal(303);
      expect((await ctx.db("schedules").where({ id }).first()).valid_until).to.equal("2026-12-09");
      expect(await ctx.db("audit_log").where({ entity: "schedule", entity_id: id, action: "end" }).first()).to.not.equal(undefined);
      const longer = await postPlanning(coordinator, `/roosters/${id}/beeindigen`, { valid_until: "2026-12-20" });
      expect(longer.status).to.equal(422);
      expect(longer.text).to.contain("Beëindigen kan alleen eerder");
    });

    it("ending a schedule before its first day cancels it", async () => {
      const { client, allocation } = await clientWithAllocation();
      const id = await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[3, "middag"]], from: "2026-12-16", until: null, allocation });
      const res = await postPlanning(coordinator, `/roosters/${id}/beeindigen`, { valid_until: "2026-12-01" });
      expect(res.status).to.equal(303);
      expect(await ctx.db("schedules").where({ id }).first()).to.equal(undefined);
      expect(await ctx.db("audit_log").where({ entity: "schedule", entity_id: id, action: "cancel" }).first()).to.not.equal(undefined);
    });
  });
});
