import { expect } from "chai";
import { CHOOSER_LOCATIONS_PER_PAGE } from "../../src/attendance/chooser-page";
import { LOCATIONS_LISTED_WHOLE } from "../../src/planning/choices";
import { decodeEquals as decode, nextPageUrl as nextUrl, optionsOf } from "../support/pages";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { regionLocations, makeClient, makeSchedule, planningWorld } from "../support/planning-fixtures";

// Issue 11.4, pages that stay small: at region scale (some 200 locations) the attendance start
// page shows its table of locations fifty a page, those with clients on the date first, and a
// location search narrows it; the transport page searches its location (?plaats=) instead of a
// <select> of every location. Without JavaScript (GET forms and links), keeping the other
// fields, and within the actor's organisation.

const MONDAY = "2026-11-23";

/** The locations of the start page's table, in the order shown (each row's link to its daily list). */
function tableIds(html: string): number[] {
  const section = html.slice(html.indexOf('aria-labelledby="att-locations"'), html.indexOf('aria-labelledby="att-more"'));
  return [...section.matchAll(/<th scope="row"><a href="\/aanwezigheid\/locaties\/(\d+)\?datum/g)].map((m) => Number(m[1]));
}

describe("HTTP: the attendance start page and the transport page at region scale (issue 11.4)", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let providerA: Agent;
  /** Bühler 01..40 of provider A and of provider B, by number. */
  const ofA: number[] = [];
  const ofB: number[] = [];
  let villageName: string;

  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    villageName = (await ctx.db("villages").where({ id: ctx.world.village }).first("name")).name;
  });
  after(async () => ctx.close());

  async function regionOfLocations() {
    const { db, world } = ctx;
    const made = await regionLocations(db, world, 40);
    ofA.push(...made.ofA);
    ofB.push(...made.ofB);
    // Clients expected on Monday at two locations late in the alphabet; one travels.
    const traveller = await makeClient(db, "Rita", "Rijdt");
    await db("clients").where({ id: traveller }).update({ needs_transport: true });
    await makeSchedule(db, { client: traveller, location: ofA[39], slots: [[1, "ochtend"]] });
    await makeSchedule(db, { client: await makeClient(db, "Bram", "Brinkman"), location: ofB[38], slots: [[1, "middag"]] });
  }

  async function activeIds(providerId: number | null): Promise<number[]> {
    const q = ctx.db("locations").where({ active: true });
    if (providerId !== null) q.where({ provider_id: providerId });
    return (await q.select("id")).map((r: { id: number }) => r.id);
  }

  it("few locations: the start page has no pages, the transport page lists every location in its select", async () => {
    const start = (await coordinator.get(`/aanwezigheid?datum=${MONDAY}`)).text;
    expect(tableIds(start)).to.have.members(await activeIds(null));
    expect(start).to.not.contain('rel="next"');
    const transport = (await coordinator.get(`/vervoer?datum=${MONDAY}`)).text;
    expect(optionsOf(transport, "f-locatie")).to.have.members(await activeIds(null));
    expect(transport).to.not.contain('id="s-plaats"');
  });

  describe("at region scale", () => {
    before(async () => {
      await regionOfLocations();
      expect((await activeIds(null)).length).to.be.greaterThan(CHOOSER_LOCATIONS_PER_PAGE);
      expect(ofA.length).to.be.greaterThan(LOCATIONS_LISTED_WHOLE);
    });

    it("the start page shows fifty locations a page, those with clients that day first, and its pages hold every location once", async () => {
      const first = await coordinator.get(`/aanwezigheid?datum=${MONDAY}`);
      expect(first.status).to.equal(200);
      const shown = tableIds(first.text);
      expect(shown).to.have.length(CHOOSER_LOCATIONS_PER_PAGE);
      // Bühler 40 Akker and 39 Brink would come last by name; they have clients on Monday.
      expect(shown.slice(0, 5)).to.include.members([ofA[39], ofB[38]]);
      expect(first.text).to.contain("eerst de locaties waar op deze dag cliënten verwacht of geregistreerd zijn");
      expect(nextUrl(first.text)).to.equal(`/aanwezigheid?datum=${MONDAY}&pagina=2`);

      const all = [...shown];
      let next = nextUrl(first.text);
      while (next !== null) {
        const page = await coordinator.get(next);
        expect(page.status).to.equal(200);
        expect(page.text).to.contain('rel="prev"');
        const ids = tableIds(page.text);
        expect(ids.length).to.be.within(1, CHOOSER_LOCATIONS_PER_PAGE);
        all.push(...ids);
        next = nextUrl(page.text);
      }
      expect(all).to.have.length(new Set(all).size);
      expect(all).to.have.members(await activeIds(null));
      // On a Sunday nobody is expected: the order is by village and name, the schedules' locations on a later page.
      const sunday = tableIds((await coordinator.get("/aanwezigheid?datum=2026-11-22")).text);
      expect(sunday).to.not.include(ofA[39]);
      // A page past the last shows the last.
      expect(tableIds((await coordinator.get(`/aanwezigheid?datum=${MONDAY}&pagina=99`)).text).length).to.be.within(1, CHOOSER_LOCATIONS_PER_PAGE);
    });

    it("the start page's search narrows the table too, diacritics folded, keeping the date in its pages", async () => {
      const found = decode((await coordinator.get(`/aanwezigheid?datum=${MONDAY}&plaats=BUHLER+07`)).text);
      expect(tableIds(found)).to.have.members([ofA[6], ofB[6]]);
      expect(found).to.contain("2 locaties gevonden met ‘BUHLER 07’.");
      expect(found).to.not.contain('rel="next"');
      expect(tableIds(decode((await coordinator.get(`/aanwezigheid?datum=${MONDAY}&plaats=bühler+40+akker`)).text))).to.deep.equal([ofA[39]]);
      // A village's name finds its locations: more than a page, so paged with the search kept.
      const village = await coordinator.get(`/aanwezigheid?datum=${MONDAY}&plaats=${encodeURIComponent(villageName)}`);
      expect(tableIds(village.text)).to.have.length(CHOOSER_LOCATIONS_PER_PAGE);
      const second = nextUrl(village.text)!;
      expect(second).to.equal(`/aanwezigheid?datum=${MONDAY}&plaats=${encodeURIComponent(villageName).replace(/%20/g, "+")}&pagina=2`);
      const rest = tableIds((await coordinator.get(second)).text);
      expect(rest.length).to.be.greaterThan(0);
      expect(rest).to.not.include.members(tableIds(village.text).slice(0, 1));
      // Nothing found says so.
      expect(decode((await coordinator.get(`/aanwezigheid?datum=${MONDAY}&plaats=qqqq`)).text)).to.contain("Niets gevonden");
      // A refused date still shows a bounded table.
      const bad = await coordinator.get("/aanwezigheid?datum=2026-13-40");
      expect(bad.status).to.equal(422);
      expect(tableIds(bad.text)).to.have.length(CHOOSER_LOCATIONS_PER_PAGE);
    });

    it("a provider's start page shows its own locations only, and its search never finds another's", async () => {
      const own = await activeIds(ctx.world.providerA);
      const page = (await providerA.get(`/aanwezigheid?datum=${MONDAY}`)).text;
      const shown = tableIds(page);
      expect(shown.length).to.be.within(1, CHOOSER_LOCATIONS_PER_PAGE);
      expect(shown.every((id) => own.includes(id))).to.equal(true);
      expect(shown[0]).to.equal(ofA[39]);
      expect(tableIds((await providerA.get("/aanwezigheid?plaats=brink")).text)).to.deep.equal([]);
      expect(tableIds((await providerA.get("/aanwezigheid?plaats=bühler+07")).text)).to.deep.equal([ofA[6]]);
    });

    it("the transport page searches its location, diacritics folded, keeping date, dagdeel and village", async () => {
      const before = await coordinator.get(`/vervoer?datum=${MONDAY}`);
      expect(before.status).to.equal(200);
      expect(before.text).to.contain('<label for="s-plaats">Locatie zoeken</label>');
      expect(optionsOf(before.text, "f-locatie")).to.have.length(0);
      expect(before.text).to.contain(`<input type="hidden" name="datum" value="${MONDAY}">`);

      const base = `/vervoer?datum=${MONDAY}&dagdeel=ochtend&kern=${ctx.world.village}`;
      const found = decode((await coordinator.get(`${base}&plaats=B%C3%9CHLER+40`)).text);
      expect(optionsOf(found, "f-locatie")).to.have.members([ofA[39], ofB[39]]);
      expect(found).to.contain(`<input type="hidden" name="datum" value="${MONDAY}">`);
      expect(found).to.contain('<input type="hidden" name="dagdeel" value="ochtend">');
      expect(found).to.contain(`<input type="hidden" name="kern" value="${ctx.world.village}">`);
      expect(found).to.contain('<input type="hidden" name="plaats" value="BÜHLER 40">');
      expect(found).to.match(new RegExp(`<select id="f-kern" name="kern">[\\s\\S]*?<option value="${ctx.world.village}" selected`));

      // Chosen: the list of that location, the choice selected and kept by the next search.
      const chosen = decode((await coordinator.get(`${base}&plaats=B%C3%9CHLER+40&locatie=${ofA[39]}`)).text);
      expect(chosen).to.contain("Rita Rijdt");
      expect(chosen).to.match(new RegExp(`<option value="${ofA[39]}" selected`));
      expect(chosen).to.contain(`<input type="hidden" name="locatie" value="${ofA[39]}">`);
      const searchedAgain = decode((await coordinator.get(`${base}&plaats=brink+07&locatie=${ofA[39]}`)).text);
      expect(optionsOf(searchedAgain, "f-locatie")).to.deep.equal([ofA[39], ofB[6]]);
      // Bad input: 422 with the search and its finds kept.
      const bad = await coordinator.get(`/vervoer?datum=${MONDAY}&dagdeel=avond&plaats=buhler+40`);
      expect(bad.status).to.equal(422);
      expect(optionsOf(bad.text, "f-locatie")).to.have.members([ofA[39], ofB[39]]);
    });

    it("the transport page: a provider finds its own locations only; another provider's location is 404", async () => {
      const found = (await providerA.get(`/vervoer?datum=${MONDAY}&plaats=bühler+40`)).text;
      expect(optionsOf(found, "f-locatie")).to.deep.equal([ofA[39]]);
      expect(optionsOf((await providerA.get(`/vervoer?datum=${MONDAY}&plaats=brink`)).text, "f-locatie")).to.deep.equal([]);
      expect((await providerA.get(`/vervoer?datum=${MONDAY}&locatie=${ofB[39]}`)).status).to.equal(404);
      // Named in a refused request, another provider's location is not offered either.
      expect(optionsOf((await providerA.get(`/vervoer?datum=${MONDAY}&dagdeel=avond&locatie=${ofB[39]}`)).text, "f-locatie")).to.deep.equal([]);
    });
  });
});
