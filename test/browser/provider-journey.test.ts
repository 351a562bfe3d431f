import { expect } from "chai";
import type { Locator, Page } from "playwright-core";
import { flash, logIn, startBrowserSuite, type BrowserContext } from "../support/browser";

// A provider (Zorgboerderij De Peelhoeve) adds a location, gives it a week of capacity, adds a
// closure, and sees the location's week view change at each step — in real Chromium, clicking
// what a user clicks and reading what a user reads.
describe("browser: the provider's journey (location, capacity, closure, week view)", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;
  let page: Page;

  before(async function () {
    ctx = await startBrowserSuite(this);
    page = await ctx.newPage();
  });
  after(async () => ctx?.close());

  const weekTable = () => page.getByRole("table", { name: /Plaatsen, bezet en vrij per dag en dagdeel/ });
  /** The week view's cells of one weekday: [ochtend, middag]. */
  const dayCells = (weekday: string): Locator => weekTable().getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${weekday}`) }) }).getByRole("cell");
  const weekTotal = () => weekTable().locator("tfoot td");

  it("logs in and adds a location; its week view shows it not open yet", async () => {
    await logIn(page, ctx.baseUrl, "aanbieder@dagdeel.demo");
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Locaties" }).click();
    await expect(await page.getByRole("heading", { level: 1 }).textContent()).to.equal("Locaties");
    await page.getByRole("link", { name: "Nieuwe locatie" }).click();

    await page.getByLabel("Naam").fill("De Peelhoeve Boomgaard");
    await page.getByLabel("Straat en huisnummer").fill("Boomgaardweg 3");
    await page.getByLabel("Postcode").fill("5768 pb");
    await page.getByLabel("Kern").selectOption({ label: "Meijel (Peel en Maas)" });
    await page.getByRole("button", { name: "Opslaan" }).click();

    await flash(page, "Locatie De Peelhoeve Boomgaard is aangemaakt. Vul nu de capaciteit in.");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).to.equal("De Peelhoeve Boomgaard");
    expect(await page.locator(".lead").textContent()).to.contain("Boomgaardweg 3, 5768 PB");
    expect(await dayCells("maandag").allInnerTexts()).to.deep.equal(["niet open", "niet open"]);
    expect(await weekTotal().textContent()).to.equal("0 plaatsen, 0 bezet, 0 vrij");
  });

  it("sets a week of capacity from today; the week view shows the free places", async () => {
    await page.getByRole("link", { name: "Capaciteit wijzigen" }).click();
    await expect(await page.getByRole("heading", { level: 1 }).textContent()).to.contain("Capaciteit wijzigen");
    for (const day of ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"]) {
      await page.getByRole("spinbutton", { name: new RegExp(`^${day} ochtend`) }).fill("8");
      await page.getByRole("spinbutton", { name: new RegExp(`^${day} middag`) }).fill(day === "vrijdag" ? "" : "6");
    }
    expect(await page.getByLabel("Geldig vanaf").inputValue()).to.equal("2026-11-23");
    await page.getByRole("button", { name: "Opslaan" }).click();

    await flash(page, "De capaciteit van De Peelhoeve Boomgaard is opgeslagen.");
    expect(await dayCells("maandag").allInnerTexts()).to.deep.equal(["8 vrij · 0 van 8 bezet", "6 vrij · 0 van 6 bezet"]);
    expect(await dayCells("woensdag").allInnerTexts()).to.deep.equal(["8 vrij · 0 van 8 bezet", "6 vrij · 0 van 6 bezet"]);
    expect(await dayCells("vrijdag").allInnerTexts()).to.deep.equal(["8 vrij · 0 van 8 bezet", "niet open"]);
    expect(await dayCells("zaterdag").allInnerTexts()).to.deep.equal(["niet open", "niet open"]);
    expect(await weekTotal().textContent()).to.equal("64 plaatsen, 0 bezet, 64 vrij");
    // The capacity table under it says the same per weekday.
    const now = page.getByRole("table", { name: /Plaatsen per weekdag en dagdeel op 23-11-2026/ });
    expect(await now.getByRole("row").filter({ hasText: "dinsdag" }).getByRole("cell").allInnerTexts()).to.deep.equal(["8", "6"]);
  });

  it("adds a closure for Wednesday; the week view shows that day closed with its reason", async () => {
    await page.getByRole("link", { name: "Sluiting toevoegen" }).click();
    await page.getByRole("heading", { level: 1, name: "Sluitingen" }).waitFor();
    // From the location's page, the form starts with that location chosen.
    expect(await page.getByLabel("Locatie").locator("option:checked").textContent()).to.equal("De Peelhoeve Boomgaard");
    await page.getByLabel("Van").fill("2026-11-25");
    await page.getByLabel("Reden").fill("Studiedag vrijwilligers");
    await page.getByRole("button", { name: "Sluiting toevoegen" }).click();

    await flash(page, 'Sluiting "Studiedag vrijwilligers" is toegevoegd.');
    const row = page.getByRole("table", { name: "Komende sluitingen" }).getByRole("row").filter({ hasText: "Studiedag vrijwilligers" });
    expect(await row.getByRole("rowheader").textContent()).to.equal("25-11-2026");
    expect(await row.getByRole("cell").first().textContent()).to.equal("hele dag");
    expect(await row.getByRole("cell").nth(1).textContent()).to.equal("De Peelhoeve Boomgaard");

    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Locaties" }).click();
    await page.getByRole("link", { name: "De Peelhoeve Boomgaard" }).click();
    expect(await dayCells("woensdag").allInnerTexts()).to.deep.equal(["gesloten: Studiedag vrijwilligers", "gesloten: Studiedag vrijwilligers"]);
    expect(await dayCells("dinsdag").allInnerTexts()).to.deep.equal(["8 vrij · 0 van 8 bezet", "6 vrij · 0 van 6 bezet"]);
    expect(await weekTotal().textContent()).to.equal("50 plaatsen, 0 bezet, 50 vrij");
    expect(await page.getByRole("region", { name: "Komende sluitingen" }).textContent()).to.contain("25-11-2026: Studiedag vrijwilligers");
  });
});
