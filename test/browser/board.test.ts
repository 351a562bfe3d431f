import path from "node:path";
import { expect } from "chai";
import { addSetupClient, addSetupLocation, axeViolations, BROWSER_TODAY, logIn, SCREENSHOT_DIR, startBrowserSuite, type BrowserContext } from "../support/browser";

// The planning board at 1280 px shows the whole week: every day's columns on screen, none
// behind sideways scrolling, however long a name or a closure reason — here a care farm open
// seven days a week, a client with a very long name and a closure with a very long reason.
describe("browser: the planning board shows the whole week at 1280 px", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;
  let farm: number;

  before(async function () {
    ctx = await startBrowserSuite(this);
    const places = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => (["ochtend", "middag"] as const).map((dagdeel) => ({ weekday, dagdeel, places: 12 })));
    farm = await addSetupLocation(ctx.db, { provider: "Zorgboerderij De Peelhoeve", name: "De Peelhoeve Zevendaagse Weide", village: "Meijel", places });
    const at = `${BROWSER_TODAY}T08:00:00.000Z`;
    const long = await addSetupClient(ctx.db, { first_name: "Wilhelmina-Johanna Petronella", last_name: "van den Heuvel-Verstappen-Schreurs", village: "Meijel" });
    const [s] = await ctx.db("schedules")
      .insert({ client_id: long, location_id: farm, funding: "eigen", valid_from: BROWSER_TODAY, valid_until: null, week_parity: "elke", created_at: at, updated_at: at })
      .returning("id");
    const scheduleId = Number(typeof s === "object" ? s.id : s);
    await ctx.db("schedule_slots").insert(
      [1, 3, 6, 7].map((weekday) => ({ schedule_id: scheduleId, weekday, dagdeel: "ochtend", created_at: at, updated_at: at })),
    );
    const provider = await ctx.db("locations").where({ id: farm }).first("provider_id");
    await ctx.db("closures").insert({
      provider_id: provider.provider_id,
      location_id: farm,
      starts_on: "2026-11-26",
      ends_on: "2026-11-26",
      dagdeel: null,
      reason: "Jaarlijkse studiedag van alle vrijwilligers en begeleiders over veiligheid op het erf en de omgang met de dieren",
      created_at: at,
      updated_at: at,
    });
  });
  after(async () => ctx?.close());

  it("Monday to Sunday, every column on screen, no sideways scrolling, nothing cut off", async () => {
    const page = await ctx.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    const response = await page.goto(`${ctx.baseUrl}/planning/locaties/${farm}?week=2026-W48`);
    expect(response?.status()).to.equal(200);
    const heads = await page.locator("table.board thead th[scope=colgroup] span[aria-hidden]").allInnerTexts();
    expect(heads).to.deep.equal(["ma", "di", "wo", "do", "vr", "za", "zo"]);

    const layout = (await page.evaluate(`(() => {
      const doc = document.documentElement;
      const cells = Array.from(document.querySelectorAll("table.board th, table.board td")).map((el) => {
        const r = el.getBoundingClientRect();
        return { text: el.textContent.trim().slice(0, 30), right: r.right, left: r.left, clipped: el.scrollWidth > el.clientWidth + 1 };
      });
      const box = document.querySelector(".board-scroll");
      return { page: doc.scrollWidth - doc.clientWidth, box: box.scrollWidth - box.clientWidth, width: doc.clientWidth, cells };
    })()`)) as { page: number; box: number; width: number; cells: { text: string; right: number; left: number; clipped: boolean }[] };
    expect(layout.page, "the page scrolls sideways").to.be.at.most(0);
    expect(layout.box, "the board scrolls inside its box").to.be.at.most(0);
    const off = layout.cells.filter((c) => c.left < 0 || c.right > layout.width + 0.5 || c.clipped).map((c) => `${c.text} (${Math.round(c.left)}–${Math.round(c.right)}${c.clipped ? ", cut off" : ""})`);
    expect(off, "cells off screen or cut off").to.deep.equal([]);
    // The long texts are there in full, wrapped.
    await page.getByRole("link", { name: "Wilhelmina-Johanna Petronella van den Heuvel-Verstappen-Schreurs" }).waitFor();
    expect(await page.locator("table.board").innerText()).to.contain("omgang met de dieren");
    expect((await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.join(", ")}`)).to.deep.equal([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "board-week-1280.png"), fullPage: true });
    await page.close();
  });

  it("a location open on weekdays only shows Monday to Friday", async () => {
    const page = await ctx.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    await page.goto(`${ctx.baseUrl}/planning`);
    await Promise.all([page.waitForNavigation(), page.locator("main").getByRole("link", { name: "De Peelhoeve", exact: true }).first().click()]);
    const heads = await page.locator("table.board thead th[scope=colgroup] span[aria-hidden]").allInnerTexts();
    expect(heads).to.deep.equal(["ma", "di", "wo", "do", "vr"]);
    const overflow = (await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
    expect(overflow).to.be.at.most(0);
    await page.close();
  });
});
