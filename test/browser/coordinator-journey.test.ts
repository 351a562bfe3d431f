import { expect } from "chai";
import type { Page } from "playwright-core";
import { addSetupClient, addSetupLocation, flash, chromiumOrSkip, logIn, startBrowserApp, unusedTestBsn, type BrowserContext } from "../support/browser";

// A coordinator creates a client and an allocation, schedules clients at a small location until
// it is full, sees the next booking refused with its reason, puts that client on the waiting
// list, and records the day's attendance — in real Chromium, as a user clicks.
//
// So that "until it is full" does not depend on the demo plan, the test prepares what no
// coordinator can make: a location of De Peelhoeve with two places on Monday morning (under the
// provider's contract with the gemeente), and two clients planned on "eigen betaling".
const LOCATION = "De Peelhoeve Kleine Schuur";

describe("browser: the coordinator's journey (client, allocation, schedules until full, waiting list, attendance)", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;
  let page: Page;
  let bsn: string;

  before(async function () {
    chromiumOrSkip(this);
    ctx = await startBrowserApp();
    await addSetupLocation(ctx.db, { provider: "Zorgboerderij De Peelhoeve", name: LOCATION, village: "Meijel", places: [{ weekday: 1, dagdeel: "ochtend", places: 2 }] });
    await addSetupClient(ctx.db, { first_name: "Harrie", last_name: "Verheggen", village: "Meijel" });
    await addSetupClient(ctx.db, { first_name: "Door", last_name: "Kurvers", village: "Meijel" });
    bsn = await unusedTestBsn(ctx.db);
    page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
  });
  after(async () => ctx?.close());

  const nav = (name: string) => page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name, exact: true }).click();
  const h1 = () => page.getByRole("heading", { level: 1 }).textContent();

  async function openClient(first: string, last: string) {
    await nav("Cliënten");
    await page.getByLabel("Zoeken op naam of BSN").fill(`${first} ${last}`);
    await page.getByRole("button", { name: "Zoeken" }).click();
    await page.getByRole("link", { name: `${last}, ${first}`, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: `${first} ${last}` }).waitFor();
  }

  /** From the client's page: a new schedule at the small location on Monday morning. */
  async function scheduleMondayMorning(funding: "toewijzing" | "eigen betaling") {
    await page.getByRole("link", { name: "Nieuw rooster" }).click();
    await page.getByRole("heading", { level: 1, name: "Nieuw rooster" }).waitFor();
    await page.getByLabel("Locatie").selectOption({ label: `${LOCATION} (Zorgboerderij De Peelhoeve)` });
    await page.getByRole("group", { name: /Financiering/ }).getByLabel(funding, { exact: true }).check();
    await page.getByRole("checkbox", { name: "maandag ochtend" }).check();
    await page.getByRole("button", { name: "Rooster opslaan" }).click();
  }

  it("creates a client", async () => {
    await nav("Cliënten");
    await page.getByRole("link", { name: "Nieuwe cliënt" }).click();
    await page.getByLabel("Voornaam").fill("Truus");
    await page.getByLabel("Achternaam").fill("Hendrix");
    await page.getByLabel("BSN").fill(bsn);
    await page.getByLabel("Geboortedatum").fill("1948-03-12");
    await page.getByLabel("Kern").selectOption({ label: "Meijel" });
    await page.getByLabel("Straat en huisnummer").fill("Dorpsstraat 12");
    await page.getByLabel("Postcode").fill("5768 AB");
    await page.getByLabel("Heeft vervoer nodig").check();
    await page.getByRole("button", { name: "Opslaan" }).click();

    await flash(page, "Cliënt Truus Hendrix is aangemaakt.");
    expect(await h1()).to.equal("Truus Hendrix");
    const facts = page.locator("dl.facts");
    expect(await facts.textContent()).to.contain("Dorpsstraat 12, 5768 AB Meijel");
    expect(await facts.textContent()).to.contain("12-3-1948");
  });

  it("adds an allocation from the gemeente to the client", async () => {
    await page.getByRole("link", { name: "Nieuwe toewijzing" }).click();
    await page.getByLabel("Toewijzingsnummer").fill("51000017");
    await page.getByLabel("Inkoper").selectOption({ label: "Gemeente Peel en Maas" });
    await page.getByLabel("Aanbieder").selectOption({ label: "Zorgboerderij De Peelhoeve" });
    await page.getByLabel("Product").selectOption({ label: "07A01 Dagbesteding basis (dagdelen)" });
    await page.getByLabel("Aantal eenheden").fill("2");
    await page.getByLabel("Per (verplicht)", { exact: true }).selectOption({ label: "per week (iWmo-frequentie 2)" });
    await page.getByRole("button", { name: "Opslaan" }).click();

    await flash(page, "Toewijzing 51000017 is vastgelegd.");
    const row = page.getByRole("table", { name: "Toewijzingen van Truus Hendrix" }).getByRole("row").filter({ hasText: "51000017" });
    expect(await row.getByRole("cell").allInnerTexts()).to.include.members(["Gemeente Peel en Maas", "Zorgboerderij De Peelhoeve", "2 dagdelen per week"]);
  });

  it("schedules clients at the small location until it is full", async () => {
    // The new client, paid from the allocation just made (the form chooses it by itself).
    await scheduleMondayMorning("toewijzing");
    await flash(page, "Het rooster is opgeslagen.");
    expect(await h1()).to.equal("Rooster Truus Hendrix");
    const facts = await page.locator("dl.facts").innerText();
    expect(facts).to.contain("51000017");
    expect(facts).to.contain("maandag ochtend");

    // A second client, paying herself: the second and last place.
    await openClient("Harrie", "Verheggen");
    await scheduleMondayMorning("eigen betaling");
    await flash(page, "Het rooster is opgeslagen.");
    expect(await h1()).to.equal("Rooster Harrie Verheggen");

    // The board of the location says it is full.
    await page.getByRole("link", { name: LOCATION }).first().click();
    await page.getByRole("heading", { level: 1, name: LOCATION }).waitFor();
    const totals = page.locator("tr.board-totals td");
    expect((await totals.first().innerText()).trim()).to.equal("2 / 2 · vol");
    const board = page.getByRole("table", { name: /Wie er komt in week 48, 2026/ });
    expect(await board.getByRole("rowheader").allInnerTexts()).to.include.members(["Truus Hendrix", "Harrie Verheggen"]);
  });

  it("sees the next booking refused, with the full dagdelen named, and puts the client on the waiting list", async () => {
    await openClient("Door", "Kurvers");
    await scheduleMondayMorning("eigen betaling");

    const summary = page.getByRole("alert");
    await summary.waitFor();
    const reason = await summary.innerText();
    expect(reason).to.contain("Controleer het formulier");
    // Which dagdelen are full, from which date and for how long (over the schedule's whole validity).
    expect(reason).to.contain("Geen plaats meer op ma 23-11-2026 ochtend");
    expect(reason).to.contain("(vol: 2 van 2)");
    expect(reason).to.contain("Sommige dagdelen zijn vol.");
    // Nothing was saved: the form is still there, with the input kept.
    expect(await h1()).to.equal("Nieuw rooster");
    expect(await page.getByRole("checkbox", { name: "maandag ochtend" }).isChecked()).to.equal(true);

    await summary.getByRole("link", { name: "Op de wachtlijst zetten" }).click();
    await page.getByRole("heading", { level: 1, name: "Op de wachtlijst zetten" }).waitFor();
    // The wish comes along: client, location and the refused dagdeel.
    expect(await page.getByLabel("Cliënt").locator("option:checked").textContent()).to.equal("Door Kurvers");
    expect(await page.getByLabel("Locatie").locator("option:checked").textContent()).to.equal(`${LOCATION} (Zorgboerderij De Peelhoeve)`);
    expect(await page.getByRole("checkbox", { name: "maandag ochtend" }).isChecked()).to.equal(true);
    await page.getByLabel("Prioriteit").selectOption({ label: "2 · dringend" });
    await page.getByRole("button", { name: "Op de wachtlijst zetten" }).click();

    await flash(page, "De cliënt staat op de wachtlijst.");
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Door Kurvers" }) });
    const cells = await row.getByRole("cell").allInnerTexts();
    expect(cells.slice(0, 4)).to.deep.equal([LOCATION, "maandag ochtend", "23-11-2026", "2"]);
    expect(cells).to.include("nog vol");
  });

  it("records the day's attendance at the location: one status by hand, then everyone else present", async () => {
    await nav("Aanwezigheid");
    await page.getByRole("link", { name: LOCATION, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: `Aanwezigheid ${LOCATION}` }).waitFor();
    const morning = page.getByRole("region", { name: /^ochtend/ });
    expect(await morning.locator(".att-summary").innerText()).to.contain("2 verwacht, 2 plaatsen");
    expect(await morning.locator(".att-summary").innerText()).to.contain("nog 2 cliënten te registreren");

    await morning.getByRole("button", { name: "Ziek — Harrie Verheggen, ochtend" }).click();
    await flash(page, "Harrie Verheggen: ziek (ochtend).");
    const harrie = page.getByRole("listitem").filter({ hasText: "Harrie Verheggen" });
    expect(await harrie.locator(".att-status strong").innerText()).to.equal("ziek");

    await page.getByRole("region", { name: /^ochtend/ }).getByRole("button", { name: /^Iedereen aanwezig \(1 cliënt\)/ }).click();
    await flash(page, "1 cliënt aanwezig gemeld (ochtend).");
    const truus = page.getByRole("listitem").filter({ hasText: "Truus Hendrix" });
    expect(await truus.locator(".att-status strong").innerText()).to.equal("aanwezig");
    const summary = await page.getByRole("region", { name: /^ochtend/ }).locator(".att-summary").innerText();
    expect(summary).to.contain("aanwezig 1");
    expect(summary).to.contain("ziek 1");
    expect(summary).to.contain("nog 0 cliënten te registreren");

    // It is recorded, not only shown: a fresh load of the list says the same.
    await page.reload();
    expect(await page.getByRole("listitem").filter({ hasText: "Truus Hendrix" }).locator(".att-status strong").innerText()).to.equal("aanwezig");
    expect(await page.getByRole("listitem").filter({ hasText: "Harrie Verheggen" }).locator(".att-status strong").innerText()).to.equal("ziek");
  });
});
