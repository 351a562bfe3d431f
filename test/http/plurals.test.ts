import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildAttendanceWorld } from "../support/attendance-fixtures";

// "1 cliënt", "3 cliënten": counts next to nouns on real pages, in Dutch and in English. On
// Monday 23 November 2026 location A expects three clients in the morning and Anna alone in the
// afternoon (10 places each); location B expects Dina alone.
describe("HTTP: singular and plural next to a count", () => {
  let ctx: TestContext;
  let providerA: Agent;
  const daily = () => `/aanwezigheid/locaties/${ctx.world.locationA}?datum=2026-11-23`;
  const section = (html: string, id: string) => html.slice(html.indexOf(`id="${id}"`), html.indexOf("</section>", html.indexOf(`id="${id}"`)));

  before(async () => {
    ctx = await startTestApp();
    await buildAttendanceWorld(ctx.db, ctx.world);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  it("the daily list: three clients in the morning, one in the afternoon", async () => {
    const res = await providerA.get(daily());
    const morning = section(res.text, "d-ochtend");
    const afternoon = section(res.text, "d-middag");
    expect(morning).to.contain("3 verwacht, 10 plaatsen");
    expect(morning).to.contain("nog 3 cliënten te registreren");
    expect(morning).to.contain("Iedereen aanwezig (3 cliënten)");
    expect(afternoon).to.contain("nog 1 cliënt te registreren");
    expect(afternoon).to.contain("Iedereen aanwezig (1 cliënt)");
    const done = await postForm(providerA, `/aanwezigheid/locaties/${ctx.world.locationA}/iedereen-aanwezig`, { date: "2026-11-23", dagdeel: "middag" }, daily());
    expect(done.status).to.equal(303);
    expect((await providerA.get(daily())).text).to.contain("1 cliënt aanwezig gemeld (middag).");
  });

  it("the same in English", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.providerA.email);
    await postForm(agent, "/taal", { locale: "en", back: "/" });
    const res = await agent.get(daily());
    expect(section(res.text, "d-ochtend")).to.contain("3 clients still to record");
    expect(res.text).to.contain("3 expected, 10 places");
    const home = await agent.get("/");
    expect(home.text).to.match(/<span class="figure">1<\/span> <a [^>]*>dagdeel still to record today<\/a>|<span class="figure">[02-9]\d*<\/span> <a [^>]*>dagdelen still to record today<\/a>/);
  });

  it("the home page's cards agree with their figure", async () => {
    const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const home = await coordinator.get("/");
    const cards = [...home.text.matchAll(/<span class="figure">(\d+)<\/span> (?:<a [^>]*>)?([^<]+)/g)];
    expect(cards.length).to.be.greaterThan(8);
    expect(cards.some(([, n]) => n === "1")).to.equal(true);
    for (const [, n, label] of cards) {
      if (label.startsWith("op de wachtlijst")) continue;
      const first = label.split(" ")[0];
      const plural = /(en|s)$/.test(first) && !["rooster", "cliënt"].includes(first);
      expect(plural, `"${n} ${label}"`).to.equal(n !== "1");
    }
  });
});
