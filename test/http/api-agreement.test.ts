import { expect } from "chai";
import { prepareDeclaration } from "../../src/declarations/service";
import { formatMoney } from "../../src/web/format";
import { api, issueToken } from "../support/api";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildContractsWorld } from "../support/contracts-fixtures";

// The API's answers equal what the pages show for the same data and the same organisation:
// the client list, the daily attendance list, a contract's use, a declaration and its lines,
// the free places. The page is read as HTML, the API as JSON, and the two compared.

describe("HTTP: the API answers what the pages show", () => {
  let ctx: TestContext;
  let page: Agent;
  let purchaserPage: Agent;
  let token: string;
  let purchaserToken: string;
  let declarationId: number;

  before(async () => {
    ctx = await startTestApp();
    await buildContractsWorld(ctx.db, ctx.world);
    const w = ctx.world;
    page = await loginAs(ctx.app, w.users.providerA.email);
    purchaserPage = await loginAs(ctx.app, w.users.purchaser.email);
    token = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.providerA.id });
    purchaserToken = await issueToken(ctx.db, { organisation_id: w.gemeente, created_by: w.users.purchaser.id });
    const actor = { userId: w.users.providerA.id, name: "User providerA", role: "provider" as const, organisationId: w.providerA };
    declarationId = await prepareDeclaration(ctx.db, ctx.clock, actor, { purchaser_id: w.gemeente, month: "2026-10" });
  });
  after(async () => ctx.close());

  const get = (url: string, t = token) => api(ctx.app, "get", `/api/v1${url}`, { token: t });
  const money = (cents: number) => formatMoney(cents, "nl");

  it("the client list: the same clients in the same order", async () => {
    const html = (await page.get("/clienten")).text;
    const onPage = [...html.matchAll(/<a href="\/clienten\/(\d+)">/g)].map((m) => Number(m[1]));
    const json = (await get("/clients")).body;
    expect(onPage.length).to.be.greaterThan(0);
    expect(json.items.map((c: { id: number }) => c.id)).to.deep.equal(onPage);
    expect(json.page.total).to.equal(onPage.length);
    for (const c of json.items) expect(html).to.contain(c.bsn_masked);
  });

  it("the daily attendance list: the same people per dagdeel with the same status", async () => {
    const date = "2026-10-07";
    const html = (await page.get(`/aanwezigheid/locaties/${ctx.world.locationA}?datum=${date}`)).text;
    const json = (await get(`/locations/${ctx.world.locationA}/attendance?date=${date}`)).body;
    const onPage = [...html.matchAll(/<li class="att-entry(?: is-([a-z_]+))?[^"]*" id="c-(\d+)-(ochtend|middag)">/g)].map((m) => `${m[2]} ${m[3]} ${m[1] ?? "-"}`);
    const fromApi = json.items.map((e: { client_id: number; dagdeel: string; status: string | null }) => `${e.client_id} ${e.dagdeel} ${e.status ?? "-"}`);
    expect(onPage.length).to.be.greaterThan(1);
    expect(fromApi.sort()).to.deep.equal(onPage.sort());
  });

  it("a contract's use: the overview's and the contract page's figures", async () => {
    const overview = (await purchaserPage.get("/contracten")).text;
    const list = (await get("/contracts", purchaserToken)).body;
    const contract = list.items.find((c: { id: number }) => c.id === ctx.world.contractA);
    expect(contract.use.realised_cents).to.be.greaterThan(0);
    expect(overview).to.contain(money(contract.use.realised_cents));
    expect(overview).to.contain(money(contract.use.forecast_cents));
    const detail = (await get(`/contracts/${ctx.world.contractA}`, purchaserToken)).body;
    expect(detail.use.realised.cents).to.equal(contract.use.realised_cents);
    expect(detail.use.forecast.cents).to.equal(contract.use.forecast_cents);
    const contractPage = (await purchaserPage.get(`/contracten/${ctx.world.contractA}`)).text;
    for (const line of detail.lines) expect(contractPage, line.product.name).to.contain(money(line.tariff_cents));
  });

  it("a declaration: the same total, and every line with its amount", async () => {
    const html = (await page.get(`/declaraties/${declarationId}`)).text;
    const json = (await get(`/declarations/${declarationId}?limit=100`)).body;
    expect(json.lines.items.length).to.be.greaterThan(0);
    expect(json.lines.page.total).to.equal(json.lines.items.length);
    expect(html).to.contain(money(json.total_cents));
    const rowsOnPage = (html.match(/<td class="num">(?:− )?€/g) ?? []).length;
    expect(rowsOnPage, "tariff and amount per line").to.equal(json.lines.items.length * 2);
    expect(json.lines.items.reduce((n: number, l: { amount_cents: number; debit_credit: string }) => n + (l.debit_credit === "C" ? -1 : 1) * l.amount_cents, 0)).to.equal(json.total_cents);
    const listed = (await get("/declarations")).body.items.find((d: { id: number }) => d.id === declarationId);
    expect(listed.total_cents).to.equal(json.total_cents);
  });

  it("the free places: the same total and villages", async () => {
    const html = (await purchaserPage.get("/vrije-plaatsen?weken=4")).text;
    const json = (await get("/free-places?weeks=4", purchaserToken)).body;
    const summary = /<p class="fp-summary">([^<]*)<\/p>/.exec(html)![1];
    expect(summary).to.contain(String(json.total_free));
    for (const v of json.items) expect(html).to.contain(`${v.village} <span class="muted">`);
  });

  it("a location's capacity: the page's week grid, and its closures", async () => {
    const at = "2026-11-01T08:00:00.000Z";
    const rules = [[1, "ochtend", 12], [1, "middag", 8], [3, "ochtend", 6]] as const;
    for (const [weekday, dagdeel, places] of rules) {
      await ctx.db("capacity_rules").insert({ location_id: ctx.world.locationA, weekday, dagdeel, places, valid_from: "2026-01-01", valid_until: null, created_at: at, updated_at: at });
    }
    await ctx.db("closures").insert({ provider_id: ctx.world.providerA, location_id: null, starts_on: "2026-12-25", ends_on: "2026-12-26", dagdeel: null, reason: "Kerst", created_at: at, updated_at: at });
    const json = (await get(`/locations/${ctx.world.locationA}`)).body;
    const html = (await page.get(`/locaties/${ctx.world.locationA}`)).text;
    const gridRows = [...html.matchAll(/<tr><th scope="row">[^<]+<\/th>((?:<td class="num">.*?<\/td>){2})<\/tr>/g)].slice(0, 7);
    const onPage = gridRows.map((m) => [...m[1].matchAll(/<td class="num">(\d+)?/g)].map((c) => (c[1] === undefined ? null : Number(c[1]))));
    expect(onPage).to.deep.equal(json.capacity.week.map((d: { ochtend: number | null; middag: number | null }) => [d.ochtend, d.middag]));
    expect(json.capacity.week[0]).to.deep.equal({ weekday: 1, ochtend: 12, middag: 8 });
    expect(json.closures.map((c: { reason: string }) => c.reason)).to.deep.equal(["Kerst"]);
    expect(html).to.contain("Kerst");
  });
});
