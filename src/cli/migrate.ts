import { loadConfig } from "../config";
import { createDb } from "../db/knex";
import { withStartupLock } from "../db/startup-lock";

// npm run db:migrate | db:rollback — on the database named by DATABASE_URL.
async function main(): Promise<void> {
  const command = process.argv[2];
  const db = createDb(loadConfig().databaseUrl);
  try {
    if (command === "latest") {
      const [batch, files] = await withStartupLock(db, () => db.migrate.latest());
      console.log(files.length ? `Batch ${batch}: ${files.join(", ")}` : "Already up to date.");
    } else if (command === "rollback") {
      const [batch, files] = await withStartupLock(db, () => db.migrate.rollback());
      console.log(files.length ? `Rolled back batch ${batch}: ${files.join(", ")}` : "Nothing to roll back.");
    } else {
      console.error("usage: migrate.ts latest|rollback");
      process.exitCode = 2;
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
