import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { addAllocation, addClient, addSchedule, addWaitlistEntry, BSN, buildClientWorld, type ClientWorld } from "../support/clients-fixtures";

// Clients over HTTP: the list and its search, the client page per role (BSN masking and the
// audit of every full view), the coordinator's forms, ending and reopening, and the scope.

const CLIENT_FORM = {
  first_name: "Nieuwe",
  last_name: "van den Berg",
  bsn: "",
  birth_date: "1948-02-29",
  village_id: "",
  street: "Kerkstraat 12",
  postcode: "5988aa",
  phone: "077 123 45 67",
  notes: "",
};

describe("HTTP: clients", () => {
  let ctx: TestContext;
  let cw: ClientWorld;
  let coordinator: Agent;
  let providerA: Agent;
  let providerB: Agent;
  let gemeente: Agent;
  let zorgkantoor: Agent;
  let admin: Agent;

  before(async () => {
    ctx = await startTestApp();
    cw = await buildClientWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
  });
  after(async () => ctx.close());

  const viewsOf = (userId: number, clientId: number) =>
    ctx.db("audit_log").where({ user_id: userId, action: "view_bsn", entity: "client", entity_id: clientId }).count({ n: "*" }).then(([r]) => Number(r.n));

  describe("the list", () => {
    it("shows a coordinator every active client, BSNs masked, ended ones behind the status filter", async () => {
      const res = await coordinator.get("/clienten");
      expect(res.status).to.equal(200);
      for (const name of ["Peeters, Anna", "Janssen, Bert", "de Wit, Zus", "Smits, Carla"]) expect(res.text).to.contain(name);
      expect(res.text).to.not.contain("Oud, Eddy");
      expect(res.text).to.contain("******019");
      expect(res.text).to.not.contain(BSN.anna);
      expect(res.text).to.contain("Boerderij A"); // where Anna is scheduled today
      const ended = await coordinator.get("/clienten?status=beeindigd");
      expect(ended.text).to.contain("Oud, Eddy");
      expect(ended.text).to.not.contain("Peeters, Anna");
      const all = await coordinator.get("/clienten?status=alle");
      expect(all.text).to.contain("Oud, Eddy");
      expect(all.text).to.contain("Peeters, Anna");
    });

    it("searches by part of the name, case-insensitively, with several words", async () => {
      const res = await coordinator.get("/clienten?q=PEET");
      expect(res.text).to.contain("Peeters, Anna");
      expect(res.text).to.not.contain("Janssen, Bert");
      const two = await coordinator.get(`/clienten?q=${encodeURIComponent("zus de w")}`);
      expect(two.text).to.contain("de Wit, Zus");
      expect(two.text).to.not.contain("Peeters, Anna");
      const none = await coordinator.get("/clienten?q=anna+janssen");
      expect(none.text).to.contain("Geen cliënten gevonden");
    });

    it("treats % and _ in a search as letters, not wildcards", async () => {
      const res = await coordinator.get(`/clienten?q=${encodeURIComponent("%")}`);
      expect(res.text).to.contain("Geen cliënten gevonden");
      const underscore = await coordinator.get(`/clienten?q=${encodeURIComponent("_")}`);
      expect(underscore.text).to.contain("Geen cliënten gevonden");
    });

    it("finds a client by the whole BSN however it is typed, never by a part of it", async () => {
      for (const typed of [BSN.anna, "9999.90.019", "9999 90 019", " 999 990 019 "]) {
        const res = await coordinator.get(`/clienten?q=${encodeURIComponent(typed)}`);
        expect(res.text, typed).to.contain("Peeters, Anna");
        expect(res.text, typed).to.not.contain("de Wit, Zus");
      }
      const part = await coordinator.get("/clienten?q=99999");
      expect(part.text).to.contain("Geen cliënten gevonden");
    });

    it("filters by village", async () => {
      const res = await coordinator.get(`/clienten?kern=${cw.baarlo}`);
      expect(res.text).to.contain("Janssen, Bert");
      expect(res.text).to.contain("de Wit, Zus");
      expect(res.text).to.not.contain("Peeters, Anna");
    });

    it("shows a provider only its own clients: scheduled at its locations or allocated to it", async () => {
      const a = await providerA.get("/clienten");
      expect(a.status).to.equal(200);
      expect(a.text).to.contain("Peeters, Anna");
      expect(a.text).to.contain("Smits, Carla");
      expect(a.text).to.not.contain("Janssen, Bert");
      expect(a.text).to.not.contain("de Wit, Zus");
      expect(a.text).to.not.contain('href="/clienten/nieuw"');
      const b = await providerB.get("/clienten?status=alle");
      for (const name of ["Janssen, Bert", "de Wit, Zus", "Smits, Carla"]) expect(b.text).to.contain(name);
      expect(b.text).to.not.contain("Peeters, Anna");
      // A BSN search cannot reach past the scope either.
      expect((await providerB.get(`/clienten?q=${BSN.anna}`)).text).to.contain("Geen cliënten gevonden");
    });

    it("shows a purchaser only the clients it allocated", async () => {
      const g = await gemeente.get("/clienten?status=alle");
      expect(g.status).to.equal(200);
      expect(g.text).to.contain("Peeters, Anna");
      for (const name of ["Janssen, Bert", "de Wit, Zus", "Smits, Carla", "Oud, Eddy"]) expect(g.text).to.not.contain(name);
      const z = await zorgkantoor.get("/clienten?status=alle");
      expect(z.text).to.contain("de Wit, Zus");
      expect(z.text).to.not.contain("Peeters, Anna");
    });

    it("puts Cliënten in the coordinator's and provider's navigation, Toewijzingen in the purchaser's", async () => {
      expect((await coordinator.get("/")).text).to.contain('href="/clienten"');
      expect((await providerA.get("/")).text).to.contain('href="/clienten"');
      const p = await gemeente.get("/");
      expect(p.text).to.contain('href="/toewijzingen"');
      expect(p.text).to.not.contain('<a href="/clienten"');
    });

    it("pages through long lists, 50 at a time", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 55; i++) ids.push(await addClient(ctx.db, { first_name: `Paging${String(i).padStart(2, "0")}`, last_name: "Zzlijst" }));
      const first = await coordinator.get("/clienten?q=zzlijst");
      expect(first.text).to.contain("1–50 van 55");
      // Handlebars writes "=" as "&#x3D;" inside attributes; the browser reads it back as "=".
      expect(first.text.replace(/&#x3D;/g, "=")).to.contain('href="/clienten?q=zzlijst&amp;pagina=2"');
      expect(first.text).to.not.contain("Paging54");
      const second = await coordinator.get("/clienten?q=zzlijst&pagina=2");
      expect(second.text).to.contain("51–55 van 55");
      expect(second.text).to.contain("Paging54");
      await ctx.db("clients").whereIn("id", ids).delete();
    });
  });

  describe("the client page", () => {
    it("shows a coordinator the full BSN, records every view in the audit log, and is not cached", async () => {
      const before = await viewsOf(ctx.world.users.coordinator.id, cw.clients.anna);
      const res = await coordinator.get(`/clienten/${cw.clients.anna}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain(BSN.anna);
      expect(res.headers["cache-control"]).to.contain("no-store");
      expect(await viewsOf(ctx.world.users.coordinator.id, cw.clients.anna)).to.equal(before + 1);
      await coordinator.get(`/clienten/${cw.clients.anna}`);
      expect(await viewsOf(ctx.world.users.coordinator.id, cw.clients.anna)).to.equal(before + 2);
      const row = await ctx.db("audit_log").where({ user_id: ctx.world.users.coordinator.id, action: "view_bsn" }).orderBy("id", "desc").first();
      expect(row.entity).to.equal("client");
      expect(row.details).to.not.contain(BSN.anna);
    });

    it("records no BSN view for a client without a BSN", async () => {
      const before = await ctx.db("audit_log").where({ action: "view_bsn", entity_id: cw.clients.bert }).count({ n: "*" });
      const res = await coordinator.get(`/clienten/${cw.clients.bert}`);
      expect(res.text).to.contain("geen BSN");
      const after = await ctx.db("audit_log").where({ action: "view_bsn", entity_id: cw.clients.bert }).count({ n: "*" });
      expect(Number(after[0].n)).to.equal(Number(before[0].n));
    });

    it("lists allocations, schedules with their slots and links, the waiting list and recent attendance", async () => {
      const res = await coordinator.get(`/clienten/${cw.clients.anna}`);
      expect(res.text).to.contain("104101");
      expect(res.text).to.contain("4 dagdelen per week");
      expect(res.text).to.contain("20 dagdelen per maand");
      expect(res.text).to.contain("104050");
      expect(res.text).to.contain("ma ochtend, wo middag");
      expect(res.text).to.contain(`href="/roosters/nieuw?client=${cw.clients.anna}"`);
      expect(res.text).to.contain(`href="/roosters/${cw.schedules.anna}"`);
      expect(res.text).to.contain(`href="/toewijzingen/${cw.allocations.anna}/wijzigen"`);
      // Attendance of the last eight weeks: two present and one ill; the August row is older.
      expect(res.text).to.match(/<td class="num">2<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">1<\/td>/);
      const carla = await coordinator.get(`/clienten/${cw.clients.carla}`);
      expect(carla.text).to.contain("Wachtlijst");
      expect(carla.text).to.contain("di ochtend");
      expect(carla.text).to.contain("pgb");
    });

    it("shows a provider its own client with the BSN masked, no forms, and only its own schedules", async () => {
      const res = await providerA.get(`/clienten/${cw.clients.anna}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain(BSN.anna);
      expect(res.text).to.contain("******019");
      expect(res.text).to.not.contain("/wijzigen");
      expect(res.text).to.not.contain("/roosters/nieuw");
      expect(await viewsOf(ctx.world.users.providerA.id, cw.clients.anna)).to.equal(0);
      const carla = await providerA.get(`/clienten/${cw.clients.carla}`);
      expect(carla.text).to.contain("Boerderij A");
      expect(carla.text).to.not.contain("Dorpshuis B");
      expect(carla.text).to.not.contain(BSN.carla);
    });

    it("answers 404 when a provider opens another provider's client", async () => {
      const res = await providerB.get(`/clienten/${cw.clients.anna}`);
      expect(res.status).to.equal(404);
      expect(res.text).to.not.contain("Peeters");
      expect((await providerA.get(`/clienten/${cw.clients.zus}`)).status).to.equal(404);
      expect((await providerA.get(`/clienten/${cw.clients.bert}`)).status).to.equal(404);
    });

    it("shows a purchaser its own client read-only, BSN masked, only its own allocations, no notes", async () => {
      const res = await gemeente.get(`/clienten/${cw.clients.anna}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain(BSN.anna);
      expect(res.text).to.contain("******019");
      expect(res.text).to.contain("104101");
      expect(res.text).to.not.contain("Houdt van dieren");
      expect(res.text).to.not.contain("/wijzigen");
      expect(await viewsOf(ctx.world.users.purchaser.id, cw.clients.anna)).to.equal(0);
      expect((await gemeente.get(`/clienten/${cw.clients.zus}`)).status).to.equal(404);
      expect((await zorgkantoor.get(`/clienten/${cw.clients.anna}`)).status).to.equal(404);
      const zus = await zorgkantoor.get(`/clienten/${cw.clients.zus}`);
      expect(zus.status).to.equal(200);
      expect(zus.text).to.not.contain(BSN.zus);
    });

    it("shows the admin no client at all (it manages the application, not care)", async () => {
      const res = await admin.get(`/clienten/${cw.clients.anna}`);
      expect(res.status).to.equal(403);
      expect(res.text).to.not.contain(BSN.anna);
      expect(res.text).to.not.contain("Peeters");
    });

    it("answers unknown and malformed ids with 404", async () => {
      expect((await coordinator.get("/clienten/999999")).status).to.equal(404);
      expect((await coordinator.get("/clienten/abc")).status).to.equal(404);
      expect((await coordinator.get("/clienten/1%20or%201=1")).status).to.equal(404);
      expect((await coordinator.get("/clienten/999999/wijzigen")).status).to.equal(404);
      expect((await postForm(coordinator, "/clienten/999999/beeindigen", { ended_on: "2026-12-01" })).status).to.equal(404);
    });
  });

  describe("creating and editing (coordinator)", () => {
    it("creates a client without a BSN, normalising the postcode, and audits it", async () => {
      const res = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, village_id: String(cw.baarlo), needs_transport: "1" });
      expect(res.status).to.equal(303);
      const row = await ctx.db("clients").where({ last_name: "van den Berg" }).first();
      expect(res.headers.location).to.equal(`/clienten/${row.id}`);
      expect(row.bsn).to.equal(null);
      expect(row.postcode).to.equal("5988 AA");
      expect(Boolean(row.needs_transport)).to.equal(true);
      expect(Boolean(row.wheelchair)).to.equal(false);
      const audit = await ctx.db("audit_log").where({ entity: "client", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.coordinator.id);
      const page = await coordinator.get(res.headers.location);
      expect(page.text).to.contain("Cliënt Nieuwe van den Berg is aangemaakt.");
    });

    it("asks for confirmation before creating a second client with the same name and birth date", async () => {
      // Anna Peeters, born 4-5-1950, is on file; typed again in other capitals and spaces.
      const twin = { ...CLIENT_FORM, first_name: " anna", last_name: "PEETERS ", birth_date: "1950-05-04" };
      const first = await postForm(coordinator, "/clienten/nieuw", twin);
      expect(first.status).to.equal(422);
      expect(first.text).to.contain('id="f-confirm_duplicate-error"');
      expect(first.text).to.contain("Er staat al een cliënt met deze naam en geboortedatum in dagdeel.");
      expect(first.text).to.contain(`<a href="/clienten/${cw.clients.anna}">Bekijk Anna Peeters</a>`);
      expect(first.text).to.contain('href="#f-confirm_duplicate"'); // in the error summary
      expect(first.text).to.contain('value="Kerkstraat 12"'); // the input is kept
      expect(await ctx.db("clients").whereRaw("lower(last_name) = ?", ["peeters"])).to.have.length(1);
      // Submitted again without ticking the box: asked again.
      expect((await postForm(coordinator, "/clienten/nieuw", twin)).status).to.equal(422);
      // Ticked: it is someone else, and saved.
      const confirmed = await postForm(coordinator, "/clienten/nieuw", { ...twin, confirm_duplicate: "1" });
      expect(confirmed.status).to.equal(303);
      const rows = await ctx.db("clients").whereRaw("lower(last_name) = ?", ["peeters"]).orderBy("id");
      expect(rows).to.have.length(2);
      expect(rows[1].birth_date).to.equal("1950-05-04");
      await ctx.db("clients").where({ id: rows[1].id }).delete();
    });

    it("names an ended client with the same name and birth date as one to reopen; another birth date is no duplicate", async () => {
      const res = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, first_name: "Eddy", last_name: "Oud", birth_date: "1950-05-04" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("beëindigde cliënt");
      expect(res.text).to.contain(`href="/clienten/${cw.clients.eddy}"`);
      const other = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, first_name: "Eddy", last_name: "Oud", birth_date: "1951-05-04" });
      expect(other.status).to.equal(303);
      const noDate = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, first_name: "Bert", last_name: "Janssen", birth_date: "" });
      expect(noDate.status).to.equal(303);
      await ctx.db("clients").where({ first_name: "Eddy", birth_date: "1951-05-04" }).orWhere({ first_name: "Bert", birth_date: null }).delete();
    });

    it("stores a BSN typed with dots and spaces as nine digits", async () => {
      const res = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, first_name: "Met", last_name: "Punten", bsn: "9999.90 044" });
      expect(res.status).to.equal(303);
      expect((await ctx.db("clients").where({ last_name: "Punten" }).first()).bsn).to.equal(BSN.spare1);
    });

    it("refuses a BSN that fails the 11-test (422), keeping the input and saving nothing", async () => {
      const res = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, first_name: "Fout", last_name: "Nummer", bsn: "123456789" });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-bsn-error"');
      expect(res.text).to.contain("error-summary");
      expect(res.text).to.contain("elfproef");
      expect(res.text).to.contain('value="123456789"');
      expect(res.text).to.contain('value="Fout"');
      expect(await ctx.db("clients").where({ last_name: "Nummer" }).first()).to.equal(undefined);
    });

    it("refuses a BSN that belongs to another client (422), naming that client to the coordinator", async () => {
      const res = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, first_name: "Dubbel", last_name: "Ganger", bsn: BSN.anna });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Dit BSN hoort al bij een andere cliënt.");
      expect(res.text).to.contain(`href="/clienten/${cw.clients.anna}"`);
      expect(res.text).to.contain("Anna Peeters");
      expect(await ctx.db("clients").where({ last_name: "Ganger" }).first()).to.equal(undefined);
    });

    it("answers missing names, a bad postcode, a bad date and a future birth date with 422", async () => {
      const res = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, first_name: "", last_name: "Leeg", postcode: "AB 1234", birth_date: "2026-02-30" });
      expect(res.status).to.equal(422);
      for (const field of ["first_name", "postcode", "birth_date"]) expect(res.text, field).to.contain(`id="f-${field}-error"`);
      expect(res.text).to.contain('value="AB 1234"');
      const future = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, last_name: "Toekomst", birth_date: "2027-01-01" });
      expect(future.status).to.equal(422);
      expect(future.text).to.contain("kan niet in de toekomst liggen");
      const village = await postForm(coordinator, "/clienten/nieuw", { ...CLIENT_FORM, last_name: "Nergens", village_id: "424242" });
      expect(village.status).to.equal(422);
      expect(village.text).to.contain('id="f-village_id-error"');
      expect(await ctx.db("clients").whereIn("last_name", ["Leeg", "Toekomst", "Nergens"]).first()).to.equal(undefined);
    });

    it("shows the edit form with the full BSN, and records that as a BSN view", async () => {
      const before = await viewsOf(ctx.world.users.coordinator.id, cw.clients.zus);
      const res = await coordinator.get(`/clienten/${cw.clients.zus}/wijzigen`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain(`value="${BSN.zus}"`);
      expect(res.text).to.not.contain("error-summary");
      expect((await coordinator.get("/clienten/nieuw")).text).to.not.contain("error-summary");
      expect(await viewsOf(ctx.world.users.coordinator.id, cw.clients.zus)).to.equal(before + 1);
    });

    it("edits a client and audits which fields changed (not their values)", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.bert}/wijzigen`, {
        first_name: "Bert",
        last_name: "Janssen",
        bsn: BSN.spare2,
        village_id: String(cw.baarlo),
        street: "Nieuwe Weg 1",
        postcode: "5991 CD",
        phone: "",
        wheelchair: "1",
        notes: "Komt met de fiets",
      });
      expect(res.status).to.equal(303);
      const row = await ctx.db("clients").where({ id: cw.clients.bert }).first();
      expect(row.bsn).to.equal(BSN.spare2);
      expect(row.street).to.equal("Nieuwe Weg 1");
      expect(Boolean(row.wheelchair)).to.equal(true);
      expect(row.birth_date).to.equal(null);
      const audit = await ctx.db("audit_log").where({ entity: "client", entity_id: cw.clients.bert, action: "update" }).orderBy("id", "desc").first();
      const details = JSON.parse(audit.details);
      expect(details.changed).to.include.members(["bsn", "street", "wheelchair"]);
      expect(audit.details).to.not.contain(BSN.spare2);
      // and the BSN may be removed again: Bert has no allocation
      const cleared = await postForm(coordinator, `/clienten/${cw.clients.bert}/wijzigen`, { first_name: "Bert", last_name: "Janssen", bsn: "", village_id: String(cw.baarlo) });
      expect(cleared.status).to.equal(303);
      expect((await ctx.db("clients").where({ id: cw.clients.bert }).first()).bsn).to.equal(null);
    });

    it("refuses to remove the BSN of a client who has allocations (422)", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.anna}/wijzigen`, { first_name: "Anna", last_name: "Peeters", bsn: "", village_id: String(ctx.world.village) });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-bsn-error"');
      expect(res.text).to.contain("heeft toewijzingen");
      expect((await ctx.db("clients").where({ id: cw.clients.anna }).first()).bsn).to.equal(BSN.anna);
    });

    it("refuses another client's BSN on edit too (422)", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.carla}/wijzigen`, { first_name: "Carla", last_name: "Smits", bsn: BSN.zus });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("Zus de Wit");
      expect((await ctx.db("clients").where({ id: cw.clients.carla }).first()).bsn).to.equal(BSN.carla);
    });

    for (const who of ["providerA", "purchaser", "zorgkantoor", "admin"] as const) {
      it(`refuses the ${who} every client form (403), reading nothing and changing nothing`, async () => {
        const agent = await loginAs(ctx.app, ctx.world.users[who].email);
        for (const url of ["/clienten/nieuw", `/clienten/${cw.clients.anna}/wijzigen`, `/clienten/${cw.clients.anna}/beeindigen`]) {
          const res = await agent.get(url);
          expect(res.status, url).to.equal(403);
          expect(res.text).to.not.contain(BSN.anna);
        }
        expect((await postForm(agent, "/clienten/nieuw", { ...CLIENT_FORM, last_name: `Rol ${who}` })).status).to.equal(403);
        expect((await postForm(agent, `/clienten/${cw.clients.anna}/wijzigen`, { first_name: "X", last_name: "Y" })).status).to.equal(403);
        expect((await postForm(agent, `/clienten/${cw.clients.anna}/beeindigen`, { ended_on: "2026-12-01" })).status).to.equal(403);
        expect((await postForm(agent, `/clienten/${cw.clients.eddy}/heropenen`, {})).status).to.equal(403);
        expect(await ctx.db("clients").where({ last_name: `Rol ${who}` }).first()).to.equal(undefined);
        const anna = await ctx.db("clients").where({ id: cw.clients.anna }).first();
        expect(anna.first_name).to.equal("Anna");
        expect(anna.ended_on).to.equal(null);
      });
    }
  });

  describe("ending and reopening", () => {
    it("shows what ending will do, and refuses a bad date (422) without ending anything", async () => {
      const page = await coordinator.get(`/clienten/${cw.clients.carla}/beeindigen`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain("1 rooster dat nu na 23-11-2026 doorloopt");
      expect(page.text).to.contain("1 rooster dat pas na de einddatum zou beginnen");
      expect(page.text).to.contain("1 wachtlijstplaats vervalt");
      expect(page.text).to.not.contain("error-summary");
      const bad = await postForm(coordinator, `/clienten/${cw.clients.carla}/beeindigen`, { ended_on: "31-12-2026" });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.contain('id="f-ended_on-error"');
      expect(bad.text).to.contain('value="31-12-2026"');
      expect((await ctx.db("clients").where({ id: cw.clients.carla }).first()).ended_on).to.equal(null);
    });

    it("ends a client: schedules end that day, later ones go, the waiting list lapses, all audited", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.carla}/beeindigen`, { ended_on: "2026-12-31" });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/clienten/${cw.clients.carla}`);
      expect((await ctx.db("clients").where({ id: cw.clients.carla }).first()).ended_on).to.equal("2026-12-31");
      expect((await ctx.db("schedules").where({ id: cw.schedules.carlaA }).first()).valid_until).to.equal("2026-12-31");
      expect(await ctx.db("schedules").where({ id: cw.schedules.carlaB }).first()).to.equal(undefined);
      expect(await ctx.db("schedule_slots").where({ schedule_id: cw.schedules.carlaB }).first()).to.equal(undefined);
      expect((await ctx.db("waitlist_entries").where({ id: cw.waitlist.carla }).first()).status).to.equal("vervallen");
      const audit = await ctx.db("audit_log").where({ entity: "client", entity_id: cw.clients.carla, action: "end" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.coordinator.id);
      expect(JSON.parse(audit.details)).to.deep.include({ ended_on: "2026-12-31", schedulesEnded: [cw.schedules.carlaA], schedulesRemoved: [cw.schedules.carlaB] });
      const page = await coordinator.get(`/clienten/${cw.clients.carla}`);
      expect(page.text).to.contain("Eindigt op 31-12-2026");
      expect(page.text).to.contain("Heropenen");
    });

    it("refuses to end a client twice (422)", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.carla}/beeindigen`, { ended_on: "2027-01-31" });
      expect(res.status).to.equal(422);
      expect((await ctx.db("clients").where({ id: cw.clients.carla }).first()).ended_on).to.equal("2026-12-31");
    });

    it("moves a client ended in the past out of the default list", async () => {
      const id = await addClient(ctx.db, { first_name: "Vroeger", last_name: "Gestopt" });
      await addSchedule(ctx.db, { client_id: id, location_id: ctx.world.locationA, funding: "eigen" }, [[1, "middag"]]);
      await addWaitlistEntry(ctx.db, { client_id: id, location_id: ctx.world.locationB }, [[3, "ochtend"]]);
      expect((await postForm(coordinator, `/clienten/${id}/beeindigen`, { ended_on: "2026-11-20" })).status).to.equal(303);
      expect((await coordinator.get("/clienten")).text).to.not.contain("Gestopt, Vroeger");
      expect((await coordinator.get("/clienten?status=beeindigd")).text).to.contain("Gestopt, Vroeger");
    });

    it("reopens an ended client, and audits it", async () => {
      const res = await postForm(coordinator, `/clienten/${cw.clients.eddy}/heropenen`, {});
      expect(res.status).to.equal(303);
      expect((await ctx.db("clients").where({ id: cw.clients.eddy }).first()).ended_on).to.equal(null);
      const audit = await ctx.db("audit_log").where({ entity: "client", entity_id: cw.clients.eddy, action: "reopen" }).first();
      expect(JSON.parse(audit.details)).to.deep.equal({ was_ended_on: "2026-10-01" });
    });
  });

  describe("the scope follows the data", () => {
    it("a provider sees a client as soon as it has an allocation with it, even without a schedule", async () => {
      const id = await addClient(ctx.db, { first_name: "Alleen", last_name: "Toewijzing", bsn: BSN.spare3 });
      expect((await providerB.get(`/clienten/${id}`)).status).to.equal(404);
      await addAllocation(ctx.db, { client_id: id, purchaser_id: ctx.world.zorgkantoor, provider_id: ctx.world.providerB, product_id: cw.products.wlz, reference: "VGZ-SCOPE-1" });
      const res = await providerB.get(`/clienten/${id}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain(BSN.spare3);
      expect((await providerA.get(`/clienten/${id}`)).status).to.equal(404);
      expect((await zorgkantoor.get(`/clienten/${id}`)).status).to.equal(200);
      expect((await gemeente.get(`/clienten/${id}`)).status).to.equal(404);
    });
  });
});
