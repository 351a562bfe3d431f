import type { Knex } from "knex";
import { isPostgres } from "../db/dialect";
import { toNumber } from "../db/numbers";

// The version of everything a planning board shows (db/migrations/20261207040100_board_versions.ts):
// one counter, raised by database triggers in the same transaction as any insert, update or
// delete of the tables below — whatever code path, import or fixture wrote it — so a board kept
// in any app process is used only while nothing it was made of changed. One counter for the
// whole region, not one per location: a coordinator's board also lists the waiting clients who
// fit, and whether their funding allows it reads their allocations, contracts and schedules at
// every location.
//
// SQLite: a row trigger per table and event (one writer at a time, no contention). PostgreSQL:
// a deferred constraint trigger, so the counter's row is locked only at commit — the last lock a
// transaction takes, which cannot close a deadlock — and raised once per transaction (txid).
//
// The calendar feeds use the same counter: a feed's summary (src/calendar/feed-version.ts) reads
// only tables listed here, so it is read again only when the counter moved.
//
// A reader reads the counter before the data: a board made from data newer than its version is
// made again at the next request, never one older kept under a newer version.

export const BOARD_TABLES = [
  "attendance", "schedules", "schedule_slots", "closures", "capacity_rules", "locations", "clients", "organisations",
  "villages", "allocations", "products", "contracts", "contract_lines", "waitlist_entries", "waitlist_slots",
] as const;

const EVENTS = ["INSERT", "UPDATE", "DELETE"] as const;
const nameOf = (table: string, event: string) => `board_version_${table}_${event.toLowerCase()}`;
const TRIGGERS = BOARD_TABLES.flatMap((table) => EVENTS.map((event) => ({ table, event, name: nameOf(table, event) })));

function sqliteTrigger(t: { table: string; event: string; name: string }): string {
  return `CREATE TRIGGER IF NOT EXISTS ${t.name} AFTER ${t.event} ON ${t.table} BEGIN UPDATE board_versions SET version = version + 1 WHERE key = 'all'; END`;
}

const PG_FUNCTION = `CREATE OR REPLACE FUNCTION board_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  UPDATE board_versions SET version = version + 1, txid = txid_current() WHERE key = 'all' AND txid IS DISTINCT FROM txid_current();
  RETURN NULL; END $$`;

function postgresTrigger(t: { table: string; event: string; name: string }): string {
  return `CREATE CONSTRAINT TRIGGER ${t.name} AFTER ${t.event} ON ${t.table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_version_raise()`;
}

type Db = Knex | Knex.Transaction;

async function existingTriggers(db: Db): Promise<Set<string>> {
  const rows: { name: string }[] = isPostgres(db)
    ? (await db.raw("SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'board\\_version\\_%'")).rows
    : await db.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'board\\_version\\_%' ESCAPE '\\'");
  return new Set(rows.map((r) => r.name));
}

// Checked once per database handle: tables are rebuilt only by migrations, which run before an app serves.
const checked = new WeakSet<object>();

/** Makes sure every trigger is there (a new database, or a table a SQLite migration rebuilt); true when one was missing. */
export async function ensureBoardTriggers(db: Knex): Promise<boolean> {
  if (checked.has(db)) return false;
  let created = false;
  if ((await existingTriggers(db)).size < TRIGGERS.length) {
    await db.transaction(async (trx) => {
      // Two processes starting together: the second waits here, then finds them made.
      if (isPostgres(trx)) await trx.raw("SELECT pg_advisory_xact_lock(hashtext('board_version_triggers'))");
      const present = await existingTriggers(trx);
      const missing = TRIGGERS.filter((t) => !present.has(t.name));
      if (missing.length === 0) return;
      if (isPostgres(trx)) await trx.raw(PG_FUNCTION);
      for (const t of missing) await trx.raw(isPostgres(trx) ? postgresTrigger(t) : sqliteTrigger(t));
      // What was written while a trigger was missing is not known: every kept board goes.
      await trx("board_versions").where({ key: "all" }).increment("version", 1);
      created = true;
    });
  }
  checked.add(db);
  return created;
}

export async function dropBoardTriggers(db: Knex): Promise<void> {
  for (const t of TRIGGERS) await db.raw(isPostgres(db) ? `DROP TRIGGER IF EXISTS ${t.name} ON ${t.table}` : `DROP TRIGGER IF EXISTS ${t.name}`);
  if (isPostgres(db)) await db.raw("DROP FUNCTION IF EXISTS board_version_raise()");
  checked.delete(db);
}

/** The current version: one query on the counter's primary key. */
export async function boardVersion(db: Knex): Promise<number> {
  await ensureBoardTriggers(db);
  const row = await db("board_versions").where({ key: "all" }).first("version");
  return row ? toNumber(row.version) : 0;
}

/**
 * The version as a subquery, for a query every request runs anyway (the session's user,
 * src/auth/repository.ts): a kept board then costs no round trip of its own. Read before the
 * route reads any data, so the order above holds.
 */
export function boardVersionSubquery(db: Knex): Knex.QueryBuilder {
  return db("board_versions").where({ key: "all" }).select("version");
}
