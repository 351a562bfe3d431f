import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knex, { type Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { seedDemo, type SeedSummary } from "../../seeds/demo";

// Migrating, and above all loading the demo data, costs seconds; copying a database that has it
// costs milliseconds. So each kind of start is built once — a database with every migration run
// ("migrated"), and one with the demo data on top ("demo") — and every suite gets its own copy:
// a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL. A template is built on demand
// when absent, so a test run alone (mocha --grep) needs nothing set up before it.
//
// Templates are named by a key: TEST_TEMPLATE_KEY when test/run.mjs sets it (one fresh set per
// `npm test`, shared by its passes and removed at its end), otherwise a key of this process, whose
// templates go when it exits (mocha run alone on one file, npm run test:unit, the bench). Names
// carry the key, so runs of other engineers on the same PostgreSQL server never meet. What a
// killed run left behind is removed by the next build once it is hours old (no run lasts that).

/** The day the demo data is loaded for, in every test that reads it. */
export const DEMO_TODAY = "2026-11-23";
/** The clock the demo data is written with (its created_at stamps). */
export const DEMO_CLOCK = `${DEMO_TODAY}T10:00:00`;

export type TemplateKind = "migrated" | "demo";

// The SQLite templates of a key: a folder of its own in the temp directory.
const SQLITE_DIR_PREFIX = "dagdeel-templates-";
const sqliteDir = (key: string) => path.join(os.tmpdir(), `${SQLITE_DIR_PREFIX}${checked(key)}`);
const PREFIX = "dagdeel_tpl_";
const STALE_MS = 6 * 60 * 60 * 1000;
const DROP_SCRIPT = path.join(__dirname, "templates-drop.ts");

// A key goes into database names, which cannot be bound: letters and digits only.
function checked(key: string): string {
  if (!/^[a-z0-9]{1,24}$/.test(key)) throw new Error(`a template key is 1-24 lower-case letters or digits, got ${key}`);
  return key;
}

let processKey: string | undefined;
/** The templates' key: the run's, or one of this process (removed when it exits). */
export function templateKey(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEST_TEMPLATE_KEY !== undefined) return checked(env.TEST_TEMPLATE_KEY);
  if (processKey === undefined) {
    const key = `p${process.pid}${randomBytes(3).toString("hex")}`;
    processKey = key;
    process.once("exit", () => dropOwnTemplates(key));
  }
  return processKey;
}

// One build per process and template, however many suites ask at once.
const building = new Map<string, Promise<void>>();
function once(name: string, build: () => Promise<void>): Promise<void> {
  let p = building.get(name);
  if (!p) {
    p = build();
    building.set(name, p);
    p.catch(() => building.delete(name));
  }
  return p;
}

// --- SQLite: template files in the temp directory ----------------------------------------------

function sqliteTemplateFile(kind: TemplateKind): string {
  return path.join(sqliteDir(templateKey()), `${kind}.sqlite`);
}

function pruneSqlite(keep: string): void {
  for (const entry of fs.readdirSync(os.tmpdir()).filter((e) => e.startsWith(SQLITE_DIR_PREFIX))) {
    const dir = path.join(os.tmpdir(), entry);
    if (dir !== sqliteDir(keep) && Date.now() - fs.statSync(dir).mtimeMs > STALE_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function ensureSqlite(kind: TemplateKind): Promise<string> {
  const file = sqliteTemplateFile(kind);
  if (fs.existsSync(file)) return file;
  await once(`sqlite:${file}`, async () => {
    if (kind === "demo") await ensureSqlite("migrated");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    pruneSqlite(templateKey());
    // Built under a name of its own and renamed when complete: another process never copies
    // half a template, and two building at once both end with a whole one.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.partial`;
    try {
      if (kind === "demo") fs.copyFileSync(sqliteTemplateFile("migrated"), partial);
      const db = createDb(`sqlite:${partial}`);
      try {
        if (kind === "migrated") await db.migrate.latest();
        else writeSummary(file, await seedDemoTemplate(db));
      } finally {
        await db.destroy();
      }
      fs.renameSync(partial, file);
    } finally {
      fs.rmSync(partial, { force: true });
    }
  });
  return file;
}

function seedDemoTemplate(db: Knex): Promise<SeedSummary> {
  return seedDemo(db, { today: DEMO_TODAY, clock: fixedClock(DEMO_CLOCK) });
}

function writeSummary(templateFile: string, summary: SeedSummary): void {
  fs.writeFileSync(`${templateFile}.json`, JSON.stringify(summary));
}

/** A new SQLite file with the template's contents. */
export async function copySqliteTemplate(kind: TemplateKind, target: string): Promise<void> {
  fs.copyFileSync(await ensureSqlite(kind), target);
}

/** What seedDemo wrote into the demo template (built first when absent). */
export async function demoTemplateSummary(): Promise<SeedSummary> {
  const file = await ensureSqlite("demo");
  return JSON.parse(fs.readFileSync(`${file}.json`, "utf8")) as SeedSummary;
}

// --- PostgreSQL: template databases on the test server -----------------------------------------

function postgresTemplateName(kind: TemplateKind, key = templateKey()): string {
  return `${PREFIX}${checked(key)}_${kind}`;
}

// One connection, kept open (min 1): the advisory lock below lives as long as its session.
export function serverConnection(server: string): Knex {
  return knex({ client: "pg", connection: server, pool: { min: 1, max: 1 } });
}

/** The address of another database on the same server. */
export function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function exists(admin: Knex, name: string): Promise<boolean> {
  const row = await admin("pg_database").where({ datname: name }).first("datname");
  return row !== undefined;
}

// Identifiers cannot be bound: every database name here is built from the fixed prefix, the
// template kind and a key checked to be letters and digits (templateKey), or digits only.
async function dropDatabase(admin: Knex, name: string): Promise<void> {
  if (await exists(admin, name)) {
    await admin.raw(`alter database ${name} with is_template false`);
    await admin.raw(`drop database if exists ${name} with (force)`);
  }
}

async function prunePostgres(admin: Knex, keep: string): Promise<void> {
  const rows: { datname: string; built: string | null }[] = (
    await admin.raw("select datname, shobj_description(oid, 'pg_database') as built from pg_database where datname like ?", [`${PREFIX}%`])
  ).rows;
  for (const { datname, built } of rows) {
    // Without its stamp a database is being made this moment (the stamp follows its creation).
    const at = built ? Date.parse(built) : NaN;
    if (!datname.startsWith(`${PREFIX}${keep}_`) && Date.now() - at > STALE_MS) await dropDatabase(admin, datname);
  }
}

async function ensurePostgres(server: string, kind: TemplateKind): Promise<string> {
  const name = postgresTemplateName(kind);
  await once(`postgres:${server}:${name}`, async () => {
    if (kind === "demo") await ensurePostgres(server, "migrated");
    const admin = serverConnection(server);
    try {
      // One builder per template across processes: the others wait here, then find it built.
      await admin.raw("select pg_advisory_lock(hashtext(?))", [name]);
      builtOn.add(server);
      if (await exists(admin, name)) return;
      await prunePostgres(admin, templateKey());
      const partial = `${name}_partial`;
      await dropDatabase(admin, partial);
      await admin.raw(kind === "demo" ? `create database ${partial} template ${postgresTemplateName("migrated")}` : `create database ${partial}`);
      // When it was built, for prunePostgres: a comment takes no bound value; an ISO timestamp
      // is digits and punctuation only.
      await admin.raw(`comment on database ${partial} is '${new Date().toISOString()}'`);
      const db = createDb(databaseUrl(server, partial));
      try {
        if (kind === "migrated") await db.migrate.latest();
        else await seedDemoTemplate(db);
      } finally {
        await db.destroy();
      }
      await admin.raw(`alter database ${partial} rename to ${name}`);
      // A template nobody connects to: copies never wait for a session on it.
      await admin.raw(`alter database ${name} with is_template true allow_connections false`);
    } finally {
      await admin.destroy(); // and with the session, the lock
    }
  });
  return name;
}

/** CREATE DATABASE target TEMPLATE <the template of this kind> (built first when absent). */
export async function copyPostgresTemplate(admin: Knex, server: string, kind: TemplateKind, target: string): Promise<void> {
  const template = await ensurePostgres(server, kind);
  await admin.raw(`create database ${target} template ${template}`);
}

// The PostgreSQL servers this process built templates on, for dropOwnTemplates.
const builtOn = new Set<string>();

// At the exit of a process with a key of its own. An exit handler cannot wait for a promise, so
// the databases are dropped by a child process it waits for (the same script npm test runs).
function dropOwnTemplates(key: string): void {
  fs.rmSync(sqliteDir(key), { recursive: true, force: true });
  for (const server of builtOn) {
    const done = spawnSync(process.execPath, ["--import", "tsx", DROP_SCRIPT, key], { cwd: path.resolve(__dirname, "../.."), env: { ...process.env, TEST_POSTGRES_URL: server }, stdio: "inherit" });
    if (done.status !== 0) console.warn(`(the test templates ${key} on PostgreSQL could not all be removed)`);
  }
}

/** Removes every template of a key (test/run.mjs at the end of `npm test`). */
export async function dropTemplates(key: string, server: string | undefined): Promise<void> {
  fs.rmSync(sqliteDir(key), { recursive: true, force: true });
  if (!server) return;
  const admin = serverConnection(server);
  try {
    for (const kind of ["demo", "migrated"] as const) {
      await dropDatabase(admin, postgresTemplateName(kind, key));
      await dropDatabase(admin, `${postgresTemplateName(kind, key)}_partial`);
    }
  } finally {
    await admin.destroy();
  }
}
