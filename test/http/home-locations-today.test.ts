import { expect } from "chai";
import { HOME_LOCATIONS } from "../../src/home/service";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeClient, makeSchedule, regionLocations } from "../support/planning-fixtures";

// Issue 11.4: the coordinator's home lists today's locations, and a region has two hundred of
// them: it shows the busiest 25 (full ones first) and points to the attendance start page for
// the rest, which shows them all fifty a page. A village's few locations all show, as before.
describe("HTTP: the coordinator's home lists today's busiest locations, the rest one link away", () => {
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
});
