import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { addClosure, addScheduledClient, addWeekRules, hiddenFields } from "../support/locations-fixtures";
import { withNameKeys } from "../../src/db/name-keys";

describe("HTTP: closures and holidays", () => {
  let ctx: TestContext;
  let providerA: Agent;
  let foreignClosure: number;
  before(async () => {
    ctx = await startTestApp(); // today: Monday 2026-11-23
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    await addWeekRules(ctx.db, ctx.world.locationA, 4);
    await addScheduledClient(ctx.db, ctx.world.locationA, ["Dina", "Driessen"], [{ weekday: 2, dagdeel: "ochtend" }]);
    await addScheduledClient(ctx.db, ctx.world.locationA, ["Egbert", "Evers"], [{ weekday: 2, dagdeel: "ochtend" }, { weekday: 4, dagdeel: "middag" }]);
    foreignClosure = await addClosure(ctx.db, { provider_id: ctx.world.providerB, location_id: ctx.world.locationB, starts_on: "2026-12-02", ends_on: "2026-12-02", dagdeel: null, reason: "Geheim van B" });
  });
  after(async () => ctx.close());

  const closures = () => ctx.db("closures").where({ provider_id: ctx.world.providerA }).orderBy("id");

  describe("adding and removing", () => {
    it("lists only the provider's own closures", async () => {
      const res = await providerA.get("/locaties/sluitingen");
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain("Geheim van B");
      expect(res.text).to.contain('<option value="">Alle locaties</option>');
      const fromLocation = await providerA.get(`/locaties/sluitingen?locatie=${ctx.world.locationA}`);
      expect(fromLocation.text).to.contain(`<option value="${ctx.world.locationA}" selected>Boerderij A</option>`);
    });

    it("shows the twenty latest past closures, the latest first, and none of the years before", async () => {
      // 25 past days, one a week back from 2026-11-17, and B's own past closure that A must not see.
      const made: number[] = [];
      for (let n = 1; n <= 25; n++) {
        const day = new Date(Date.UTC(2026, 10, 23 - 7 * n)).toISOString().slice(0, 10);
        made.push(await addClosure(ctx.db, { provider_id: ctx.world.providerA, location_id: ctx.world.locationA, starts_on: day, ends_on: day, dagdeel: null, reason: `Vroeger ${String(n).padStart(2, "0")}` }));
      }
      await addClosure(ctx.db, { provider_id: ctx.world.providerB, location_id: ctx.world.locationB, starts_on: "2026-11-02", ends_on: "2026-11-02", dagdeel: null, reason: "Vroeger van B" });
      try {
        const html = (await providerA.get("/locaties/sluitingen")).text;
        const past = html.slice(html.indexOf('aria-labelledby="past"'));
        const shown = [...past.matchAll(/Vroeger (\d\d)/g)].map((m) => Number(m[1]));
        expect(shown).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(html).to.not.contain("Vroeger van B");
      } finally {
        await ctx.db("closures").whereIn("id", made).delete();
        await ctx.db("closures").where({ reason: "Vroeger van B" }).delete();
      }
    });

    it("a closure that hits nobody is saved at once, with who added it, and audited", async () => {
      const res = await postForm(providerA, "/locaties/sluitingen", { location_id: String(ctx.world.locationA), starts_on: "2026-12-02", ends_on: "", dagdeel: "middag", reason: "Studiedag vrijwilligers" });
      expect(res.status).to.equal(303);
      const [row] = await closures();
      expect(row).to.deep.include({ location_id: ctx.world.locationA, starts_on: "2026-12-02", ends_on: "2026-12-02", dagdeel: "middag", reason: "Studiedag vrijwilligers", created_by: ctx.world.users.providerA.id });
      const audit = await ctx.db("audit_log").where({ entity: "closure", entity_id: row.id, action: "create" }).first();
      expect(JSON.parse(audit.details)).to.deep.include({ confirmed: false, source: "form", reason: "Studiedag vrijwilligers" });
      const week = await providerA.get(`/locaties/${ctx.world.locationA}/week?datum=2026-12-02`);
      expect(week.text).to.match(/is-closed">\s*<strong>gesloten<\/strong>: Studiedag vrijwilligers/);
    });

    it("a closure on dates with scheduled clients first shows who, then saves on confirmation", async () => {
      const body = { location_id: "", starts_on: "2026-12-21", ends_on: "2027-01-03", dagdeel: "", reason: "Kerstvakantie" };
      const preview = await postForm(providerA, "/locaties/sluitingen", body);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain("Dina Driessen").and.to.contain("Egbert Evers");
      expect(preview.text).to.contain("dinsdag 22 december 2026").and.to.contain("donderdag 24 december 2026").and.to.contain("dinsdag 29 december 2026");
      expect(preview.text).to.contain("Het gaat om 4 dagdelen");
      expect(await closures()).to.have.length(1);
      const saved = await postForm(providerA, "/locaties/sluitingen", hiddenFields(preview.text, "confirm"));
      expect(saved.status).to.equal(303);
      const row = (await closures()).find((c) => c.reason === "Kerstvakantie");
      expect(row).to.deep.include({ location_id: null, dagdeel: null, starts_on: "2026-12-21", ends_on: "2027-01-03" });
      const audit = await ctx.db("audit_log").where({ entity: "closure", entity_id: row.id }).first();
      const details = JSON.parse(audit.details);
      expect(details.confirmed).to.equal(true);
      expect(details.affected.map((a: { date: string }) => a.date)).to.deep.equal(["2026-12-22", "2026-12-24", "2026-12-29", "2026-12-31"]);
    });

    describe("bad input: 422, the form kept, nothing saved", () => {
      const cases: [string, Record<string, string>, string, string][] = [
        ["an end before the start", { starts_on: "2027-02-10", ends_on: "2027-02-09", reason: "Achterstevoren" }, "f-ends_on-error", 'value="2027-02-09"'],
        ["an impossible date", { starts_on: "2026-02-30", ends_on: "", reason: "Dertig februari" }, "f-starts_on-error", 'value="2026-02-30"'],
        ["no reason", { starts_on: "2027-02-10", ends_on: "", reason: "  " }, "f-reason-error", 'value="2027-02-10"'],
        ["an unknown dagdeel", { starts_on: "2027-02-10", ends_on: "", dagdeel: "avond", reason: "Avond" }, "f-dagdeel-error", 'value="Avond"'],
        ["a closure longer than a year", { starts_on: "2027-01-01", ends_on: "2028-06-01", reason: "Lang" }, "f-ends_on-error", 'value="2028-06-01"'],
      ];
      for (const [what, body, marker, kept] of cases) {
        it(what, async () => {
          const before = await closures();
          const res = await postForm(providerA, "/locaties/sluitingen", { location_id: "", dagdeel: "", ...body });
          expect(res.status).to.equal(422);
          expect(res.text).to.contain(marker);
          expect(res.text).to.contain(kept);
          expect(await closures()).to.deep.equal(before);
        });
      }
    });

    it("cannot close another provider's location (404), nothing saved", async () => {
      const before = await ctx.db("closures").count({ n: "*" });
      const res = await postForm(providerA, "/locaties/sluitingen", { location_id: String(ctx.world.locationB), starts_on: "2027-02-10", ends_on: "", dagdeel: "", reason: "Overname" });
      expect(res.status).to.equal(404);
      expect(await ctx.db("closures").count({ n: "*" })).to.deep.equal(before);
    });

    it("removes its own closure with an audit entry; another provider's is not found", async () => {
      const [first] = await closures();
      const res = await postForm(providerA, `/locaties/sluitingen/${first.id}/verwijderen`, {});
      expect(res.status).to.equal(303);
      expect(await ctx.db("closures").where({ id: first.id }).first()).to.equal(undefined);
      const audit = await ctx.db("audit_log").where({ entity: "closure", entity_id: first.id, action: "delete" }).first();
      expect(JSON.parse(audit.details)).to.deep.include({ reason: "Studiedag vrijwilligers", starts_on: "2026-12-02" });
      const foreign = await postForm(providerA, `/locaties/sluitingen/${foreignClosure}/verwijderen`, {});
      expect(foreign.status).to.equal(404);
      expect(await ctx.db("closures").where({ id: foreignClosure }).first()).to.not.equal(undefined);
    });

    // Coordinators add and remove closures too (src/CONTEXT.md#closures, see "a coordinator" below); purchasers only read.
    for (const role of ["purchaser", "admin"] as const) {
      it(`refuses the ${role} (403)`, async () => {
        const agent = await loginAs(ctx.app, ctx.world.users[role].email);
        expect((await agent.get("/locaties/sluitingen")).status).to.equal(403);
        expect((await agent.get("/locaties/feestdagen")).status).to.equal(403);
        const add = await postForm(agent, "/locaties/sluitingen", { location_id: "", starts_on: "2027-02-10", ends_on: "", dagdeel: "", reason: `Van ${role}` });
        expect(add.status).to.equal(403);
        expect((await postForm(agent, `/locaties/sluitingen/${foreignClosure}/verwijderen`, {})).status).to.equal(403);
        expect((await postForm(agent, "/locaties/feestdagen", { jaar: "2027", h_koningsdag: "1" })).status).to.equal(403);
        const forA = await postForm(agent, "/locaties/sluitingen", { aanbieder: String(ctx.world.providerA), location_id: String(ctx.world.locationA), starts_on: "2027-02-10", ends_on: "", dagdeel: "", reason: `Van ${role}` });
        expect(forA.status).to.equal(403);
        expect(await ctx.db("closures").where({ reason: `Van ${role}` }).first()).to.equal(undefined);
      });
    }

    it("a provider cannot choose another provider's closures (404)", async () => {
      expect((await providerA.get(`/locaties/sluitingen?aanbieder=${ctx.world.providerB}`)).status).to.equal(404);
      expect((await providerA.get(`/locaties/feestdagen?aanbieder=${ctx.world.providerB}`)).status).to.equal(404);
      const res = await postForm(providerA, "/locaties/sluitingen", { aanbieder: String(ctx.world.providerB), location_id: "", starts_on: "2027-02-10", ends_on: "", dagdeel: "", reason: "Voor B" });
      expect(res.status).to.equal(404);
      expect(await ctx.db("closures").where({ reason: "Voor B" }).first()).to.equal(undefined);
    });
  });

  describe("holidays", () => {
    it("proposes the national holidays and, in Limburg, Carnaval; Goede Vrijdag unticked", async () => {
      // A closure over New Year (the Kerstvakantie above; made here when that test did not run).
      if (!(await ctx.db("closures").where({ provider_id: ctx.world.providerA }).where("starts_on", "<=", "2027-01-01").where("ends_on", ">=", "2027-01-01").first())) {
        const preview = await postForm(providerA, "/locaties/sluitingen", { location_id: "", starts_on: "2026-12-21", ends_on: "2027-01-03", dagdeel: "", reason: "Kerstvakantie" });
        expect((await postForm(providerA, "/locaties/sluitingen", hiddenFields(preview.text, "confirm"))).status).to.equal(303);
      }
      const res = await providerA.get("/locaties/feestdagen?jaar=2027");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("maandag 8 februari 2027 — Carnavalsmaandag");
      expect(res.text).to.contain("dinsdag 9 februari 2027 — Carnavalsdinsdag");
      expect(res.text).to.match(/name="h_koningsdag" value="1" checked/);
      expect(res.text).to.match(/name="h_goedeVrijdag" value="1">/);
      // Nieuwjaarsdag 2027 falls inside the Kerstvakantie closure.
      expect(res.text).to.not.contain('name="h_nieuwjaarsdag"');
      expect(res.text).to.contain("al gesloten");
    });

    it("does not propose Carnaval to a provider without a location in Limburg", async () => {
      const [gelderland] = await ctx.db("villages").insert(withNameKeys("villages", { name: "Ewijk", municipality: "Beuningen", gemeentecode: "0209", province: "GE", created_at: "x", updated_at: "x" })).returning("id");
      await ctx.db("locations").where({ id: ctx.world.locationB }).update({ village_id: typeof gelderland === "object" ? gelderland.id : gelderland });
      const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
      const res = await providerB.get("/locaties/feestdagen?jaar=2027");
      expect(res.text).to.contain("Koningsdag").and.to.not.contain("Carnaval");
      await ctx.db("locations").where({ id: ctx.world.locationB }).update({ village_id: ctx.world.village });
    });

    it("accepting closes all locations on the ticked days, after confirming who is hit", async () => {
      const body = { jaar: "2027", h_carnavalMaandag: "1", h_carnavalDinsdag: "1", h_koningsdag: "1" };
      const preview = await postForm(providerA, "/locaties/feestdagen", body);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain("dinsdag 9 februari 2027").and.to.contain("Dina Driessen");
      expect(await ctx.db("closures").where({ provider_id: ctx.world.providerA, starts_on: "2027-02-09" }).first()).to.equal(undefined);
      const saved = await postForm(providerA, "/locaties/feestdagen", hiddenFields(preview.text, "confirm"));
      expect(saved.status).to.equal(303);
      const rows = await ctx.db("closures").where({ provider_id: ctx.world.providerA }).whereIn("starts_on", ["2027-02-08", "2027-02-09", "2027-04-27"]).orderBy("starts_on");
      expect(rows.map((r) => [r.starts_on, r.location_id, r.dagdeel, r.reason])).to.deep.equal([
        ["2027-02-08", null, null, "Carnaval (maandag)"],
        ["2027-02-09", null, null, "Carnaval (dinsdag)"],
        ["2027-04-27", null, null, "Koningsdag"],
      ]);
      const audits = await ctx.db("audit_log").where({ entity: "closure", action: "create" }).whereIn("entity_id", rows.map((r) => r.id));
      expect(audits).to.have.length(3);
      expect(audits.map((a) => JSON.parse(a.details).source)).to.deep.equal(["holidays", "holidays", "holidays"]);
      const again = await providerA.get("/locaties/feestdagen?jaar=2027");
      expect(again.text).to.not.contain('name="h_koningsdag"');
    });

    it("refuses an empty choice and an unknown year (422)", async () => {
      const none = await postForm(providerA, "/locaties/feestdagen", { jaar: "2027" });
      expect(none.status).to.equal(422);
      expect(none.text).to.contain("Vink ten minste één dag aan");
      expect((await providerA.get("/locaties/feestdagen?jaar=abc")).status).to.equal(422);
      expect((await providerA.get("/locaties/feestdagen?jaar=1999")).status).to.equal(422);
    });
  });

  describe("a coordinator (closures for any provider, src/CONTEXT.md#closures)", () => {
    let coordinator: Agent;
    before(async () => {
      coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    });
    const coordinatorId = () => ctx.world.users.coordinator.id;

    it("first chooses a provider; from a location's page that location's provider is chosen", async () => {
      const start = await coordinator.get("/locaties/sluitingen");
      expect(start.status).to.equal(200);
      expect(start.text).to.contain("Kies een aanbieder");
      expect(start.text).to.not.contain('action="/locaties/sluitingen" novalidate class="form"');
      const fromLocation = await coordinator.get(`/locaties/sluitingen?locatie=${ctx.world.locationB}`);
      expect(fromLocation.status).to.equal(200);
      expect(fromLocation.text).to.contain(`<input type="hidden" name="aanbieder" value="${ctx.world.providerB}">`);
      expect(fromLocation.text).to.contain(`<option value="${ctx.world.locationB}" selected>Dorpshuis B</option>`);
      expect(fromLocation.text).to.contain("Geheim van B").and.to.not.contain("Kerstvakantie");
      expect((await coordinator.get("/locaties/sluitingen?aanbieder=99999")).status).to.equal(404);
      expect((await coordinator.get("/locaties/sluitingen?aanbieder=abc")).status).to.equal(404);
    });

    it("adds a closure at provider A's location: 303, saved with the coordinator as who, and audited", async () => {
      const res = await postForm(coordinator, "/locaties/sluitingen", { aanbieder: String(ctx.world.providerA), location_id: String(ctx.world.locationA), starts_on: "2027-03-03", ends_on: "", dagdeel: "", reason: "Boerendag gemeente" });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/locaties/sluitingen?aanbieder=${ctx.world.providerA}`);
      const row = await ctx.db("closures").where({ reason: "Boerendag gemeente" }).first();
      expect(row).to.deep.include({ provider_id: ctx.world.providerA, location_id: ctx.world.locationA, starts_on: "2027-03-03", ends_on: "2027-03-03", dagdeel: null, created_by: coordinatorId() });
      const audit = await ctx.db("audit_log").where({ entity: "closure", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(coordinatorId());
      expect(JSON.parse(audit.details)).to.deep.include({ provider_id: ctx.world.providerA, location_id: ctx.world.locationA, confirmed: false, source: "form" });
      const page = await coordinator.get(res.headers.location);
      expect(page.text).to.contain("Boerendag gemeente");
    });

    it("sees the clients a closure hits before it is saved, and confirms deliberately", async () => {
      const body = { aanbieder: String(ctx.world.providerA), location_id: "", starts_on: "2027-03-09", ends_on: "", dagdeel: "", reason: "Regionale studiedag" };
      const preview = await postForm(coordinator, "/locaties/sluitingen", body);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain("Dina Driessen").and.to.contain("Egbert Evers").and.to.contain("dinsdag 9 maart 2027");
      expect(await ctx.db("closures").where({ reason: "Regionale studiedag" }).first()).to.equal(undefined);
      const fields = hiddenFields(preview.text, "confirm");
      expect(fields.aanbieder).to.equal(String(ctx.world.providerA));
      const saved = await postForm(coordinator, "/locaties/sluitingen", fields);
      expect(saved.status).to.equal(303);
      const row = await ctx.db("closures").where({ reason: "Regionale studiedag" }).first();
      expect(row).to.deep.include({ provider_id: ctx.world.providerA, location_id: null, created_by: coordinatorId() });
      const audit = await ctx.db("audit_log").where({ entity: "closure", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(coordinatorId());
      expect(JSON.parse(audit.details).confirmed).to.equal(true);
    });

    it("refuses a location of another provider than the chosen one (404), an unknown provider (404), and no provider (422)", async () => {
      const count = async () => Number((await ctx.db("closures").count({ n: "*" }).first())?.n);
      const before = await count();
      const wrong = await postForm(coordinator, "/locaties/sluitingen", { aanbieder: String(ctx.world.providerA), location_id: String(ctx.world.locationB), starts_on: "2027-03-10", ends_on: "", dagdeel: "", reason: "Verkeerd" });
      expect(wrong.status).to.equal(404);
      const unknown = await postForm(coordinator, "/locaties/sluitingen", { aanbieder: "99999", location_id: "", starts_on: "2027-03-10", ends_on: "", dagdeel: "", reason: "Onbekend" });
      expect(unknown.status).to.equal(404);
      const none = await postForm(coordinator, "/locaties/sluitingen", { location_id: "", starts_on: "2027-03-10", ends_on: "", dagdeel: "", reason: "Niemand" });
      expect(none.status).to.equal(422);
      expect(none.text).to.contain("f-aanbieder-error").and.to.contain("Kies een aanbieder.");
      const bad = await postForm(coordinator, "/locaties/sluitingen", { aanbieder: String(ctx.world.providerA), location_id: "", starts_on: "2027-03-10", ends_on: "", dagdeel: "", reason: " " });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.contain("f-reason-error").and.to.contain(`<input type="hidden" name="aanbieder" value="${ctx.world.providerA}">`);
      expect(await count()).to.equal(before);
    });

    it("removes another provider's closure, audited with the coordinator", async () => {
      const res = await postForm(coordinator, `/locaties/sluitingen/${foreignClosure}/verwijderen`, {});
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/locaties/sluitingen?aanbieder=${ctx.world.providerB}`);
      expect(await ctx.db("closures").where({ id: foreignClosure }).first()).to.equal(undefined);
      const audit = await ctx.db("audit_log").where({ entity: "closure", entity_id: foreignClosure, action: "delete" }).first();
      expect(audit.user_id).to.equal(coordinatorId());
      expect((await postForm(coordinator, "/locaties/sluitingen/99999/verwijderen", {})).status).to.equal(404);
    });

    it("accepts holiday proposals for a provider, after confirming who is hit", async () => {
      const page = await coordinator.get(`/locaties/feestdagen?aanbieder=${ctx.world.providerA}&jaar=2028`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("Carnavalsmaandag").and.to.contain(`<input type="hidden" name="aanbieder" value="${ctx.world.providerA}">`);
      expect(page.text).to.contain(`href="/locaties/feestdagen?jaar=2027&amp;aanbieder=${ctx.world.providerA}"`);
      // Koningsdag 2028 is a Thursday: Egbert Evers comes that afternoon.
      const body = { aanbieder: String(ctx.world.providerA), jaar: "2028", h_koningsdag: "1" };
      const preview = await postForm(coordinator, "/locaties/feestdagen", body);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain("Egbert Evers").and.to.contain("donderdag 27 april 2028");
      const saved = await postForm(coordinator, "/locaties/feestdagen", hiddenFields(preview.text, "confirm"));
      expect(saved.status).to.equal(303);
      const row = await ctx.db("closures").where({ provider_id: ctx.world.providerA, starts_on: "2028-04-27" }).first();
      expect(row).to.deep.include({ location_id: null, reason: "Koningsdag", created_by: coordinatorId() });
      const audit = await ctx.db("audit_log").where({ entity: "closure", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(coordinatorId());
      expect(JSON.parse(audit.details)).to.deep.include({ source: "holidays", provider_id: ctx.world.providerA });
      const none = await postForm(coordinator, "/locaties/feestdagen", { jaar: "2028", h_koningsdag: "1" });
      expect(none.status).to.equal(422);
    });

    it("the location page shows the closure and holiday actions to the coordinator and the owner, not to a purchaser", async () => {
      const links = [`/locaties/sluitingen?aanbieder=${ctx.world.providerA}&amp;locatie=${ctx.world.locationA}`, `/locaties/feestdagen?aanbieder=${ctx.world.providerA}`];
      for (const agent of [coordinator, providerA]) {
        const show = await agent.get(`/locaties/${ctx.world.locationA}`);
        for (const link of links) expect(show.text).to.contain(`href="${link}"`);
      }
      expect((await coordinator.get("/locaties")).text).to.contain('href="/locaties/sluitingen"').and.to.contain('href="/locaties/feestdagen"');
      const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      const show = await purchaser.get(`/locaties/${ctx.world.locationA}`);
      expect(show.status).to.equal(200);
      expect(show.text).to.not.contain("/locaties/sluitingen").and.to.not.contain("/locaties/feestdagen");
      expect((await purchaser.get("/locaties")).text).to.not.contain("/locaties/sluitingen").and.to.not.contain("/locaties/feestdagen");
    });
  });
});
