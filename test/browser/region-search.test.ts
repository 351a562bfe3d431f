import { expect } from "chai";
import { withNameKeys } from "../../src/db/name-keys";
import { LOCATIONS_LISTED_WHOLE } from "../../src/planning/choices";
import { logIn, startBrowserSuite, type BrowserContext } from "../support/browser";

// Issue 11.4 in a browser without JavaScript: a coordinator of a region with more locations than
// a <select> lists whole finds one on the attendance start page by typing part of its name
// (without its diacritics), chooses it from what the search found and opens its list on the
// date filled in before searching; on the transport page likewise, keeping date and dagdeel.
describe("browser: the attendance start page searches locations at region scale (no JavaScript)", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;

  before(async function () {
    ctx = await startBrowserSuite(this);
    const model = await ctx.db("locations").orderBy("id").first();
    const { id: _id, search_key: _s, sort_key: _k, ...row } = model;
    for (let n = 1; n <= LOCATIONS_LISTED_WHOLE + 5; n++) {
      await ctx.db("locations").insert(withNameKeys("locations", { ...row, name: `Regiohoeve Bühler ${n}` }));
    }
  });
  after(async () => ctx?.close());

  it("search, choose, and the list opens on the date kept", async () => {
    const page = await ctx.newPage({ javaScriptEnabled: false } as never);
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    await page.goto(`${ctx.baseUrl}/aanwezigheid`);
    const main = page.locator("main");
    expect(await main.getByLabel("Locatie", { exact: true }).locator("option").count(), "before a search only the blank option").to.equal(1);
    await main.getByLabel("Datum", { exact: true }).fill("2026-11-20");
    // The date travels with the search only as the page last drew it: submit it once first.
    await Promise.all([page.waitForNavigation(), main.getByRole("button", { name: "Toon de lijst" }).click()]);
    await main.getByLabel("Locatie zoeken").fill("buhler 17");
    await Promise.all([page.waitForNavigation(), main.getByRole("search").getByRole("button", { name: "Zoeken" }).click()]);
    expect(new URL(page.url()).searchParams.get("plaats")).to.equal("buhler 17");
    const select = main.getByLabel("Locatie", { exact: true });
    const offered = await select.locator("option").allInnerTexts();
    expect(offered.slice(1)).to.have.length(1);
    expect(offered[1]).to.match(/^Regiohoeve Bühler 17 \(/);
    await select.selectOption({ label: offered[1] });
    expect(await main.getByLabel("Datum", { exact: true }).inputValue()).to.equal("2026-11-20");
    await Promise.all([page.waitForNavigation(), main.getByRole("button", { name: "Toon de lijst" }).click()]);
    expect(new URL(page.url()).pathname).to.match(/^\/aanwezigheid\/locaties\/\d+$/);
    expect(new URL(page.url()).searchParams.get("datum")).to.equal("2026-11-20");
    expect(await page.locator("h1").innerText()).to.contain("Regiohoeve Bühler 17");
    await page.close();
  });

  it("the transport page: search, choose, and the list of that location shows on the date and dagdeel kept", async () => {
    const page = await ctx.newPage({ javaScriptEnabled: false } as never);
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    await page.goto(`${ctx.baseUrl}/vervoer?datum=2026-11-20&dagdeel=middag`);
    const main = page.locator("main");
    expect(await main.getByLabel("Locatie", { exact: true }).locator("option").count(), "before a search only the blank option").to.equal(1);
    await main.getByLabel("Locatie zoeken").fill("buhler 17");
    await Promise.all([page.waitForNavigation(), main.getByRole("search").getByRole("button", { name: "Zoeken" }).click()]);
    const select = main.getByLabel("Locatie", { exact: true });
    const offered = await select.locator("option").allInnerTexts();
    expect(offered.slice(1)).to.have.length(1);
    await select.selectOption({ label: offered[1] });
    expect(await main.getByLabel("Datum", { exact: true }).inputValue()).to.equal("2026-11-20");
    await Promise.all([page.waitForNavigation(), main.getByRole("button", { name: "Toon", exact: true }).click()]);
    const url = new URL(page.url());
    expect(url.pathname).to.equal("/vervoer");
    expect(url.searchParams.get("datum")).to.equal("2026-11-20");
    expect(url.searchParams.get("dagdeel")).to.equal("middag");
    expect(await page.locator("p.lead").innerText()).to.contain("Regiohoeve Bühler 17");
    await page.close();
  });
});
