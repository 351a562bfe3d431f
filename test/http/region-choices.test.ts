import { expect } from "chai";
import { CONTRACTS_LISTED_WHOLE, LOCATIONS_LISTED_WHOLE } from "../../src/planning/choices";
import { decodeEquals as decode, optionsOf } from "../support/pages";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { regionLocations, makeAllocation, makeClient, planningWorld, type PlanningWorld } from "../support/planning-fixtures";

// Issue 11.4, the rest: at region scale (a region has some 200 locations and 1,468 contracts)
// the attendance start page, the attendance overviews' filter and the schedule form's contract
// choice do not offer everything in one <select>. While the scope is small they list it whole;
// beyond that a server-side search (a GET form, so without JavaScript) finds by name with
// diacritics folded, keeps the other fields and stays within the actor's organisation. The
// schedule form offers only the contracts that can fund the client at the chosen location.

describe("HTTP: location and contract choices at region scale (issue 11.4)", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;
  let providerA: Agent;
  /** Bühler 01..40 of provider A and of provider B, by number. */
  const ofA: number[] = [];
  const ofB: number[] = [];

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  async function regionOfLocations() {
    const made = await regionLocations(ctx.db, ctx.world, 40, 2);
    ofA.push(...made.ofA);
    ofB.push(...made.ofB);
    expect(ofA.length).to.be.greaterThan(LOCATIONS_LISTED_WHOLE);
  }

  describe("the attendance pages", () => {
    it("few locations: the select lists them all and there is no search", async () => {
      const start = (await providerA.get("/aanwezigheid")).text;
      expect(optionsOf(start, "f-locatie")).to.include(ctx.world.locationA);
      expect(start).to.not.contain('id="s-plaats"');
      const overview = (await coordinator.get("/aanwezigheid/overzicht/locaties")).text;
      expect(optionsOf(overview, "f-locatie")).to.have.members([ctx.world.locationA, ctx.world.locationB]);
      expect(overview).to.not.contain('id="s-plaats"');
    });

    it("the start page searches instead of listing 80 locations, folding diacritics and keeping the date", async () => {
      await regionOfLocations();
      const before = await coordinator.get("/aanwezigheid?datum=2026-11-20");
      expect(before.status).to.equal(200);
      expect(before.text).to.contain('<label for="s-plaats">Locatie zoeken</label>');
      expect(optionsOf(before.text, "f-locatie")).to.have.length(0);

      // As the browser sends the GET search form: its hidden date and the typed words.
      const found = decode((await coordinator.get("/aanwezigheid?datum=2026-11-20&plaats=BUHLER+07")).text);
      expect(optionsOf(found, "f-locatie")).to.have.members([ofA[6], ofB[6]]);
      expect(found).to.contain('<input type="hidden" name="datum" value="2026-11-20">');
      expect(found).to.contain('name="datum" type="date" value="2026-11-20"');
      // The list form carries the search on, so a refused date keeps the choice offered.
      expect(found).to.contain('<input type="hidden" name="plaats" value="BUHLER 07">');
      const refused = decode((await coordinator.get(`/aanwezigheid?datum=2026-13-40&plaats=BUHLER+07&locatie=${ofA[6]}`)).text);
      expect(optionsOf(refused, "f-locatie")).to.include(ofA[6]);
      expect(refused).to.match(new RegExp(`<option value="${ofA[6]}" selected`));
      // Choosing one opens its list on that date.
      const chosen = await coordinator.get(`/aanwezigheid?datum=2026-11-20&plaats=BUHLER+07&locatie=${ofA[6]}`);
      expect(chosen.status).to.equal(303);
      expect(chosen.headers.location).to.equal(`/aanwezigheid/locaties/${ofA[6]}?datum=2026-11-20`);
    });

    it("a provider's search never finds another provider's locations", async () => {
      const found = (await providerA.get("/aanwezigheid?plaats=zorghoeve+bühler+1")).text;
      const offered = optionsOf(found, "f-locatie");
      expect(offered.length).to.be.greaterThan(0).and.at.most(20);
      expect(offered.every((id) => ofA.includes(id))).to.equal(true);
      expect(optionsOf((await providerA.get("/aanwezigheid?plaats=brink")).text, "f-locatie")).to.have.length(0);
      // Nor is one of them offered when named in the address.
      expect(optionsOf((await providerA.get(`/aanwezigheid?datum=bad&locatie=${ofB[0]}`)).text, "f-locatie")).to.have.length(0);
    });

    it("the overviews' location filter is searched, keeps the period, and finds a closed location too", async () => {
      await ctx.db("locations").where({ id: ofA[11] }).update({ active: false });
      for (const page of ["clienten", "locaties"]) {
        const before = (await coordinator.get(`/aanwezigheid/overzicht/${page}?van=2026-10-01&tot=2026-10-31`)).text;
        expect(before).to.contain('<label for="s-plaats">Locatie zoeken</label>');
        expect(optionsOf(before, "f-locatie")).to.have.length(0);
        const found = decode((await coordinator.get(`/aanwezigheid/overzicht/${page}?van=2026-10-01&tot=2026-10-31&plaats=bühler+12`)).text);
        expect(optionsOf(found, "f-locatie")).to.have.members([ofA[11], ofB[11]]);
        expect(found).to.contain('<input type="hidden" name="van" value="2026-10-01">');
        expect(found).to.contain('<input type="hidden" name="tot" value="2026-10-31">');
        expect(found).to.contain('<input type="hidden" name="plaats" value="bühler 12">');
        // Filtered on one: it stays selected (and the search form keeps it).
        const filtered = decode((await coordinator.get(`/aanwezigheid/overzicht/${page}?van=2026-10-01&tot=2026-10-31&locatie=${ofA[11]}`)).text);
        expect(filtered).to.match(new RegExp(`<option value="${ofA[11]}" selected`));
        expect(filtered).to.contain(`<input type="hidden" name="locatie" value="${ofA[11]}">`);
      }
      // Bad input keeps the search and answers 422 with the field's message.
      const bad = await coordinator.get("/aanwezigheid/overzicht/locaties?van=2026-10-31&tot=2026-10-01&plaats=buhler+12");
      expect(bad.status).to.equal(422);
      expect(optionsOf(bad.text, "f-locatie")).to.have.members([ofA[11], ofB[11]]);
    });

    it("the overviews: a provider finds its own only; another provider's location is 404", async () => {
      const found = (await providerA.get("/aanwezigheid/overzicht/locaties?plaats=bühler+12")).text;
      expect(optionsOf(found, "f-locatie")).to.deep.equal([ofA[11]]);
      expect((await providerA.get(`/aanwezigheid/overzicht/locaties?locatie=${ofB[11]}`)).status).to.equal(404);
    });
  });

  describe("the schedule form's contracts", () => {
    it("offers only contracts that can fund the client there: the location's provider, the client's purchaser, running on the first day", async () => {
      const { db, world } = ctx;
      // A client of the zorgkantoor (an allocation) and one living in the gemeente (Helden).
      const wlz = await makeClient(db, "Wil", "Zorgkantoor");
      await makeAllocation(db, { client: wlz, purchaser: world.zorgkantoor, provider: world.providerB, product: pw.basis, volume: 4 });
      const resident = await makeClient(db, "Hanna", "Helden");
      await db("clients").where({ id: resident }).update({ village_id: world.village });

      const at = (client: number, location: number, from: string) => coordinator.get(`/roosters/nieuw?client=${client}&financiering=subsidie&locatie=${location}&vanaf=${from}`);
      expect(optionsOf((await at(resident, world.locationA, "2026-11-24")).text, "f-contract_id")).to.deep.equal([world.contractA]);
      expect(optionsOf((await at(resident, world.locationA, "2027-01-04")).text, "f-contract_id")).to.deep.equal([pw.contractA2027]);
      expect(optionsOf((await at(resident, world.locationB, "2026-11-24")).text, "f-contract_id")).to.deep.equal([]);
      expect(optionsOf((await at(wlz, world.locationB, "2026-11-24")).text, "f-contract_id")).to.deep.equal([world.contractZorgkantoorB]);
      expect(optionsOf((await at(wlz, world.locationA, "2026-11-24")).text, "f-contract_id")).to.deep.equal([]);
      // A contract already chosen stays offered (the booking check judges it).
      expect(optionsOf((await coordinator.get(`/roosters/nieuw?client=${wlz}&locatie=${world.locationA}&contract=${world.contractA}`)).text, "f-contract_id")).to.deep.equal([world.contractA]);
    });

    it("more contracts than a select holds: a search by reference or purchaser, keeping the other fields", async () => {
      const { db, world } = ctx;
      const regional: number[] = [];
      for (let n = 1; n <= CONTRACTS_LISTED_WHOLE + 5; n++) {
        const [r] = await db("contracts")
          .insert({ purchaser_id: world.gemeente, provider_id: world.providerA, reference: `PM-REG-${String(n).padStart(2, "0")}`, kind: "subsidie", valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief", created_at: "2026-11-01T08:00:00.000Z", updated_at: "2026-11-01T08:00:00.000Z" })
          .returning("id");
        regional.push(typeof r === "object" ? r.id : r);
      }
      const client = await makeClient(db, "Regio", "Contract");
      const base = `/roosters/nieuw?client=${client}&financiering=subsidie&locatie=${world.locationA}&vanaf=2026-11-24&dagdelen=2-ochtend`;
      const before = await coordinator.get(base);
      expect(before.status).to.equal(200);
      expect(before.text).to.contain('<label for="s-contractzoek">Contract zoeken</label>');
      expect(optionsOf(before.text, "f-contract_id")).to.have.length(0);

      const found = decode((await coordinator.get(`${base}&contractzoek=pm-reg-07`)).text);
      expect(optionsOf(found, "f-contract_id")).to.deep.equal([regional[6]]);
      expect(found).to.contain('name="contractzoek" value="pm-reg-07"');
      expect(found).to.match(/value="subsidie" checked/);
      expect(found).to.match(/value="2-ochtend" checked/);
      expect(found).to.match(new RegExp(`<select id="f-location_id" name="location_id"[\\s\\S]*?<option value="${world.locationA}" selected`));
      // The contract search keeps the location and the other fields; the free places form keeps the search.
      expect(found).to.contain(`<input type="hidden" name="locatie" value="${world.locationA}">`);
      expect(found).to.contain('<input type="hidden" name="contractzoek" value="pm-reg-07">');
      // By purchaser, diacritics folded: at most a page of them.
      expect(optionsOf((await coordinator.get(`${base}&contractzoek=péél+maas`)).text, "f-contract_id").length).to.be.within(1, 20);
      // Chosen, it stays offered beside a new search.
      const chosen = (await coordinator.get(`${base}&contract=${regional[6]}&contractzoek=pm-reg-2`)).text;
      const offered = optionsOf(chosen, "f-contract_id");
      expect(offered[0]).to.equal(regional[6]);
      expect(offered).to.include(regional[19]).and.not.include(regional[0]);
      // Another provider's location: none of them fund a booking there, and its one contract needs no search.
      const atB = (await coordinator.get(`/roosters/nieuw?client=${client}&locatie=${world.locationB}&contractzoek=pm-reg`)).text;
      expect(optionsOf(atB, "f-contract_id")).to.deep.equal([world.contractZorgkantoorB]);
      expect(atB).to.not.contain('id="s-contractzoek"');
    });
  });
});
