import { expect } from "chai";
import type { Page } from "playwright-core";
import { addSetupClient, addSetupLocation, chooseOption, focused, pressAndLoad, startBrowserSuite, tabTo, type BrowserContext } from "../support/browser";

// The coordinator's scheduling journey by keyboard alone (WCAG 2.1.1): Tab and Shift+Tab to
// move, Enter and Space to act, arrow keys in selects and radio groups, typing into fields.
// No mouse, no click(), no fill(). A small location with one place on Tuesday morning makes
// "full" certain; two clients without a schedule are planned on "eigen betaling".
const LOCATION = "De Peelhoeve Stal";

describe("browser: the coordinator's scheduling journey by keyboard alone", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;
  let page: Page;

  before(async function () {
    ctx = await startBrowserSuite(this);
    await addSetupLocation(ctx.db, { provider: "Zorgboerderij De Peelhoeve", name: LOCATION, village: "Meijel", places: [{ weekday: 2, dagdeel: "ochtend", places: 1 }] });
    await addSetupClient(ctx.db, { first_name: "Mia", last_name: "Geurts", village: "Panningen" });
    await addSetupClient(ctx.db, { first_name: "Sef", last_name: "Lenders", village: "Panningen" });
    page = await ctx.newPage();
  });
  after(async () => ctx?.close());

  const alertText = () => page.getByRole("alert").innerText();
  const statusText = () => page.getByRole("status").innerText();

  /** From any page: the main menu's "Cliënten", search the client, open the client's page. */
  async function openClient(first: string, last: string) {
    await tabTo(page, "Cliënten", { tag: "a" });
    await pressAndLoad(page);
    await tabTo(page, "Zoeken op naam of BSN");
    await page.keyboard.type(`${first} ${last}`);
    await pressAndLoad(page); // Enter in a search field submits its form
    await tabTo(page, `${last}, ${first}`, { tag: "a" });
    await pressAndLoad(page);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).to.equal(`${first} ${last}`);
  }

  /** On the client's page: "Nieuw rooster", then location, funding, Tuesday morning, save. */
  async function scheduleTuesdayMorning() {
    await tabTo(page, "Nieuw rooster", { tag: "a" });
    await pressAndLoad(page);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).to.equal("Nieuw rooster");
    await tabTo(page, /^Locatie/, { tag: "select" });
    await chooseOption(page, `${LOCATION} (Zorgboerderij De Peelhoeve)`);
    // A radio group is one tab stop, on the chosen radio; arrows move the choice.
    const radio = await tabTo(page, "toewijzing", { tag: "input" });
    expect(radio.checked).to.equal(true);
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    const eigen = await focused(page);
    expect([eigen.name, eigen.checked]).to.deep.equal(["eigen betaling", true]);
    const box = await tabTo(page, "dinsdag ochtend", { tag: "input" });
    expect(box.checked).to.equal(false);
    await page.keyboard.press("Space");
    expect((await focused(page)).checked).to.equal(true);
    await tabTo(page, "Rooster opslaan", { tag: "button" });
    await pressAndLoad(page);
  }

  it("logs in by keyboard", async () => {
    await page.goto(`${ctx.baseUrl}/login`);
    await tabTo(page, /^E-mailadres/);
    await page.keyboard.type("coordinator@dagdeel.demo");
    await tabTo(page, /^Wachtwoord/);
    await page.keyboard.type("demo-dagdeel");
    await pressAndLoad(page);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).to.match(/^Goedendag/);
  });

  it("has the skip link as the first tab stop, and it moves the focus to the main content", async () => {
    const first = await tabTo(page, /.*/, { max: 1 });
    expect([first.tag, first.name]).to.deep.equal(["a", "Direct naar de inhoud"]);
    // Off screen until focused, then shown at the top left.
    const box = await page.evaluate(() => document.activeElement!.getBoundingClientRect().toJSON());
    expect(box.left).to.be.at.least(0);
    expect(box.top).to.be.at.least(0);
    expect(box.width).to.be.greaterThan(10);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "main");
    // The next Tab goes on inside the main content, past the menu.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).to.equal(true);
  });

  it("schedules a client on the last place and sees the confirmation", async () => {
    await openClient("Mia", "Geurts");
    await scheduleTuesdayMorning();
    expect(await statusText()).to.equal("Het rooster is opgeslagen.");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).to.equal("Rooster Mia Geurts");
    expect(await page.locator("dl.facts").innerText()).to.contain("dinsdag ochtend");
  });

  it("sees the next booking refused with its reason, and puts the client on the waiting list", async () => {
    await openClient("Sef", "Lenders");
    await scheduleTuesdayMorning();
    const reason = await alertText();
    expect(reason).to.contain("Geen plaats meer op di 24-11-2026 ochtend");
    expect(reason).to.contain("(vol: 1 van 1)");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).to.equal("Nieuw rooster");

    await tabTo(page, "Op de wachtlijst zetten", { tag: "a" });
    await pressAndLoad(page);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).to.equal("Op de wachtlijst zetten");
    const wish = await tabTo(page, "dinsdag ochtend", { tag: "input" });
    expect(wish.checked).to.equal(true); // the refused dagdeel came along as the wish
    await tabTo(page, "Op de wachtlijst zetten", { tag: "button" });
    await pressAndLoad(page);
    expect(await statusText()).to.equal("De cliënt staat op de wachtlijst.");
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Sef Lenders" }) });
    expect((await row.getByRole("cell").allInnerTexts()).slice(0, 3)).to.deep.equal([LOCATION, "Meijel", "dinsdag ochtend"]);
  });
});
