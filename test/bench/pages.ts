// npm run bench — times the heaviest pages on the demo data and compares them with their goals.
// Speed goals live here, never in the test suite: a slow machine must not fail a test.
// Usage: npm run bench [-- --rounds 20] [-- --strict]  (strict: exit 1 when a goal is missed)
import type { Agent } from "../support/app";
import { logInAs, startDemoApp } from "../support/demo-app";

type Case = { role: string; email: string; path: string; goalMs: number };

const CASES: Case[] = [
  { role: "coordinator", email: "coordinator@dagdeel.demo", path: "/", goalMs: 150 },
  { role: "coordinator", email: "coordinator@dagdeel.demo", path: "/planning", goalMs: 250 },
  { role: "coordinator", email: "coordinator@dagdeel.demo", path: "/signalen", goalMs: 400 },
  { role: "coordinator", email: "coordinator@dagdeel.demo", path: "/clienten", goalMs: 150 },
  { role: "coordinator", email: "coordinator@dagdeel.demo", path: "/contracten", goalMs: 600 },
  { role: "provider", email: "aanbieder@dagdeel.demo", path: "/", goalMs: 150 },
  { role: "provider", email: "aanbieder@dagdeel.demo", path: "/aanwezigheid", goalMs: 150 },
  { role: "purchaser", email: "inkoper@dagdeel.demo", path: "/vrije-plaatsen", goalMs: 400 },
  { role: "purchaser", email: "inkoper@dagdeel.demo", path: "/contracten", goalMs: 600 },
  { role: "purchaser", email: "inkoper@dagdeel.demo", path: "/declaraties", goalMs: 200 },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const rounds = arg("rounds", 15);
  const strict = process.argv.includes("--strict");
  // A copy of the demo template (test/support/templates.ts), removed again when the bench exits.
  const demo = await startDemoApp();
  const { app } = demo;
  const agents = new Map<string, Agent>();
  let missed = 0;
  console.log(`page timings over ${rounds} rounds on the demo data (median / p95, goal for the median)`);
  for (const c of CASES) {
    let agent = agents.get(c.email);
    if (!agent) {
      agent = await logInAs(app, c.email);
      agents.set(c.email, agent);
    }
    await agent.get(c.path); // warm up
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = process.hrtime.bigint();
      const res = await agent.get(c.path);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.status !== 200) throw new Error(`${c.path} answered ${res.status}`);
    }
    times.sort((a, b) => a - b);
    const median = percentile(times, 50);
    const ok = median <= c.goalMs;
    if (!ok) missed++;
    console.log(`${ok ? "ok  " : "SLOW"} ${c.role.padEnd(12)} ${c.path.padEnd(16)} ${median.toFixed(0).padStart(5)} ms / ${percentile(times, 95).toFixed(0).padStart(5)} ms  (goal ${c.goalMs} ms)`);
  }
  await demo.close();
  console.log(missed === 0 ? "every page within its goal" : `${missed} page(s) slower than their goal`);
  if (strict && missed > 0) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
