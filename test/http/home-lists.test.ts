import { expect } from "chai";
import { ENDING_PER_PAGE, HOME_LOCATIONS } from "../../src/home/service";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeAllocation, makeClient, makeSchedule, planningWorld, regionLocations } from "../support/planning-fixtures";

// Issue 11.4: the coordinator's home lists today's locations, and a region has two hundred of
// them: it shows the busiest 25 (full ones first) and points to the attendance start page for
// the rest, which shows them all fifty a page. A village's few locations all show, as before.
// The allocations ending within four weeks come 25 a page (?aflopend=), the card counts them all.
describe("HTTP: the coordinator's home keeps its lists short at region scale", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  const MONDAY = "2026-11-23";

  before(async () => {
    ctx = await startTestApp({ now: `${MONDAY}T10:00:00` });
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  /** The rows of the "Vandaag per locatie" table and the text after it. */
  async function today(path = "/") {
    const res = await coordinator.get(path);
    expect(res.status).to.equal(200);
    const section = res.text.slice(res.text.indexOf('<h2 id="today">'));
    const body = section.slice(0, section.indexOf("</main>"));
    const rows = [...body.matchAll(/<th scope="row"><a href="\/organisaties\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
    return { rows, body };
  }

  it("a village's few locations: every one, and no note", async () => {
    const { body } = await today();
    expect(body).to.not.contain("/aanwezigheid?datum=");
  });

  it("a region's: the busiest 25, a full one among them, and the rest counted with a link to the attendance start page", async () => {
    const { db, world } = ctx;
    const { ofA, ofB } = await regionLocations(db, world, 15); // 30 more locations, 4 places each
    const locations = [...ofA, ...ofB];
    for (const [i, location] of locations.entries()) {
      // One client expected at each on Monday morning; the last location is full (4 of 4).
      const expected = i === locations.length - 1 ? 4 : 1;
      for (let n = 0; n < expected; n++) await makeSchedule(db, { client: await makeClient(db, "Vandaag", `Locatie${i}-${n}`), location, slots: [[1, "ochtend"]] });
    }
    const { rows, body } = await today();
    expect(rows).to.have.length(HOME_LOCATIONS);
    const full = await db("locations").where({ id: locations[locations.length - 1] }).first("name");
    expect(rows, "the full location is among them").to.include(full.name);
    // Shown in the list's own order (by name), not shuffled by how busy each is.
    expect([...rows].sort((a, b) => a.localeCompare(b, "nl"))).to.deep.equal(rows);
    const open = await db("schedule_slots as ss").join("schedules as s", "s.id", "ss.schedule_id").where("ss.weekday", 1).countDistinct({ n: "s.location_id" });
    const hidden = Number(open[0].n) - HOME_LOCATIONS;
    expect(hidden).to.be.greaterThan(0);
    expect(body).to.contain(`nog ${hidden} locaties verwachten vandaag iemand`);
    expect(body).to.contain(`<a href="/aanwezigheid?datum=${MONDAY}">Alle locaties van vandaag bij Aanwezigheid</a>`);
    // The page it points to answers, and lists the hidden ones too (busiest first, fifty a page).
    const start = await coordinator.get(`/aanwezigheid?datum=${MONDAY}`);
    expect(start.status).to.equal(200);
    for (const location of locations) {
      const { name } = await db("locations").where({ id: location }).first("name");
      expect(start.text, name).to.contain(name);
    }
  });

  it("the allocations ending within four weeks: all counted on the card, 25 a page", async () => {
    const { db, world } = ctx;
    const pw = await planningWorld(db, world);
    const before = await db("allocations").whereBetween("valid_until", [MONDAY, "2026-12-21"]).count({ n: "*" });
    for (let i = 0; i < 30; i++) {
      const client = await makeClient(db, "Aflopend", `Toewijzing${String(i).padStart(2, "0")}`);
      await makeAllocation(db, { client, purchaser: world.gemeente, provider: world.providerA, product: pw.basis, volume: 2, until: `2026-12-${String(1 + (i % 20)).padStart(2, "0")}` });
    }
    const total = Number(before[0].n) + 30;
    const first = await coordinator.get("/");
    expect(first.text).to.match(new RegExp(`<span class="figure">${total}</span> toewijzingen lopen binnen 4 weken af`));
    const rowsOf = (html: string) => {
      const section = html.slice(html.indexOf('<h2 id="ending">'), html.indexOf('<h2 id="today">'));
      return [...section.matchAll(/<tr><th scope="row">[^<]*<\/th><td>[^<]*<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m[1]);
    };
    const page1 = rowsOf(first.text);
    expect(page1).to.have.length(ENDING_PER_PAGE);
    // Handlebars writes "=" in an attribute as &#x3D;, which a browser reads as "=".
    const links = (html: string) => html.replace(/&#x3D;/g, "=");
    expect(links(first.text)).to.contain('href="/?aflopend=2#ending" rel="next"');
    const second = await coordinator.get("/?aflopend=2");
    expect(second.status).to.equal(200);
    const page2 = rowsOf(second.text);
    expect(page1.length + page2.length).to.equal(total);
    expect(links(second.text)).to.contain('href="/?aflopend=1#ending" rel="prev"');
    // Past the last page or no number: the nearest page there is.
    expect(rowsOf((await coordinator.get("/?aflopend=99")).text)).to.deep.equal(page2);
    expect(rowsOf((await coordinator.get("/?aflopend=abc")).text)).to.deep.equal(page1);
  });
});
