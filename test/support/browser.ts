import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Knex } from "knex";
import { chromium, type Browser, type Page } from "playwright-core";
import axe from "axe-core";
import { isValidBsn } from "../../src/domain/bsn";
import { DEMO_PASSWORD } from "../../seeds/demo";
import { DEMO_TODAY, startDemoApp } from "./demo-app";
import { withNameKeys } from "../../src/db/name-keys";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where the browser tests leave their screenshots (git-ignored). */
export const SCREENSHOT_DIR = path.resolve(__dirname, "../../test-results/screenshots");

/**
 * For a browser suite's before hook. Without Chromium a developer's run skips the suite with a
 * note; in CI (CI=true) it fails instead, so a CI machine without Chromium never reports the
 * browser tests as passed by skipping them all.
 */
export function chromiumOrSkip(suite: Pick<Mocha.Context, "skip">, env: NodeJS.ProcessEnv = process.env, chromium = CHROMIUM): void {
  if (fs.existsSync(chromium)) return;
  if (env.CI && env.CI !== "false" && env.CI !== "0") {
    throw new Error(`Chromium not found at ${chromium}: CI must run the browser tests (.ci/run installs it)`);
  }
  console.warn(`      (Chromium not found at ${chromium}: browser tests skipped; .ci/run installs it, and with CI=true this fails)`);
  suite.skip();
}

export type BrowserContext = {
  browser: Browser;
  baseUrl: string;
  db: Knex;
  /**
   * A page in its own context, under the app's real Content-Security-Policy (no bypass): the
   * journeys see what users' browsers see, and a violation is recorded for axeViolations().
   */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
};

export const BROWSER_TODAY = DEMO_TODAY;

/**
 * For a browser suite's before hook: Chromium there (or the suite skipped, see chromiumOrSkip),
 * the screenshot folder made, and the demo app started with the browser.
 */
export async function startBrowserSuite(suite: Pick<Mocha.Context, "skip">): Promise<BrowserContext> {
  chromiumOrSkip(suite);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return startBrowserApp();
}

/** The app on a copy of the demo data on a free port, and Debian's Chromium driven by playwright-core. */
export async function startBrowserApp(): Promise<BrowserContext> {
  const { app, db, close } = await startDemoApp();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  return {
    browser,
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    async newPage(options = {}) {
      const context = await browser.newContext({ locale: "nl-NL", timezoneId: "Europe/Amsterdam", ...options });
      // A missing element fails within seconds, not after playwright's default half minute.
      context.setDefaultTimeout(10_000);
      await context.addInitScript(RECORD_CSP_VIOLATIONS);
      return context.newPage();
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await close();
    },
  };
}

export async function logIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/E-mailadres|E-mail address/).fill(email);
  await page.getByLabel(/Wachtwoord|Password/).fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: /Inloggen|Log in/ }).click()]);
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: string[] };

// Installed before any page script runs (through the DevTools protocol, not subject to the CSP).
const RECORD_CSP_VIOLATIONS = `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));`;

/** What the page's Content-Security-Policy refused so far: a page of ours should need nothing refused. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate("window.__cspViolations || []") as Promise<string[]>;
}

/**
 * Runs axe-core in the page against the WCAG 2.0 and 2.1 A and AA rules, and counts anything
 * the page's CSP refused as a violation too. axe-core goes in through the DevTools protocol
 * (page.evaluate), which the CSP does not govern: the page itself keeps its real policy.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const refused = await cspViolations(page);
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } };
    // Only violations are read: collecting the passes too would double the time per page.
    return w.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
  });
  const found = result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  if (refused.length > 0) found.push({ id: "content-security-policy", impact: "serious", help: "the page's CSP refused something it loads", nodes: refused });
  return found;
}

// --- setup rows for journeys: what no user of that journey could make through the interface ---

const SETUP_STAMP = `${BROWSER_TODAY}T08:00:00.000Z`;

async function idOf(db: Knex, table: string, where: Record<string, unknown>): Promise<number> {
  const row = await db(table).where(where).first("id");
  if (!row) throw new Error(`setup: no ${table} row for ${JSON.stringify(where)}`);
  return Number(row.id);
}

/**
 * A location of a demo provider with a few places on given dagdelen from today on (for "until
 * it is full" to be deterministic, independent of the demo plan). Returns its id.
 */
export async function addSetupLocation(
  db: Knex,
  opts: { provider: string; name: string; village: string; places: { weekday: number; dagdeel: "ochtend" | "middag"; places: number }[] },
): Promise<number> {
  const providerId = await idOf(db, "organisations", { name: opts.provider });
  const villageId = await idOf(db, "villages", { name: opts.village });
  const [row] = await db("locations")
    .insert(withNameKeys("locations", { provider_id: providerId, name: opts.name, street: "Schuurweg 1", postcode: "5768 AA", village_id: villageId, morning_start: "09:00", morning_end: "12:30", afternoon_start: "13:00", afternoon_end: "16:00", active: true, created_at: SETUP_STAMP, updated_at: SETUP_STAMP }))
    .returning("id");
  const locationId = Number(typeof row === "object" ? row.id : row);
  await db("capacity_rules").insert(
    opts.places.map((p) => ({ location_id: locationId, weekday: p.weekday, dagdeel: p.dagdeel, places: p.places, valid_from: BROWSER_TODAY, valid_until: null, created_at: SETUP_STAMP, updated_at: SETUP_STAMP })),
  );
  return locationId;
}

/** A client without BSN, schedule or allocation (funded "eigen betaling" when planned). */
export async function addSetupClient(db: Knex, opts: { first_name: string; last_name: string; village: string }): Promise<number> {
  const villageId = await idOf(db, "villages", { name: opts.village });
  const [row] = await db("clients")
    .insert(withNameKeys("clients", { first_name: opts.first_name, last_name: opts.last_name, bsn: null, village_id: villageId, needs_transport: false, wheelchair: false, created_at: SETUP_STAMP, updated_at: SETUP_STAMP }))
    .returning("id");
  return Number(typeof row === "object" ? row.id : row);
}

/** A BSN from the test range (9999…) that passes the 11-test and no client has yet. */
export async function unusedTestBsn(db: Knex): Promise<string> {
  const taken = new Set((await db("clients").whereNotNull("bsn").pluck("bsn")).map(String));
  for (let n = 999_970_000; n < 999_999_999; n++) {
    const bsn = String(n);
    if (isValidBsn(bsn) && !taken.has(bsn)) return bsn;
  }
  throw new Error("setup: no free test BSN");
}

/** Waits until the page shows the flash message (role=status) with this text: the outcome of a form. */
export async function flash(page: Page, text: string): Promise<void> {
  await page.getByRole("status").filter({ hasText: text }).first().waitFor();
}

// --- the keyboard alone: Tab, Shift+Tab, Enter, Space, arrows and typing; no mouse ------------

export type Focused = { tag: string; type: string; name: string; checked: boolean; selected: string; outline: string };

// Runs in the page as plain source: the test's compiler would otherwise add helpers (for named
// functions) that do not exist in the browser.
const FOCUSED_SCRIPT = `(() => {
  const el = document.activeElement;
  const text = (s) => (s || "").replace(/\\s+/g, " ").trim();
  let name = text(el.getAttribute("aria-label"));
  const labelledBy = el.getAttribute("aria-labelledby");
  if (!name && labelledBy) name = text(labelledBy.split(/\\s+/).map((id) => (document.getElementById(id) || {}).textContent || "").join(" "));
  if (!name && el.labels && el.labels.length > 0) name = text(Array.from(el.labels).map((l) => l.textContent).join(" "));
  if (!name && el !== document.body) name = text(el.textContent);
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || "",
    name,
    checked: Boolean(el.checked),
    selected: el instanceof HTMLSelectElement && el.selectedOptions[0] ? text(el.selectedOptions[0].textContent) : "",
    outline: style.outlineStyle === "none" && style.boxShadow === "none" ? "none" : style.outlineStyle + " " + style.outlineWidth,
  };
})()`;

/** The focused element and its name, as a screen reader would roughly announce it. */
export async function focused(page: Page): Promise<Focused> {
  return page.evaluate(FOCUSED_SCRIPT) as Promise<Focused>;
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's name matches, as a keyboard user
 * moves through a page; fails after `max` presses. The element reached must show where the
 * focus is (WCAG 2.4.7).
 */
export async function tabTo(page: Page, name: string | RegExp, opts: { max?: number; back?: boolean; tag?: string } = {}): Promise<Focused> {
  const max = opts.max ?? 120;
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(opts.back ? "Shift+Tab" : "Tab");
    const now = await focused(page);
    seen.push(`${now.tag}:${now.name}`);
    const hit = typeof name === "string" ? now.name === name : name.test(now.name);
    if (hit && (!opts.tag || now.tag === opts.tag)) {
      if (now.outline === "none") throw new Error(`focus on "${now.name}" is not visible`);
      return now;
    }
  }
  throw new Error(`no tab stop named ${String(name)} within ${max} presses; passed: ${seen.slice(-40).join(" | ")}`);
}

/** In the focused <select>: arrow keys until the chosen option is the one with this text. */
export async function chooseOption(page: Page, text: string | RegExp, max = 200): Promise<void> {
  const matches = (s: string) => (typeof text === "string" ? s === text : text.test(s));
  await page.keyboard.press("Home");
  for (let i = 0; i < max; i++) {
    if (matches((await focused(page)).selected)) return;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no option ${String(text)} in the focused select`);
}

/** Presses a key that navigates (Enter on a link or a submit button) and waits for the new page. */
export async function pressAndLoad(page: Page, key = "Enter"): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}
