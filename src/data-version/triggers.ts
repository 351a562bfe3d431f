import type { Knex } from "knex";
import { isPostgres } from "../db/dialect";
import { toNumber } from "../db/numbers";

// The data version of the problem lists (db/migrations/20261207020100_data_versions.ts): a
// number in the database that every write which can change a problem list raises in its own
// transaction — schedules and their slots, allocations, capacity rules, closures, locations,
// contracts and their lines, the waiting list, clients (their end, their names), products,
// organisations, villages (names on the home page), and attendance where an `extra` visit is written or removed (an extra takes a
// place). Database triggers raise it, so no code path, import or fixture can forget to, as the
// use tallies' triggers do (src/use/triggers.ts). A kept answer is valid while the version it
// was computed at is the version now: one cheap query, right for every app process that shares
// the database.
//
// SQLite has one writer: a row trigger raises the number at once. PostgreSQL: a deferred
// constraint trigger raises it at COMMIT, once per transaction (bumped_by holds the transaction
// id of the last raise), so concurrent writers hold the one row's lock only for the moment of
// their commit — never while they wait for other locks, which could deadlock — and the new
// number becomes visible together with the rows that raised it.
//
// A rebuilt SQLite table loses its triggers (knex copies columns and indexes, not triggers), so
// ensureVersionTriggers() looks for all of them before a version is read; any missing are
// created again and the version raised, as nothing tells what changed meanwhile.

type Db = Knex | Knex.Transaction;

export const PROBLEMS = "problems";

/** The tables whose every row change may change a problem list. */
const TABLES = [
  "schedules", "schedule_slots", "allocations", "capacity_rules", "closures", "locations", "contracts", "contract_lines",
  "waitlist_entries", "waitlist_slots", "clients", "products", "organisations", "villages",
] as const;

type VersionTrigger = { name: string; table: string; when: "INSERT" | "UPDATE" | "DELETE" | "INSERT OR UPDATE OR DELETE"; condition?: { sqlite: string; pg: string } };

const TRIGGERS: VersionTrigger[] = [
  ...TABLES.flatMap((table) =>
    (["INSERT", "UPDATE", "DELETE"] as const).map((when) => ({ name: `data_version_${table}_${when.toLowerCase()}`, table, when })),
  ),
  // Attendance: only an extra visit takes a place; the daily recording of everyone else does not count.
  { name: "data_version_attendance_insert", table: "attendance", when: "INSERT", condition: { sqlite: "NEW.status = 'extra'", pg: "NEW.status = 'extra'" } },
  { name: "data_version_attendance_update", table: "attendance", when: "UPDATE", condition: { sqlite: "OLD.status = 'extra' OR NEW.status = 'extra'", pg: "OLD.status = 'extra' OR NEW.status = 'extra'" } },
  { name: "data_version_attendance_delete", table: "attendance", when: "DELETE", condition: { sqlite: "OLD.status = 'extra'", pg: "OLD.status = 'extra'" } },
];

export const VERSION_TRIGGERS = TRIGGERS.map((t) => t.name);

const FUNCTION = "data_version_bump";

function sqliteTrigger(t: VersionTrigger): string {
  const when = t.condition ? ` WHEN ${t.condition.sqlite}` : "";
  return `CREATE TRIGGER IF NOT EXISTS ${t.name} AFTER ${t.when} ON ${t.table}${when} BEGIN UPDATE data_versions SET version = version + 1 WHERE name = '${PROBLEMS}'; END`;
}

const POSTGRES_FUNCTION = `CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  UPDATE data_versions SET version = version + 1, bumped_by = txid_current() WHERE name = '${PROBLEMS}' AND bumped_by IS DISTINCT FROM txid_current();
  RETURN NULL; END $$`;

function postgresTrigger(t: VersionTrigger): string {
  const when = t.condition ? ` WHEN (${t.condition.pg})` : "";
  return `CREATE CONSTRAINT TRIGGER ${t.name} AFTER ${t.when} ON ${t.table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW${when} EXECUTE FUNCTION ${FUNCTION}()`;
}

async function existingTriggers(db: Db): Promise<Set<string>> {
  const rows: { name: string }[] = isPostgres(db)
    ? (await db.raw("SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'data\\_version\\_%'")).rows
    : await db.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'data\\_version\\_%' ESCAPE '\\'");
  return new Set(rows.map((r) => r.name));
}

// Checked once per database handle: tables are rebuilt only by migrations, which run before an app serves.
const checked = new WeakSet<object>();

/** Makes sure every trigger is there; when some were missing, creates them and raises the version. Returns whether it had to. */
export async function ensureVersionTriggers(db: Knex): Promise<boolean> {
  if (checked.has(db)) return false;
  const present = await existingTriggers(db);
  const missing = TRIGGERS.filter((t) => !present.has(t.name));
  if (missing.length > 0) {
    await db.transaction(async (trx) => {
      if (isPostgres(trx)) {
        // Two processes starting at once: one creates, the other waits here and finds them made.
        await trx.raw("SELECT pg_advisory_xact_lock(20261207)");
        const now = await existingTriggers(trx);
        await trx.raw(POSTGRES_FUNCTION);
        for (const t of missing) if (!now.has(t.name)) await trx.raw(postgresTrigger(t));
      } else for (const t of missing) await trx.raw(sqliteTrigger(t));
      await trx("data_versions").where({ name: PROBLEMS }).increment("version", 1);
    });
  }
  checked.add(db);
  return missing.length > 0;
}

/** The problem lists' data version now (the triggers made sure of first). */
export async function problemsVersion(db: Knex): Promise<number> {
  await ensureVersionTriggers(db);
  const row = await db("data_versions").where({ name: PROBLEMS }).first("version");
  return toNumber(row?.version ?? 0);
}

/** Removes the triggers (before the table they write goes); the next ensureVersionTriggers() puts them back. */
export async function dropVersionTriggers(db: Db): Promise<void> {
  for (const t of TRIGGERS) {
    if (isPostgres(db)) await db.raw(`DROP TRIGGER IF EXISTS ${t.name} ON ${t.table}`);
    else await db.raw(`DROP TRIGGER IF EXISTS ${t.name}`);
  }
  if (isPostgres(db)) await db.raw(`DROP FUNCTION IF EXISTS ${FUNCTION}()`);
  checked.delete(db as object);
}
