// The app under measurement, in a process of its own (as in production, and so a stuck request
// can be ended by ending the process): the real app on the region database, a fixed clock at
// the region's "today", listening on a free port. Over IPC it reports the longest event-loop
// block since the last reset and times a purchaser's month of declarations in-process.
// Started by pages.ts with BENCH_DATABASE_URL and BENCH_TODAY.

import fs from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createApp } from "../../src/app";
import { warmTemplates } from "../../src/web/views";
import { loadConfig } from "../../src/config";
import { computeMonth, monthBounds } from "../../src/declarations/compute";
import { linesOf } from "../../src/declarations/repository";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { sameLines } from "../../src/domain/pricing";

export type ToServer = { type: "reset" } | { type: "loop" } | { type: "month"; purchaserId: number; month: string };
export type FromServer =
  | { type: "ready"; port: number }
  | { type: "reset" }
  | { type: "loop"; maxMs: number; cpuMaxMs: number }
  | { type: "month"; ms: number; declarations: number; lines: number; matching: number };

async function main(): Promise<void> {
  const today = process.env.BENCH_TODAY!;
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: process.env.BENCH_DATABASE_URL, LOG_LEVEL: "warn", LOGIN_RATE_LIMIT: "100000" });
  const db = createDb(config.databaseUrl);
  const app = createApp({ db, clock: fixedClock(`${today}T10:00:00`), config });
  // As the app's own start does (src/server.ts): every template compiled before it listens.
  await warmTemplates();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu = busiestStretch();
  const server = app.listen(0, "127.0.0.1", () => {
    const address = server.address();
    send({ type: "ready", port: typeof address === "object" && address ? address.port : 0 });
  });
  process.on("message", async (m: ToServer) => {
    if (m.type === "reset") {
      loop.reset();
      cpu.reset();
      send({ type: "reset" });
    } else if (m.type === "loop") {
      send({ type: "loop", maxMs: loop.max / 1e6, cpuMaxMs: cpu.maxMs() });
    } else if (m.type === "month") {
      send({ type: "month", ...(await purchaserMonth(db, m.purchaserId, m.month)) });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

/**
 * The most CPU time the main thread spent between two looks of a 5 ms timer: the longest
 * stretch the event loop was held, counted in the thread's own CPU time (Linux
 * /proc/<pid>/task/<pid>/schedstat), so unlike the loop delay it does not grow while the process
 * waits for a core on a busy machine. NaN where there is no schedstat.
 */
function busiestStretch(): { reset(): void; maxMs(): number } {
  let fd: number;
  try {
    fd = fs.openSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, "r");
  } catch {
    return { reset() {}, maxMs: () => NaN };
  }
  const buffer = Buffer.alloc(128);
  const onCpuMs = () => Number(buffer.toString("utf8", 0, fs.readSync(fd, buffer, 0, buffer.length, 0)).split(" ")[0]) / 1e6;
  let last = onCpuMs();
  let max = 0;
  setInterval(() => {
    const now = onCpuMs();
    max = Math.max(max, now - last);
    last = now;
  }, 5).unref();
  return {
    reset() {
      max = 0;
      last = onCpuMs();
    },
    maxMs: () => max,
  };
}

/**
 * Everything a purchaser receives for one month, prepared as a provider's "prepare" does it:
 * computeMonth for each provider with a signed inkoop contract over that month, one after the
 * other. Also says how many came out exactly as the stored declaration.
 */
async function purchaserMonth(db: ReturnType<typeof createDb>, purchaserId: number, month: string) {
  const { from, until } = monthBounds(month);
  const providers: number[] = (
    await db("contracts").where({ purchaser_id: purchaserId, kind: "inkoop" }).whereNot("status", "concept").where("valid_from", "<=", until).where("valid_until", ">=", from).distinct("provider_id")
  ).map((r: { provider_id: number }) => r.provider_id);
  const started = process.hrtime.bigint();
  const computed = [];
  for (const providerId of providers) computed.push({ providerId, result: await computeMonth(db, providerId, purchaserId, month) });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let matching = 0;
  for (const c of computed) {
    const stored = await db("declarations").where({ provider_id: c.providerId, purchaser_id: purchaserId, month }).whereNull("corrects_declaration_id").first("id");
    if (stored && sameLines(c.result.lines, (await linesOf(db, [stored.id])).map((l) => ({ ...l, amount_cents: Number(l.amount_cents) })))) matching++;
  }
  return { ms, declarations: computed.filter((c) => c.result.lines.length > 0).length, lines: computed.reduce((n, c) => n + c.result.lines.length, 0), matching };
}

function send(message: FromServer): void {
  process.send?.(message);
}

main().catch((err) => {
  process.stderr.write(`bench server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
