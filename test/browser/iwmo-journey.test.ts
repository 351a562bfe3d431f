import path from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { axeViolations, flash, logIn, startBrowserSuite, type BrowserContext } from "../support/browser";
import { withNameKeys } from "../../src/db/name-keys";

// A coordinator reads the official WMO301 example in, looks at the preview and applies it — in
// real Chromium, as a user clicks — and axe-core checks the import page (with its errors), the
// preview and the Berichten page.
//
// Setup no coordinator could make: the example's gemeente (0384) and provider (AGB 42420001).
const EXAMPLE = path.resolve(__dirname, "../fixtures/iwmo/WMO301.xml");
const NOT_XML = path.resolve(__dirname, "../../package.json");

describe("browser: the coordinator reads in a WMO301 (upload, preview, apply)", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;
  let page: Page;

  before(async function () {
    ctx = await startBrowserSuite(this);
    const at = "2026-11-23T08:00:00.000Z";
    await ctx.db("organisations").insert(
      [
        { kind: "purchaser", subkind: "gemeente", name: "Gemeente Voorbeeld", gemeentecode: "0384", active: true, created_at: at, updated_at: at },
        { kind: "provider", subkind: "overig", name: "Aanbieder Voorbeeld", agb_code: "42420001", active: true, created_at: at, updated_at: at },
      ].map((row) => withNameKeys("organisations", row)),
    );
    page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
  });
  after(async () => ctx?.close());

  const noViolations = async (where: string) => expect(await axeViolations(page), where).to.deep.equal([]);

  it("finds Berichten in the navigation, with the import behind it", async () => {
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Berichten", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Berichten" }).waitFor();
    await noViolations("/berichten");
    await page.getByRole("link", { name: "WMO301 importeren" }).click();
    await page.getByRole("heading", { level: 1, name: "WMO301 importeren" }).waitFor();
    await noViolations("/berichten/import");
  });

  it("refuses a file that is not a WMO301, saying so next to the field", async () => {
    await page.getByLabel("WMO301-bestanden").setInputFiles(NOT_XML);
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Inlezen en bekijken" }).click()]);
    expect(response?.status()).to.equal(422);
    await page.getByRole("heading", { name: "De bestanden zijn niet ingelezen" }).waitFor();
    expect(await page.locator("#f-bestanden-error").textContent()).to.contain("niet ingelezen");
    await noViolations("/berichten/import with errors");
  });

  it("uploads the official example and sees the client and its product in the preview", async () => {
    await page.getByLabel("WMO301-bestanden").setInputFiles(EXAMPLE);
    await page.getByRole("button", { name: "Inlezen en bekijken" }).click();
    await page.getByRole("heading", { level: 1, name: "WMO301: wat er verandert" }).waitFor();
    const section = page.locator("section.import-file");
    expect(await section.getByRole("heading", { level: 2 }).textContent()).to.contain("Tim de Wit-van Jansen");
    expect(await section.textContent()).to.contain("nieuwe cliënt");
    expect(await section.getByRole("table").textContent()).to.contain("Onbekende productcode: categorie 01, code 01A01.");
    expect(await section.getByRole("link", { name: "Product toevoegen (beheerder)" }).getAttribute("href")).to.equal("/beheer/producten/nieuw?iwmo_category=01&iwmo_code=01A01");
    await noViolations("the preview");
  });

  it("applies it, and finds the new client", async () => {
    await page.getByRole("button", { name: "Toepassen" }).click();
    await flash(page, "Toegepast. Nieuwe cliënten: 1; nieuwe toewijzingen: 0; gewijzigde toewijzingen: 0.");
    expect(await page.locator(".status-note").textContent()).to.contain("Toegepast op");
    await page.goto(`${ctx.baseUrl}/clienten?q=${encodeURIComponent("Tim de Wit")}`);
    await page.getByRole("link", { name: "de Wit-van Jansen, Tim" }).click();
    await page.getByRole("heading", { level: 1, name: "Tim de Wit-van Jansen" }).waitFor();
    expect(await page.locator("dl.facts").textContent()).to.contain("13-8-1967");
  });
});
