import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeAllocation, makeClient, makeLocation, makeSchedule, planningWorld, postPlanning, scheduleForm, setPlaces } from "../support/planning-fixtures";
import { recordAudit } from "../../src/audit/repository";

// The admin's audit log: by user, client, kind and period, a page at a time, with names and
// what changed — the changes themselves made over HTTP, as users make them.
describe("HTTP: the audit log can be searched and read", () => {
  let ctx: TestContext;
  let admin: Agent;
  let anna: number;
  let bert: number;
  let locationName: string;
  const REASON = "Tijdelijk een extra begeleider aanwezig";

  before(async () => {
    ctx = await startTestApp(); // every entry stamped 2026-11-23 10:00 (Amsterdam)
    const pw = await planningWorld(ctx.db, ctx.world);
    const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
    // An overbooking with its written reason: Monday morning has one place, already taken.
    const location = await makeLocation(ctx.db, ctx.world, ctx.world.providerA);
    locationName = (await ctx.db("locations").where({ id: location }).first()).name;
    await setPlaces(ctx.db, location, 1, "ochtend", 1);
    await makeSchedule(ctx.db, { client: await makeClient(ctx.db, "Vol"), location, slots: [[1, "ochtend"]], from: "2026-11-02", until: null });
    anna = await makeClient(ctx.db, "Anna", "Overboekt", "999990019");
    const allocation = await makeAllocation(ctx.db, { client: anna, purchaser: ctx.world.gemeente, provider: ctx.world.providerA, product: pw.basis, volume: 4 });
    const booked = await postPlanning(coordinator, "/roosters", scheduleForm({ client: anna, location, allocation, slots: ["1-ochtend"], from: "2026-11-30", until: "2026-12-14", overbook: true, reason: REASON }));
    expect(booked.status).to.equal(303);
    // A client's details changed by the coordinator.
    bert = await makeClient(ctx.db, "Bert", "Gewijzigd");
    const edited = await postForm(coordinator, `/clienten/${bert}/wijzigen`, { first_name: "Bert", last_name: "Gewijzigd", street: "Nieuwe Weg 1", postcode: "5991 CD", notes: "Komt met de fiets" });
    expect(edited.status).to.equal(303);
    // A user created by the admin.
    const created = await postForm(admin, "/beheer/gebruikers", { name: "Nieuwe Collega", email: "collega@test.example", role: "purchaser", organisation_id: String(ctx.world.gemeente), locale: "nl", password: "een-goed-wachtwoord" });
    expect(created.status).to.equal(303);
  });
  after(async () => ctx.close());

  /** The rows of the audit table, as text. */
  const rowsOf = (html: string) => [...html.matchAll(/<tr>\s*<td[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());

  it("shows who did what to whom by name, what changed, and an overbooking's reason", async () => {
    const res = await admin.get("/beheer/audit");
    expect(res.status).to.equal(200);
    const rows = rowsOf(res.text);
    const booking = rows.find((r) => r.includes("rooster") && r.includes("Anna Overboekt"))!;
    expect(booking, rows.join("\n")).to.not.equal(undefined);
    expect(booking).to.contain("User coordinator");
    expect(booking).to.contain(`Reden overboeking: ${REASON}`);
    expect(booking).to.contain(locationName); // location_id shown by name
    expect(booking).to.match(/overboekt ma 30-11-2026 ochtend.*\(vol: 2 van 1\)/);
    const edit = rows.find((r) => r.includes("Bert Gewijzigd"))!;
    expect(edit).to.contain("gewijzigde velden");
    expect(edit).to.contain("street");
    const user = rows.find((r) => r.includes("Nieuwe Collega"))!;
    expect(user).to.contain("User admin");
    expect(user).to.contain("Gemeente Peel en Maas"); // organisation_id by name
    expect(res.text).to.not.contain("999990019");
  });

  it("filters by user", async () => {
    const rows = rowsOf((await admin.get(`/beheer/audit?gebruiker=${ctx.world.users.admin.id}`)).text);
    expect(rows.length).to.be.greaterThan(0);
    for (const r of rows) expect(r).to.contain("User admin");
    expect(rows.some((r) => r.includes("Nieuwe Collega"))).to.equal(true);
    expect(rows.some((r) => r.includes("Anna Overboekt"))).to.equal(false);
  });

  it("filters by part of a user's name (a search, not a list of every user), and still by ?gebruiker=", async () => {
    const res = await admin.get("/beheer/audit?gebruikersnaam=Coordinator");
    expect(res.status).to.equal(200);
    const rows = rowsOf(res.text);
    expect(rows.length).to.be.greaterThan(0);
    for (const r of rows) expect(r).to.contain("User coordinator");
    expect(rows.some((r) => r.includes("Anna Overboekt"))).to.equal(true);
    expect(rows.some((r) => r.includes("Nieuwe Collega"))).to.equal(false);
    // The form offers a text field, kept, and no select of the users.
    expect(res.text).to.contain('id="f-gebruikersnaam"');
    expect(res.text).to.contain('value="Coordinator"');
    expect(res.text).to.not.contain('<select id="f-gebruiker"');
    expect(res.text).to.not.contain(`<option value="${ctx.world.users.providerA.id}"`);

    const byAdmin = rowsOf((await admin.get("/beheer/audit?gebruikersnaam=user+admin")).text);
    expect(byAdmin.some((r) => r.includes("Nieuwe Collega"))).to.equal(true);
    for (const r of byAdmin) expect(r).to.contain("User admin");
    expect(byAdmin.some((r) => r.includes("Anna Overboekt"))).to.equal(false);
    // With the client's name too: only that client's entries by that user.
    const both = rowsOf((await admin.get("/beheer/audit?gebruikersnaam=coordinator&clientnaam=bert")).text);
    expect(both.length).to.be.greaterThan(0);
    for (const r of both) expect(r).to.contain("Bert Gewijzigd").and.contain("User coordinator");
    // A name nobody has, and LIKE's own characters, find nothing.
    for (const name of ["niemand", "%25", "_"]) {
      expect(rowsOf((await admin.get(`/beheer/audit?gebruikersnaam=${name}`)).text), name).to.deep.equal(["Nog niets vastgelegd."]);
    }
    // A link by id still works, says whose entries these are, and the form keeps it.
    const byId = await admin.get(`/beheer/audit?gebruiker=${ctx.world.users.coordinator.id}`);
    expect(byId.status).to.equal(200);
    for (const r of rowsOf(byId.text)) expect(r).to.contain("User coordinator");
    expect(byId.text).to.contain("Alleen wijzigingen door User coordinator.");
    expect(byId.text).to.contain(`<input type="hidden" name="gebruiker" value="${ctx.world.users.coordinator.id}">`);
    // A user without entries (on this page) is named too.
    const quiet = await admin.get(`/beheer/audit?gebruiker=${ctx.world.users.zorgkantoor.id}`);
    expect(rowsOf(quiet.text)).to.deep.equal(["Nog niets vastgelegd."]);
    expect(quiet.text).to.contain("Alleen wijzigingen door User zorgkantoor.");
    const tooLong = await admin.get(`/beheer/audit?gebruikersnaam=${"x".repeat(101)}&clientnaam=Anna`);
    expect(tooLong.status).to.equal(422);
    expect(tooLong.text).to.contain('id="f-gebruikersnaam-error"');
    expect(tooLong.text).to.contain('value="Anna"');
  });

  it("filters by client, by id and by part of the name", async () => {
    for (const url of [`/beheer/audit?client=${anna}`, "/beheer/audit?clientnaam=overboek"]) {
      const res = await admin.get(url);
      const rows = rowsOf(res.text);
      expect(rows.length, url).to.be.greaterThan(0);
      for (const r of rows) expect(r, url).to.contain("Anna Overboekt");
    }
    expect((await admin.get(`/beheer/audit?client=${anna}`)).text).to.contain("Alleen wijzigingen over Anna Overboekt");
    // a name with LIKE's own characters finds nothing rather than everything
    expect(rowsOf((await admin.get("/beheer/audit?clientnaam=%25")).text)).to.deep.equal(["Nog niets vastgelegd."]);
  });

  it("filters by kind", async () => {
    const rows = rowsOf((await admin.get("/beheer/audit?soort=schedule")).text);
    expect(rows.length).to.be.greaterThan(0);
    for (const r of rows) expect(r).to.match(/ rooster/);
    expect(rows.some((r) => r.includes("Nieuwe Collega"))).to.equal(false);
  });

  it("filters by period (days in Europe/Amsterdam)", async () => {
    expect(rowsOf((await admin.get("/beheer/audit?van=2026-11-23&tot=2026-11-23")).text).length).to.be.greaterThan(2);
    expect(rowsOf((await admin.get("/beheer/audit?van=2026-11-24")).text)).to.deep.equal(["Nog niets vastgelegd."]);
    expect(rowsOf((await admin.get("/beheer/audit?tot=2026-11-22")).text)).to.deep.equal(["Nog niets vastgelegd."]);
  });

  it("answers bad filters with 422 and a message next to the field, keeping the input", async () => {
    const date = await admin.get("/beheer/audit?van=2026-13-01&clientnaam=Anna");
    expect(date.status).to.equal(422);
    expect(date.text).to.contain('id="f-van-error"');
    expect(date.text).to.contain('value="Anna"');
    const order = await admin.get("/beheer/audit?van=2026-11-24&tot=2026-11-01");
    expect(order.status).to.equal(422);
    expect(order.text).to.contain('id="f-tot-error"');
    const kind = await admin.get("/beheer/audit?soort=bogus");
    expect(kind.status).to.equal(422);
    expect(kind.text).to.contain('id="f-soort-error"');
    // An id from a link that is not one: shown as a field with its message, the input kept.
    for (const param of ["gebruiker", "client", "voor"]) {
      const id = await admin.get(`/beheer/audit?${param}=abc&gebruikersnaam=admin`);
      expect(id.status, param).to.equal(422);
      expect(id.text, param).to.contain(`id="f-${param}-error"`);
      expect(id.text, param).to.contain(`id="f-${param}" name="${param}" type="text" value="abc"`);
      expect(id.text, param).to.contain('value="admin"');
    }
  });

  it("the admin's home page shows the latest entries by name too", async () => {
    const home = await admin.get("/");
    expect(home.text).to.contain("Nieuwe Collega");
  });

  describe("pages", () => {
    let paged: TestContext;
    before(async () => {
      paged = await startTestApp();
      for (let i = 0; i < 120; i++) {
        await recordAudit(paged.db, paged.clock, { userId: paged.world.users.admin.id, action: "update", entity: "organisation", entityId: paged.world.providerA, details: { phone: `077 ${String(i).padStart(3, "0")}` } });
      }
    });
    after(async () => paged.close());

    it("50 at a time, newest first, older pages through a link until the first entry", async () => {
      const agent = await loginAs(paged.app, paged.world.users.admin.email);
      let url: string | null = "/beheer/audit?soort=organisation";
      const phones: string[] = [];
      let pages = 0;
      while (url) {
        const res = await agent.get(url);
        expect(res.status).to.equal(200);
        const rows = rowsOf(res.text);
        expect(rows.length).to.be.at.most(50);
        phones.push(...rows.map((r) => r.match(/phone (077 \d{3})/)![1]));
        url = res.text.match(/<a href="([^"]+)" rel="next">/)?.[1]?.replace(/&amp;/g, "&").replace(/&#x3D;/g, "=") ?? null;
        if (url) expect(url).to.contain("soort=organisation");
        pages++;
      }
      expect(pages).to.equal(3);
      expect(phones).to.have.length(120);
      expect(phones[0]).to.equal("077 119");
      expect(phones[119]).to.equal("077 000");
      expect(new Set(phones).size).to.equal(120);
    });

    it("the older pages keep the user-name filter", async () => {
      const agent = await loginAs(paged.app, paged.world.users.admin.email);
      const first = await agent.get("/beheer/audit?gebruikersnaam=admin&soort=organisation");
      expect(rowsOf(first.text)).to.have.length(50);
      const older = first.text.match(/<a href="([^"]+)" rel="next">/)![1].replace(/&amp;/g, "&").replace(/&#x3D;/g, "=");
      expect(older).to.contain("gebruikersnaam=admin");
      expect(rowsOf((await agent.get(older)).text)).to.have.length(50);
      expect(rowsOf((await agent.get("/beheer/audit?gebruikersnaam=coordinator&soort=organisation")).text)).to.deep.equal(["Nog niets vastgelegd."]);
    });
  });
});
