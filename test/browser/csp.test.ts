import { expect } from "chai";
import { cspViolations, logIn, startBrowserSuite, type BrowserContext } from "../support/browser";

// The journeys run under the app's real Content-Security-Policy: nothing in test/support
// bypasses it (axe-core goes in through the DevTools protocol), so a page that only works
// without the CSP fails its journey, and axeViolations() reports anything the CSP refused.
describe("browser: pages run under the real Content-Security-Policy", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;
  before(async function () {
    ctx = await startBrowserSuite(this);
  });
  after(async () => ctx?.close());

  it("an inline script is refused and recorded; the app's own script and styles load without a violation", async () => {
    const page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    await page.goto(`${ctx.baseUrl}/planning`);
    expect(await cspViolations(page)).to.deep.equal([]);
    const ran = await page.evaluate(`(() => { const s = document.createElement("script"); s.textContent = "window.__inlineRan = true"; document.head.appendChild(s); return window.__inlineRan === true; })()`);
    expect(ran).to.equal(false);
    expect((await cspViolations(page)).join(" ")).to.contain("script-src");
    // and the stylesheet applied: the header has the brand colour, not the browser's default
    const background = await page.evaluate(`getComputedStyle(document.querySelector(".site-header")).backgroundColor`);
    expect(background).to.not.equal("rgba(0, 0, 0, 0)");
    await page.context().close();
  });
});
