import type { Knex } from "knex";
import { createApp, type App } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { fixedClock, type Clock } from "../../src/domain/clock";
import { freshTestDatabase, type TestDatabase } from "./database";
import { buildWorld, type World } from "./fixtures";

// Races proven on a real PostgreSQL: two app instances, each with its own connection pool, on
// one database, as two app processes behind a load balancer would be. SQLite's single
// connection serialises every transaction by construction and can prove none of this.

export type RaceContext = {
  apps: [App, App];
  /** Each app's connection pool. */
  pools: [Knex, Knex];
  /** The first app's pool; also what the tests read the outcome with. */
  db: Knex;
  /** A connection pool of its own for the test's locks (a third client of the database). */
  control: Knex;
  clock: Clock;
  world: World;
  close(): Promise<void>;
};

export const hasPostgres = (): boolean => Boolean(process.env.TEST_POSTGRES_URL);

export async function startTwoApps(now = "2026-11-23T10:00:00"): Promise<RaceContext> {
  const database: TestDatabase = await freshTestDatabase("postgres", "migrated");
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: database.url, LOG_LEVEL: "silent" });
  const pools: [Knex, Knex] = [createDb(config.databaseUrl), createDb(config.databaseUrl)];
  const control = createDb(config.databaseUrl);
  const world = await buildWorld(pools[0]);
  const clock = fixedClock(now);
  const apps: [App, App] = [createApp({ db: pools[0], clock, config }), createApp({ db: pools[1], clock, config })];
  return {
    apps,
    pools,
    db: pools[0],
    control,
    clock,
    world,
    async close() {
      for (const app of apps) await app.close();
      for (const pool of [...pools, control]) await pool.destroy();
      await database.drop();
    },
  };
}

/** Backends of this database waiting for a lock right now. */
async function waitingForLocks(control: Knex): Promise<number> {
  const { rows } = await control.raw("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
  return rows[0].n;
}

/**
 * Sends requests "at the same moment" for real: while a third connection holds a SHARE lock on
 * `table` (reads go on, writes wait), every request runs its reads and then queues at its first
 * write. Once `writers` of them wait there (or the requests that do not write have finished),
 * the lock is let go and they all write at once — the interleaving a busy server produces by
 * chance, produced every time. Returns the requests' results in order.
 */
export async function atTheSameMoment<T>(control: Knex, table: string, writers: number, requests: (() => PromiseLike<T>)[]): Promise<T[]> {
  const trx = await control.transaction();
  let released = false;
  const release = async () => {
    if (!released) {
      released = true;
      await trx.commit();
    }
  };
  try {
    // Identifiers cannot be bound; the table name comes from the test itself, never from input.
    await trx.raw(`lock table ${table} in share mode`);
    let settled = 0;
    const running = requests.map((r) => Promise.resolve(r()).finally(() => (settled += 1)));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const waiting = await waitingForLocks(control);
      if (waiting >= writers || waiting + settled >= requests.length) break;
      if (Date.now() > deadline) throw new Error(`only ${waiting} of ${writers} requests reached their write`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await release();
    return await Promise.all(running);
  } finally {
    await release();
  }
}
