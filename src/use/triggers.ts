import type { Knex } from "knex";
import { isPostgres, triggersNamed } from "../db/dialect";
import { OncePerHandle } from "../db/once-per-handle";

// The triggers that keep use_dirty (db/migrations/20261206150100_use_tallies.ts): every insert,
// update or delete of attendance, schedules, schedule slots or allocations writes what it
// touched there, in its own transaction, so the use tallies can never miss a change — whatever
// code path, import or test fixture made it. Each trigger writes only values of its own row
// (a slot its schedule id, resolved when counting), never reads another table: SQLite checks
// every trigger's SQL when knex rebuilds a table, and a trigger naming the table being rebuilt
// would fail that migration.
//
// A rebuilt SQLite table loses its triggers (knex copies columns and indexes, not triggers),
// so ensureUseTriggers() looks for all of them before the tallies are read: any one missing is
// created again and everything is counted again, as nothing tells what changed meanwhile.

type Db = Knex | Knex.Transaction;

export type DirtySource = "client" | "schedule" | "product" | "contract" | "location";

type RowTrigger = { table: string; event: string; when: "INSERT" | "UPDATE" | "DELETE"; columns?: string; source: DirtySource; id: string };

/** The row values each trigger marks: OLD and NEW for an update, so a moved row marks both owners. */
const ROW_TRIGGERS: RowTrigger[] = [
  ...(["attendance", "schedules", "allocations"] as const).flatMap((table) => [
    { table, event: "insert", when: "INSERT" as const, source: "client" as const, id: "client_id" },
    { table, event: "update", when: "UPDATE" as const, source: "client" as const, id: "client_id" },
    { table, event: "delete", when: "DELETE" as const, source: "client" as const, id: "client_id" },
  ]),
  { table: "schedule_slots", event: "insert", when: "INSERT", source: "schedule", id: "schedule_id" },
  { table: "schedule_slots", event: "update", when: "UPDATE", source: "schedule", id: "schedule_id" },
  { table: "schedule_slots", event: "delete", when: "DELETE", source: "schedule", id: "schedule_id" },
  // What a ride or dagdeel product pays for, whose subsidy it is, whose location: rare changes.
  { table: "products", event: "unit", when: "UPDATE", columns: "unit", source: "product", id: "id" },
  { table: "contracts", event: "parties", when: "UPDATE", columns: "purchaser_id, provider_id", source: "contract", id: "id" },
  { table: "locations", event: "provider", when: "UPDATE", columns: "provider_id", source: "location", id: "id" },
];

const nameOf = (t: RowTrigger) => `use_dirty_${t.table}_${t.event}`;
export const USE_TRIGGERS = ROW_TRIGGERS.map(nameOf);

const rowsOf = (t: RowTrigger): ("OLD" | "NEW")[] => (t.when === "INSERT" ? ["NEW"] : t.when === "DELETE" ? ["OLD"] : ["OLD", "NEW"]);

const MARK = (source: string, value: string) =>
  `INSERT INTO use_dirty (source, source_id, version) VALUES ('${source}', ${value}, 1) ON CONFLICT (source, source_id) DO UPDATE SET version = use_dirty.version + 1;`;

function sqliteTrigger(t: RowTrigger): string {
  const event = t.columns ? `UPDATE OF ${t.columns}` : t.when;
  return `CREATE TRIGGER IF NOT EXISTS ${nameOf(t)} AFTER ${event} ON ${t.table} BEGIN ${rowsOf(t)
    .map((row) => MARK(t.source, `${row}.${t.id}`))
    .join(" ")} END`;
}

/** PostgreSQL: statement triggers over the changed rows (a bulk insert marks each owner once); the rare column ones per row. */
function postgresTrigger(t: RowTrigger): string[] {
  const name = nameOf(t);
  const upsert = "ON CONFLICT (source, source_id) DO UPDATE SET version = use_dirty.version + 1";
  if (t.columns) {
    return [
      `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         INSERT INTO use_dirty (source, source_id, version) VALUES ('${t.source}', NEW.${t.id}, 1) ${upsert}; RETURN NULL; END $$`,
      `CREATE OR REPLACE TRIGGER ${name} AFTER UPDATE OF ${t.columns} ON ${t.table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
    ];
  }
  const tables = rowsOf(t).map((row) => (row === "NEW" ? "new_rows" : "old_rows"));
  const select = tables.map((rows) => `SELECT ${t.id} AS id FROM ${rows}`).join(" UNION ");
  const referencing = tables.map((rows) => (rows === "new_rows" ? "NEW TABLE AS new_rows" : "OLD TABLE AS old_rows")).join(" ");
  return [
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
       INSERT INTO use_dirty (source, source_id, version) SELECT DISTINCT '${t.source}', id, 1 FROM (${select}) changed WHERE id IS NOT NULL ${upsert};
       RETURN NULL; END $$`,
    `CREATE OR REPLACE TRIGGER ${name} AFTER ${t.when} ON ${t.table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
  ];
}

const existingTriggers = (db: Db) => triggersNamed(db, "use_dirty_");

// Checked once per database handle: the tables are rebuilt only by migrations, which run before
// an app serves. Concurrent first callers share one check (two would create the same triggers).
const check = new OncePerHandle(makeUseTriggers, false);

/**
 * Makes sure every trigger is there; when one was missing (a new database, or a table a
 * migration rebuilt), creates them and marks every client to be counted again. Returns whether
 * it had to.
 */
export function ensureUseTriggers(db: Knex): Promise<boolean> {
  return check.run(db);
}

async function makeUseTriggers(db: Knex): Promise<boolean> {
  const present = await existingTriggers(db);
  const missing = ROW_TRIGGERS.filter((t) => !present.has(nameOf(t)));
  if (missing.length > 0) {
    await db.transaction(async (trx) => {
      for (const t of missing) {
        for (const sql of isPostgres(trx) ? postgresTrigger(t) : [sqliteTrigger(t)]) await trx.raw(sql);
      }
      await trx.raw(
        `INSERT INTO use_dirty (source, source_id, version) SELECT 'client', id, 1 FROM clients WHERE true ON CONFLICT (source, source_id) DO UPDATE SET version = use_dirty.version + 1`,
      );
    });
  }
  return missing.length > 0;
}

/**
 * Removes the triggers (a bulk load writes millions of rows, which then are all counted anyway);
 * the next ensureUseTriggers() puts them back and counts everything again.
 */
export async function dropUseTriggers(db: Knex): Promise<void> {
  for (const t of ROW_TRIGGERS) {
    if (isPostgres(db)) {
      await db.raw(`DROP TRIGGER IF EXISTS ${nameOf(t)} ON ${t.table}`);
      await db.raw(`DROP FUNCTION IF EXISTS ${nameOf(t)}()`);
    } else await db.raw(`DROP TRIGGER IF EXISTS ${nameOf(t)}`);
  }
  check.forget(db);
}

