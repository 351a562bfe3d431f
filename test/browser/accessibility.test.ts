import { expect } from "chai";
import type { Page } from "playwright-core";
import { DEMO_USERS } from "../../seeds/demo";
import { axeViolations, hasChromium, logIn, startBrowserApp, type BrowserContext } from "../support/browser";

// WCAG 2.1 AA, checked by axe-core in real Chromium on every page each role's navigation
// reaches, and on a form showing validation errors.
describe("browser: accessibility of every page in the navigation (axe-core, WCAG 2.1 AA)", function () {
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

  async function expectNoViolations(page: Page, where: string) {
    const violations = await axeViolations(page);
    expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  }

  it("the login page, in Dutch and in English", async () => {
    const page = await ctx.newPage();
    await page.goto(`${ctx.baseUrl}/login`);
    await expectNoViolations(page, "/login");
    await page.getByRole("button", { name: "English" }).click();
    await expect(await page.locator("html").getAttribute("lang")).to.equal("en");
    await expectNoViolations(page, "/login (en)");
    await page.close();
  });

  it("the login form with validation errors", async () => {
    const page = await ctx.newPage();
    await page.goto(`${ctx.baseUrl}/login`);
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.waitForSelector("#f-email-error");
    await expectNoViolations(page, "/login with errors");
    await page.close();
  });

  for (const user of DEMO_USERS) {
    it(`every page in the ${user.role} navigation (${user.email})`, async () => {
      const page = await ctx.newPage();
      await logIn(page, ctx.baseUrl, user.email);
      const links = await page.locator("nav.main-nav a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
      expect(links.length).to.be.greaterThan(1);
      for (const href of links) {
        await page.goto(`${ctx.baseUrl}${href}`);
        await expectNoViolations(page, `${user.role} ${href}`);
      }
      await page.close();
    });
  }

  it("the admin's user form showing validation errors, and the organisation form", async () => {
    const page = await ctx.newPage();
    const admin = DEMO_USERS.find((u) => u.role === "admin")!;
    await logIn(page, ctx.baseUrl, admin.email);
    await page.goto(`${ctx.baseUrl}/beheer/gebruikers/nieuw`);
    await expectNoViolations(page, "new user form");
    await page.getByLabel("E-mailadres").fill("geen-adres");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.waitForSelector("#f-email-error");
    await expectNoViolations(page, "new user form with errors");
    await page.goto(`${ctx.baseUrl}/beheer/organisaties/nieuw`);
    await page.getByLabel("AGB-code").fill("12");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.waitForSelector("#f-agb_code-error");
    await expectNoViolations(page, "new organisation form with errors");
    await page.close();
  });

  it("works at phone width (390 px) without horizontal scrolling of the page", async () => {
    const page = await ctx.newPage({ viewport: { width: 390, height: 844 } });
    const coordinator = DEMO_USERS.find((u) => u.role === "coordinator")!;
    await logIn(page, ctx.baseUrl, coordinator.email);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).to.be.at.most(0);
    await expectNoViolations(page, "home at 390px");
    await page.close();
  });
});
