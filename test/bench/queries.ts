// The queries one page sends, with when each started and ended and how long it took: to see which
// of a page's reads wait for others and what each costs on a database (issue 11: PostgreSQL
// within 1.5× of SQLite, where each query is a round trip to another process). The app runs in
// this process on the given database, the clock at the region's "today"; each page is asked
// three times first (templates, kept answers and prepared statements warm) and then traced.
//
//   npx tsx test/bench/queries.ts <database url> <user email> <path> [<path> …]
//   npx tsx test/bench/queries.ts postgres://postgres@127.0.0.1:5433/<region db> aanbieder@dagdeel.demo / /clienten
//
// TODAY=yyyy-MM-dd sets the clock (2026-11-23, the bench region's); SQL=<n> shows n characters
// of each statement (160); BINDINGS=1 shows its values too (to run it under EXPLAIN ANALYZE).
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { DEMO_PASSWORD } from "../../seeds/demo";
import { loginAs } from "../support/app";

type Started = { at: number; sql: string; bindings: unknown };

async function main(): Promise<void> {
  const [url, email, ...paths] = process.argv.slice(2);
  if (!url || !email || paths.length === 0) throw new Error("usage: queries.ts <database url> <user email> <path> [<path> …]");
  const width = Number(process.env.SQL ?? 160);
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent", LOGIN_RATE_LIMIT: "100000" });
  const db = createDb(config.databaseUrl);
  const app = createApp({ db, clock: fixedClock(`${process.env.TODAY ?? "2026-11-23"}T10:00:00`), config });
  const agent = await loginAs(app, email, DEMO_PASSWORD);
  for (const path of paths) {
    for (let i = 0; i < 3; i++) await agent.get(path);
    const started = new Map<string, Started>();
    const lines: string[] = [];
    const t0 = performance.now();
    const ms = (t: number) => (t - t0).toFixed(1).padStart(6);
    const onQuery = (q: { __knexQueryUid: string; sql: string; bindings: unknown }) => started.set(q.__knexQueryUid, { at: performance.now(), sql: q.sql, bindings: q.bindings });
    const onResponse = (_rows: unknown, q: { __knexQueryUid: string }) => {
      const s = started.get(q.__knexQueryUid)!;
      const now = performance.now();
      lines.push(`${ms(s.at)} → ${ms(now)} (${(now - s.at).toFixed(1).padStart(5)} ms)  ${s.sql.slice(0, width)}${process.env.BINDINGS ? ` ${JSON.stringify(s.bindings)}` : ""}`);
    };
    db.on("query", onQuery);
    db.on("query-response", onResponse);
    const page = await agent.get(path);
    db.removeListener("query", onQuery);
    db.removeListener("query-response", onResponse);
    console.log(`\n${email} ${path} → ${page.status}, ${(performance.now() - t0).toFixed(1)} ms, ${lines.length} queries`);
    for (const line of lines) console.log(line);
  }
  await db.destroy();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
