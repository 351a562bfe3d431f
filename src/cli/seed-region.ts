import { loadConfig } from "../config";
import { createDb } from "../db/knex";
import { systemClock, today } from "../domain/clock";
import { parseRegionOptions, seedRegion } from "../../seeds/region";

// npm run seed:region [-- --seed 1 --scale 1 --today yyyy-MM-dd] — migrates DATABASE_URL and
// fills it, only when empty, with a whole region (see seeds/region and the README).
async function main(): Promise<void> {
  const config = loadConfig();
  const options = parseRegionOptions(process.argv.slice(2), process.env, today(systemClock));
  const db = createDb(config.databaseUrl);
  try {
    await db.migrate.latest();
    console.log(`Region seed ${options.seed}, scale ${options.scale}, today ${options.today} → ${config.databaseUrl}`);
    const summary = await seedRegion(db, options, (line) => console.log(`  ${line}`));
    const width = Math.max(...Object.keys(summary.counts).map((t) => t.length));
    for (const [table, n] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(width)}  ${n.toLocaleString("nl-NL").padStart(11)}`);
    console.log(`Region built in ${summary.seconds.toFixed(1)} s.`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
