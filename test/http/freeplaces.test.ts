import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { addClosure, addLocation, addScheduledClient, addWeekRules, countQueries } from "../support/locations-fixtures";
import { withNameKeys } from "../../src/db/name-keys";

/** The overview row of a village: the text of each cell. */
function overviewRow(html: string, village: string): string[] {
  const table = html.slice(html.indexOf("fp-overview"), html.indexOf("</table>", html.indexOf("fp-overview")));
  const row = table.slice(table.indexOf(`>${village}</a>`));
  const end = row.indexOf("</tr>");
  return [...row.slice(0, end).matchAll(/<td class="occupancy ([^"]+)">([\s\S]*?)<\/td>/g)].map((m) => `${m[1]}:${m[2].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()}`);
}

describe("HTTP: the regional free-places view", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let purchaser: Agent;
  before(async () => {
    ctx = await startTestApp(); // today: Monday 2026-11-23
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    await addWeekRules(ctx.db, ctx.world.locationA, 4, [2]); // A: Tuesdays, 4 places
    await addWeekRules(ctx.db, ctx.world.locationB, 3, [2, 4]); // B: Tuesdays and Thursdays, 3 places
    await addScheduledClient(ctx.db, ctx.world.locationA, ["Geheime", "Cliënt"], [{ weekday: 2, dagdeel: "ochtend" }]);
    await addScheduledClient(ctx.db, ctx.world.locationB, ["Andere", "Bezoeker"], [{ weekday: 2, dagdeel: "ochtend" }], "2026-12-01");
    await addClosure(ctx.db, { provider_id: ctx.world.providerA, location_id: null, starts_on: "2026-12-08", ends_on: "2026-12-08", dagdeel: null, reason: "Onderhoud stal" });
  });
  after(async () => ctx.close());

  it("is the purchaser's first navigation item after home, and a prominent link on its home page", async () => {
    const home = (await purchaser.get("/")).text;
    expect(home.indexOf('href="/vrije-plaatsen"')).to.be.lessThan(home.indexOf('href="/locaties"'));
    expect(home).to.contain("Bekijk de vrije plaatsen");
  });

  it("shows per village, weekday and dagdeel the free places per week, with the locations listed", async () => {
    const res = await coordinator.get("/vrije-plaatsen");
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Helden");
    expect(res.text).to.contain('href="/locaties/' + ctx.world.locationA + '">Boerderij A</a>');
    expect(res.text).to.contain("week 48, 2026").and.to.contain("week 51, 2026").and.to.not.contain("week 52, 2026");
    // Tuesday morning: A has 4 − 1, B has 3 (one client from 1 December): 6, 5, A closed → 2, 5.
    const section = res.text.slice(res.text.indexOf('class="data fp-grid"'));
    const row = section.slice(section.indexOf("dinsdag ochtend"), section.indexOf("</tr>", section.indexOf("dinsdag ochtend")));
    const cells = [...row.matchAll(/<td class="occupancy ([^"]+)">([\s\S]*?)<\/td>/g)].map((m) => [m[1], m[2].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()]);
    expect(cells).to.deep.equal([
      ["is-free", "6 vrij Boerderij A: 3, Dorpshuis B: 3"],
      ["is-free", "5 vrij Boerderij A: 3, Dorpshuis B: 2"],
      ["is-free", "2 vrij Boerderij A: gesloten, Dorpshuis B: 2"],
      ["is-free", "5 vrij Boerderij A: 3, Dorpshuis B: 2"],
    ]);
    // The overview, per Tuesday and Thursday morning and afternoon: per location the least free
    // in the weeks it is open (A's closure is no lack of room), added up: A 3 + B 2 on Tuesday morning.
    expect(overviewRow(res.text, "Helden")).to.deep.equal(["is-free:5", "is-free:7", "is-free:3", "is-free:3"]);
    expect(res.text).to.contain("Elke week vrij, de komende 4 weken");
  });

  it("never names a client, for any role", async () => {
    for (const agent of [coordinator, purchaser, await loginAs(ctx.app, ctx.world.users.providerA.email)]) {
      const res = await agent.get("/vrije-plaatsen");
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain("Geheime").and.to.not.contain("Bezoeker");
    }
  });

  it("a purchaser sees only providers it holds a contract with", async () => {
    const res = await purchaser.get("/vrije-plaatsen");
    expect(res.text).to.contain("Boerderij A").and.to.not.contain("Dorpshuis B");
    const zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    const other = await zorgkantoor.get("/vrije-plaatsen");
    expect(other.text).to.contain("Dorpshuis B").and.to.not.contain("Boerderij A");
  });

  it("filters by kind of provider", async () => {
    const farms = await coordinator.get("/vrije-plaatsen?soort=zorgboerderij");
    expect(farms.text).to.contain("Boerderij A").and.to.not.contain("Dorpshuis B");
    const villages = await coordinator.get("/vrije-plaatsen?soort=dorpsdagvoorziening");
    expect(villages.text).to.contain("Dorpshuis B").and.to.not.contain(">Boerderij A<");
    expect(villages.text).to.match(/<option value="dorpsdagvoorziening" selected>/);
  });

  it("filters by product: providers with an active contract line for it", async () => {
    const [p] = await ctx.db("products").insert({ code: "DB-BAS", name: "Dagbesteding basis", unit: "dagdeel", created_at: "x", updated_at: "x" }).returning("id");
    const productId = typeof p === "object" ? p.id : p;
    const [v] = await ctx.db("products").insert({ code: "VV", name: "Vervoer", unit: "rit", created_at: "x", updated_at: "x" }).returning("id");
    await ctx.db("contract_lines").insert({ contract_id: ctx.world.contractA, product_id: productId, tariff_cents: 4500, valid_from: "2026-01-01", valid_until: "2026-12-31", created_at: "x", updated_at: "x" });
    await ctx.db("contract_lines").insert({ contract_id: ctx.world.contractA, product_id: typeof v === "object" ? v.id : v, tariff_cents: 900, valid_from: "2026-01-01", valid_until: "2026-12-31", created_at: "x", updated_at: "x" });
    const res = await coordinator.get(`/vrije-plaatsen?product=${productId}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Boerderij A").and.to.not.contain("Dorpshuis B");
    expect(res.text).to.contain(`<option value="${productId}" selected>Dagbesteding basis (DB-BAS)</option>`);
    expect(res.text).to.not.contain("Vervoer (VV)"); // transport is no day-care capacity
    // The zorgkantoor has no contract with this product: it is not offered to it, and filtering on it finds nothing.
    const zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    const other = await zorgkantoor.get(`/vrije-plaatsen?product=${productId}`);
    expect(other.text).to.not.contain("Dagbesteding basis");
    expect(other.text).to.contain("Geen locaties die aan deze keuze voldoen");
  });

  it("shows as many weeks as asked", async () => {
    const res = await coordinator.get("/vrije-plaatsen?weken=2");
    expect(res.text).to.contain("week 49, 2026").and.to.not.contain("week 50, 2026");
  });

  it("answers a bad filter with 422, the filter kept", async () => {
    const weeks = await coordinator.get("/vrije-plaatsen?weken=99&soort=zorgboerderij");
    expect(weeks.status).to.equal(422);
    expect(weeks.text).to.contain('id="f-weken-error"');
    expect(weeks.text).to.match(/<option value="zorgboerderij" selected>/);
    const kind = await coordinator.get("/vrije-plaatsen?soort=kinderopvang");
    expect(kind.status).to.equal(422);
    expect(kind.text).to.contain('id="f-soort-error"');
    expect((await coordinator.get("/vrije-plaatsen?product=abc")).status).to.equal(422);
  });

  it("marks days already past in the current week", async () => {
    const wednesday = await startTestApp({ now: "2026-11-25T10:00:00" });
    try {
      await addWeekRules(wednesday.db, wednesday.world.locationA, 4, [2, 4]);
      const agent = await loginAs(wednesday.app, wednesday.world.users.coordinator.email);
      const res = await agent.get("/vrije-plaatsen?weken=1");
      const section = res.text.slice(res.text.indexOf('class="data fp-grid"'));
      const tuesday = section.slice(section.indexOf("dinsdag ochtend"), section.indexOf("</tr>", section.indexOf("dinsdag ochtend")));
      expect(tuesday).to.contain("is-past").and.to.contain("voorbij");
      const thursday = section.slice(section.indexOf("donderdag ochtend"), section.indexOf("</tr>", section.indexOf("donderdag ochtend")));
      expect(thursday).to.contain("4</strong> vrij");
    } finally {
      await wednesday.close();
    }
  });

  it("lists every village in the overview and a few in full per page, each overview link going to its page", async () => {
    const villages = ["Baarlo", "Beringe", "Egchel", "Grashoek", "Kessel", "Koningslust", "Maasbree", "Meijel"];
    for (const name of villages) {
      const [v] = await ctx.db("villages").insert(withNameKeys("villages", { name, municipality: "Peel en Maas", gemeentecode: "1894", province: "LI", created_at: "x", updated_at: "x" })).returning("id");
      const location = await addLocation(ctx.db, ctx.world.providerA, typeof v === "object" ? v.id : v, `Locatie ${name}`);
      await addWeekRules(ctx.db, location, 2, [3]);
    }
    const first = (await coordinator.get("/vrije-plaatsen?soort=zorgboerderij")).text;
    // Nine villages: all nine in the overview, the first six in full (alphabetically), then a page link.
    for (const name of [...villages, "Helden"]) expect(overviewRow(first, name).length, name).to.be.greaterThan(0);
    const sections = (html: string) => [...html.matchAll(/<section class="fp-village">\s*<h2 id="kern-\d+">([^<]+?) </g)].map((m) => m[1]);
    expect(sections(first)).to.deep.equal(["Baarlo", "Beringe", "Egchel", "Grashoek", "Helden", "Kessel"]);
    expect(first.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&")).to.contain('href="/vrije-plaatsen?soort=zorgboerderij&pagina=2#kern-7"');
    expect(first).to.contain('rel="next"');
    const second = await coordinator.get("/vrije-plaatsen?soort=zorgboerderij&pagina=2");
    expect(second.status).to.equal(200);
    expect(sections(second.text)).to.deep.equal(["Koningslust", "Maasbree", "Meijel"]);
    // A page past the end shows the last one.
    expect(sections((await coordinator.get("/vrije-plaatsen?soort=zorgboerderij&pagina=9")).text)).to.deep.equal(["Koningslust", "Maasbree", "Meijel"]);
  });

  it("runs the same number of queries for 2 locations as for 20 with many clients", async () => {
    const before = await countQueries(ctx.db, () => coordinator.get("/vrije-plaatsen?weken=8"));
    for (let i = 0; i < 18; i++) {
      const id = await addLocation(ctx.db, i % 2 ? ctx.world.providerA : ctx.world.providerB, ctx.world.village, `Extra ${i}`);
      await addWeekRules(ctx.db, id, 5);
      for (let c = 0; c < 3; c++) await addScheduledClient(ctx.db, id, ["Klant", `${i}-${c}`], [{ weekday: 1 + c, dagdeel: "ochtend" }]);
    }
    const after = await countQueries(ctx.db, () => coordinator.get("/vrije-plaatsen?weken=8"));
    expect(before).to.be.greaterThan(0);
    expect(after).to.equal(before);
    expect((await coordinator.get("/vrije-plaatsen")).text).to.contain("Extra 17");
  });
});
