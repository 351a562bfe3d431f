import path from "node:path";
import { expect } from "chai";
import { axeViolations, flash, logIn, SCREENSHOT_DIR, startBrowserSuite, type BrowserContext } from "../support/browser";

// The provider on a phone at the care farm in the morning: one tap on "Ziek, hele dag" for a
// client who comes all day, then a note with the absence; both dagdelen show "ziek" and the
// note stays with it. With the page's script (the list is swapped in place) and without.
describe("browser: 'ziek, hele dag' and a note with the absence", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;

  before(async function () {
    ctx = await startBrowserSuite(this);
  });
  after(async () => ctx?.close());

  for (const script of [true, false]) {
    it(`one tap records both dagdelen, the note is kept (${script ? "with" : "without"} JavaScript, 390 px)`, async () => {
      const page = await ctx.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: script } as never);
      await logIn(page, ctx.baseUrl, "aanbieder@dagdeel.demo");
      await page.goto(`${ctx.baseUrl}/aanwezigheid`);
      await Promise.all([page.waitForNavigation(), page.locator("main").getByRole("link", { name: "De Peelhoeve", exact: true }).first().click()]);
      // The n-th whole-day client of the morning (the second run takes the next one).
      const entry = page.locator("#d-ochtend li.att-entry").filter({ has: page.locator("form.att-wholeday") }).nth(script ? 0 : 1);
      const id = (await entry.getAttribute("id"))!;
      const clientId = id.split("-")[1];
      const name = await entry.locator(".att-name").innerText();
      const tap = entry.getByRole("button", { name: new RegExp(`^Ziek, hele dag — ${name}`) });
      if (script) await tap.click();
      else await Promise.all([page.waitForNavigation(), tap.click()]);
      await flash(page, `${name}: ziek, hele dag (ochtend en middag).`);
      for (const dagdeel of ["ochtend", "middag"]) {
        await page.locator(`#c-${clientId}-${dagdeel} .att-status strong`).filter({ hasText: "ziek" }).waitFor();
      }
      const note = page.getByRole("textbox", { name: new RegExp(`^Notitie bij de afwezigheid — ${name}, ochtend`) });
      await note.fill("Griep, belt zelf als het beter gaat");
      const save = page.locator(`#c-${clientId}-ochtend`).getByRole("button", { name: /^Notitie opslaan/ });
      if (script) await save.click();
      else await Promise.all([page.waitForNavigation(), save.click()]);
      await flash(page, `De notitie bij ${name} (ochtend) is opgeslagen.`);
      await page.reload();
      expect(await page.getByRole("textbox", { name: new RegExp(`^Notitie bij de afwezigheid — ${name}, ochtend`) }).inputValue()).to.equal("Griep, belt zelf als het beter gaat");
      const sideways = (await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
      expect(sideways, "the list scrolls sideways at 390 px").to.be.at.most(0);
      // axe-core runs as a script in the page: only where scripts run.
      if (script) expect((await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.join(", ")}`)).to.deep.equal([]);
      if (script) await page.locator(`#c-${clientId}-ochtend`).screenshot({ path: path.join(SCREENSHOT_DIR, "attendance-note-390.png") });
      await page.close();
    });
  }
});
