import { expect } from "chai";
import { axeViolations, hasChromium, logIn, startBrowserApp, type BrowserContext } from "../support/browser";

// A coordinator brings a village facility's spreadsheet over: from the client list to the
// import page, a CSV chosen with the file input, the preview with a row in error, a mapping
// corrected, the import applied, the new client found. A provider makes an API token. axe-core
// on every page on the way, errors shown included.

describe("browser: importing clients from a spreadsheet, and an API token", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;

  before(async function () {
    if (!hasChromium()) {
      console.warn("      (Chromium not found at /usr/bin/chromium: browser tests skipped; .ci/run installs it)");
      this.skip();
    }
    ctx = await startBrowserApp();
  });
  after(async () => ctx?.close());

  const expectAccessible = async (page: import("playwright-core").Page, where: string) => {
    const violations = await axeViolations(page);
    expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  };

  it("upload, preview, correct the mapping, apply, find the client", async () => {
    const page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    await page.goto(`${ctx.baseUrl}/clienten`);
    await page.getByRole("link", { name: "Importeren uit een spreadsheet" }).click();
    await expectAccessible(page, "import start");

    // Without a file: the error next to the file field.
    await page.getByRole("button", { name: "Bestand lezen" }).click();
    await page.waitForSelector("#f-file-error");
    await expectAccessible(page, "import start with an error");

    const csv = "\uFEFFRoepnaam;Naam;Geboren;Dorp\nMarij;Hovens;12-3-1947;Meijel\nToon;Kessels;31-2-1950;Meijel\n";
    await page.getByLabel("Bestand").setInputFiles({ name: "dorpshuis.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
    await Promise.all([page.waitForURL(/\/importeren\/\d+$/), page.getByRole("button", { name: "Bestand lezen" }).click()]);
    await expectAccessible(page, "import preview");
    // "Roepnaam" maps itself to the first name; "Naam" is not one of the last name's usual names.
    await expect(await page.locator("tbody tr").count()).to.equal(2);
    await expect(await page.getByText("Regels met een fout (worden overgeslagen): 2").count()).to.equal(1);

    await page.getByLabel("Achternaam").selectOption({ label: "B: Naam" });
    await page.getByRole("button", { name: "Koppeling opslaan en opnieuw bekijken" }).click();
    await page.getByText("De koppeling is opgeslagen.").waitFor();
    await expect(await page.getByText("Nieuwe cliënten: 1").count()).to.equal(1);
    await expect(await page.getByText("Deze datum bestaat niet.").count()).to.equal(1);

    await Promise.all([page.waitForURL(/\/importeren\/\d+$/), page.getByRole("button", { name: "Importeren (1 regel)" }).click()]);
    await page.getByText("Import klaar").waitFor();
    await expectAccessible(page, "import result");

    await page.goto(`${ctx.baseUrl}/clienten?q=Hovens`);
    await expect(await page.getByRole("link", { name: "Hovens, Marij" }).count()).to.equal(1);
    await page.close();
  });

  it("a provider makes an API token and sees it once", async () => {
    const page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "aanbieder@dagdeel.demo");
    await page.getByRole("link", { name: "API-sleutels" }).click();
    await expectAccessible(page, "API tokens");
    await page.getByLabel("Naam").fill("Planbord boerderij");
    await page.getByLabel("Lezen en aanwezigheid registreren").check();
    await page.getByRole("button", { name: "Sleutel aanmaken" }).click();
    await page.getByText("wordt maar één keer getoond").waitFor();
    await expectAccessible(page, "new API token");
    const token = await page.getByLabel("Sleutel").inputValue();
    expect(token).to.match(/^dgd_/);
    const res = await fetch(`${ctx.baseUrl}/api/v1/locations?limit=5`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).to.equal(200);
    expect(((await res.json()) as { items: unknown[] }).items.length).to.be.greaterThan(0);
    await page.goto(`${ctx.baseUrl}/api-sleutels`);
    expect(await page.content()).to.not.contain(token);
    await page.close();
  });
});
