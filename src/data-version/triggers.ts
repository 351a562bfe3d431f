import type { Knex } from "knex";
import { isPostgres, triggersNamed } from "../db/dialect";
import { OncePerHandle } from "../db/once-per-handle";
import { WATCHED, type Watch } from "./watched";

// The database triggers that raise the data versions (./versions.ts), built from the list of
// what each version watches (./watched.ts): whatever code path, import or fixture writes, the
// version moves in the same transaction, so no code can forget to.
//
// SQLite has one writer: a row trigger raises the number at once. PostgreSQL: a deferred
// constraint trigger raises it at COMMIT, once per transaction and version (bumped_by holds the
// transaction id of the last raise), so concurrent writers hold the version's row lock only for
// the moment of their commit — the last lock a transaction takes, which cannot close a deadlock
// — and the new number becomes visible together with the rows that raised it.
//
// A rebuilt SQLite table loses its triggers (knex copies columns and indexes, not triggers), so
// ensureVersionTriggers() looks for all of them (at start-up, and before a version is first
// read by a database handle); any missing are created again and their versions raised, as
// nothing tells what was written meanwhile.

type Db = Knex | Knex.Transaction;
type Event = Watch["events"][number];
type Trigger = { name: string; version: Watch["version"]; table: string; event: Event; when?: string };

const TRIGGERS: Trigger[] = WATCHED.flatMap((w) =>
  w.events.map((event) => ({ name: `data_version_${w.version}_${w.table}_${event.toLowerCase()}`, version: w.version, table: w.table, event, when: w.when?.[event] })),
);

/** Every trigger's name (tests look for them). */
export const VERSION_TRIGGERS = TRIGGERS.map((t) => t.name);

const FUNCTION = "data_version_raise";

function sqliteTrigger(t: Trigger): string {
  const when = t.when ? ` WHEN ${t.when}` : "";
  return `CREATE TRIGGER IF NOT EXISTS ${t.name} AFTER ${t.event} ON ${t.table}${when} BEGIN UPDATE data_versions SET version = version + 1 WHERE name = '${t.version}'; END`;
}

// The version's name is the trigger's argument (TG_ARGV[0]): one function for every version.
const POSTGRES_FUNCTION = `CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  UPDATE data_versions SET version = version + 1, bumped_by = txid_current() WHERE name = TG_ARGV[0] AND bumped_by IS DISTINCT FROM txid_current();
  RETURN NULL; END $$`;

function postgresTrigger(t: Trigger): string {
  const when = t.when ? ` WHEN (${t.when})` : "";
  return `CREATE CONSTRAINT TRIGGER ${t.name} AFTER ${t.event} ON ${t.table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW${when} EXECUTE FUNCTION ${FUNCTION}('${t.version}')`;
}

const existingTriggers = (db: Db) => triggersNamed(db, "data_version_");

// Checked once per database handle: tables are rebuilt only by migrations, which run before an
// app serves. Concurrent first callers share one check, so each learns whether it raised the versions.
const check = new OncePerHandle(makeVersionTriggers, false);

/** Makes sure every trigger is there; when some were missing, creates them and raises their versions. Returns whether it had to. */
export function ensureVersionTriggers(db: Knex): Promise<boolean> {
  return check.run(db);
}

async function makeVersionTriggers(db: Knex): Promise<boolean> {
  let created = false;
  const before = await existingTriggers(db);
  if (TRIGGERS.some((t) => !before.has(t.name))) {
    await db.transaction(async (trx) => {
      // Two processes starting at once: one creates, the other waits here and finds them made.
      if (isPostgres(trx)) await trx.raw("SELECT pg_advisory_xact_lock(20261207)");
      const present = await existingTriggers(trx);
      const missing = TRIGGERS.filter((t) => !present.has(t.name));
      if (missing.length === 0) return;
      if (isPostgres(trx)) await trx.raw(POSTGRES_FUNCTION);
      for (const t of missing) await trx.raw(isPostgres(trx) ? postgresTrigger(t) : sqliteTrigger(t));
      const versions = [...new Set(missing.map((t) => t.version))];
      await trx("data_versions").whereIn("name", versions).increment("version", 1);
      // A database migrated before the versions shared one table lacks the row: it starts at 1.
      const rows: { name: string }[] = await trx("data_versions").whereIn("name", versions).select("name");
      const absent = versions.filter((v) => !rows.some((r) => r.name === v));
      if (absent.length > 0) await trx("data_versions").insert(absent.map((name) => ({ name, version: 1 })));
      created = true;
    });
  }
  return created;
}

/** Removes the triggers of one version, or all (before the table they write goes); the next ensureVersionTriggers() puts them back. */
export async function dropVersionTriggers(db: Db, version?: Watch["version"]): Promise<void> {
  for (const t of TRIGGERS.filter((x) => version === undefined || x.version === version)) {
    await db.raw(isPostgres(db) ? `DROP TRIGGER IF EXISTS ${t.name} ON ${t.table}` : `DROP TRIGGER IF EXISTS ${t.name}`);
  }
  if (isPostgres(db) && version === undefined) await db.raw(`DROP FUNCTION IF EXISTS ${FUNCTION}()`);
  check.forget(db as object);
}
