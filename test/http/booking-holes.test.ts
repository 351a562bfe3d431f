import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import {
  makeAllocation,
  makeClient,
  makeClosure,
  makeLocation,
  makeSchedule,
  planningWorld,
  postPlanning,
  scheduleForm,
  setCapacity,
  type PlanningWorld,
} from "../support/planning-fixtures";
import { withNameKeys } from "../../src/db/name-keys";

// Issue 12.2 (booking holes) and 12.3 (a change of kind under dependants), over HTTP on both
// databases. Today is Monday 23 November 2026.

describe("HTTP: booking holes closed", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;
  let providerA: Agent;

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  const schedulesOf = (client: number) => ctx.db("schedules").where({ client_id: client }).orderBy("id");
  const book = (client: number, location: number, f: { slots: string[]; from: string; until?: string; overbook?: boolean; reason?: string }) =>
    postPlanning(coordinator, "/roosters", scheduleForm({ client, location, funding: "eigen", ...f }));

  describe("a client whose care has ended", () => {
    it("is not booked after the end, and a schedule must end by it", async () => {
      const client = await makeClient(ctx.db, "Gestopt");
      await ctx.db("clients").where({ id: client }).update({ ended_on: "2026-11-30" });
      const after = await book(client, ctx.world.locationA, { slots: ["2-ochtend"], from: "2026-12-01" });
      expect(after.status).to.equal(422);
      expect(after.text).to.contain("De zorg voor deze cliënt is beëindigd per 30-11-2026; daarna valt er niets meer te plannen.");
      const open = await book(client, ctx.world.locationA, { slots: ["2-ochtend"], from: "2026-11-24" });
      expect(open.status).to.equal(422);
      expect(open.text).to.contain("De zorg voor deze cliënt eindigt op 30-11-2026; laat het rooster uiterlijk dan eindigen.");
      expect(await schedulesOf(client)).to.have.length(0);
      expect((await book(client, ctx.world.locationA, { slots: ["2-ochtend"], from: "2026-11-24", until: "2026-11-30" })).status).to.equal(303);
    });

    it("ended through the client page: a booking afterwards is refused", async () => {
      const client = await makeClient(ctx.db, "Klaar");
      const ended = await postForm(coordinator, `/clienten/${client}/beeindigen`, { ended_on: "2026-11-23" }, `/clienten/${client}/beeindigen`);
      expect(ended.status).to.equal(303);
      const res = await book(client, ctx.world.locationB, { slots: ["1-middag"], from: "2026-11-30" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("beëindigd per 23-11-2026");
    });

    it("ending an ended client again answers 422 with a message, whatever date is sent", async () => {
      const client = await makeClient(ctx.db, "Dubbel");
      await ctx.db("clients").where({ id: client }).update({ ended_on: "2026-10-31" });
      for (const ended_on of ["2026-12-01", "nonsense", ""]) {
        const res = await postForm(coordinator, `/clienten/${client}/beeindigen`, { ended_on }, `/clienten/${client}`);
        expect(res.status, ended_on).to.equal(422);
        expect(res.text).to.contain("Deze cliënt is al beëindigd.");
        expect(res.text).to.contain('role="alert"');
      }
      expect((await ctx.db("clients").where({ id: client }).first()).ended_on).to.equal("2026-10-31");
    });
  });

  describe("an allocation under running schedules", () => {
    let bsnSeed = 100;
    /** The next BSN of the 9999 test range that passes the 11-test (a Wmo allocation needs one). */
    function nextBsn(): string {
      for (;;) {
        const bsn = `999${String(++bsnSeed).padStart(6, "0")}`;
        const sum = [...bsn].reduce((s, d, i) => s + Number(d) * (i === 8 ? -1 : 9 - i), 0);
        if (sum % 11 === 0) return bsn;
      }
    }

    async function fundedAllocation(scheduleUntil: string | null) {
      const client = await makeClient(ctx.db, "Toegewezen", undefined, nextBsn());
      const allocation = await makeAllocation(ctx.db, { client, purchaser: ctx.world.gemeente, provider: ctx.world.providerA, product: pw.basis, volume: 3 });
      await makeSchedule(ctx.db, { client, location: ctx.world.locationA, slots: [[2, "middag"]], from: "2026-11-03", until: scheduleUntil, allocation, product: pw.basis });
      const form = { reference: `70${allocation}`, purchaser_id: String(ctx.world.gemeente), provider_id: String(ctx.world.providerA), product_id: String(pw.basis), volume: "3", frequency: "week", valid_from: "2026-01-01", valid_until: "" };
      return { allocation, form };
    }

    it("keeps its purchaser, provider and product (422 next to the field), while volume and period may change", async () => {
      const { allocation, form } = await fundedAllocation(null);
      const url = `/toewijzingen/${allocation}/wijzigen`;
      const [g] = await ctx.db("organisations").insert(withNameKeys("organisations", { kind: "purchaser", subkind: "gemeente", name: "Gemeente Venlo", gemeentecode: "0983", active: true, created_at: "2026-11-01T08:00:00.000Z", updated_at: "2026-11-01T08:00:00.000Z" })).returning("id");
      const otherGemeente = typeof g === "object" ? g.id : g;
      for (const change of [{ provider_id: String(ctx.world.providerB) }, { purchaser_id: String(otherGemeente) }, { product_id: String(pw.vervoer) }]) {
        const res = await postForm(coordinator, url, { ...form, ...change }, url);
        expect(res.status, JSON.stringify(change)).to.equal(422);
        expect(res.text).to.contain("Deze toewijzing betaalt lopende roosters");
      }
      expect(await ctx.db("allocations").where({ id: allocation }).first()).to.include({ provider_id: ctx.world.providerA, purchaser_id: ctx.world.gemeente, product_id: pw.basis });
      expect((await postForm(coordinator, url, { ...form, volume: "4" }, url)).status).to.equal(303);
    });

    it("may change them once its schedules have ended", async () => {
      const { allocation, form } = await fundedAllocation("2026-11-17");
      const url = `/toewijzingen/${allocation}/wijzigen`;
      expect((await postForm(coordinator, url, { ...form, provider_id: String(ctx.world.providerB) }, url)).status).to.equal(303);
    });
  });

  describe("lifting a closure that would leave a dagdeel over capacity", () => {
    it("first shows who is affected and needs the confirmation; the overflowing booking is then on the problem list", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setCapacity(ctx.db, location, 1, [{ weekday: 1, dagdeel: "ochtend" }]);
      const first = await makeClient(ctx.db, "Eerste", "Vaste");
      await makeSchedule(ctx.db, { client: first, location, slots: [[1, "ochtend"]], from: "2026-11-02" });
      const closure = await makeClosure(ctx.db, { provider: ctx.world.providerA, location, from: "2026-12-07", reason: "Onderhoud" });
      // Booked while the closure hid the dagdeel: nothing to count then, so it was accepted.
      const late = await makeClient(ctx.db, "Laat", "Geboekt");
      expect((await book(late, location, { slots: ["1-ochtend"], from: "2026-12-07", until: "2026-12-07" })).status).to.equal(303);

      const url = `/locaties/sluitingen/${closure}/verwijderen`;
      const preview = await postForm(providerA, url, {}, "/locaties/sluitingen");
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain("Als de sluiting &quot;Onderhoud&quot; vervalt");
      expect(preview.text).to.contain("Vaste");
      expect(preview.text).to.contain("Geboekt");
      expect(preview.text).to.contain("Toch opslaan");
      expect(await ctx.db("closures").where({ id: closure })).to.have.length(1);
      // Back: nothing changes.
      expect((await postForm(providerA, url, { edit: "1" }, "/locaties/sluitingen")).status).to.equal(303);
      expect(await ctx.db("closures").where({ id: closure })).to.have.length(1);

      expect((await postForm(providerA, url, { confirm: "1" }, "/locaties/sluitingen")).status).to.equal(303);
      expect(await ctx.db("closures").where({ id: closure })).to.have.length(0);
      const audit = await ctx.db("audit_log").where({ entity: "closure", entity_id: closure, action: "delete" }).first();
      const details = JSON.parse(audit.details);
      expect(details.confirmed).to.equal(true);
      expect(details.affected[0]).to.include({ date: "2026-12-07", dagdeel: "ochtend", booked: 2, places: 1 });

      const list = await coordinator.get("/signalen/boven-capaciteit");
      expect(list.status).to.equal(200);
      const row = list.text.slice(list.text.indexOf("<tbody>"));
      expect(row).to.contain("ma 7-12-2026 ochtend");
      expect(row).to.contain("Laat Geboekt");
      expect(row).to.not.contain("Eerste Vaste");
      expect((await coordinator.get("/signalen")).text).to.contain("Boven de capaciteit");
    });

    it("a closure nobody comes back to too many for is lifted at once", async () => {
      const closure = await makeClosure(ctx.db, { provider: ctx.world.providerA, location: ctx.world.locationA, from: "2026-12-09", reason: "Rustig" });
      expect((await postForm(providerA, `/locaties/sluitingen/${closure}/verwijderen`, {}, "/locaties/sluitingen")).status).to.equal(303);
      expect(await ctx.db("closures").where({ id: closure })).to.have.length(0);
    });

    it("another provider's closure is not found, and a purchaser may not lift closures", async () => {
      const closure = await makeClosure(ctx.db, { provider: ctx.world.providerB, location: ctx.world.locationB, from: "2026-12-10" });
      const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
      expect((await postForm(providerA, `/locaties/sluitingen/${closure}/verwijderen`, { confirm: "1" }, "/locaties/sluitingen")).status).to.equal(404);
      const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      expect((await postForm(purchaser, `/locaties/sluitingen/${closure}/verwijderen`, { confirm: "1" })).status).to.equal(403);
      expect(await ctx.db("closures").where({ id: closure })).to.have.length(1);
      expect((await postForm(providerB, `/locaties/sluitingen/${closure}/verwijderen`, { confirm: "1" }, "/locaties/sluitingen")).status).to.equal(303);
    });

    it("an overbooking with a written reason is not a problem to solve", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setCapacity(ctx.db, location, 1, [{ weekday: 4, dagdeel: "middag" }]);
      await makeSchedule(ctx.db, { client: await makeClient(ctx.db, "Zit", "Er"), location, slots: [[4, "middag"]], from: "2026-11-05" });
      const extra = await makeClient(ctx.db, "Bewust", "Overboekt");
      const res = await book(extra, location, { slots: ["4-middag"], from: "2026-11-26", until: "2026-12-31", overbook: true, reason: "Tweede begeleider op donderdag" });
      expect(res.status).to.equal(303);
      expect((await coordinator.get("/signalen/boven-capaciteit")).text).to.not.contain("Bewust Overboekt");
    });
  });

  describe("restoring capacity", () => {
    it("a dagdeel without places opened again with too few for the clients still scheduled there needs the confirmation", async () => {
      const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
      await setCapacity(ctx.db, location, 3, [{ weekday: 3, dagdeel: "ochtend" }]);
      await ctx.db("capacity_rules").where({ location_id: location }).update({ valid_until: "2026-12-31" });
      for (const name of ["Een", "Twee", "Drie"]) await makeSchedule(ctx.db, { client: await makeClient(ctx.db, name, "Woensdag"), location, slots: [[3, "ochtend"]], from: "2026-11-04" });
      const grid: Record<string, string> = {};
      for (let w = 1; w <= 7; w++) for (const d of ["ochtend", "middag"]) grid[`places_${w}_${d}`] = w === 3 && d === "ochtend" ? "2" : "";
      const url = `/locaties/${location}/capaciteit`;
      const preview = await postForm(providerA, url, { ...grid, valid_from: "2027-01-06" }, url);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain("Toch opslaan");
      expect(preview.text).to.contain("Een Woensdag");
      expect(await ctx.db("capacity_rules").where({ location_id: location })).to.have.length(1);
      expect((await postForm(providerA, url, { ...grid, valid_from: "2027-01-06", confirm: "1" }, url)).status).to.equal(303);
      expect(await ctx.db("capacity_rules").where({ location_id: location })).to.have.length(2);
    });
  });

  describe("an organisation's kind", () => {
    let admin: Agent;
    before(async () => {
      admin = await loginAs(ctx.app, ctx.world.users.admin.email);
    });
    const asPurchaser = { kind: "purchaser", subkind: "gemeente", gemeentecode: "1507", agb_code: "", kvk: "", email: "", phone: "" };

    it("does not change while locations, contracts or users depend on it (422 with a message)", async () => {
      const res = await postForm(admin, `/beheer/organisaties/${ctx.world.providerA}`, { ...asPurchaser, name: "Zorgboerderij A" }, `/beheer/organisaties/${ctx.world.providerA}`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("het soort kan daarom niet meer wijzigen");
      expect((await ctx.db("organisations").where({ id: ctx.world.providerA }).first()).kind).to.equal("provider");
      const back = await postForm(admin, `/beheer/organisaties/${ctx.world.gemeente}`, { kind: "provider", subkind: "overig", agb_code: "98000099", name: "Gemeente Peel en Maas", gemeentecode: "", kvk: "", email: "", phone: "" }, `/beheer/organisaties/${ctx.world.gemeente}`);
      expect(back.status).to.equal(422);
      expect(back.text).to.contain("het soort kan daarom niet meer wijzigen");
    });

    it("changes for an organisation nothing depends on yet, and only an admin may try", async () => {
      const [row] = await ctx.db("organisations").insert(withNameKeys("organisations", { kind: "provider", subkind: "overig", name: "Vergist BV", agb_code: "98000077", active: true, created_at: "2026-11-01T08:00:00.000Z", updated_at: "2026-11-01T08:00:00.000Z" })).returning("id");
      const id = typeof row === "object" ? row.id : row;
      expect((await postForm(coordinator, `/beheer/organisaties/${id}`, { ...asPurchaser, name: "Vergist BV" })).status).to.equal(403);
      const res = await postForm(admin, `/beheer/organisaties/${id}`, { ...asPurchaser, name: "Vergist BV" }, `/beheer/organisaties/${id}`);
      expect(res.status).to.equal(303);
      expect((await ctx.db("organisations").where({ id }).first()).kind).to.equal("purchaser");
    });
  });
});
