import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { addScheduledClient, addWeekRules, hiddenFields } from "../support/locations-fixtures";

/** The 14 grid fields: Monday–Friday `places`, weekend closed, with overrides. */
function grid(places: number | string, overrides: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (let w = 1; w <= 7; w++) for (const d of ["ochtend", "middag"]) out[`places_${w}_${d}`] = w <= 5 ? String(places) : "";
  return { ...out, ...overrides };
}

async function rules(ctx: TestContext, locationId: number) {
  return ctx.db("capacity_rules").where({ location_id: locationId }).orderBy(["weekday", "dagdeel", "valid_from"]).select("weekday", "dagdeel", "places", "valid_from", "valid_until");
}

describe("HTTP: capacity of a location (week grid from a date)", () => {
  let ctx: TestContext;
  let providerA: Agent;
  let url: string;
  before(async () => {
    ctx = await startTestApp(); // today: Monday 2026-11-23
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    url = `/locaties/${ctx.world.locationA}/capaciteit`;
    await addWeekRules(ctx.db, ctx.world.locationA, 4);
    // Three clients every Tuesday morning.
    for (const name of [["Anna", "Aarts"], ["Bert", "Bakker"], ["Cor", "Coenen"]] as [string, string][]) {
      await addScheduledClient(ctx.db, ctx.world.locationA, name, [{ weekday: 2, dagdeel: "ochtend" }]);
    }
  });
  after(async () => ctx.close());

  it("shows the grid: 14 labelled inputs filled with what is in force today, from today", async () => {
    const res = await providerA.get(url);
    expect(res.status).to.equal(200);
    const inputs = res.text.match(/<input id="f-places_\d_(ochtend|middag)"[^>]*>/g) ?? [];
    expect(inputs).to.have.length(14);
    expect(inputs[0]).to.contain('aria-labelledby="row-1 col-ochtend"').and.to.contain('value="4"');
    expect(inputs[13]).to.contain('aria-labelledby="row-7 col-middag"').and.to.contain('value=""');
    expect(res.text).to.contain('id="row-1">maandag').and.to.contain('id="col-middag">middag');
    expect(res.text).to.contain('name="valid_from" type="date" value="2026-11-23"');
  });

  it("raising capacity from a date saves at once: old rules end the day before, history stays", async () => {
    const res = await postForm(providerA, url, { ...grid(6), valid_from: "2026-12-01" });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/locaties/${ctx.world.locationA}`);
    const monday = (await rules(ctx, ctx.world.locationA)).filter((r) => r.weekday === 1 && r.dagdeel === "ochtend");
    expect(monday).to.deep.equal([
      { weekday: 1, dagdeel: "ochtend", places: 4, valid_from: "2026-01-01", valid_until: "2026-11-30" },
      { weekday: 1, dagdeel: "ochtend", places: 6, valid_from: "2026-12-01", valid_until: null },
    ]);
    expect((await rules(ctx, ctx.world.locationA)).filter((r) => r.weekday >= 6)).to.deep.equal([]); // empty = closed = no rule
    const audit = await ctx.db("audit_log").where({ entity: "location", entity_id: ctx.world.locationA, action: "change_capacity" }).orderBy("id", "desc").first();
    expect(audit.user_id).to.equal(ctx.world.users.providerA.id);
    const details = JSON.parse(audit.details);
    expect(details).to.deep.include({ valid_from: "2026-12-01", valid_until: null, confirmed: false, affected: [] });
    expect(details.places["1-ochtend"]).to.equal(6);
    expect(details.before["1-ochtend"]).to.equal(4);
    const page = await providerA.get(`/locaties/${ctx.world.locationA}`);
    expect(page.text).to.contain("1-12-2026 – doorlopend").and.to.contain("1-1-2026 – 30-11-2026");
  });

  it("saving the same grid again changes nothing", async () => {
    const before = await rules(ctx, ctx.world.locationA);
    const res = await postForm(providerA, url, { ...grid(6), valid_from: "2026-12-01" });
    expect(res.status).to.equal(303);
    expect(await rules(ctx, ctx.world.locationA)).to.deep.equal(before);
  });

  it("lowering below what is booked first shows who and when, and writes nothing", async () => {
    const before = await rules(ctx, ctx.world.locationA);
    const audits = await ctx.db("audit_log").count({ n: "*" });
    const res = await postForm(providerA, url, { ...grid(6, { places_2_ochtend: "2" }), valid_from: "2026-12-07" });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Dit raakt ingeroosterde cliënten");
    for (const name of ["Anna Aarts", "Bert Bakker", "Cor Coenen"]) expect(res.text).to.contain(name);
    expect(res.text).to.contain("dinsdag 8 december 2026");
    expect(res.text).to.contain("Het gaat om 12 dagdelen"); // 12 weeks of Tuesday mornings
    expect(res.text).to.contain("Wie (3)").and.to.contain('Anna Aarts <span class="muted">(12 dagdelen)');
    expect(res.text).to.not.contain("maandag 7 december 2026"); // Monday is not lowered
    expect(await rules(ctx, ctx.world.locationA)).to.deep.equal(before);
    expect(await ctx.db("audit_log").count({ n: "*" })).to.deep.equal(audits);

    // "Back to the form" keeps what was typed.
    const edit = await postForm(providerA, url, hiddenFields(res.text, "edit"));
    expect(edit.status).to.equal(200);
    expect(edit.text).to.match(/id="f-places_2_ochtend"[^>]*value="2"/);
    expect(edit.text).to.contain('value="2026-12-07"');

    // Going ahead is a deliberate confirmation, kept in the audit log with who was affected.
    const confirm = hiddenFields(res.text, "confirm");
    expect(confirm.confirm).to.equal("1");
    expect(confirm.places_2_ochtend).to.equal("2");
    const saved = await postForm(providerA, url, confirm);
    expect(saved.status).to.equal(303);
    const tuesday = (await rules(ctx, ctx.world.locationA)).filter((r) => r.weekday === 2 && r.dagdeel === "ochtend");
    expect(tuesday.map((r) => [r.places, r.valid_from, r.valid_until])).to.deep.equal([
      [4, "2026-01-01", "2026-11-30"],
      [6, "2026-12-01", "2026-12-06"],
      [2, "2026-12-07", null],
    ]);
    const audit = await ctx.db("audit_log").where({ action: "change_capacity", entity_id: ctx.world.locationA }).orderBy("id", "desc").first();
    const details = JSON.parse(audit.details);
    expect(details.confirmed).to.equal(true);
    expect(details.affected).to.have.length(12);
    expect(details.affected[0]).to.deep.include({ date: "2026-12-08", dagdeel: "ochtend", booked: 3, places: 2 });
    expect(details.affected[0].clientIds).to.have.length(3);
  });

  it("a temporary change lets the earlier capacity come back after its end", async () => {
    const res = await postForm(providerA, url, { ...grid(6, { places_2_ochtend: "3" }), places_1_ochtend: "1", valid_from: "2026-12-21", valid_until: "2027-01-03" });
    expect(res.status).to.equal(303);
    const monday = (await rules(ctx, ctx.world.locationA)).filter((r) => r.weekday === 1 && r.dagdeel === "ochtend");
    expect(monday.map((r) => [r.places, r.valid_from, r.valid_until])).to.deep.equal([
      [4, "2026-01-01", "2026-11-30"],
      [6, "2026-12-01", "2026-12-06"],
      [6, "2026-12-07", "2026-12-20"], // the whole grid was saved from 7 December
      [1, "2026-12-21", "2027-01-03"],
      [6, "2027-01-04", null],
    ]);
  });

  it("refuses a temporary change that overlaps a planned change (422), naming its date", async () => {
    await postForm(providerA, url, { ...grid(5, { places_2_ochtend: "3" }), valid_from: "2027-03-01" });
    const before = await rules(ctx, ctx.world.locationA);
    const res = await postForm(providerA, url, { ...grid(5, { places_2_ochtend: "3" }), valid_from: "2027-02-01", valid_until: "2027-03-31" });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="f-valid_until-error"');
    expect(res.text).to.contain("vanaf 1-3-2027");
    expect(res.text).to.contain('value="2027-03-31"');
    expect(await rules(ctx, ctx.world.locationA)).to.deep.equal(before);
  });

  describe("bad input: 422 with the form kept and nothing saved", () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ["negative places", { ...grid(4, { places_3_middag: "-1" }), valid_from: "2027-06-01" }, "f-places_3_middag-error", 'value="-1"'],
      ["places that are not a number", { ...grid(4, { places_3_middag: "veel" }), valid_from: "2027-06-01" }, "f-places_3_middag-error", 'value="veel"'],
      ["more than 999 places", { ...grid(4, { places_1_ochtend: "1000" }), valid_from: "2027-06-01" }, "f-places_1_ochtend-error", 'value="1000"'],
      ["an impossible date", { ...grid(4), valid_from: "2026-02-30" }, "f-valid_from-error", 'value="2026-02-30"'],
      ["an end before the start", { ...grid(4), valid_from: "2027-06-01", valid_until: "2027-05-31" }, "f-valid_until-error", 'value="2027-05-31"'],
      ["a start in the past", { ...grid(4), valid_from: "2026-11-22" }, "f-valid_from-error", 'value="2026-11-22"'],
      ["an unknown weekday", { ...grid(4), places_8_ochtend: "3", valid_from: "2027-06-01" }, "Het formulier bevat een weekdag die niet bestaat", 'value="2027-06-01"'],
      ["no start date", { ...grid(4), valid_from: "" }, "f-valid_from-error", 'value="4"'],
    ];
    for (const [what, body, marker, kept] of cases) {
      it(what, async () => {
        const before = await rules(ctx, ctx.world.locationA);
        const res = await postForm(providerA, url, body);
        expect(res.status).to.equal(422);
        expect(res.text).to.contain(marker);
        expect(res.text).to.contain(kept);
        expect(await rules(ctx, ctx.world.locationA)).to.deep.equal(before);
      });
    }
  });

  describe("scope and roles", () => {
    it("another provider gets 404 and changes nothing", async () => {
      const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
      const before = await rules(ctx, ctx.world.locationA);
      expect((await providerB.get(url)).status).to.equal(404);
      const res = await postForm(providerB, url, { ...grid(1), valid_from: "2027-06-01" });
      expect(res.status).to.equal(404);
      expect(await rules(ctx, ctx.world.locationA)).to.deep.equal(before);
    });

    for (const role of ["coordinator", "purchaser", "zorgkantoor", "admin"] as const) {
      it(`the ${role} may read the capacity but not change it (403)`, async () => {
        const agent = await loginAs(ctx.app, ctx.world.users[role].email);
        expect((await agent.get(url)).status).to.equal(403);
        const res = await postForm(agent, url, { ...grid(1), valid_from: "2027-06-01" });
        expect(res.status).to.equal(403);
      });
    }
  });
});
