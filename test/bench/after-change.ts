// The pages whose answers are kept against a data version, right after a dagdeel is recorded
// somewhere in the region: what a purchaser or coordinator meets while others record all day.
// The page table asks each page with nothing changing in between, so it measures the kept
// answers; here, before every request, one attendance row of the last weekday has its status changed
// and back (as correcting a recording does: the triggers mark the client to be counted again and
// raise the versions that watch attendance), and the page is then computed again where its
// answer depended on that. Not a goal of issue 11; shown so that cost is seen.

import type { Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { request } from "./measure";
import type { BenchDatabase } from "./region-db";

export const AFTER_CHANGE_PAGES: { email: string; path: string }[] = [
  { email: "inkoper@dagdeel.demo", path: "/contracten" },
  { email: "inkoper@dagdeel.demo", path: "/" },
  { email: "coordinator@dagdeel.demo", path: "/contracten" },
  { email: "coordinator@dagdeel.demo", path: "/" },
  { email: "coordinator@dagdeel.demo", path: "/aanwezigheid" },
  { email: "coordinator@dagdeel.demo", path: "/vrije-plaatsen" },
];

export type AfterChange = { email: string; path: string; n: number; medianMs: number; status: number | string };

type App = { child: { port: number }; cookie(email: string): Promise<string | undefined> };

/** One row's status changed and changed back: nothing differs afterwards but what was counted and kept. */
async function recordAndCorrect(db: Knex, row: { id: number; status: string }): Promise<void> {
  await db("attendance").where({ id: row.id }).update({ status: row.status === "ziek" ? "afgemeld" : "ziek" });
  await db("attendance").where({ id: row.id }).update({ status: row.status });
}

/**
 * Each page `rounds` times after a change, on every database by turns (as the page table takes
 * its rounds): per database, per page, the median.
 */
export async function measureAfterChange(subjects: { app: App; database: BenchDatabase }[], day: string, rounds: number, timeoutMs: number): Promise<AfterChange[][]> {
  const handles = subjects.map((s) => createDb(s.database.url));
  try {
    const rows = await Promise.all(handles.map((db) => db("attendance").where({ date: day }).orderBy("id").limit(200).select("id", "status") as Promise<{ id: number; status: string }[]>));
    const out = subjects.map(() => AFTER_CHANGE_PAGES.map((p) => ({ ...p, times: [] as number[], status: 200 as number | string })));
    let k = 0;
    for (let round = 0; round < rounds; round++) {
      for (const [p, page] of AFTER_CHANGE_PAGES.entries()) {
        for (const [s, { app }] of subjects.entries()) {
          const own = rows[s];
          if (own.length === 0) continue;
          await recordAndCorrect(handles[s], own[k++ % own.length]);
          const reply = await request(app.child.port, "GET", page.path, { cookie: await app.cookie(page.email), timeoutMs });
          if (reply.status !== 200) out[s][p].status = reply.status;
          out[s][p].times.push(reply.ms);
        }
      }
    }
    return out.map((pages) =>
      pages.map(({ times, ...page }) => {
        const sorted = [...times].sort((a, b) => a - b);
        const mid = Math.floor(sorted.length / 2);
        const medianMs = sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return { ...page, n: times.length, medianMs };
      }),
    );
  } finally {
    await Promise.all(handles.map((db) => db.destroy()));
  }
}
