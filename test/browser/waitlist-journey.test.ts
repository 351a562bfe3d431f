import path from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { addSetupClient, addSetupLocation, axeViolations, BROWSER_TODAY, flash, logIn, SCREENSHOT_DIR, startBrowserSuite, type BrowserContext } from "../support/browser";

// Issue 15.6 and 15.7 as a coordinator clicks them in Chromium: the regional waiting list by
// gemeente, "inplannen" as a page that survives a reload with the room at the location on it,
// the booking that takes the client off the list; and the new schedule form, where choosing a
// location shows its free places while what was filled in stays.
const LOCATION = "De Peelhoeve Wachtweide";

describe("browser: the waiting list by need and the free places on the schedule form", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;
  let page: Page;
  let location: number;
  let newcomer: number;

  before(async function () {
    ctx = await startBrowserSuite(this);
    const places = [1, 2, 3, 4, 5].flatMap((weekday) => (["ochtend", "middag"] as const).map((dagdeel) => ({ weekday, dagdeel, places: weekday === 2 ? 1 : 2 })));
    location = await addSetupLocation(ctx.db, { provider: "Zorgboerderij De Peelhoeve", name: LOCATION, village: "Meijel", places });
    const at = `${BROWSER_TODAY}T08:00:00.000Z`;
    // Tuesday morning is full: one place, one client.
    const holder = await addSetupClient(ctx.db, { first_name: "Toon", last_name: "Dinsdag", village: "Meijel" });
    const [s] = await ctx.db("schedules").insert({ client_id: holder, location_id: location, funding: "eigen", valid_from: BROWSER_TODAY, valid_until: null, week_parity: "elke", created_at: at, updated_at: at }).returning("id");
    await ctx.db("schedule_slots").insert({ schedule_id: Number(typeof s === "object" ? s.id : s), weekday: 2, dagdeel: "ochtend", created_at: at, updated_at: at });
    // Wanda waits for Wednesday morning, paying herself, most urgent.
    const wanda = await addSetupClient(ctx.db, { first_name: "Wanda", last_name: "Wachtlijst", village: "Meijel" });
    const [e] = await ctx.db("waitlist_entries").insert({ client_id: wanda, location_id: location, since: "2026-10-01", priority: 1, status: "wachtend", note: null, funding: "eigen", created_at: at, updated_at: at }).returning("id");
    await ctx.db("waitlist_slots").insert({ waitlist_entry_id: Number(typeof e === "object" ? e.id : e), weekday: 3, dagdeel: "ochtend", created_at: at, updated_at: at });
    newcomer = await addSetupClient(ctx.db, { first_name: "Nina", last_name: "Nieuwkomer", village: "Meijel" });
    page = await ctx.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
  });
  after(async () => ctx?.close());

  it("finds the client on the regional list, plans her from a page that survives a reload, and she leaves the list", async () => {
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Wachtlijst", exact: true }).click();
    await page.getByLabel("Gemeente").selectOption({ label: "Peel en Maas" });
    await page.getByLabel("Dorp").selectOption({ label: "Meijel" });
    await page.getByRole("button", { name: "Tonen" }).click();
    expect(page.url()).to.contain("gemeente=1894").and.to.contain("dorp=");
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Wanda Wachtlijst" }) });
    expect(await row.getByRole("cell").allInnerTexts()).to.include("past nu");
    expect((await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.join(", ")}`)).to.deep.equal([]);

    await row.getByRole("link", { name: "Inplannen Wanda Wachtlijst" }).click();
    await page.getByRole("heading", { level: 1, name: "Nieuw rooster" }).waitFor();
    const planUrl = page.url();
    expect(planUrl).to.match(/\/wachtlijst\/\d+\/inplannen$/);
    const room = page.getByRole("table", { name: new RegExp(`^Vrije plaatsen bij ${LOCATION}`) });
    expect(await room.getByRole("row", { name: /dinsdag/ }).innerText()).to.contain("vol op 24-11-2026");
    expect(await room.getByRole("row", { name: /woensdag/ }).innerText()).to.contain("2 plaatsen vrij");
    await page.reload();
    expect(page.url()).to.equal(planUrl);
    expect(await page.getByRole("checkbox", { name: "woensdag ochtend" }).isChecked()).to.equal(true);
    expect(await page.getByRole("radio", { name: "eigen betaling" }).isChecked()).to.equal(true);
    expect((await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.join(", ")}`)).to.deep.equal([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "waitlist-plan-form.png"), fullPage: true });

    await page.getByRole("button", { name: "Rooster opslaan" }).click();
    await flash(page, "Het rooster is opgeslagen.");
    await page.goto(`${ctx.baseUrl}/wachtlijst?locatie=${location}`);
    expect(await page.locator("main").innerText()).to.not.contain("Wanda Wachtlijst");
  });

  it("the new schedule form shows the free places once a location is chosen, keeping what was ticked", async () => {
    await page.goto(`${ctx.baseUrl}/roosters/nieuw?client=${newcomer}`);
    await page.getByRole("heading", { level: 1, name: "Nieuw rooster" }).waitFor();
    expect(await page.getByRole("table").count()).to.equal(0);
    await page.getByRole("radio", { name: "eigen betaling" }).check();
    await page.getByRole("checkbox", { name: "donderdag middag" }).check();
    await page.getByLabel("Vrije plaatsen bekijken bij").selectOption({ label: `${LOCATION} (Zorgboerderij De Peelhoeve)` });
    await page.getByRole("button", { name: "Vrije plaatsen tonen" }).click();
    const room = page.getByRole("table", { name: new RegExp(`^Vrije plaatsen bij ${LOCATION}`) });
    await room.waitFor();
    // Wanda's Wednesday morning is booked now: one place left there.
    expect(await room.getByRole("row", { name: /woensdag/ }).innerText()).to.contain("1 plaats vrij");
    expect(page.url()).to.contain(`locatie=${location}`);
    expect(page.url()).to.not.contain("_csrf");
    expect(await page.getByRole("checkbox", { name: "donderdag middag" }).isChecked()).to.equal(true);
    expect(await page.getByRole("radio", { name: "eigen betaling" }).isChecked()).to.equal(true);
    expect(await page.locator("#f-location_id option:checked").textContent()).to.equal(`${LOCATION} (Zorgboerderij De Peelhoeve)`);
    expect((await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.join(", ")}`)).to.deep.equal([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "schedule-form-room.png"), fullPage: true });

    await page.getByRole("button", { name: "Rooster opslaan" }).click();
    await flash(page, "Het rooster is opgeslagen.");
  });
});
