import path from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { axeViolations, logIn, SCREENSHOT_DIR, startBrowserSuite, type BrowserContext } from "../support/browser";

// The main pages at desktop (1280 px) and phone (390 px) width: a screenshot of each is saved
// under test-results/screenshots/<name>-<width>.png to look at, and at phone width the page
// itself must not scroll sideways (a wide table may scroll inside its own box), and axe-core
// finds nothing there either (a box that scrolls only on a phone must be reachable by keyboard).
const WIDTHS = [1280, 390] as const;

type Shot = { name: string; open: (page: Page, baseUrl: string) => Promise<void> };

const go = (href: string) => async (page: Page, baseUrl: string) => {
  const response = await page.goto(`${baseUrl}${href}`);
  expect(response?.status(), href).to.equal(200);
};
/** Opens a page the way a user gets there: a link on another page. */
const via = (href: string, link: string | RegExp) => async (page: Page, baseUrl: string) => {
  await go(href)(page, baseUrl);
  await Promise.all([page.waitForNavigation(), page.locator("main").getByRole("link", { name: link }).first().click()]);
};

const SHOTS: { email: string; shots: Shot[] }[] = [
  {
    email: "coordinator@dagdeel.demo",
    shots: [
      { name: "home-coordinator", open: go("/") },
      { name: "board", open: via("/planning", "De Peelhoeve") },
      { name: "client", open: via("/clienten?q=Bouten", /^Bouten, / ) },
      { name: "attendance-daily", open: via("/aanwezigheid", "De Peelhoeve") },
      { name: "agenda", open: go("/agenda?q=Bouten") },
      { name: "roster-print", open: via("/agenda?q=Bouten", /^Weekrooster/) },
      { name: "waitlist", open: go("/wachtlijst") },
    ],
  },
  {
    email: "aanbieder@dagdeel.demo",
    shots: [
      { name: "home-provider", open: go("/") },
      { name: "location-week", open: via("/locaties", "De Peelhoeve") },
      { name: "capacity-form", open: async (page, baseUrl) => {
        await via("/locaties", "De Peelhoeve")(page, baseUrl);
        await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Capaciteit wijzigen" }).click()]);
      } },
    ],
  },
  {
    email: "inkoper@dagdeel.demo",
    shots: [
      { name: "home-purchaser", open: go("/") },
      { name: "free-places", open: go("/vrije-plaatsen") },
      { name: "contracts", open: go("/contracten") },
      { name: "contract-use", open: via("/contracten", "PM-2026-ZB-01") },
      { name: "declaration", open: via("/declaraties", /^DGD/) },
    ],
  },
  { email: "beheer@dagdeel.demo", shots: [{ name: "home-admin", open: go("/") }] },
];

describe("browser: layout of the main pages at 1280 and 390 px, with screenshots", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;

  before(async function () {
    ctx = await startBrowserSuite(this);
  });
  after(async () => ctx?.close());

  for (const { email, shots } of SHOTS) {
    it(`${shots.map((s) => s.name).join(", ")} (${email})`, async () => {
      const page = await ctx.newPage({ viewport: { width: WIDTHS[0], height: 800 } });
      await logIn(page, ctx.baseUrl, email);
      const overflowing: string[] = [];
      const violations: string[] = [];
      for (const shot of shots) {
        await page.setViewportSize({ width: WIDTHS[0], height: 800 });
        await shot.open(page, ctx.baseUrl);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
          if (width < 600) {
            // Which elements stick out past the right edge, to say what to fix.
            const wide = await page.evaluate(`(() => {
              const doc = document.documentElement;
              if (doc.scrollWidth <= doc.clientWidth) return [];
              return Array.from(document.querySelectorAll("body *"))
                .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " " + Math.round(el.getBoundingClientRect().right) + "px");
            })()`);
            if ((wide as string[]).length > 0) overflowing.push(`${shot.name}: ${(wide as string[]).join(", ")}`);
            for (const v of await axeViolations(page)) violations.push(`${shot.name} at ${width} px: ${v.id} ${v.help} (${v.nodes.join(", ")})`);
          }
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${shot.name}-${width}.png`), fullPage: true });
        }
      }
      expect(overflowing, "pages wider than a 390 px phone").to.deep.equal([]);
      expect(violations, "axe-core at phone width").to.deep.equal([]);
      await page.close();
    });
  }
});
