// Scratch tool (pglight): the queries of one page on a database, with their start, end and duration.
import request from "supertest";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { DEMO_PASSWORD } from "../../seeds/demo";
import { loginAs } from "../support/app";

async function main() {
  const [url, email, ...paths] = process.argv.slice(2);
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent", LOGIN_RATE_LIMIT: "100000" });
  const db = createDb(config.databaseUrl);
  const app = createApp({ db, clock: fixedClock(`2026-11-23T10:00:00`), config });
  const agent = await loginAs(app, email, DEMO_PASSWORD);
  for (const path of paths) {
    for (let i = 0; i < 3; i++) await agent.get(path);
    const started = new Map<string, { t: number; sql: string; b: unknown }>();
    const rows: string[] = [];
    const t0 = performance.now();
    const onQ = (q: { __knexQueryUid: string; sql: string; bindings: unknown }) => started.set(q.__knexQueryUid, { t: performance.now(), sql: q.sql, b: q.bindings });
    const onR = (_r: unknown, q: { __knexQueryUid: string }) => {
      const s = started.get(q.__knexQueryUid)!;
      const now = performance.now();
      rows.push(`${(s.t - t0).toFixed(1).padStart(6)} → ${(now - t0).toFixed(1).padStart(6)} (${(now - s.t).toFixed(1).padStart(5)} ms)  ${s.sql.slice(0, Number(process.env.W ?? 400))} ${process.env.B ? JSON.stringify(s.b).slice(0, process.env.B === "full" ? undefined : 200) : ""}`);
    };
    db.on("query", onQ);
    db.on("query-response", onR);
    const res = await agent.get(path);
    const total = performance.now() - t0;
    db.removeListener("query", onQ);
    db.removeListener("query-response", onR);
    console.log(`\n=== ${email} ${path} → ${res.status}, ${total.toFixed(1)} ms, ${rows.length} queries`);
    for (const r of rows) console.log(r);
  }
  await db.destroy();
  process.exit(0);
}
main();
