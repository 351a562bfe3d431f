import { loadConfig } from "../config";
import { createDb } from "../db/knex";
import { systemClock } from "../domain/clock";
import { prepareDatabase } from "../startup";

// npm run db:seed — migrates, then loads the demo data, but only into an empty database.
async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  try {
    // Asking for it is the explicit choice DEMO_DATA would otherwise have to make.
    const prepared = await prepareDatabase(db, { ...config, demoData: true }, systemClock);
    console.log(prepared.seeded ? `Demo data loaded (around ${prepared.seedToday}).` : "The database already holds data; the demo data was not loaded.");
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
