import fs from "node:fs";
import path from "node:path";
import { hasChromium, startBrowserApp, type BrowserContext } from "./browser";

/** Where the browser tests leave their screenshots (git-ignored). */
export const SCREENSHOT_DIR = path.resolve(__dirname, "../../test-results/screenshots");

/**
 * For a suite's before(): the demo app and Chromium, or the suite skipped with a note when
 * Chromium is not installed (.ci/run installs it).
 */
export async function browserOrSkip(suite: Mocha.Context): Promise<BrowserContext> {
  if (!hasChromium()) {
    console.warn("      (Chromium not found at /usr/bin/chromium: browser tests skipped; .ci/run installs it)");
    suite.skip();
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return startBrowserApp();
}
