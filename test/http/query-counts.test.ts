import { expect } from "chai";
import type { Knex } from "knex";
import { DEMO_PASSWORD } from "../../seeds/demo";
import { regionFeedToken, seedRegion } from "../../seeds/region";
import request from "supertest";
import { createApp, type App } from "../../src/app";
import type { Role } from "../../src/auth/types";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { NAVIGATION } from "../../src/web/navigation";
import { issueToken } from "../support/api";
import { loginAs, type Agent } from "../support/app";
import { freshTestDatabase, type TestDatabase } from "../support/database";

// Issue 11.5: the queries of every main page do not grow with the data. The same pages of two
// regions of one seed, the larger five times the smaller (scale 0.01 and 0.05: four and five
// providers, 264 and 975 clients, two years of attendance each), must run exactly as many
// queries: a page that loads per row, per client, per location or per day would run more on
// the larger one. Each page is asked twice and the second time counted, so what a process does
// once (compiling templates, checking the use-tally triggers) stays out of the count. The JSON
// API's lists (issue 16) are held to the same, each asked with its organisation's token. Each
// provider page is asked by the care farm's user and by the village facility's. When a
// count differs, the failure names the statements only one of the two ran.

const TODAY = "2026-12-06";
/** Who asks: a role's demo user, or the village facility's (a provider of one location, its own pages). */
type Who = Role | "village";
const USERS: Record<Who, string> = {
  coordinator: "coordinator@dagdeel.demo",
  provider: "aanbieder@dagdeel.demo",
  village: "dorp@dagdeel.demo",
  purchaser: "inkoper@dagdeel.demo",
  admin: "beheer@dagdeel.demo",
};

type Region = { database: TestDatabase; db: Knex; app: App; agents: Map<Who, Agent>; tokens: Map<Role, string>; ids: Record<string, number> };

async function region(scale: number): Promise<Region> {
  const database = await freshTestDatabase();
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: database.url, LOG_LEVEL: "silent", LOGIN_RATE_LIMIT: "1000" });
  const db = createDb(config.databaseUrl);
  await db.migrate.latest();
  await seedRegion(db, { seed: 1, scale, today: TODAY });
  // Every inkoop contract's budget ceiling is passed at its first dagdelen, so each use page also
  // finds those days in the months it counted together (src/contracts/use.ts, forecastsOf) on
  // both regions alike: a step that runs only when some ceiling is crossed is counted too.
  await db("contracts").where({ kind: "inkoop" }).update({ budget_ceiling_cents: 100 });
  const app = createApp({ db, clock: fixedClock(`${TODAY}T10:00:00`), config });
  const agents = new Map<Who, Agent>();
  for (const [who, email] of Object.entries(USERS) as [Who, string][]) agents.set(who, await loginAs(app, email, DEMO_PASSWORD));
  // The demo organisations' own rows: the pages a user opens from the lists.
  const provider = await db("users").where({ email: USERS.provider }).first("organisation_id");
  const purchaser = await db("users").where({ email: USERS.purchaser }).first("organisation_id");
  const location = await db("locations").where({ provider_id: provider.organisation_id }).orderBy("id").first("id");
  const contract = await db("contracts").where({ purchaser_id: purchaser.organisation_id, kind: "inkoop", status: "actief" }).orderBy("id").first("id");
  const declaration = await db("declarations").where({ purchaser_id: purchaser.organisation_id }).whereNot("status", "concept").orderBy("id").first("id");
  const client = await db("schedules").where({ location_id: location.id }).orderBy("id").first("client_id");
  const entry = await db("waitlist_entries").where({ status: "wachtend" }).orderBy("id").first("id", "location_id");
  // The regional waiting list narrowed to a village with someone waiting in both regions.
  const village = await db("locations").where({ id: entry.location_id }).first("village_id");
  // The JSON API's tokens of the provider's and the purchaser's organisations.
  const tokens = new Map<Role, string>();
  for (const role of ["provider", "purchaser"] as const) {
    const user = await db("users").where({ email: USERS[role] }).first("id", "organisation_id");
    tokens.set(role, await issueToken(db, { organisation_id: user.organisation_id, created_by: user.id }));
  }
  return {
    database, db, app, agents, tokens,
    ids: { location: location.id, contract: contract.id, declaration: declaration.id, client: client.client_id, entry: entry.id, village: village.village_id },
  };
}

function pagesOf(ids: Record<string, number>): [Who, string][] {
  const nav = NAVIGATION.flatMap((item) => item.roles.map((role) => [role, item.href] as [Who, string]));
  const village = NAVIGATION.filter((item) => item.roles.includes("provider")).map((item) => ["village", item.href] as [Who, string]);
  return [
    ...nav,
    ...village,
    ["coordinator", `/planning/locaties/${ids.location}`],
    ["provider", `/planning/locaties/${ids.location}`],
    ["coordinator", `/locaties/${ids.location}`],
    ["coordinator", `/locaties/${ids.location}/week`],
    ["coordinator", `/aanwezigheid/locaties/${ids.location}?datum=${TODAY}`],
    ["coordinator", `/aanwezigheid?datum=${TODAY}&plaats=a&pagina=2`],
    ["coordinator", `/vervoer?datum=${TODAY}&plaats=a&kern=${ids.village}`],
    ["coordinator", `/clienten/${ids.client}`],
    ["coordinator", "/roosters/nieuw"],
    ["coordinator", `/roosters/nieuw?client=${ids.client}`],
    ["coordinator", "/wachtlijst/nieuw"],
    ["coordinator", `/roosters/nieuw?client=${ids.client}&locatie=${ids.location}`],
    ["coordinator", `/wachtlijst/${ids.entry}/inplannen`],
    ["coordinator", `/wachtlijst?dorp=${ids.village}`],
    ...["boven-capaciteit", "boven-toewijzing", "toewijzing-loopt-af", "zonder-contract", "zonder-rooster", "past-nu"].map((kind) => ["coordinator", `/signalen/${kind}`] as [Role, string]),
    ["purchaser", `/contracten/${ids.contract}`],
    ["purchaser", "/contracten/tarieven"],
    ["purchaser", "/contracten/dorpen"],
    ["purchaser", `/declaraties/${ids.declaration}`],
    ["coordinator", "/contracten?jaar=alle&sort=use"],
    ["coordinator", "/importeren"],
    ["provider", "/importeren"],
    ["provider", "/berichten?toon=open"],
    ["provider", "/berichten?toon=verzonden"],
  ];
}

/** The JSON API's lists and the rows behind them (issue 16), each with its organisation's token. */
function apiPathsOf(ids: Record<string, number>): [Role, string][] {
  return [
    ...["/locations", "/clients", "/schedules", "/contracts", "/declarations", "/free-places", `/locations/${ids.location}/attendance?date=${TODAY}`, `/locations/${ids.location}`].map(
      (path) => ["provider", `/api/v1${path}`] as [Role, string],
    ),
    ...["/locations", "/clients", "/contracts", "/declarations", "/free-places", `/contracts/${ids.contract}`, `/declarations/${ids.declaration}`].map(
      (path) => ["purchaser", `/api/v1${path}`] as [Role, string],
    ),
  ];
}

async function apiQueries(r: Region, role: Role, path: string): Promise<Counted> {
  const ask = () => request(r.app).get(path).set("Authorization", `Bearer ${r.tokens.get(role)}`);
  expect((await ask()).status, `${role} ${path}`).to.equal(200);
  return counted(r, async () => {
    expect((await ask()).status, `${role} ${path}`).to.equal(200);
  });
}

/** The queries one request runs: how many, and their SQL (to tell what differs when a count does). */
type Counted = { n: number; sql: string[] };

async function counted(r: Region, ask: () => Promise<void>): Promise<Counted> {
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  r.db.on("query", listener);
  try {
    await ask();
  } finally {
    r.db.removeListener("query", listener);
  }
  return { n: sql.length, sql };
}

/** "a → b" and, when they differ, the statements only one of the two ran (each as often as it is extra). */
function difference(label: string, a: Counted, b: Counted): string | null {
  if (a.n === b.n) return null;
  const extra = (from: string[], minus: string[]) => {
    const left = [...minus];
    return from.filter((q) => {
      const i = left.indexOf(q);
      if (i === -1) return true;
      left.splice(i, 1);
      return false;
    });
  };
  const show = (qs: string[]) => qs.slice(0, 8).map((q) => q.slice(0, 160)).join(" | ");
  return `${label}: ${a.n} → ${b.n}; only the smaller: ${show(extra(a.sql, b.sql))}; only the larger: ${show(extra(b.sql, a.sql))}`;
}

async function countQueries(r: Region, role: Who, path: string): Promise<Counted> {
  const agent = r.agents.get(role)!;
  const warm = await agent.get(path); // anything counted once per process (templates, triggers) is done
  expect(warm.status, `${role} ${path}`).to.equal(200);
  return counted(r, async () => {
    const res = await agent.get(path);
    expect(res.status, `${role} ${path}`).to.equal(200);
  });
}

async function feedQueries(r: Region): Promise<Counted> {
  const path = `/agenda/feed/${regionFeedToken(1, 1)}.ics`;
  const agent = r.agents.get("coordinator")!;
  expect((await agent.get(path)).status).to.equal(200);
  return counted(r, async () => {
    await agent.get(path);
  });
}

describe("HTTP: the queries of every main page do not grow with the data (issue 11.5)", function () {
  this.timeout(600_000);
  let small: Region;
  let large: Region;

  before(async () => {
    small = await region(0.01);
    large = await region(0.05);
  });
  after(async () => {
    for (const r of [small, large]) {
      if (!r) continue;
      await r.app.close();
      await r.db.destroy();
      await r.database.drop();
    }
  });

  it("the larger region holds more of everything", async () => {
    for (const table of ["clients", "schedules", "attendance", "contracts", "declarations"]) {
      const [a] = await small.db(table).count({ n: "*" });
      const [b] = await large.db(table).count({ n: "*" });
      expect(Number((b as { n: unknown }).n), table).to.be.greaterThan(Number((a as { n: unknown }).n));
    }
  });

  it("runs as many queries for every page of every role's navigation and the pages behind them", async () => {
    const differ: string[] = [];
    const pages = pagesOf(small.ids);
    const largePages = pagesOf(large.ids);
    for (let i = 0; i < pages.length; i++) {
      const [role, path] = pages[i];
      const a = await countQueries(small, role, path);
      const b = await countQueries(large, largePages[i][0], largePages[i][1]);
      expect(a.n, `${role} ${path} runs queries`).to.be.greaterThan(0);
      const differs = difference(`${role} ${path}`, a, b);
      if (differs) differ.push(differs);
    }
    expect(differ).to.deep.equal([]);
  });

  it("runs as many queries for the JSON API's lists and the rows behind them", async () => {
    const differ: string[] = [];
    const [paths, largePaths] = [apiPathsOf(small.ids), apiPathsOf(large.ids)];
    for (let i = 0; i < paths.length; i++) {
      const a = await apiQueries(small, ...paths[i]);
      const b = await apiQueries(large, ...largePaths[i]);
      expect(a.n, `${paths[i].join(" ")} runs queries`).to.be.greaterThan(0);
      const differs = difference(paths[i].join(" "), a, b);
      if (differs) differ.push(differs);
    }
    expect(differ).to.deep.equal([]);
  });

  it("answers a calendar feed with as many queries", async () => {
    expect(difference("feed", await feedQueries(small), await feedQueries(large))).to.equal(null);
  });
});
