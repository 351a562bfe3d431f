import path from "node:path";
import { loadConfig, sqliteFile } from "../config";
import { backupPostgres, backupSqlite } from "../db/backup";

// npm run db:backup [-- FILE]: a consistent copy of the database named by DATABASE_URL, also
// while the app runs. SQLite: VACUUM INTO (default file data/backups/dagdeel-<time>.sqlite);
// PostgreSQL: pg_dump's custom format (default dagdeel-<time>.dump).
async function main(): Promise<void> {
  const config = loadConfig();
  const file = sqliteFile(config.databaseUrl);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  if (file === ":memory:") throw new Error("an in-memory database has nothing to back up");
  if (file) {
    const target = path.resolve(process.argv[2] ?? path.join(path.dirname(file), "backups", `dagdeel-${stamp}.sqlite`));
    const check = await backupSqlite(file, target);
    console.log(`Backup written: ${check.file} (${Math.round(check.bytes / 1024)} kB, ${check.tables} tables, ${check.migrations} migrations, integrity ok)`);
  } else {
    const target = path.resolve(process.argv[2] ?? `dagdeel-${stamp}.dump`);
    backupPostgres(config.databaseUrl, target);
    console.log(`Backup written with pg_dump: ${target}`);
  }
}

main().catch((err) => {
  console.error(`Backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
