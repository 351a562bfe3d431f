// The bench's region database: built once per seed, scale, "today" and version of the seed
// code, then kept — a SQLite file under data/bench/ (git-ignored), or a PostgreSQL database
// named <prefix>_<key> on the bench's server (region_bench_<key> unless --pg-prefix says another
// prefix, as on a shared server). A build goes to a temporary name and is renamed when
// complete, so a broken build is never taken for a cache. Opening a kept one runs the
// migrations, so indexes and tables added since the build are there.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import knex, { type Knex } from "knex";
import { seedRegion, type RegionOptions } from "../../seeds/region";
import { refreshUse } from "../../src/use/refresh";
import { createDb, optimizeDatabase } from "../../src/db/knex";

export type BenchDatabase = { kind: "sqlite" | "postgres"; url: string; label: string; builtSeconds: number | null };

const ROOT = path.resolve(__dirname, "../..");
const CACHE_DIR = path.join(ROOT, "data/bench");

/** What the data depends on: the options and the source of the seed code (not the app's). */
export function cacheKey(options: RegionOptions): string {
  const hash = createHash("sha256");
  const dirs = [path.join(ROOT, "seeds/region"), path.join(ROOT, "seeds")];
  for (const dir of dirs) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) hash.update(fs.readFileSync(path.join(dir, file)));
  }
  return `${optionsPart(options)}_${hash.digest("hex").slice(0, 8)}`;
}

/** The options part of a key: a kept database with these options but other seed code is stale. */
function optionsPart(options: RegionOptions): string {
  return `s${options.seed}_x${String(options.scale).replace(".", "p")}_${options.today.replaceAll("-", "")}`;
}

async function build(url: string, options: RegionOptions, log: (line: string) => void): Promise<number> {
  const db = createDb(url);
  try {
    await db.migrate.latest();
    const summary = await seedRegion(db, options, (line) => log(`    ${line}`));
    return summary.seconds;
  } finally {
    await db.destroy();
  }
}

export async function sqliteRegion(options: RegionOptions, rebuild: boolean, log: (line: string) => void): Promise<BenchDatabase> {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const key = cacheKey(options);
  const file = path.join(CACHE_DIR, `region-${key}.sqlite`);
  if (rebuild) fs.rmSync(file, { force: true });
  let builtSeconds: number | null = null;
  if (!fs.existsSync(file)) {
    // A full region takes 0.7 GB: the same options built by older seed code go.
    for (const old of fs.readdirSync(CACHE_DIR).filter((f) => f.startsWith(`region-${optionsPart(options)}_`))) fs.rmSync(path.join(CACHE_DIR, old), { force: true });
    const building = `${file}.building`;
    log(`  building the region on SQLite (${key}) …`);
    builtSeconds = await build(`sqlite:${building}`, options, log);
    fs.renameSync(building, file);
  }
  await migrate(`sqlite:${file}`);
  return { kind: "sqlite", url: `sqlite:${file}`, label: path.relative(ROOT, file), builtSeconds };
}

export async function postgresRegion(server: string, options: RegionOptions, rebuild: boolean, log: (line: string) => void, prefix = "region_bench"): Promise<BenchDatabase> {
  const key = cacheKey(options);
  const name = `${prefix}_${key}`;
  const admin = knex({ client: "pg", connection: server, pool: { min: 0, max: 1 } });
  const urlOf = (db: string) => {
    const u = new URL(server);
    u.pathname = `/${db}`;
    return u.toString();
  };
  let builtSeconds: number | null = null;
  try {
    const existing: string[] = (await admin("pg_database").where("datname", "like", `${prefix}_${optionsPart(options)}_%`).select("datname")).map((r: { datname: string }) => r.datname);
    // Identifiers cannot be bound: these names are built from the key's letters and digits only.
    if (rebuild && existing.includes(name)) await admin.raw(`drop database ${name} with (force)`);
    if (rebuild || !existing.includes(name)) {
      for (const old of existing.filter((d) => d !== name)) await admin.raw(`drop database ${old} with (force)`);
      const building = `${name}_tmp`;
      await admin.raw(`create database ${building}`);
      log(`  building the region on PostgreSQL (${key}) …`);
      builtSeconds = await build(urlOf(building), options, log);
      await admin.raw(`alter database ${building} rename to ${name}`);
    }
  } finally {
    await admin.destroy();
  }
  await migrate(urlOf(name));
  return { kind: "postgres", url: urlOf(name), label: `${new URL(server).host}/${name}`, builtSeconds };
}

async function migrate(url: string): Promise<void> {
  const db: Knex = createDb(url);
  try {
    await db.migrate.latest();
    // What the app's start-up does after migrating: the use tallies counted, planner statistics.
    await refreshUse(db);
    await optimizeDatabase(db);
  } finally {
    await db.destroy();
  }
}
