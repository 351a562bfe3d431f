import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import sqlite3 from "sqlite3";

// Backups of a running database. SQLite: VACUUM INTO writes a consistent, compact copy from one
// read transaction while the app keeps writing; a restore goes the other way through SQLite's
// online backup API, page by page under SQLite's own locks, so a connection that is open at the
// time (a running app) afterwards simply reads the restored data. PostgreSQL: pg_dump and
// pg_restore, PostgreSQL's own tools, in the custom format.

type Db = sqlite3.Database;

function open(file: string, mode = sqlite3.OPEN_READWRITE): Promise<Db> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}

function run(db: Db, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
}

function all<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
}

function close(db: Db): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

export type BackupCheck = { file: string; bytes: number; migrations: number; tables: number };

/** A file is a usable dagdeel backup: SQLite, intact, migrated (it holds knex_migrations). */
export async function checkSqliteBackup(file: string): Promise<BackupCheck> {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    const [integrity] = await all<{ integrity_check: string }>(db, "PRAGMA integrity_check");
    if (integrity?.integrity_check !== "ok") throw new Error(`${file} is damaged: ${integrity?.integrity_check}`);
    const tables = await all<{ name: string }>(db, "select name from sqlite_master where type = 'table'");
    if (!tables.some((t) => t.name === "knex_migrations") || !tables.some((t) => t.name === "organisations")) {
      throw new Error(`${file} is not a dagdeel database`);
    }
    const [{ n }] = await all<{ n: number }>(db, "select count(*) as n from knex_migrations");
    return { file, bytes: fs.statSync(file).size, migrations: n, tables: tables.length };
  } catch (err) {
    if ((err as { code?: string }).code === "SQLITE_NOTADB") throw new Error(`${file} is not a SQLite database`);
    throw err;
  } finally {
    await close(db);
  }
}

/** Writes a consistent copy of the (running) database `source` to `target`, which must not exist yet. */
export async function backupSqlite(source: string, target: string): Promise<BackupCheck> {
  if (fs.existsSync(target)) throw new Error(`${target} already exists; choose another name`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const db = await open(source);
  try {
    await run(db, "PRAGMA busy_timeout = 10000");
    // One read transaction: every row as it stood at one moment, whatever the app writes meanwhile.
    await run(db, "VACUUM INTO ?", [target]);
  } finally {
    await close(db);
  }
  return checkSqliteBackup(target);
}

type Backup = { step(pages: number, cb: (err: Error | null) => void): void; finish(cb?: () => void): void; completed: boolean; failed: boolean };

/**
 * Replaces the contents of the database `target` with the backup `source`, after checking the
 * backup. The current contents are saved first (`<target>.before-restore-<time>`), so a restore
 * of the wrong file can itself be undone.
 */
export async function restoreSqlite(source: string, target: string): Promise<{ restored: BackupCheck; previous: string | null }> {
  const checked = await checkSqliteBackup(source);
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    await backupSqlite(target, previous);
  }
  const db = await open(target, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE);
  try {
    await run(db, "PRAGMA busy_timeout = 10000");
    // filenameIsDest = false: the file is the source, this open database the destination.
    const backup = (db as unknown as { backup(...args: unknown[]): Backup }).backup(source, "main", "main", false);
    while (!backup.completed) {
      await new Promise<void>((resolve, reject) => backup.step(-1, (err) => (err ? reject(err) : resolve())));
      if (backup.failed) throw new Error("the restore failed");
    }
    backup.finish();
  } finally {
    await close(db);
  }
  return { restored: { ...checked, file: target }, previous };
}

/** pg_dump in its custom format: compressed, restorable table by table with pg_restore. */
export function backupPostgres(databaseUrl: string, target: string): void {
  if (fs.existsSync(target)) throw new Error(`${target} already exists; choose another name`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  tool("pg_dump", ["--format=custom", "--no-owner", "--file", target, "--dbname", databaseUrl]);
}

/** pg_restore into the database, replacing what is there, in one transaction. */
export function restorePostgres(databaseUrl: string, source: string): void {
  if (!fs.existsSync(source)) throw new Error(`${source} does not exist`);
  tool("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", databaseUrl, source]);
}

function tool(name: string, args: string[]): void {
  const result = spawnSync(name, args, { encoding: "utf8" });
  if (result.error) throw new Error(`${name} could not run (${(result.error as NodeJS.ErrnoException).code}); install the PostgreSQL client tools`);
  if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr.trim()}`);
}
