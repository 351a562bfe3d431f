import fs from "node:fs";
import path from "node:path";
import type { Knex } from "knex";
import { loadConfig, sqliteFile } from "../config";
import { restorePostgres, restoreSqlite } from "../db/backup";
import { createDb } from "../db/knex";
import { allVersions, raiseAbove } from "../data-version/versions";

// npm run db:restore -- FILE: puts a backup made by db:backup back into the database named by
// DATABASE_URL. SQLite keeps the current contents beside it first (.before-restore-<time>).
// Stop the app first where you can; on SQLite a running app reads the restored data afterwards,
// and the data versions end above where they stood, so it keeps no answer of the data replaced.
async function withDb<T>(databaseUrl: string, work: (db: Knex) => Promise<T>): Promise<T> {
  const db = createDb(databaseUrl);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

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
  const before = file && !fs.existsSync(file) ? new Map<string, number>() : await withDb(config.databaseUrl, allVersions);
  if (file) {
    const { restored, previous } = await restoreSqlite(path.resolve(source), file);
    console.log(`Restored ${path.resolve(source)} into ${restored.file} (${restored.migrations} migrations, integrity ok).`);
    if (previous) console.log(`The contents before the restore are kept in ${previous}`);
  } else {
    restorePostgres(config.databaseUrl, path.resolve(source));
    console.log(`Restored ${path.resolve(source)} with pg_restore.`);
  }
  await withDb(config.databaseUrl, (db) => raiseAbove(db, before));
}

main().catch((err) => {
  console.error(`Restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
