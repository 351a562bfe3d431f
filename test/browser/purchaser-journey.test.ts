import fs from "node:fs";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { parseEuroToCents } from "../../src/domain/money";
import { readWmo325 } from "../../src/domain/wmo325";
import { validateWmo325 } from "../../src/iwmo/schema";
import { flash, chromiumOrSkip, logIn, startBrowserApp, type BrowserContext } from "../support/browser";

// A purchaser (Gemeente Peel en Maas) opens a contract and reads its use and forecast, then
// answers the declaration the provider submitted for October — one prestatie refused with a
// retourcode, the rest approved — and downloads it as CSV and the answer as WMO325, in real
// Chromium. The figures are checked against each other as a purchaser would: realised plus
// planned is the forecast, the forecast against the ceiling is the percentage, and October's
// realised amount on the contract is the declaration's total.
const CONTRACT = "PM-2026-ZB-01";
const PROVIDER = "Zorgboerderij De Peelhoeve";

/** "€ 1.234,56" → 123456 */
function cents(text: string): number {
  const match = text.match(/€\s*[\d.]+,\d{2}/);
  if (!match) throw new Error(`no amount in "${text}"`);
  const value = parseEuroToCents(match[0]);
  if (value === null) throw new Error(`not an amount: "${match[0]}"`);
  return value;
}

describe("browser: the purchaser's journey (contract use and forecast, answer a declaration per prestatie, CSV and WMO325)", function () {
  this.timeout(120_000);
  let ctx: BrowserContext;
  let page: Page;
  let octoberRealised = 0;

  before(async function () {
    chromiumOrSkip(this);
    ctx = await startBrowserApp();
    page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "inkoper@dagdeel.demo");
  });
  after(async () => ctx?.close());

  const nav = (name: string) => page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name, exact: true }).click();
  const fact = (term: string) => page.locator("dl.facts dt", { hasText: term }).locator("xpath=following-sibling::dd[1]").innerText();

  it("opens a contract and sees what is realised, what is planned and the forecast against the ceiling", async () => {
    expect(await page.locator("li.card", { hasText: "declaraties te beoordelen" }).innerText()).to.match(/^4\s/);
    await nav("Contracten");
    await page.getByRole("link", { name: CONTRACT, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: `${CONTRACT} ${PROVIDER}` }).waitFor();
    expect(await fact("Inkoper")).to.equal("Gemeente Peel en Maas");
    expect(await fact("Looptijd")).to.equal("1-1-2026 – 31-12-2026");
    const ceiling = cents(await fact("Budgetplafond"));

    const use = page.getByRole("region", { name: "Gebruik en prognose" });
    expect(await use.locator("p").first().innerText()).to.equal("Gerealiseerd tot en met 23-11-2026; gepland vanaf morgen tot het einde van het contract op 31-12-2026.");
    const card = (text: string) => use.locator("li.card", { hasText: text }).innerText();
    const realised = await card("gerealiseerd (");
    const planned = await card("gepland (");
    const forecast = await card("prognose aan het einde");
    expect(realised).to.match(/gerealiseerd \(\d+ eenheden\)/);
    expect(planned).to.match(/gepland \(\d+ eenheden\)/);
    expect(cents(realised)).to.be.greaterThan(0);
    expect(cents(planned)).to.be.greaterThan(0);
    expect(cents(realised) + cents(planned)).to.equal(cents(forecast));
    // Whole percents, rounded down: 99.6 % of a ceiling is not yet "at the ceiling".
    const percent = Math.floor((100 * cents(forecast)) / ceiling);
    expect(forecast).to.contain(`${percent} % van het budgetplafond`);

    // The bars say the same, in words for a screen reader too.
    const bars = use.getByRole("img", { name: /^Prognose tegen de plafonds/ });
    expect(await bars.getAttribute("aria-label")).to.contain(`prognose ${percent} %`);
    const months = await use.getByRole("img", { name: /^Bedrag per maand/ }).getAttribute("aria-label");
    const october = months!.match(/okt 2026 (€ [\d.]+,\d{2}) \+ (€ [\d.]+,\d{2})/);
    expect(october, months!).to.not.equal(null);
    octoberRealised = cents(october![1]);
    expect(cents(october![2])).to.equal(0); // October is over: nothing planned in it any more
  });

  it("answers the declaration submitted for October: one prestatie refused with a retourcode, the rest approved", async () => {
    await nav("Declaraties");
    const row = page.getByRole("row").filter({ hasText: PROVIDER }).filter({ hasText: "oktober 2026" });
    expect(await row.getByRole("cell").allInnerTexts()).to.include("ingediend");
    await row.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: /^Declaratie DGD\d+ oktober 2026$/ }).waitFor();
    expect(await fact("Status")).to.equal("ingediend");
    // What the provider declares for October is what the contract shows as realised in October.
    const total = cents(await fact("Totaal"));
    expect(total).to.equal(octoberRealised);
    await page.getByRole("heading", { level: 2, name: "Wat dagdeel in deze declaratie ziet" }).waitFor();

    const lines = await page.getByRole("link", { name: /^Beoordelen/ }).count();
    await page.getByRole("link", { name: /^Beoordelen/ }).first().click();
    await page.getByRole("heading", { level: 1, name: /^Prestatie beoordelen/ }).waitFor();
    await page.getByLabel("afgewezen", { exact: true }).check();
    await page.getByLabel(/^Retourcode/).selectOption("0611");
    await page.getByLabel("Toelichting").fill("Het tarief wijkt af van het contract.");
    await page.getByRole("button", { name: "Beoordeling opslaan" }).click();
    await flash(page, "De beoordeling is opgeslagen.");
    expect(await fact("Voortgang")).to.equal(`1 van ${lines} prestaties`);

    await page.getByRole("button", { name: "De rest toekennen" }).click();
    await flash(page, "De open prestaties zijn toegekend.");
    expect(await fact("Status")).to.equal("geaccepteerd 1 prestatie(s) afgewezen");
    const awarded = cents(await fact("Toegekend"));
    expect(awarded).to.be.greaterThan(0);
    expect(awarded).to.be.lessThan(total);
    expect(await fact("Beoordeeld")).to.match(/^23-11-2026 \d\d:\d\d — Sandra Peeters$/);
    expect(await page.getByRole("table", { name: "Prestaties" }).innerText()).to.contain("Het ingediende tarief komt niet overeen met het contractuele tarief");
    // Answered: no more buttons to decide.
    expect(await page.getByRole("button", { name: "De rest toekennen" }).count()).to.equal(0);
    expect(await page.getByRole("link", { name: /^Beoordelen/ }).count()).to.equal(0);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "WMO325-antwoord downloaden" }).click()]);
    const xml = fs.readFileSync((await download.path())!, "utf8");
    expect((await validateWmo325(xml)).problems).to.deep.equal([]);
    const answer = readWmo325(xml);
    expect(answer.afgewezen.map((p) => p.retourcodes)).to.deep.equal([["0611"]]);
    expect(answer.totaalIngediend.bedrag - answer.totaalToegekend.bedrag).to.equal(total - awarded);
  });

  it("downloads the declaration as CSV: one line per declaration line, adding up to the total", async () => {
    const heading = await page.getByRole("heading", { level: 1 }).innerText();
    const number = heading.match(/DGD\d+/)![0];
    const total = cents(await fact("Totaal"));
    const shownLines = await page.getByRole("table", { name: "Prestaties" }).locator("tbody tr").count();

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV downloaden" }).click()]);
    expect(download.suggestedFilename()).to.equal(`declaratie-${number}-2026-10.csv`);
    const text = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    const [header, ...lines] = text.trim().split("\r\n").map((l) => l.split(";"));
    expect(header.slice(0, 6)).to.deep.equal(["declaratie", "maand", "aanbieder", "agb_code", "inkoper", "client"]);
    expect(lines).to.have.length(shownLines);
    const amount = header.indexOf("bedrag_cent");
    const dc = header.indexOf("debet_credit");
    let sum = 0;
    for (const line of lines) {
      expect(line.slice(0, 5)).to.deep.equal([number, "2026-10", PROVIDER, line[3], "Gemeente Peel en Maas"]);
      sum += (line[dc] === "C" ? -1 : 1) * Number(line[amount]);
    }
    expect(sum).to.equal(total);

    await nav("Vandaag");
    expect(await page.locator("li.card", { hasText: "declaraties te beoordelen" }).innerText()).to.match(/^3\s/);
  });
});
