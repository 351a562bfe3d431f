import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Knex } from "knex";
import { chromium, type Browser, type Page } from "playwright-core";
import axe from "axe-core";
import { createApp, type App } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { DEMO_PASSWORD, seedDemo } from "../../seeds/demo";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = (): boolean => fs.existsSync(CHROMIUM);

export type BrowserContext = {
  browser: Browser;
  baseUrl: string;
  db: Knex;
  /** A page in its own context; CSP is bypassed only so axe-core can be injected for the check. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
};

export const BROWSER_TODAY = "2026-11-23";

/** The app with the demo data on a free port, and Debian's Chromium driven by playwright-core. */
export async function startBrowserApp(): Promise<BrowserContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-browser-"));
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: `sqlite:${path.join(dir, "db.sqlite")}`, LOG_LEVEL: "silent", LOGIN_RATE_LIMIT: "1000" });
  const db = createDb(config.databaseUrl);
  await db.migrate.latest();
  const clock = fixedClock(`${BROWSER_TODAY}T10:00:00`);
  await seedDemo(db, { today: BROWSER_TODAY, clock });
  const app: App = createApp({ db, clock, config });
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
      const context = await browser.newContext({ bypassCSP: true, locale: "nl-NL", timezoneId: "Europe/Amsterdam", ...options });
      return context.newPage();
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
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

/** Runs axe-core in the page against the WCAG 2.0 and 2.1 A and AA rules. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } };
    return w.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
  });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}
