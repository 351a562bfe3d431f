// npm run bench — every page at region scale, against the goals of issue 11.
//
// Builds (or reuses, under data/bench/) the region database, starts the app on it in a child
// process with a fixed clock at the region's "today", logs in as each demo user and times every
// page of each role's navigation, the planning board of the busiest location this week, a
// contract's use page, a provider's declaration preview and a client's iCal feed; then the
// throughput of the board and the feed under many connections against a bare express "hello"
// measured in the same run, and a purchaser's whole month of declarations. When DATABASE_URL or
// TEST_POSTGRES_URL names a PostgreSQL server, the same table runs there too.
//
//   npm run bench -- [--strict] [--db sqlite|postgres|both] [--only /contracten,/signalen,month,change]
//                    [--role coordinator] [--warm-up 5] [--rounds 20] [--timeout 20000] [--budget 20000]
//                    [--connections 50] [--duration 10] [--no-load] [--scale 1] [--seed 1]
//                    [--today 2026-11-23] [--rebuild] [--pg-prefix region_bench]
//
// Speed goals live here, never in `npm test`.

import os from "node:os";
import knex from "knex";
import { DEMO_PASSWORD, DEMO_USERS } from "../../seeds/demo";
import { regionDates, regionFeedToken, type RegionOptions } from "../../seeds/region";
import type { Role } from "../../src/auth/types";
import { createDb } from "../../src/db/knex";
import { weekParamOf } from "../../src/domain/iso-week";
import { NAVIGATION } from "../../src/web/navigation";
import { addDays } from "../../src/domain/dates";
import { measureAfterChange } from "./after-change";
import { ask, load, login, memoryOf, request, resetPeak, start, stop, type Child, type Load } from "./measure";
import { postgresRegion, sqliteRegion, type BenchDatabase } from "./region-db";
import { printRun, type CaseResult, type RunResult } from "./report";

export const BENCH_TODAY = "2026-11-23";

/** The last Monday to Friday before a date: the region records attendance on weekdays. */
function lastWeekdayBefore(date: string): string {
  let day = addDays(date, -1);
  while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, -1);
  return day;
}

/** How many times each kept page is asked right after a change (after-change.ts). */
const AFTER_CHANGE_ROUNDS = 7;

export type BenchOptions = {
  region: RegionOptions;
  databases: ("sqlite" | "postgres")[];
  postgresServer: string | null;
  /** Requests per page before the measured rounds, not counted. */
  warmUps: number;
  rounds: number;
  timeoutMs: number;
  budgetMs: number;
  connections: number;
  seconds: number;
  only: string[];
  roles: string[];
  load: boolean;
  strict: boolean;
  rebuild: boolean;
  /** The name prefix of the PostgreSQL region databases (letters, digits and _). */
  pgPrefix: string;
};

export type Case = { role: Role; email: string; label: string; path: string; kind: "page" | "board" | "use" | "preview" | "feed" };

function parseOptions(argv: string[]): BenchOptions {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const list = (name: string) => (value(name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const number = (name: string, fallback: number) => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new RangeError(`--${name} must be a positive number, got ${v}`);
    return n;
  };
  const fromEnv = [process.env.DATABASE_URL, process.env.TEST_POSTGRES_URL].find((u) => u?.startsWith("postgres"));
  const postgresServer = fromEnv ?? null;
  const db = value("db") ?? (postgresServer ? "both" : "sqlite");
  if (!["sqlite", "postgres", "both"].includes(db)) throw new RangeError("--db is sqlite, postgres or both");
  if (db !== "sqlite" && !postgresServer) throw new RangeError("--db postgres needs DATABASE_URL or TEST_POSTGRES_URL naming a PostgreSQL server");
  return {
    region: { seed: number("seed", 1), scale: number("scale", 1), today: value("today") ?? BENCH_TODAY },
    databases: db === "both" ? ["sqlite", "postgres"] : [db as "sqlite" | "postgres"],
    postgresServer,
    // A server that has run for a minute has every page's statements planned for good; the bench
    // starts its apps afresh. PostgreSQL plans a named statement anew, with this call's values,
    // on each of its first five runs on a connection before it settles on one plan for every
    // value (0.8–1.0 ms against 0.4–0.5 for a list of three joins): with a single warm-up the
    // first rounds of each page on PostgreSQL measured that start and its ratio to SQLite moved
    // run by run (1.15 to 1.54 for the same 4–13 ms pages). Five warm-ups measure the steady state.
    warmUps: Math.round(number("warm-up", 5)),
    // The median of 20: of 10, a page of 3 ms moved by a third between runs on a shared machine.
    rounds: Math.round(number("rounds", 20)),
    timeoutMs: number("timeout", 20_000),
    budgetMs: number("budget", 20_000),
    connections: Math.round(number("connections", 50)),
    seconds: number("duration", 10),
    only: list("only"),
    roles: list("role"),
    load: !argv.includes("--no-load"),
    strict: argv.includes("--strict"),
    rebuild: argv.includes("--rebuild"),
    pgPrefix: prefixOf(value("pg-prefix") ?? "region_bench"),
  };
}

/** Database names cannot be bound: the prefix may hold only lower-case letters, digits and _. */
function prefixOf(prefix: string): string {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new RangeError(`--pg-prefix takes lower-case letters, digits and _, got ${prefix}`);
  return prefix;
}

/** What to open: the ids behind the special pages, looked up before the app starts. */
type Targets = { locationId: number; contractId: number; previewId: number | null; feedPath: string; purchasers: { id: number; name: string }[]; month: string };

async function findTargets(database: BenchDatabase, options: BenchOptions): Promise<Targets> {
  const db = createDb(database.url);
  const dates = regionDates(options.region.today);
  const today = dates.today;
  try {
    const orgOf = async (email: string) => {
      const spec = DEMO_USERS.find((u) => u.email === email)!;
      return (await db("organisations").where("name", spec.organisation).first("id", "name")) as { id: number; name: string };
    };
    const [farm, gemeente, zorgkantoor] = await Promise.all([orgOf("aanbieder@dagdeel.demo"), orgOf("inkoper@dagdeel.demo"), orgOf("zorgkantoor@dagdeel.demo")]);
    // The busiest board: the location with the most dagdelen planned this week.
    const running = (q: knex.Knex.QueryBuilder) => q.where("s.valid_from", "<=", today).where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", today));
    const [busiest] = (await running(db("schedules as s").join("schedule_slots as ss", "ss.schedule_id", "s.id"))
      .groupBy("s.location_id")
      .select("s.location_id")
      .count({ n: "*" })
      .orderBy([{ column: "n", order: "desc" }, { column: "s.location_id" }])
      .limit(1)) as unknown as { location_id: number }[];
    // The gemeente's contract of this year with the provider it buys most from.
    const [contract] = (await db("contracts as c")
      .join("allocations as a", (j) => j.on("a.provider_id", "c.provider_id").andOn("a.purchaser_id", "c.purchaser_id"))
      .where({ "c.purchaser_id": gemeente.id, "c.kind": "inkoop", "c.status": "actief" })
      .where("c.valid_from", "<=", today)
      .where("c.valid_until", ">=", today)
      .groupBy("c.id")
      .select("c.id")
      .count({ n: "a.id" })
      .orderBy([{ column: "n", order: "desc" }, { column: "c.id" }])
      .limit(1)) as unknown as { id: number }[];
    const preview = await db("declarations").where({ provider_id: farm.id, purchaser_id: gemeente.id, status: "concept" }).orderBy("month", "desc").first("id");
    return {
      locationId: Number(busiest.location_id),
      contractId: Number(contract.id),
      previewId: preview ? Number(preview.id) : null,
      feedPath: `/agenda/feed/${regionFeedToken(options.region.seed, 1)}.ics`,
      purchasers: [gemeente, zorgkantoor],
      month: dates.months[dates.months.length - 1],
    };
  } finally {
    await db.destroy();
  }
}

function casesFor(targets: Targets, options: BenchOptions): Case[] {
  const cases: Case[] = [];
  for (const user of DEMO_USERS) {
    for (const item of NAVIGATION.filter((n) => n.roles.includes(user.role as Role))) {
      if (!cases.some((c) => c.email === user.email && c.path === item.href)) cases.push({ role: user.role as Role, email: user.email, label: item.href, path: item.href, kind: "page" });
    }
  }
  const week = weekParamOf(options.region.today);
  cases.push({ role: "coordinator", email: "coordinator@dagdeel.demo", label: "board (location × week)", path: `/planning/locaties/${targets.locationId}?week=${week}`, kind: "board" });
  cases.push({ role: "purchaser", email: "inkoper@dagdeel.demo", label: "contract use", path: `/contracten/${targets.contractId}`, kind: "use" });
  if (targets.previewId !== null) cases.push({ role: "provider", email: "aanbieder@dagdeel.demo", label: "declaration preview", path: `/declaraties/${targets.previewId}`, kind: "preview" });
  cases.push({ role: "coordinator", email: "", label: "iCal feed (client)", path: targets.feedPath, kind: "feed" });
  return cases.filter(
    (c) =>
      // "/" is in every path: as an --only it means the homes themselves.
      (options.only.length === 0 || options.only.some((o) => (o === "/" ? c.path === "/" : c.path.includes(o) || c.label.includes(o)))) &&
      (options.roles.length === 0 || options.roles.some((r) => c.role === r || c.email.startsWith(r))),
  );
}

const median = (sorted: number[]) => {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];

/** The app in its child process; started again after a request that timed out (it may still be at work). */
class AppProcess {
  child!: Child;
  peakMb = 0;
  restarts = 0;
  private cookies = new Map<string, string>();
  constructor(private readonly database: BenchDatabase, private readonly options: BenchOptions) {}

  async start(): Promise<void> {
    this.child = await start("server.ts", { BENCH_DATABASE_URL: this.database.url, BENCH_TODAY: this.options.region.today });
  }

  async restart(): Promise<void> {
    this.notePeak();
    await stop(this.child);
    this.restarts++;
    await this.start();
  }

  /** The peak since the last resetPeak (and the app's highest peak overall, kept in peakMb). */
  notePeak(): number {
    const m = memoryOf(this.child);
    if (!m) return NaN;
    this.peakMb = Math.max(this.peakMb, m.peakMb);
    return m.peakMb;
  }

  async cookie(email: string): Promise<string | undefined> {
    if (email === "") return undefined;
    let c = this.cookies.get(email);
    if (!c) this.cookies.set(email, (c = await login(this.child.port, email, DEMO_PASSWORD, this.options.timeoutMs)));
    return c;
  }
}

/**
 * Measures one page on every database with their rounds interleaved (SQLite, PostgreSQL,
 * SQLite, …), so noise from the shared machine falls on both alike and the ratio between them
 * holds for pages of a few milliseconds too, where a busy second on one side alone moved it by
 * half.
 */
async function measureCase(pages: { app: AppProcess; c: Case }[], options: BenchOptions): Promise<CaseResult[]> {
  type Measuring = { app: AppProcess; c: Case; cookie: string | undefined; times: number[]; warmUp: number; status: CaseResult["status"]; bytes: number; spentMs: number; failed: CaseResult | null };
  const all: Measuring[] = [];
  for (const { app, c } of pages) {
    const cookie = await app.cookie(c.email);
    await ask(app.child, { type: "reset" });
    resetPeak(app.child);
    all.push({ app, c, cookie, times: [], warmUp: NaN, status: 200, bytes: 0, spentMs: 0, failed: null });
  }
  // The first requests warm caches and are not counted, unless the page's time budget allows no other.
  for (let i = 0; i < options.warmUps + options.rounds; i++) {
    for (const m of all) {
      if (m.failed || m.spentMs > options.budgetMs) continue;
      const reply = await request(m.app.child.port, "GET", m.c.path, { cookie: m.cookie, timeoutMs: options.timeoutMs });
      m.spentMs += reply.ms;
      if (reply.status === "timeout" || reply.status === "error") {
        // The app may still be working on it (and on SQLite holding the one connection): start afresh.
        const peakMb = m.app.notePeak();
        await m.app.restart();
        m.failed = { case: m.c, n: m.times.length, medianMs: reply.ms, p95Ms: reply.ms, bytes: m.bytes, status: reply.status, loopMaxMs: NaN, cpuMaxMs: NaN, peakMb };
        continue;
      }
      if (reply.status !== 200) m.status = reply.status;
      m.bytes = reply.bytes;
      if (i < options.warmUps) m.warmUp = reply.ms;
      else m.times.push(reply.ms);
    }
  }
  const results: CaseResult[] = [];
  for (const m of all) {
    if (m.failed) {
      results.push(m.failed);
      continue;
    }
    if (m.times.length === 0) m.times.push(m.warmUp);
    m.times.sort((a, b) => a - b);
    const loop = await ask<{ type: "loop"; maxMs: number; cpuMaxMs: number }>(m.app.child, { type: "loop" });
    results.push({ case: m.c, n: m.times.length, medianMs: median(m.times), p95Ms: p95(m.times), bytes: m.bytes, status: m.status, loopMaxMs: loop.maxMs, cpuMaxMs: loop.cpuMaxMs, peakMb: m.app.notePeak() });
  }
  return results;
}

type Subject = { app: AppProcess; targets: Targets; cases: Case[]; run: RunResult };

/**
 * Measures on every database at once, page by page, each page's requests taking turns between
 * the databases (measureCase), so a change in the machine's load during the run — it is shared
 * — falls on both alike and their ratio stays fair.
 */
async function runAll(databases: BenchDatabase[], options: BenchOptions, log: (line: string) => void): Promise<RunResult[]> {
  const subjects: Subject[] = [];
  try {
    for (const database of databases) {
      const targets = await findTargets(database, options);
      const app = new AppProcess(database, options);
      await app.start();
      subjects.push({ app, targets, cases: casesFor(targets, options), run: { database, results: [], feed304: null, afterChange: [], loads: null, months: [], restarts: 0, peakMb: 0 } });
    }
    for (let i = 0; i < subjects[0].cases.length; i++) {
      const before = subjects.map(({ app }) => app.child.output.length);
      // The same page on every database (each its own case: the targets are found per database).
      const results = await measureCase(subjects.map(({ app, cases }) => ({ app, c: cases[i] })), options);
      results.forEach((r, s) => {
        const { app, run } = subjects[s];
        run.results.push(r);
        log(`    ${run.database.kind} ${r.case.email || "(feed)"} ${r.case.path}: ${r.status} ${r.medianMs.toFixed(0)} ms (n=${r.n})`);
        // What the app logged about a failing page: the speed work starts from there.
        if (typeof r.status === "number" && r.status >= 500) log(app.child.output.slice(before[s]).join("").split("\n").filter((l) => l.includes('"err"') || l.includes("Error")).slice(0, 2).join("\n").slice(0, 1000));
      });
    }
    for (const { app, targets, cases, run } of subjects) {
      if (!cases.some((c) => c.kind === "feed")) continue;
      const first = await request(app.child.port, "GET", targets.feedPath, { timeoutMs: options.timeoutMs });
      const etag = "headers" in first ? first.headers.etag : undefined;
      const again = etag ? await request(app.child.port, "GET", targets.feedPath, { headers: { "if-none-match": String(etag) }, timeoutMs: options.timeoutMs }) : null;
      run.feed304 = again ? { status: again.status, ms: again.ms } : { status: "no ETag", ms: NaN };
    }
    const loaded = subjects[0].cases.filter((c) => c.kind === "board" || c.kind === "feed");
    if (options.load && loaded.length > 0) {
      const hello = await start("hello.ts", {});
      let bare: Load;
      try {
        bare = await load(hello.port, "/", { connections: options.connections, seconds: options.seconds, timeoutSeconds: options.timeoutMs / 1000 });
      } finally {
        await stop(hello);
      }
      log(`    bare express: ${bare.okPerSecond.toFixed(0)} req/s`);
      for (const s of subjects) s.run.loads = { hello: bare, board: null, feed: null };
      for (const kind of ["board", "feed"] as const) {
        const c = loaded.find((x) => x.kind === kind);
        if (!c) continue;
        for (const { app, run } of subjects) {
          run.loads![kind] = await load(app.child.port, c.path, { connections: options.connections, seconds: options.seconds, cookie: await app.cookie(c.email), timeoutSeconds: options.timeoutMs / 1000 });
          app.notePeak();
          await drained(app, options);
        }
      }
    }
    // A purchaser's whole month: with every page, or asked for with --only month.
    if ((options.only.length === 0 && options.roles.length === 0) || options.only.includes("month")) {
      for (let p = 0; p < subjects[0].targets.purchasers.length; p++) {
        for (const { app, targets, run } of subjects) {
          const purchaser = targets.purchasers[p];
          const m = await ask<{ type: "month"; ms: number; declarations: number; lines: number; matching: number }>(app.child, { type: "month", purchaserId: purchaser.id, month: targets.month });
          run.months.push({ purchaser: purchaser.name, month: targets.month, ...m });
          app.notePeak();
        }
      }
    }
    // The kept pages right after a dagdeel is recorded: with every page, or asked for with --only
    // change. Last, because it writes: the load tests and the months above see the data as the
    // page table did (a board version raised here made the board's first requests under load
    // wait for it to be computed again).
    if ((options.only.length === 0 && options.roles.length === 0) || options.only.includes("change")) {
      const measured = await measureAfterChange(subjects.map(({ app, run }) => ({ app, database: run.database })), lastWeekdayBefore(options.region.today), AFTER_CHANGE_ROUNDS, options.timeoutMs);
      measured.forEach((m, s) => (subjects[s].run.afterChange = m));
    }
  } finally {
    for (const { app, run } of subjects) {
      app.notePeak();
      run.peakMb = app.peakMb;
      run.restarts = app.restarts;
      await stop(app.child);
      await clearSessions(run.database);
    }
  }
  return subjects.map((s) => s.run);
}

/**
 * After a load test the app may still work through requests whose connections are gone; what
 * comes next is measured only once /healthz (one database query) answers quickly again.
 */
async function drained(app: AppProcess, options: BenchOptions): Promise<void> {
  const until = Date.now() + Math.max(60_000, options.timeoutMs * 3);
  let quick = 0;
  while (quick < 2 && Date.now() < until) {
    const reply = await request(app.child.port, "GET", "/healthz", { timeoutMs: 5_000 });
    quick = reply.status === 200 && reply.ms < 50 ? quick + 1 : 0;
    if (quick < 2) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The bench's logins are its own: gone again afterwards, so the next run sees the same data. */
async function clearSessions(database: BenchDatabase): Promise<void> {
  const db = createDb(database.url);
  try {
    await db("sessions").delete();
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // The machine may be shared: its load average says how much the figures owe to others' work.
  const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");
  console.log(`dagdeel bench — region seed ${options.region.seed}, scale ${options.region.scale}, today ${options.region.today}; ${os.cpus().length} cores, Node ${process.version}; load average ${loadAverage()}`);
  console.log(`${options.rounds} rounds after ${options.warmUps} warm-up request${options.warmUps === 1 ? "" : "s"}, timeout ${options.timeoutMs} ms, at most ${options.budgetMs} ms per page; load: ${options.load ? `${options.connections} connections × ${options.seconds} s` : "off"}`);
  const databases: BenchDatabase[] = [];
  for (const kind of options.databases) {
    log(`  ${kind}: preparing the region database …`);
    databases.push(kind === "sqlite" ? await sqliteRegion(options.region, options.rebuild, log) : await postgresRegion(options.postgresServer!, options.region, options.rebuild, log, options.pgPrefix));
  }
  log(`  measuring on ${databases.map((d) => d.label).join(" and ")}`);
  const runs = await runAll(databases, options, log);
  const missed = printRun(runs, options);
  console.log(`load average at the end (1, 5, 15 min): ${loadAverage()}`);
  if (options.strict && missed > 0) process.exit(1);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
