import { expect } from "chai";
import { nameKeys } from "../../src/db/name-keys";
import { LOCATIONS_LISTED_WHOLE } from "../../src/planning/choices";
import { decodeEquals as decode, optionsOf } from "../support/pages";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeClient, makeLocation, makeSchedule, planningWorld, postPlanning, scheduleForm } from "../support/planning-fixtures";

// Issue 11.4: at region scale the schedule form does not offer every location in a <select>;
// it searches them on the server (a GET form, so without JavaScript), keeps what was filled in
// and still shows the free places once a location is chosen. While the locations are few the
// select lists them all, as before.

describe("HTTP: the schedule form searches locations at region scale (issue 11.4)", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let client: number;
  const regional: number[] = [];

  before(async () => {
    ctx = await startTestApp();
    await planningWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    client = await makeClient(ctx.db, "Regio", "Zoeker");
  });
  after(async () => ctx.close());

  it("few locations: every one in the select and no search", async () => {
    const html = (await coordinator.get(`/roosters/nieuw?client=${client}`)).text;
    expect(optionsOf(html, "f-location_id")).to.include(ctx.world.locationA);
    expect(optionsOf(html, "f-room-location")).to.include(ctx.world.locationA);
    expect(html).to.not.contain('id="s-plaats"');
  });

  it("60 more locations: the page offers none of them until a search finds one, keeping what was filled in", async () => {
    const { db, world } = ctx;
    for (let n = 1; n <= 60; n++) {
      const id = await makeLocation(db, world, n % 2 === 0 ? world.providerA : world.providerB, 2);
      const name = `Regiohuis ${String(n).padStart(2, "0")}`;
      await db("locations").where({ id }).update({ name, ...nameKeys(name) });
      regional.push(id);
    }
    expect(regional.length).to.be.greaterThan(LOCATIONS_LISTED_WHOLE);

    const before = await coordinator.get(`/roosters/nieuw?client=${client}`);
    expect(before.status).to.equal(200);
    expect(before.text).to.contain('<label for="s-plaats">Locatie zoeken</label>');
    expect(optionsOf(before.text, "f-location_id")).to.have.length(0);
    expect(optionsOf(before.text, "f-room-location")).to.have.length(0);
    expect(before.text).to.not.contain("Regiohuis");

    // The search, sent as the browser sends the GET form, with the other fields filled in.
    const found = decode((await coordinator.get(`/roosters/nieuw?client=${client}&financiering=eigen&tot=2027-02-28&dagdelen=3-middag&plaats=regiohuis+37`)).text);
    const hit = regional[36];
    expect(optionsOf(found, "f-location_id")).to.deep.equal([hit]);
    expect(optionsOf(found, "f-room-location")).to.deep.equal([hit]);
    expect(found).to.contain('name="plaats" value="regiohuis 37"');
    expect(found).to.match(/value="eigen" checked/);
    expect(found).to.contain('name="valid_until" type="date" value="2027-02-28"');
    expect(found).to.match(/value="3-middag" checked/);
    // The free places form carries the search on, so the choice stays offered after it.
    expect(found).to.contain('<input type="hidden" name="plaats" value="regiohuis 37">');

    // Choosing it: the free places table, the location selected in both forms.
    const chosen = decode((await coordinator.get(`/roosters/nieuw?client=${client}&financiering=eigen&plaats=regiohuis+37&locatie=${hit}`)).text);
    expect(chosen).to.contain('<caption id="room-caption">Vrije plaatsen bij Regiohuis 37');
    expect(chosen).to.match(new RegExp(`<select id="f-location_id" name="location_id"[\\s\\S]*?<option value="${hit}" selected`));
    // A new search keeps the chosen location (a hidden field) and offers it next to what it finds.
    expect(chosen).to.contain(`<input type="hidden" name="locatie" value="${hit}">`);
    const wider = (await coordinator.get(`/roosters/nieuw?client=${client}&locatie=${hit}&plaats=regiohuis+1`)).text;
    const offered = optionsOf(wider, "f-location_id");
    expect(offered[0]).to.equal(hit);
    expect(offered).to.include.members([regional[0], regional[9], regional[20]]).and.not.include(regional[1]);
    // A search by provider or village finds at most a page of them.
    const many = (await coordinator.get(`/roosters/nieuw?client=${client}&plaats=regiohuis`)).text;
    expect(optionsOf(many, "f-location_id").length).to.be.at.most(20);
  });

  it("a refused POST offers the chosen location; booking one found by search works", async () => {
    const hit = regional[11];
    const refused = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: hit, slots: [], funding: "eigen" }));
    expect(refused.status).to.equal(422);
    expect(optionsOf(refused.text, "f-location_id")).to.deep.equal([hit]);
    const saved = await postPlanning(coordinator, "/roosters", scheduleForm({ client, location: hit, slots: ["2-ochtend"], funding: "eigen" }));
    expect(saved.status).to.equal(303);
  });

  it("the change form searches too and keeps the schedule's own location", async () => {
    const other = await makeClient(ctx.db, "Wissel", "Locatie");
    const schedule = await makeSchedule(ctx.db, { client: other, location: regional[4], slots: [[1, "ochtend"]], funding: "eigen" });
    const page = (await coordinator.get(`/roosters/${schedule}/wijzigen?plaats=regiohuis+52`)).text;
    expect(page).to.contain(`<form method="get" action="/roosters/${schedule}/wijzigen"`);
    expect(optionsOf(page, "f-location_id")).to.have.members([regional[4], regional[51]]);
  });

  it("the waiting list form offers none of them before a search either", async () => {
    const page = (await coordinator.get(`/wachtlijst/nieuw?client=${client}`)).text;
    expect(page).to.not.contain("Regiohuis");
    const found = (await coordinator.get(`/wachtlijst/nieuw?client=${client}&plaats=regiohuis+05`)).text;
    expect(optionsOf(found, "f-location_id")).to.deep.equal([regional[4]]);
  });

  it("the waiting list's location filter is searched too; the chosen one stays, an unknown one is 404", async () => {
    const list = (await coordinator.get("/wachtlijst")).text;
    expect(list).to.contain('<label for="s-plaats">Locatie zoeken</label>');
    expect(optionsOf(list, "f-locatie")).to.have.length(0);
    const found = (await coordinator.get("/wachtlijst?plaats=regiohuis+44")).text;
    expect(optionsOf(found, "f-locatie")).to.deep.equal([regional[43]]);
    const filtered = (await coordinator.get(`/wachtlijst?locatie=${regional[43]}`)).text;
    expect(filtered).to.match(new RegExp(`<option value="${regional[43]}" selected`));
    expect(filtered).to.contain(`<input type="hidden" name="locatie" value="${regional[43]}">`);
    expect((await coordinator.get("/wachtlijst?locatie=999999")).status).to.equal(404);
  });
});
