import type { Knex } from "knex";
import type { Config } from "./config";
import { today, type Clock } from "./domain/clock";
import { isDatabaseEmpty, seedDemo } from "../seeds/demo";

export type Prepared = { migrations: string[]; seeded: boolean; seedToday?: string };

/**
 * Brings a database up to date: all migrations, then the demo data — but only into an empty
 * database, so a restart never overwrites or duplicates what users entered.
 */
export async function prepareDatabase(db: Knex, config: Config, clock: Clock): Promise<Prepared> {
  const [, migrations] = (await db.migrate.latest()) as [number, string[]];
  if (!(await isDatabaseEmpty(db))) return { migrations, seeded: false };
  const seedToday = config.seedToday ?? today(clock);
  await seedDemo(db, { today: seedToday, clock });
  return { migrations, seeded: true, seedToday };
}
