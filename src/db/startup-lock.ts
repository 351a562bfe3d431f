import os from "node:os";
import type { Knex } from "knex";
import { isPostgres } from "./dialect";

// Two app processes started at the same moment on one empty database must not both migrate
// and both load the demo data: the second would die on a unique constraint. Start-up therefore
// runs under one lock per database, and a second process waits for the first, then finds the
// work done. PostgreSQL has advisory locks for exactly this; SQLite has a single writer but no
// lock that outlives a statement, so there a one-row table is the lock.

/** Any fixed number; it only has to be the same in every dagdeel process. */
const ADVISORY_KEY = 2026_1206_12;
const LOCK_TABLE = "dagdeel_startup_lock";
const POLL_MS = 200;
/** A lock older than this is taken to be left behind by a process on another machine that died. */
const STALE_MS = 30 * 60 * 1000;

export async function withStartupLock<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return withAdvisoryLock(db, work);
  return withLockRow(db, work);
}

/**
 * The lock lives in a transaction of its own connection and ends with it — also when the process
 * dies, because the server ends the session. The work runs on other connections of the pool.
 */
async function withAdvisoryLock<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  const holder = await db.transaction();
  try {
    await holder.raw("select pg_advisory_xact_lock(?)", [ADVISORY_KEY]);
    return await work();
  } finally {
    await holder.commit();
  }
}

async function withLockRow<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  const file = (db.client.config.connection as { filename?: string } | undefined)?.filename;
  if (file === ":memory:") return work(); // no other process can open it
  // Created outside the migrations: the migrations themselves run under this lock.
  await db.raw(`create table if not exists ${LOCK_TABLE} (id integer primary key, holder varchar(200) not null, acquired_at varchar(30) not null)`);
  const me = `${os.hostname()}:${process.pid}:${Date.now()}`;
  for (;;) {
    await db(LOCK_TABLE).insert({ id: 1, holder: me, acquired_at: new Date().toISOString() }).onConflict("id").ignore();
    const row = await db(LOCK_TABLE).where({ id: 1 }).first();
    if (row?.holder === me) break;
    if (row && isAbandoned(row)) await db(LOCK_TABLE).where({ id: 1, holder: row.holder }).delete();
    else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    await db(LOCK_TABLE).where({ id: 1, holder: me }).delete();
  }
}

/** A holder on this machine whose process is gone, or any holder far too old. */
function isAbandoned(row: { holder: string; acquired_at: string }): boolean {
  const [host, pid] = row.holder.split(":");
  if (host === os.hostname() && !processAlive(Number(pid))) return true;
  return Date.now() - Date.parse(row.acquired_at) > STALE_MS;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
