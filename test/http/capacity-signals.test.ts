import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeClient, makeLocation, makeSchedule, planningWorld, postPlanning, setCapacity } from "../support/planning-fixtures";

// Issue 15.3: a provider's capacity cut that leaves dagdelen over their places — from today or
// from a later date — shows on /signalen and on the coordinator's home, with the clients and
// the dates, until it is resolved.

/** The capacity form's grid: places on the given weekday × dagdeel cells, the rest closed. */
function grid(cells: Record<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let w = 1; w <= 7; w++) for (const d of ["ochtend", "middag"]) out[`places_${w}_${d}`] = String(cells[`${w}_${d}`] ?? "");
  return out;
}

describe("HTTP: a capacity cut reaches the coordinator (issue 15.3)", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let providerA: Agent;

  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  it("a cut from a later date and a dagdeel closed from next week: listed and on the home page with clients and dates, until resolved", async () => {
    const { db, world } = ctx;
    const later = await makeLocation(db, world, world.providerA);
    await setCapacity(db, later, 3, [{ weekday: 3, dagdeel: "ochtend" }]);
    for (const name of ["Een", "Twee", "Drie"]) await makeSchedule(db, { client: await makeClient(db, name, "Woensdag"), location: later, slots: [[3, "ochtend"]], from: "2026-11-04" });
    const soon = await makeLocation(db, world, world.providerA);
    await setCapacity(db, soon, 2, [{ weekday: 2, dagdeel: "middag" }, { weekday: 4, dagdeel: "middag" }]);
    const tuesday = await makeSchedule(db, { client: await makeClient(db, "Nul", "Dinsdag"), location: soon, slots: [[2, "middag"]], from: "2026-11-03" });

    expect((await coordinator.get("/signalen/boven-capaciteit")).text).to.not.contain("Woensdag");
    // The provider cuts Wednesday morning to two places from January (confirming the warning)…
    const url = `/locaties/${later}/capaciteit`;
    expect((await postForm(providerA, url, { ...grid({ "3_ochtend": 2 }), valid_from: "2027-01-06", confirm: "1" }, url)).status).to.equal(303);
    // …and stops opening on Tuesday afternoons from 1 December.
    const url2 = `/locaties/${soon}/capaciteit`;
    expect((await postForm(providerA, url2, { ...grid({ "4_middag": 2 }), valid_from: "2026-12-01", confirm: "1" }, url2)).status).to.equal(303);

    const list = await coordinator.get("/signalen/boven-capaciteit");
    const body = list.text.slice(list.text.indexOf("<tbody>"), list.text.indexOf("</tbody>"));
    expect(body).to.contain("wo 6-1-2027 ochtend").and.to.contain("Drie Woensdag").and.to.contain("3/2");
    expect(body).to.contain("di 1-12-2026 middag").and.to.contain("Nul Dinsdag").and.to.contain("1/0");
    const home = await coordinator.get("/");
    const section = home.text.slice(home.text.indexOf('id="over-capacity-home"'), home.text.indexOf("</ul>", home.text.indexOf('id="over-capacity-home"')));
    expect(section).to.contain("di 1-12-2026 middag").and.to.contain("Nul Dinsdag");
    expect(section).to.contain("wo 6-1-2027 ochtend").and.to.contain("Drie Woensdag");
    expect(home.text).to.match(/<span class="figure">2<\/span> <a href="\/signalen\/boven-capaciteit">/);

    // Resolved: Tuesday's client ends the day before; the Wednesday cut is taken back.
    expect((await postPlanning(coordinator, `/roosters/${tuesday}/beeindigen`, { valid_until: "2026-11-30" })).status).to.equal(303);
    expect((await postForm(providerA, url, { ...grid({ "3_ochtend": 3 }), valid_from: "2027-01-06" }, url)).status).to.equal(303);
    const after = await coordinator.get("/");
    expect(after.text).to.not.contain('id="over-capacity-home"');
    expect((await coordinator.get("/signalen/boven-capaciteit")).text).to.not.contain("Woensdag").and.to.not.contain("Nul Dinsdag");
  });
});
