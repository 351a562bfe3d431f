import path from "node:path";
import { loadConfig, sqliteFile } from "../config";
import { restorePostgres, restoreSqlite } from "../db/backup";

// npm run db:restore -- FILE: puts a backup made by db:backup back into the database named by
// DATABASE_URL. SQLite keeps the current contents beside it first (.before-restore-<time>).
// Stop the app first where you can; on SQLite a running app reads the restored data afterwards.
async function main(): Promise<void> {
  const source = process.argv[2];
  if (!source) {
    console.error("usage: npm run db:restore -- FILE");
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const file = sqliteFile(config.databaseUrl);
  if (file === ":memory:") throw new Error("cannot restore into an in-memory database");
  if (file) {
    const { restored, previous } = await restoreSqlite(path.resolve(source), file);
    console.log(`Restored ${path.resolve(source)} into ${restored.file} (${restored.migrations} migrations, integrity ok).`);
    if (previous) console.log(`The contents before the restore are kept in ${previous}`);
  } else {
    restorePostgres(config.databaseUrl, path.resolve(source));
    console.log(`Restored ${path.resolve(source)} with pg_restore.`);
  }
}

main().catch((err) => {
  console.error(`Restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
