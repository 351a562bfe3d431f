import type { Knex } from "knex";
import type { Config } from "./config";
import { today, type Clock } from "./domain/clock";
import { optimizeDatabase } from "./db/knex";
import { withStartupLock } from "./db/startup-lock";
import { isDatabaseEmpty, seedDemo } from "../seeds/demo";
import { refreshUse } from "./use/refresh";
import { ensureVersionTriggers } from "./data-version/triggers";

/** empty: nothing in the database yet and no demo data asked for (a production start). */
export type Prepared = { migrations: string[]; seeded: boolean; empty: boolean; seedToday?: string };

/**
 * Brings a database up to date: all migrations, then the demo data — only when the config asks
 * for it (development by default, production only with DEMO_DATA=1) and only into an empty
 * database, so a restart never overwrites or duplicates what users entered. Runs under the
 * start-up lock: a second process started at the same moment waits, then finds it all done.
 */
export async function prepareDatabase(db: Knex, config: Config, clock: Clock): Promise<Prepared> {
  return withStartupLock(db, async () => {
    const [, migrations] = (await db.migrate.latest()) as [number, string[]];
    const prepared = await seedIfAsked(db, config, clock, migrations);
    // The use tallies' triggers in place and everything counted before the first request
    // (after a migration that rebuilt a table, a whole region: a minute, once).
    await refreshUse(db);
    // The data versions' triggers too (a table a migration rebuilt lost them): before the first write.
    await ensureVersionTriggers(db);
    await optimizeDatabase(db);
    return prepared;
  });
}

async function seedIfAsked(db: Knex, config: Config, clock: Clock, migrations: string[]): Promise<Prepared> {
  if (!(await isDatabaseEmpty(db))) return { migrations, seeded: false, empty: false };
  if (!config.demoData) return { migrations, seeded: false, empty: true };
  const seedToday = config.seedToday ?? today(clock);
  await seedDemo(db, { today: seedToday, clock });
  return { migrations, seeded: true, empty: false, seedToday };
}
