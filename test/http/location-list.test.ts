import { expect } from "chai";
import { LOCATIONS_PER_PAGE } from "../../src/locations/routes";
import { decodeEquals as decode, nextPageUrl as nextUrl } from "../support/pages";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { regionLocations } from "../support/planning-fixtures";

// Issue 11.4, every list paginated or filtered: /locaties shows a region's locations fifty a
// page, narrowed by a search on the location's, provider's or village's name, the provider's
// kind and active or not — GET parameters kept in the page links, a wrong value answered 422
// next to its field, and never a location outside the actor's scope.

/** The ids of the locations listed, in order (each row's link). */
function listed(html: string): number[] {
  const table = html.slice(html.indexOf("<table"), html.indexOf("</table>"));
  return [...table.matchAll(/<th scope="row"><a href="\/locaties\/(\d+)">/g)].map((m) => Number(m[1]));
}

describe("HTTP: the list of locations at region scale (issue 11.4)", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let purchaser: Agent;
  let providerA: Agent;
  /** Bühler 01..30 of provider A (Akker, a care farm) and of provider B (Brink, a village facility). */
  let ofA: number[];
  let ofB: number[];

  before(async () => {
    ctx = await startTestApp();
    ({ ofA, ofB } = await regionLocations(ctx.db, ctx.world, 30));
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  it("shows the coordinator every location once over two pages, fifty on the first, with the count", async () => {
    const first = await coordinator.get("/locaties");
    expect(first.status).to.equal(200);
    const total = 2 + ofA.length + ofB.length;
    expect(listed(first.text)).to.have.length(LOCATIONS_PER_PAGE);
    expect(decode(first.text)).to.contain(`1–${LOCATIONS_PER_PAGE} van ${total} locaties`);
    const next = nextUrl(first.text);
    expect(next).to.equal("/locaties?pagina=2");
    const second = await coordinator.get(next!);
    expect(decode(second.text)).to.contain(`${LOCATIONS_PER_PAGE + 1}–${total} van ${total} locaties`);
    expect(second.text).to.contain('rel="prev"').and.not.contain('rel="next"');
    const all = [...listed(first.text), ...listed(second.text)];
    expect(all).to.have.length(total);
    expect(new Set(all)).to.have.property("size", total);
    expect(all).to.include.members([ctx.world.locationA, ctx.world.locationB, ...ofA, ...ofB]);
  });

  it("narrows by words of the location's or the provider's name, by kind and by status, keeping them in the page links", async () => {
    expect(listed((await coordinator.get("/locaties?zoek=b%C3%BChler+07")).text)).to.have.members([ofA[6], ofB[6]]);
    expect(listed((await coordinator.get("/locaties?zoek=BUHLER+07+akker")).text)).to.deep.equal([ofA[6]]);
    // The provider's name: every location of Dorpsdagvoorziening B.
    expect(listed((await coordinator.get("/locaties?zoek=dorpsdagvoorziening")).text)).to.have.members([ctx.world.locationB, ...ofB]);
    expect(listed((await coordinator.get("/locaties?soort=zorgboerderij")).text)).to.have.members([ctx.world.locationA, ...ofA]);
    const none = await coordinator.get("/locaties?zoek=nergenshoeve");
    expect(none.status).to.equal(200);
    expect(listed(none.text)).to.deep.equal([]);
    expect(none.text).to.contain("Geen locaties gevonden.").and.to.contain('value="nergenshoeve"');

    await ctx.db("locations").where({ id: ofB[3] }).update({ active: false });
    try {
      expect(listed((await coordinator.get("/locaties?status=inactief")).text)).to.deep.equal([ofB[3]]);
      const active = await coordinator.get("/locaties?status=actief");
      expect(listed(active.text)).to.have.length(LOCATIONS_PER_PAGE).and.not.include(ofB[3]);
      expect(nextUrl(active.text)).to.equal("/locaties?status=actief&pagina=2");
      expect(listed((await coordinator.get(nextUrl(active.text)!)).text)).to.have.length(ofA.length + ofB.length + 2 - 1 - LOCATIONS_PER_PAGE);
    } finally {
      await ctx.db("locations").where({ id: ofB[3] }).update({ active: true });
    }
  });

  it("a page past the end shows the last page", async () => {
    const res = await coordinator.get("/locaties?pagina=99");
    expect(res.status).to.equal(200);
    expect(listed(res.text)).to.have.length(2 + ofA.length + ofB.length - LOCATIONS_PER_PAGE);
    expect(res.text).to.contain('rel="prev"');
  });

  it("answers a wrong filter value with 422 next to its field, the search kept; a page that is no number is the first", async () => {
    for (const [query, field] of [["zoek=akker&soort=kinderopvang", "soort"], ["zoek=akker&status=misschien", "status"], [`zoek=akker${"x".repeat(100)}`, "zoek"]] as const) {
      const res = await coordinator.get(`/locaties?${query}`);
      expect(res.status, query).to.equal(422);
      expect(res.text, query).to.contain(`value="${query.split("&")[0].slice(5)}"`);
      expect(res.text, query).to.match(new RegExp(`id="f-${field}-error"`));
      expect(listed(res.text), query).to.deep.equal([]);
    }
    // A page number that is not one is the first page.
    const typed = await coordinator.get("/locaties?pagina=twee");
    expect(typed.status).to.equal(200);
    expect(listed(typed.text)).to.have.length(LOCATIONS_PER_PAGE);
  });

  it("never shows a location outside the actor's scope, whatever the filter", async () => {
    // The gemeente buys from provider A only.
    const mine = [ctx.world.locationA, ...ofA];
    const all = await purchaser.get("/locaties");
    expect(listed(all.text)).to.have.members(mine);
    expect(all.text).to.not.contain('rel="next"');
    expect(listed((await purchaser.get("/locaties?zoek=brink")).text)).to.deep.equal([]);
    expect(listed((await purchaser.get("/locaties?soort=dorpsdagvoorziening")).text)).to.deep.equal([]);
    // The provider sees its own; with fewer than a page it gets no search form and no kind filter.
    const own = await providerA.get("/locaties");
    expect(listed(own.text)).to.have.members(mine);
    expect(own.text).to.not.contain('id="f-zoek"');
    const searched = await providerA.get("/locaties?zoek=brink");
    expect(listed(searched.text)).to.deep.equal([]);
    expect(searched.text).to.contain('id="f-zoek"').and.not.contain('id="f-soort"');
  });
});
