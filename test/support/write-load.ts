// A second process that keeps writing to a SQLite database until it gets SIGTERM: each
// transaction adds one village and the audit entry about it. Any consistent copy of the
// database therefore holds exactly as many "village" audit entries as villages.
//   node --import tsx test/support/write-load.ts <file>
import sqlite3 from "sqlite3";

const db = new sqlite3.Database(process.argv[2]);
const run = (sql: string, params: unknown[] = []) =>
  new Promise<void>((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
let stopping = false;
process.on("SIGTERM", () => (stopping = true));

async function main(): Promise<void> {
  await run("PRAGMA busy_timeout = 10000");
  const at = new Date().toISOString();
  for (let n = 0; !stopping; n++) {
    await run("BEGIN IMMEDIATE");
    await run("insert into villages (name, municipality, gemeentecode, province, created_at, updated_at) values (?, 'Last', '0000', 'LI', ?, ?)", [`Dorp ${process.pid}-${n}`, at, at]);
    await run("insert into audit_log (user_id, action, entity, entity_id, created_at) values (null, 'create', 'village', last_insert_rowid(), ?)", [at]);
    await run("COMMIT");
    // Give the event loop (and so SIGTERM) a turn between transactions.
    await new Promise((resolve) => setImmediate(resolve));
  }
  db.close(() => process.exit(0));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
