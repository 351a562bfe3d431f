import type { Knex } from "knex";
import type pino from "pino";
import request from "supertest";
import { createApp, type App } from "../../src/app";
import { loadConfig, type Config } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock, type Clock } from "../../src/domain/clock";
import { freshTestDatabase } from "./database";
import { buildWorld, PASSWORD, type World } from "./fixtures";

export type TestContext = { app: App; db: Knex; clock: Clock; config: Config; world: World; close(): Promise<void> };

/**
 * A fresh database (SQLite file, or PostgreSQL with TEST_APP_DATABASE=postgres), migrated — a
 * copy of the migrated template —, with the small test world, and the app on a fixed clock.
 */
export async function startTestApp(options: { now?: string; env?: Record<string, string>; logger?: pino.Logger } = {}): Promise<TestContext> {
  const database = await freshTestDatabase("app", "migrated");
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: database.url, LOG_LEVEL: "silent", ...options.env });
  const db = createDb(config.databaseUrl);
  const world = await buildWorld(db);
  const clock = fixedClock(options.now ?? "2026-11-23T10:00:00");
  const app = createApp({ db, clock, config, logger: options.logger });
  return {
    app,
    db,
    clock,
    config,
    world,
    async close() {
      await app.close();
      await db.destroy();
      await database.drop();
    },
  };
}

export type Agent = ReturnType<typeof request.agent>;

export function csrfFrom(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error(`no CSRF token on the page: ${html.slice(0, 3000)}`);
  return match[1];
}

/** Fetches a page and returns the CSRF token its forms carry. */
export async function csrfToken(agent: Agent, pagePath = "/login"): Promise<string> {
  const res = await agent.get(pagePath);
  return csrfFrom(res.text);
}

export async function loginAs(app: App, email: string, password = PASSWORD): Promise<Agent> {
  const agent = request.agent(app);
  const token = await csrfToken(agent);
  const res = await agent.post("/login").type("form").send({ email, password, _csrf: token });
  if (res.status !== 303) throw new Error(`login as ${email} failed: ${res.status}`);
  return agent;
}

/** POSTs a form with the agent's current CSRF token. */
export async function postForm(agent: Agent, url: string, body: Record<string, string>, tokenPage = "/") {
  const token = await csrfToken(agent, tokenPage);
  return agent.post(url).type("form").send({ ...body, _csrf: token });
}
