import path from "node:path";
import { expect } from "chai";
import { axeViolations, BROWSER_TODAY, logIn, SCREENSHOT_DIR, startBrowserSuite, type BrowserContext } from "../support/browser";

// The driver reads the transport list on a phone: at 390 px every row is stacked, so every
// column (time, name, village, address, wheelchair, phone, location) is on screen without
// scrolling sideways, each with its column's name; at 1280 px it is an ordinary table.
describe("browser: the transport list on a phone", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;

  before(async function () {
    ctx = await startBrowserSuite(this);
  });
  after(async () => ctx?.close());

  // Every cell of every transport table: where it is and whether its content fits inside it.
  const CELLS = `(() => {
    const doc = document.documentElement;
    return Array.from(document.querySelectorAll("table.att-transport-table tbody th, table.att-transport-table tbody td")).map((el) => {
      const r = el.getBoundingClientRect();
      return { tag: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 40), left: r.left, right: r.right, width: r.width, clipped: el.scrollWidth > el.clientWidth + 1, label: getComputedStyle(el, "::before").content };
    }).concat([{ tag: "html", text: "(page)", left: 0, right: doc.scrollWidth, width: doc.clientWidth, clipped: doc.scrollWidth > doc.clientWidth, label: "" }]);
  })()`;
  type Cell = { tag: string; text: string; left: number; right: number; width: number; clipped: boolean; label: string };

  it("at 390 px every column of every ride is readable without sideways scrolling; at 1280 px it is a table", async () => {
    const page = await ctx.newPage({ viewport: { width: 390, height: 844 } });
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    const response = await page.goto(`${ctx.baseUrl}/vervoer?datum=${BROWSER_TODAY}`);
    expect(response?.status()).to.equal(200);
    await page.getByRole("heading", { level: 2, name: "ochtend" }).waitFor();

    const cells = (await page.evaluate(CELLS)) as Cell[];
    const rows = cells.filter((c) => c.text !== "(page)");
    expect(rows.length, "the demo has clients who travel on Monday").to.be.greaterThan(20);
    const outside = cells.filter((c) => c.left < 0 || c.right > 390 + 0.5 || c.clipped).map((c) => `${c.text} (${Math.round(c.left)}–${Math.round(c.right)}${c.clipped ? ", clipped" : ""})`);
    expect(outside, "cells outside a 390 px screen").to.deep.equal([]);
    // Stacked: each data cell says which column it is ("Telefoon: …").
    const unlabelled = rows.filter((c) => c.tag === "td" && !/^"[^"]+: "$/.test(c.label));
    expect(unlabelled.map((c) => c.text), "data cells without their column's name").to.deep.equal([]);
    expect(rows.some((c) => c.label === '"Telefoon: "')).to.equal(true);
    // The first ride shows its time, its address and its location next to each other in one card.
    const first = page.locator("#vervoer-ochtend table.att-transport-table tbody tr").first();
    expect(await first.locator("td").first().innerText()).to.match(/\d\d:\d\d/);
    expect((await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.join(", ")}`), "axe at 390 px").to.deep.equal([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "transport-390.png"), fullPage: true });

    await page.setViewportSize({ width: 1280, height: 800 });
    const wide = (await page.evaluate(CELLS)) as Cell[];
    expect(wide.find((c) => c.text === "(page)")!.clipped, "1280 px scrolls sideways").to.equal(false);
    // A table again: the cells of a row side by side, the column heads shown.
    expect(await page.locator("#vervoer-ochtend table.att-transport-table thead").first().isVisible()).to.equal(true);
    const box = async (i: number) => (await first.locator("td").nth(i).boundingBox())!;
    expect((await box(1)).x).to.be.greaterThan((await box(0)).x);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "transport-1280.png"), fullPage: true });
    await page.close();
  });
});
