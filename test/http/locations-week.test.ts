import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { addClosure, addScheduledClient, addWeekRules, countQueries } from "../support/locations-fixtures";

/** The text of the week table's cell for a date's row and a dagdeel (0 = ochtend, 1 = middag). */
function cell(html: string, dateNl: string, dagdeel: 0 | 1): { cls: string; text: string } {
  const row = html.slice(html.indexOf(dateNl));
  const cells = [...row.matchAll(/<td class="occupancy ([^"]+)">([\s\S]*?)<\/td>/g)];
  const [, cls, inner] = cells[dagdeel];
  return { cls, text: inner.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() };
}

describe("HTTP: the week view of a location", () => {
  let ctx: TestContext;
  let providerA: Agent;
  let url: string;
  before(async () => {
    ctx = await startTestApp(); // today: Monday 2026-11-23, ISO week 48
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    url = `/locaties/${ctx.world.locationA}/week`;
    await addWeekRules(ctx.db, ctx.world.locationA, 4);
    // Tuesday morning: 4 clients (full). Wednesday morning: 5 (overbooked). Thursday afternoon: 1.
    for (let i = 0; i < 4; i++) await addScheduledClient(ctx.db, ctx.world.locationA, ["Tien", `Dinsdag${i}`], [{ weekday: 2, dagdeel: "ochtend" }]);
    for (let i = 0; i < 5; i++) await addScheduledClient(ctx.db, ctx.world.locationA, ["Vijf", `Woensdag${i}`], [{ weekday: 3, dagdeel: "ochtend" }]);
    await addScheduledClient(ctx.db, ctx.world.locationA, ["Greet", "Geurts"], [{ weekday: 4, dagdeel: "middag" }]);
    await addClosure(ctx.db, { provider_id: ctx.world.providerA, location_id: null, starts_on: "2026-11-27", ends_on: "2026-11-27", dagdeel: "middag", reason: "Teamuitje" });
  });
  after(async () => ctx.close());

  it("shows each day and dagdeel as places, booked and free in words, with a class for the colour", async () => {
    const res = await providerA.get(url);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Bezetting week 48, 2026");
    expect(res.text).to.contain("23-11-2026 tot en met 29-11-2026");
    expect(cell(res.text, "23-11-2026</span> <span class=\"loc-badge\">", 0)).to.deep.equal({ cls: "is-free", text: "4 vrij · 0 van 4 bezet" });
    expect(cell(res.text, "24-11-2026", 0).cls).to.equal("is-full");
    expect(cell(res.text, "24-11-2026", 0).text).to.contain("0 vrij · 4 van 4 bezet vol");
    expect(cell(res.text, "25-11-2026", 0).cls).to.equal("is-over");
    expect(cell(res.text, "25-11-2026", 0).text).to.contain("5 van 4 bezet overbezet");
    expect(cell(res.text, "26-11-2026", 1)).to.deep.include({ cls: "is-free" });
    expect(cell(res.text, "27-11-2026", 1)).to.deep.equal({ cls: "is-closed", text: "gesloten : Teamuitje" });
    expect(cell(res.text, "28-11-2026", 0)).to.deep.equal({ cls: "is-shut", text: "niet open" });
    expect(res.text).to.contain("Hele week").and.to.contain("36 plaatsen, 10 bezet, 27 vrij");
  });

  it("moves to the previous and next ISO week, across the year end too", async () => {
    const w48 = await providerA.get(url);
    expect(w48.text).to.contain(`href="${url}?week=2026-W47"`).and.to.contain(`href="${url}?week=2026-W49"`);
    const w53 = await providerA.get(`${url}?week=2026-W53`);
    expect(w53.status).to.equal(200);
    expect(w53.text).to.contain("28-12-2026 tot en met 3-1-2027");
    expect(w53.text).to.contain(`href="${url}?week=2027-W01"`).and.to.contain(`href="${url}?week=2026-W52"`);
    const w1 = await providerA.get(`${url}?week=2027-W01`);
    expect(w1.text).to.contain(`href="${url}?week=2026-W53"`);
    expect(w1.text).to.contain("4-1-2027 tot en met 10-1-2027");
  });

  it("jumps to the week of a date", async () => {
    const res = await providerA.get(`${url}?datum=2027-01-01`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Bezetting week 53, 2026");
    expect(res.text).to.contain('name="datum" type="date" value="2027-01-01"');
  });

  it("answers an impossible date or week with 422, the input kept", async () => {
    const date = await providerA.get(`${url}?datum=2026-02-30`);
    expect(date.status).to.equal(422);
    expect(date.text).to.contain('id="f-datum-error"').and.to.contain('value="2026-02-30"');
    expect(date.text).to.contain("Bezetting week 48, 2026"); // still a useful page
    for (const week of ["2027-W53", "2026-W00", "week-48"]) {
      const res = await providerA.get(`${url}?week=${week}`);
      expect(res.status, week).to.equal(422);
      expect(res.text).to.contain("Deze week bestaat niet");
    }
  });

  it("names who comes for the provider and coordinators, never for purchasers", async () => {
    expect((await providerA.get(url)).text).to.contain("Tien Dinsdag0");
    const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    expect((await coordinator.get(url)).text).to.contain("Greet Geurts");
    const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    const res = await purchaser.get(url);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("4 van 4 bezet");
    expect(res.text).to.not.contain("Tien Dinsdag0").and.to.not.contain("Greet Geurts");
  });

  it("another provider, and a purchaser without a contract, get 404", async () => {
    const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    expect((await providerB.get(url)).status).to.equal(404);
    const zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    expect((await zorgkantoor.get(url)).status).to.equal(404);
  });

  it("runs the same number of queries whatever the number of clients and closures", async () => {
    const before = await countQueries(ctx.db, () => providerA.get(`${url}?week=2026-W49`));
    for (let i = 0; i < 30; i++) {
      await addScheduledClient(ctx.db, ctx.world.locationA, ["Veel", `Klant${i}`], [{ weekday: 1 + (i % 5), dagdeel: i % 2 ? "ochtend" : "middag" }, { weekday: 1 + ((i + 2) % 5), dagdeel: "ochtend" }]);
    }
    for (let i = 0; i < 5; i++) {
      await addClosure(ctx.db, { provider_id: ctx.world.providerA, location_id: ctx.world.locationA, starts_on: "2026-12-01", ends_on: "2026-12-02", dagdeel: "ochtend", reason: `Sluiting ${i}` });
    }
    const after = await countQueries(ctx.db, () => providerA.get(`${url}?week=2026-W49`));
    expect(before).to.be.greaterThan(0);
    expect(after).to.equal(before);
    expect((await providerA.get(`${url}?week=2026-W49`)).text).to.contain("Veel Klant29");
  });
});
