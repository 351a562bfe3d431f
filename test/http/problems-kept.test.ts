import { expect } from "chai";
import fc from "fast-check";
import { Scope } from "../../src/auth/scope";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { addDays } from "../../src/domain/dates";
import { computeProblems, problems } from "../../src/planning/problems-service";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeAllocation, makeClient, makeClosure, makeLocation, makeSchedule, makeWaitlistEntry, planningWorld, postPlanning, setCapacity, type PlanningWorld } from "../support/planning-fixtures";

// Issue 11 and 15.3: the problem lists are kept against the data version (src/data-version)
// and computed again after any write that can change them — through the app or behind its back;
// and "over capacity later" is any future date, not the booking horizon's 26 weeks.

const TODAY = "2026-11-23";

/** The capacity form's grid: places on the given weekday × dagdeel cells, the rest closed. */
function grid(cells: Record<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let w = 1; w <= 7; w++) for (const d of ["ochtend", "middag"]) out[`places_${w}_${d}`] = String(cells[`${w}_${d}`] ?? "");
  return out;
}

/** The over-capacity part of the coordinator's home page ("" when there is none). */
function homeSection(html: string): string {
  const at = html.indexOf('id="over-capacity-home"');
  return at < 0 ? "" : html.slice(at, html.indexOf("</ul>", at));
}

/** The count on the home page's over-capacity card. */
function overCapacityCard(html: string): number {
  const m = /<span class="figure">(\d+)<\/span> <a href="\/signalen\/boven-capaciteit">/.exec(html);
  return m ? Number(m[1]) : 0;
}

describe("HTTP: the problem lists kept against the data version (issue 11) and over capacity at any later date (issue 15.3)", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;
  let providerA: Agent;

  before(async () => {
    ctx = await startTestApp({ now: `${TODAY}T10:00:00` });
    pw = await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  it("a capacity cut from 40 weeks on that leaves a dagdeel over capacity shows on /signalen/boven-capaciteit and the home card", async () => {
    const { db, world } = ctx;
    const location = await makeLocation(db, world, world.providerA);
    await setCapacity(db, location, 2, [{ weekday: 1, dagdeel: "ochtend" }]);
    for (const name of ["Eerste", "Tweede"]) await makeSchedule(db, { client: await makeClient(db, name, "Maandagmorgen"), location, slots: [[1, "ochtend"]], from: "2026-11-02" });
    const before = await coordinator.get("/");
    expect(homeSection(before.text)).to.not.contain("Maandagmorgen");
    expect((await coordinator.get("/signalen/boven-capaciteit")).text).to.not.contain("Maandagmorgen");

    // 40 weeks from Monday 23 November 2026: Monday 30 August 2027, far past the booking horizon.
    const cut = addDays(TODAY, 40 * 7);
    expect(cut).to.equal("2027-08-30");
    const url = `/locaties/${location}/capaciteit`;
    expect((await postForm(providerA, url, { ...grid({ "1_ochtend": 1 }), valid_from: cut, confirm: "1" }, url)).status).to.equal(303);

    const list = await coordinator.get("/signalen/boven-capaciteit");
    const body = list.text.slice(list.text.indexOf("<tbody>"), list.text.indexOf("</tbody>"));
    expect(body).to.contain("ma 30-8-2027 ochtend").and.to.contain("Tweede Maandagmorgen").and.to.contain("2/1");
    const home = await coordinator.get("/");
    expect(homeSection(home.text)).to.contain("ma 30-8-2027 ochtend").and.to.contain("Tweede Maandagmorgen");
    expect(overCapacityCard(home.text)).to.equal(overCapacityCard(before.text) + 1);
  });

  it("a write changes the home card at once: a schedule ended through the app, places lowered behind its back", async () => {
    const { db, world } = ctx;
    const location = await makeLocation(db, world, world.providerA);
    await setCapacity(db, location, 1, [{ weekday: 2, dagdeel: "middag" }]);
    await makeSchedule(db, { client: await makeClient(db, "Eerste", "Dinsdagmiddag"), location, slots: [[2, "middag"]], from: "2026-11-03" });
    const second = await makeSchedule(db, { client: await makeClient(db, "Tweede", "Dinsdagmiddag"), location, slots: [[2, "middag"]], from: "2026-11-03" });
    const over = await coordinator.get("/");
    expect(homeSection(over.text)).to.contain("Tweede Dinsdagmiddag");

    // Ended through the app: the home page asked right after no longer names it.
    expect((await postPlanning(coordinator, `/roosters/${second}/beeindigen`, { valid_until: "2026-11-23" })).status).to.equal(303);
    const ended = await coordinator.get("/");
    expect(homeSection(ended.text)).to.not.contain("Dinsdagmiddag");
    expect(overCapacityCard(ended.text)).to.equal(overCapacityCard(over.text) - 1);

    // Written straight into the database (an import, another app process): the triggers raise the version.
    await db("capacity_rules").where({ location_id: location }).update({ places: 0 });
    const lowered = await coordinator.get("/");
    expect(homeSection(lowered.text)).to.contain("Eerste Dinsdagmiddag");
    expect(overCapacityCard(lowered.text)).to.equal(overCapacityCard(ended.text) + 1);
  });

  it("/signalen kept: the version comes with the session's user, no query of its own; a write behind the app's back still shows", async () => {
    const { db, world } = ctx;
    expect((await coordinator.get("/signalen")).status).to.equal(200);
    const sent: string[] = [];
    const listener = (q: { sql: string }) => sent.push(q.sql);
    db.on("query", listener);
    try {
      expect((await coordinator.get("/signalen")).status).to.equal(200);
    } finally {
      db.off("query", listener);
    }
    expect(sent.filter((sql) => /data_versions/.test(sql) && !/["`]users["`]/.test(sql)), sent.join("\n")).to.deep.equal([]);
    expect(sent, sent.join("\n")).to.have.length(1); // the session's row with its user (SessionStore)

    expect((await coordinator.get("/signalen/boven-capaciteit")).text).to.not.contain("Woensdagmorgen"); // kept now
    const location = await makeLocation(db, world, world.providerA);
    await setCapacity(db, location, 1, [{ weekday: 3, dagdeel: "ochtend" }]);
    await makeSchedule(db, { client: await makeClient(db, "Eerste", "Woensdagmorgen"), location, slots: [[3, "ochtend"]], from: "2026-11-04" });
    await makeSchedule(db, { client: await makeClient(db, "Tweede", "Woensdagmorgen"), location, slots: [[3, "ochtend"]], from: "2026-11-04" });
    expect((await coordinator.get("/signalen/boven-capaciteit")).text).to.contain("Woensdagmorgen");
  });

  it("after random writes of every kind, the kept answers equal the problem lists computed afresh (property)", async () => {
    const { db, world } = ctx;
    const scope = new Scope(db, { userId: world.users.coordinator.id, name: "Coördinator", role: "coordinator", organisationId: null });
    const locations = [world.locationA, world.locationB];
    const clients: number[] = [];
    for (let i = 0; i < 4; i++) clients.push(await makeClient(db, "Wissel", `Willekeur${i}`));
    const allocations: number[] = [];
    for (const client of clients) allocations.push(await makeAllocation(db, { client, purchaser: world.gemeente, provider: world.providerA, product: pw.basis, volume: 2 }));
    const dagdeel = fc.constantFrom<Dagdeel>("ochtend", "middag");
    const pick = <T>(list: T[]) => fc.nat().map((n) => list[n % list.length]);
    const day = fc.integer({ min: -20, max: 400 }).map((d) => addDays(TODAY, d));
    type Write = (() => Promise<unknown>) & { label?: string };
    const write: fc.Arbitrary<Write> = fc.oneof(
      fc.tuple(pick(locations), fc.integer({ min: 1, max: 5 }), dagdeel, fc.integer({ min: 0, max: 4 }), day).map(([location, weekday, d, places, from]) => () =>
        db("capacity_rules").insert({ location_id: location, weekday, dagdeel: d, places, valid_from: from, valid_until: null, created_at: TODAY, updated_at: TODAY })),
      fc.tuple(pick(clients), pick(locations), fc.integer({ min: 1, max: 5 }), dagdeel, day, fc.option(day, { nil: null }), fc.option(pick(allocations), { nil: null })).map(
        ([client, location, weekday, d, from, until, allocation]) => () => makeSchedule(db, { client, location, slots: [[weekday, d]], from, until: until !== null && until < from ? from : until, allocation }),
      ),
      fc.tuple(fc.nat(), day).map(([n, until]) => async () => {
        const rows = await db("schedules").orderBy("id").select("id");
        if (rows.length > 0) await db("schedules").where({ id: rows[n % rows.length].id }).update({ valid_until: until });
      }),
      fc.nat().map((n) => async () => {
        const rows = await db("schedules").orderBy("id").select("id");
        if (rows.length === 0) return;
        await db("schedule_slots").where({ schedule_id: rows[n % rows.length].id }).delete();
      }),
      fc.tuple(pick(locations), day, fc.integer({ min: 0, max: 10 })).map(([location, from, length]) => () => makeClosure(db, { provider: world.providerA, location, from, until: addDays(from, length) })),
      fc.nat().map((n) => async () => {
        const rows = await db("closures").orderBy("id").select("id");
        if (rows.length > 0) await db("closures").where({ id: rows[n % rows.length].id }).delete();
      }),
      fc.tuple(pick(clients), pick(locations), fc.integer({ min: 0, max: 30 }), dagdeel).map(([client, location, d, dd]) => () =>
        db("attendance").insert({ client_id: client, location_id: location, date: addDays(TODAY, d), dagdeel: dd, status: "extra", recorded_at: TODAY, created_at: TODAY, updated_at: TODAY }).onConflict(["client_id", "date", "dagdeel"]).ignore()),
      fc.nat().map((n) => async () => {
        const rows = await db("attendance").where({ status: "extra" }).orderBy("id").select("id");
        if (rows.length > 0) await db("attendance").where({ id: rows[n % rows.length].id }).update({ status: "aanwezig" });
      }),
      fc.tuple(pick(clients), pick(locations), fc.integer({ min: 1, max: 5 }), dagdeel).map(([client, location, weekday, d]) => () => makeWaitlistEntry(db, { client, location, slots: [[weekday, d]] })),
      fc.tuple(pick(allocations), fc.option(day, { nil: null })).map(([id, until]) => () => db("allocations").where({ id }).update({ valid_until: until })),
      fc.tuple(pick(clients), fc.option(day, { nil: null })).map(([id, until]) => () => db("clients").where({ id }).update({ ended_on: until })),
      fc.tuple(pick(locations), fc.boolean()).map(([id, active]) => () => db("locations").where({ id }).update({ active })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 4 }), async (writes) => {
        // Kept first, at the version before the writes…
        await problems(db, scope, TODAY, false);
        await problems(db, scope, TODAY, true);
        for (const w of writes) await w();
        // …then asked again: what is given must be what the rows now say.
        expect(await problems(db, scope, TODAY, false)).to.deep.equal(await computeProblems(db, scope, TODAY, false));
        expect(await problems(db, scope, TODAY, true)).to.deep.equal(await computeProblems(db, scope, TODAY, true));
      }),
      { numRuns: 25 },
    );
  });
});
