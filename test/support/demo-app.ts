import type { Knex } from "knex";
import { createApp, type App } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { DEMO_PASSWORD } from "../../seeds/demo";
import { loginAs, type Agent } from "./app";
import { freshTestDatabase } from "./database";
import { DEMO_CLOCK } from "./templates";

export { DEMO_TODAY } from "./templates";

export type DemoApp = { app: App; db: Knex; close(): Promise<void> };

/**
 * The app on a copy of the demo data (SQLite), on the demo's fixed clock, for the pages as a
 * user reaches them (browser and HTML tests). Logins are not rate-limited: a crawl logs in often.
 */
export async function startDemoApp(): Promise<DemoApp> {
  const database = await freshTestDatabase("sqlite", "demo");
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: database.url, LOG_LEVEL: "silent", LOGIN_RATE_LIMIT: "1000" });
  const db = createDb(config.databaseUrl);
  const app = createApp({ db, clock: fixedClock(DEMO_CLOCK), config });
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.destroy();
      await database.drop();
    },
  };
}

/** A supertest agent logged in as a demo user. */
export function logInAs(app: App, email: string): Promise<Agent> {
  return loginAs(app, email, DEMO_PASSWORD);
}
