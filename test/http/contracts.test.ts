import { expect } from "chai";
import { expandSchedule } from "../../src/domain/schedule";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildContractsWorld, type ContractsWorld } from "../support/contracts-fixtures";

// Contracts over HTTP, on a fixed clock of Monday 23 November 2026: scope both ways, roles,
// bad input, lines, use and forecast, and the purchaser's overviews.

const euro = (cents: number) => `€ ${Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".")},${String(cents % 100).padStart(2, "0")}`;

const contractForm = (over: Record<string, string> = {}) => ({
  provider_id: "",
  reference: "PM-2027-NIEUW",
  kind: "inkoop",
  valid_from: "2027-01-01",
  valid_until: "2027-12-31",
  status: "concept",
  budget_ceiling: "",
  subsidy_amount: "",
  subsidy_target_dagdelen: "",
  notes: "",
  ...over,
});

describe("HTTP: contracts", () => {
  let ctx: TestContext;
  let cw: ContractsWorld;
  let gemeente: Agent;
  let zorgkantoor: Agent;
  let providerA: Agent;
  let providerB: Agent;
  let coordinator: Agent;
  let admin: Agent;

  before(async () => {
    ctx = await startTestApp();
    cw = await buildContractsWorld(ctx.db, ctx.world);
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
  });
  after(async () => ctx.close());

  describe("scope", () => {
    it("a purchaser lists only its own contracts; the zorgkantoor only its own", async () => {
      const own = await gemeente.get("/contracten");
      expect(own.status).to.equal(200);
      expect(own.text).to.contain("PM-A");
      expect(own.text).to.not.contain("VGZ-B");
      const other = await zorgkantoor.get("/contracten");
      expect(other.text).to.contain("VGZ-B");
      expect(other.text).to.not.contain("PM-A");
    });

    it("another purchaser's contract is not found (404), both ways", async () => {
      expect((await zorgkantoor.get(`/contracten/${ctx.world.contractA}`)).status).to.equal(404);
      expect((await gemeente.get(`/contracten/${ctx.world.contractZorgkantoorB}`)).status).to.equal(404);
      expect((await zorgkantoor.get(`/contracten/regels/${cw.lines.basisLate}/wijzigen`)).status).to.equal(404);
    });

    it("a provider reads its own contracts only (404 for another provider's), without edit links", async () => {
      const page = await providerA.get(`/contracten/${ctx.world.contractA}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.not.contain("/wijzigen");
      expect((await providerA.get(`/contracten/${ctx.world.contractZorgkantoorB}`)).status).to.equal(404);
      expect((await providerB.get(`/contracten/${ctx.world.contractA}`)).status).to.equal(404);
      expect((await providerB.get("/contracten")).text).to.not.contain("PM-A");
    });

    it("a coordinator reads every contract", async () => {
      const list = await coordinator.get("/contracten");
      expect(list.text).to.contain("PM-A").and.to.contain("VGZ-B");
      expect((await coordinator.get(`/contracten/${ctx.world.contractZorgkantoorB}`)).status).to.equal(200);
    });

    it("a non-numeric id is simply not found", async () => {
      expect((await gemeente.get("/contracten/1%20or%201=1")).status).to.equal(404);
    });
  });

  describe("roles", () => {
    it("refuses providers and coordinators every write (403), and saves nothing", async () => {
      for (const agent of [providerA, coordinator]) {
        expect((await agent.get("/contracten/nieuw")).status).to.equal(403);
        expect((await postForm(agent, "/contracten", contractForm({ provider_id: String(ctx.world.providerA) }))).status).to.equal(403);
        expect((await postForm(agent, `/contracten/${ctx.world.contractA}`, contractForm())).status).to.equal(403);
        expect((await postForm(agent, `/contracten/${ctx.world.contractA}/regels`, { product_id: String(cw.products.basis), tariff: "10,00", valid_from: "2026-01-01", valid_until: "2026-01-31" })).status).to.equal(403);
        expect((await postForm(agent, `/contracten/regels/${cw.lines.vervoer}/verwijderen`, {})).status).to.equal(403);
      }
      expect(await ctx.db("contracts").where({ reference: "PM-2027-NIEUW" }).first()).to.equal(undefined);
    });

    it("keeps the purchaser's overviews for purchasers (403 for a provider)", async () => {
      expect((await providerA.get("/contracten/tarieven")).status).to.equal(403);
      expect((await providerA.get("/contracten/dorpen")).status).to.equal(403);
    });
  });

  describe("writing contracts", () => {
    it("a purchaser creates its own contract (never another purchaser's), audited", async () => {
      const res = await postForm(gemeente, "/contracten", contractForm({ provider_id: String(ctx.world.providerA), purchaser_id: String(ctx.world.zorgkantoor), budget_ceiling: "125.000,00" }), "/contracten/nieuw");
      expect(res.status).to.equal(303);
      const row = await ctx.db("contracts").where({ reference: "PM-2027-NIEUW" }).first();
      expect(row).to.include({ purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA, kind: "inkoop", status: "concept" });
      expect(Number(row.budget_ceiling_cents)).to.equal(12_500_000);
      expect(res.headers.location).to.equal(`/contracten/${row.id}`);
      const audit = await ctx.db("audit_log").where({ entity: "contract", entity_id: row.id, action: "create" }).first();
      expect(audit.user_id).to.equal(ctx.world.users.purchaser.id);
    });

    it("an admin creates one for the purchaser it chooses", async () => {
      const res = await postForm(admin, "/contracten", contractForm({ reference: "VGZ-ADMIN", purchaser_id: String(ctx.world.zorgkantoor), provider_id: String(ctx.world.providerB) }), "/contracten/nieuw");
      expect(res.status).to.equal(303);
      expect(await ctx.db("contracts").where({ reference: "VGZ-ADMIN" }).first()).to.include({ purchaser_id: ctx.world.zorgkantoor });
    });

    it("an end before the start is 422, with a message next to the field and the input kept", async () => {
      const res = await postForm(gemeente, "/contracten", contractForm({ reference: "PM-KAPOT", provider_id: String(ctx.world.providerA), valid_from: "2027-06-01", valid_until: "2027-01-31", notes: "mijn notitie" }), "/contracten/nieuw");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-valid_until-error"');
      expect(res.text).to.contain('value="PM-KAPOT"');
      expect(res.text).to.contain("mijn notitie");
      expect(await ctx.db("contracts").where({ reference: "PM-KAPOT" }).first()).to.equal(undefined);
    });

    it("a subsidie needs its amount and target; a reference is unique per purchaser; amounts are positive (422)", async () => {
      const subsidy = await postForm(gemeente, "/contracten", contractForm({ reference: "PM-SUB", kind: "subsidie", provider_id: String(ctx.world.providerA) }), "/contracten/nieuw");
      expect(subsidy.status).to.equal(422);
      expect(subsidy.text).to.contain('id="f-subsidy_amount-error"');
      expect(subsidy.text).to.contain('id="f-subsidy_target_dagdelen-error"');
      const taken = await postForm(gemeente, "/contracten", contractForm({ reference: "pm-a", provider_id: String(ctx.world.providerA) }), "/contracten/nieuw");
      expect(taken.status).to.equal(422);
      expect(taken.text).to.contain('id="f-reference-error"');
      const negative = await postForm(gemeente, "/contracten", contractForm({ reference: "PM-NEG", provider_id: String(ctx.world.providerA), budget_ceiling: "-100,00" }), "/contracten/nieuw");
      expect(negative.status).to.equal(422);
      expect(negative.text).to.contain('id="f-budget_ceiling-error"');
      expect(negative.text).to.contain('value="-100,00"');
    });

    it("a status change is saved and audited with from and to", async () => {
      // A concept contract of its own, so this passes alone too.
      const created = await postForm(gemeente, "/contracten", contractForm({ reference: "PM-2027-STATUS", provider_id: String(ctx.world.providerA), budget_ceiling: "125.000,00" }), "/contracten/nieuw");
      expect(created.status).to.equal(303);
      const row = await ctx.db("contracts").where({ reference: "PM-2027-STATUS" }).first();
      const res = await postForm(gemeente, `/contracten/${row.id}`, contractForm({ reference: "PM-2027-STATUS", status: "actief", budget_ceiling: "125.000,00" }), `/contracten/${row.id}/wijzigen`);
      expect(res.status).to.equal(303);
      expect((await ctx.db("contracts").where({ id: row.id }).first()).status).to.equal("actief");
      const audit = await ctx.db("audit_log").where({ entity: "contract", entity_id: row.id, action: "change_status" }).first();
      expect(JSON.parse(audit.details)).to.deep.equal({ from: "concept", to: "actief" });
    });

    it("the zorgkantoor cannot change the gemeente's contract (404)", async () => {
      const res = await postForm(zorgkantoor, `/contracten/${ctx.world.contractA}`, contractForm({ reference: "GEKAAPT" }));
      expect(res.status).to.equal(404);
      expect((await ctx.db("contracts").where({ id: ctx.world.contractA }).first()).reference).to.equal("PM-A");
    });

    it("a period that would leave lines outside is refused (422)", async () => {
      const res = await postForm(gemeente, `/contracten/${ctx.world.contractA}`, contractForm({ reference: "PM-A", valid_from: "2026-03-01", valid_until: "2026-12-31", status: "actief" }), `/contracten/${ctx.world.contractA}/wijzigen`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-valid_from-error"');
      expect((await ctx.db("contracts").where({ id: ctx.world.contractA }).first()).valid_from).to.equal("2026-01-01");
    });
  });

  describe("tariff lines", () => {
    const line = (over: Record<string, string> = {}) => ({ product_id: String(cw.products.vervoer), tariff: "13,00", volume_ceiling: "", valid_from: "2027-01-01", valid_until: "2027-12-31", ...over });
    let newContract: number;
    // A 2027 contract of these tests' own (not one an earlier describe made).
    before(async () => {
      const res = await postForm(gemeente, "/contracten", contractForm({ reference: "PM-2027-REGELS", provider_id: String(ctx.world.providerA) }), "/contracten/nieuw");
      expect(res.status).to.equal(303);
      newContract = (await ctx.db("contracts").where({ reference: "PM-2027-REGELS" }).first()).id;
    });
    /** The 2027 line for dagbesteding basis that "adds a line" makes; made here when that test did not run. */
    async function basisLine() {
      const existing = await ctx.db("contract_lines").where({ contract_id: newContract, product_id: cw.products.basis }).first();
      if (existing) return existing;
      await postForm(gemeente, `/contracten/${newContract}/regels`, line({ tariff: "51,50", product_id: String(cw.products.basis), volume_ceiling: "400" }), `/contracten/${newContract}/regels/nieuw`);
      return ctx.db("contract_lines").where({ contract_id: newContract, product_id: cw.products.basis }).first();
    }

    it("adds a line typed in euros as whole cents, audited", async () => {
      const res = await postForm(gemeente, `/contracten/${newContract}/regels`, line({ tariff: "51,50", product_id: String(cw.products.basis), volume_ceiling: "400" }), `/contracten/${newContract}/regels/nieuw`);
      expect(res.status).to.equal(303);
      const row = await ctx.db("contract_lines").where({ contract_id: newContract, product_id: cw.products.basis }).first();
      expect(row).to.include({ tariff_cents: 5150, volume_ceiling: 400, valid_from: "2027-01-01" });
      expect(await ctx.db("audit_log").where({ entity: "contract_line", entity_id: row.id, action: "create" }).first()).to.not.equal(undefined);
    });

    it("refuses a negative or zero tariff (422, form kept, nothing saved)", async () => {
      for (const tariff of ["-5,00", "0,00"]) {
        const res = await postForm(gemeente, `/contracten/${newContract}/regels`, line({ tariff }), `/contracten/${newContract}/regels/nieuw`);
        expect(res.status, tariff).to.equal(422);
        expect(res.text).to.contain('id="f-tariff-error"');
        expect(res.text).to.contain(`value="${tariff}"`);
      }
      const notAnAmount = await postForm(gemeente, `/contracten/${newContract}/regels`, line({ tariff: "veel" }), `/contracten/${newContract}/regels/nieuw`);
      expect(notAnAmount.status).to.equal(422);
      expect(await ctx.db("contract_lines").where({ contract_id: newContract, product_id: cw.products.vervoer }).first()).to.equal(undefined);
    });

    it("refuses an end before the start, and a line outside the contract's period (422)", async () => {
      const backwards = await postForm(gemeente, `/contracten/${newContract}/regels`, line({ valid_from: "2027-06-01", valid_until: "2027-02-01" }), `/contracten/${newContract}/regels/nieuw`);
      expect(backwards.status).to.equal(422);
      expect(backwards.text).to.contain('id="f-valid_until-error"');
      const outside = await postForm(gemeente, `/contracten/${newContract}/regels`, line({ valid_from: "2026-12-01" }), `/contracten/${newContract}/regels/nieuw`);
      expect(outside.status).to.equal(422);
      expect(outside.text).to.contain('id="f-valid_from-error"');
    });

    it("refuses two lines for the same product in overlapping periods (422), allows the index after it", async () => {
      const first = await basisLine();
      const overlapping = await postForm(gemeente, `/contracten/${newContract}/regels`, line({ product_id: String(cw.products.basis), tariff: "53,10", valid_from: "2027-07-01" }), `/contracten/${newContract}/regels/nieuw`);
      expect(overlapping.status).to.equal(422);
      expect(overlapping.text).to.contain("al een tariefregel voor dit product");
      expect(overlapping.text).to.contain('value="53,10"');
      // Shorten the first line, then the index from 1 July fits.
      const shortened = await postForm(gemeente, `/contracten/regels/${first.id}`, line({ product_id: String(cw.products.basis), tariff: "51,50", valid_until: "2027-06-30" }), `/contracten/regels/${first.id}/wijzigen`);
      expect(shortened.status).to.equal(303);
      const index = await postForm(gemeente, `/contracten/${newContract}/regels`, line({ product_id: String(cw.products.basis), tariff: "53,10", valid_from: "2027-07-01" }), `/contracten/${newContract}/regels/nieuw`);
      expect(index.status).to.equal(303);
      expect(Number((await ctx.db("contract_lines").where({ contract_id: newContract, product_id: cw.products.basis }).count({ n: "*" }).first())?.n)).to.equal(2);
    });

    it("deletes an undeclared line, audited", async () => {
      const res = await postForm(gemeente, `/contracten/${newContract}/regels`, line(), `/contracten/${newContract}/regels/nieuw`);
      expect(res.status).to.equal(303);
      const row = await ctx.db("contract_lines").where({ contract_id: newContract, product_id: cw.products.vervoer }).first();
      expect((await postForm(gemeente, `/contracten/regels/${row.id}/verwijderen`, {}, `/contracten/regels/${row.id}/wijzigen`)).status).to.equal(303);
      expect(await ctx.db("contract_lines").where({ id: row.id }).first()).to.equal(undefined);
      expect(await ctx.db("audit_log").where({ entity: "contract_line", entity_id: row.id, action: "delete" }).first()).to.not.equal(undefined);
    });
  });

  describe("use and forecast", () => {
    /** Expected from the fixture rows and the shared schedule expansion, not from the code under test. */
    function expected() {
      const present = cw.attendance.filter((a) => a.status === "aanwezig" && a.location_id === ctx.world.locationA);
      const priced = (date: string) => (date < "2026-10-15" ? cw.TARIFF_EARLY : cw.TARIFF_LATE);
      const annaDays = new Set(present.filter((a) => a.client_id === cw.clients.anna).map((a) => a.date)).size;
      const realisedCents = present.reduce((s, a) => s + priced(a.date), 0) + 2 * annaDays * cw.TARIFF_RIDE;
      const annaPlanned = expandSchedule(cw.patterns.anna, "2026-11-24", "2026-12-31");
      const bertPlanned = expandSchedule(cw.patterns.bert, "2026-11-24", "2026-12-31");
      const plannedCents = (annaPlanned.length + bertPlanned.length) * cw.TARIFF_LATE + 2 * new Set(annaPlanned.map((o) => o.date)).size * cw.TARIFF_RIDE;
      return { realisedCents, plannedCents, forecastCents: realisedCents + plannedCents, earlyUnits: present.filter((a) => a.date < "2026-10-15").length };
    }

    it("shows realised, planned and forecast, priced at the tariff of each date, with bars readable without colour", async () => {
      const e = expected();
      const res = await gemeente.get(`/contracten/${ctx.world.contractA}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain(euro(e.realisedCents));
      expect(res.text).to.contain(euro(e.plannedCents));
      expect(res.text).to.contain(euro(e.forecastCents));
      expect(res.text).to.match(/<svg class="bars"[^>]*role="img"[^>]*aria-label="[^"]+"/);
      expect(res.text).to.contain("gearceerd"); // planned is hatched, and the legend says so
      expect(res.text).to.contain("okt 2026");
    });

    it("signals the consultation moment at 70 % of the budget ceiling, with the day 70 % and the ceiling are expected", async () => {
      const { forecastCents, realisedCents } = expected();
      await ctx.db("contracts").where({ id: ctx.world.contractA }).update({ budget_ceiling_cents: Math.floor((forecastCents * 100) / 72) });
      try {
        const page = await gemeente.get(`/contracten/${ctx.world.contractA}`);
        expect(page.text).to.contain("Overlegmoment: 70 % van het plafond");
        expect(page.text).to.contain("Contractstandaard Wmo 1.2");
        expect(page.text).to.contain("(72 %)");
        expect(page.text).to.contain('class="mark-consult"');
        // 70 % falls in the planned weeks (what was realised is less), the ceiling after the contract.
        expect(realisedCents * 100).to.be.lessThan(Math.floor((forecastCents * 100) / 72) * 70);
        expect(page.text).to.match(/70 % \(overlegmoment\) naar verwachting op: <strong>\d{1,2}-12-2026<\/strong>/);
        expect(page.text).to.match(/Plafond naar verwachting bereikt op: <strong>niet vóór het einde van het contract<\/strong>/);
        const list = await gemeente.get("/contracten");
        expect(list.text).to.contain("Overlegmoment: 70 % van het plafond");
        // The purchaser's home page signals it too, with the day the ceiling is expected.
        const home = await gemeente.get("/");
        expect(home.text).to.contain("Bestedingsruimte: contracten om te bespreken");
        expect(home.text).to.contain(`href="/contracten/${ctx.world.contractA}"`);
        expect(home.text).to.contain("72 %");
        await ctx.db("contracts").where({ id: ctx.world.contractA }).update({ budget_ceiling_cents: Math.floor((forecastCents * 100) / 60) });
        expect((await gemeente.get("/")).text).to.not.contain("Bestedingsruimte: contracten om te bespreken");
      } finally {
        await ctx.db("contracts").where({ id: ctx.world.contractA }).update({ budget_ceiling_cents: null });
      }
    });

    it("warns at 80 % and at 100 % of the budget ceiling, in words, with the day the ceiling is reached", async () => {
      const { forecastCents } = expected();
      await ctx.db("contracts").where({ id: ctx.world.contractA }).update({ budget_ceiling_cents: Math.floor((forecastCents * 100) / 85) });
      const near = await gemeente.get(`/contracten/${ctx.world.contractA}`);
      expect(near.text).to.contain("Let op: 80 % van het plafond");
      expect(near.text).to.contain("(85 %)");
      await ctx.db("contracts").where({ id: ctx.world.contractA }).update({ budget_ceiling_cents: forecastCents });
      const over = await gemeente.get(`/contracten/${ctx.world.contractA}`);
      expect(over.text).to.contain("Plafond bereikt");
      // The whole forecast is exactly the ceiling: reached on the last planned day.
      expect(over.text).to.contain("Naar verwachting is het plafond op 30-12-2026 bereikt.");
      const list = await gemeente.get("/contracten");
      expect(list.text).to.contain("100 %");
      expect(list.text).to.contain("Plafond bereikt");
    });

    it("warns when a line's volume ceiling is reached", async () => {
      const { earlyUnits } = expected();
      await ctx.db("contracts").where({ id: ctx.world.contractA }).update({ budget_ceiling_cents: null });
      await ctx.db("contract_lines").where({ id: cw.lines.basisEarly }).update({ volume_ceiling: earlyUnits });
      const page = await gemeente.get(`/contracten/${ctx.world.contractA}`);
      expect(page.text).to.contain("Plafond bereikt");
      await ctx.db("contract_lines").where({ id: cw.lines.basisEarly }).update({ volume_ceiling: null });
    });

    it("sorts the list by a column, both ways", async () => {
      const asc = await coordinator.get("/contracten?sort=reference&dir=asc");
      const desc = await coordinator.get("/contracten?sort=reference&dir=desc");
      expect(asc.text.indexOf(">PM-A<")).to.be.lessThan(asc.text.indexOf(">VGZ-B<"));
      expect(desc.text.indexOf(">PM-A<")).to.be.greaterThan(desc.text.indexOf(">VGZ-B<"));
      expect(asc.text).to.contain('aria-sort="ascending"');
      expect((await coordinator.get("/contracten?sort=nonsense")).status).to.equal(200);
    });
  });

  describe("a region's worth of contracts", () => {
    it("lists one year's contracts (this year unless asked), fifty a page, sorted across the pages", async () => {
      const start = await startTestApp();
      try {
        const coordinatorThere = await loginAs(start.app, start.world.users.coordinator.email);
        for (let i = 0; i < 53; i++) {
          await start.db("contracts").insert({ purchaser_id: start.world.gemeente, provider_id: start.world.providerA, reference: `J-2027-${String(i).padStart(2, "0")}`, kind: "inkoop", valid_from: "2027-01-01", valid_until: "2027-12-31", status: "concept", created_at: "x", updated_at: "x" });
        }
        const references = (html: string) => [...html.matchAll(/>(J-2027-\d+|PM-A|VGZ-B)<\/a><\/th>/g)].map((m) => m[1]);
        expect(references((await coordinatorThere.get("/contracten")).text)).to.have.members(["PM-A", "VGZ-B"]);
        const first = await coordinatorThere.get("/contracten?jaar=2027&sort=reference&dir=asc");
        expect(first.status).to.equal(200);
        expect(references(first.text)).to.have.length(50);
        expect(references(first.text)[0]).to.equal("J-2027-00");
        expect(first.text.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&")).to.contain('href="/contracten?jaar=2027&sort=reference&dir=asc&pagina=2" rel="next"');
        expect(references((await coordinatorThere.get("/contracten?jaar=2027&sort=reference&dir=asc&pagina=2")).text)).to.deep.equal(["J-2027-50", "J-2027-51", "J-2027-52"]);
        // Every year, reference descending: VGZ-B, PM-A and J-2027-52 … J-2027-05 first, the rest on page 2.
        expect(references((await coordinatorThere.get("/contracten?jaar=alle&sort=reference&dir=desc&pagina=2")).text)).to.deep.equal(["J-2027-04", "J-2027-03", "J-2027-02", "J-2027-01", "J-2027-00"]);
      } finally {
        await start.close();
      }
    });
  });

  describe("the purchaser's overviews", () => {
    it("puts the tariffs of each product side by side across its providers", async () => {
      const res = await gemeente.get("/contracten/tarieven");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Zorgboerderij A");
      expect(res.text).to.contain("€ 53,10"); // the tariff valid today, after the index
      expect(res.text).to.not.contain("Dorpsdagvoorziening B");
      const other = await zorgkantoor.get("/contracten/tarieven");
      expect(other.text).to.contain("€ 58,90");
      expect(other.text).to.not.contain("Zorgboerderij A");
    });

    it("shows spending per village for a period, and refuses a bad period (422)", async () => {
      const present = cw.attendance.filter((a) => a.status === "aanwezig" && a.location_id === ctx.world.locationA);
      const annaDays = new Set(present.filter((a) => a.client_id === cw.clients.anna).map((a) => a.date)).size;
      const cents = present.reduce((s, a) => s + (a.date < "2026-10-15" ? cw.TARIFF_EARLY : cw.TARIFF_LATE), 0) + 2 * annaDays * cw.TARIFF_RIDE;
      const res = await gemeente.get("/contracten/dorpen?van=2026-10-01&tot=2026-10-31");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Helden");
      expect(res.text).to.contain(euro(cents));
      const bad = await gemeente.get("/contracten/dorpen?van=2026-10-31&tot=2026-10-01");
      expect(bad.status).to.equal(422);
      expect(bad.text).to.contain('id="f-tot-error"');
    });

    it("links contract rows on the organisation page to the contract", async () => {
      const res = await gemeente.get(`/organisaties/${ctx.world.gemeente}`);
      expect(res.text).to.contain(`href="/contracten/${ctx.world.contractA}"`);
    });
  });
});
