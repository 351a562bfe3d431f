// npm test: type-check, every test on SQLite (unit, HTTP, browser), and — when TEST_POSTGRES_URL
// names a PostgreSQL server, as in CI — the HTTP suites once more on PostgreSQL. Ends with one
// line that CI reads: tests: N passed, N failed, N skipped.
//
// The suites copy their databases from templates (test/support/templates.ts): one migrated, one
// with the demo data. This run gets a fresh set of its own, built the first time a suite asks,
// and removes it at the end.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const bin = (name) => path.join("node_modules", ".bin", name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-counts-"));
const total = { passed: 0, failed: 0, skipped: 0 };
let broken = false;
const templateKey = `r${randomBytes(6).toString("hex")}`;

/** What a finished mocha run counted, from its count file; none (it stopped early) is a failure. */
function counted(label, status) {
  const countFile = path.join(dir, `${label}.json`);
  if (!fs.existsSync(countFile)) {
    // mocha stopped before its reporter finished: count it as a failure, never as a pass.
    total.failed += 1;
    broken = true;
    return;
  }
  const counts = JSON.parse(fs.readFileSync(countFile, "utf8"));
  for (const k of Object.keys(total)) total[k] += counts[k];
  if (status !== 0) broken = true;
}

const envOf = (label, env) => ({ ...process.env, ...env, COUNT_FILE: path.join(dir, `${label}.json`), TEST_TEMPLATE_KEY: templateKey });

function pass(label, args, env) {
  const { status } = spawnSync(bin("mocha"), args, { stdio: "inherit", env: envOf(label, env) });
  counted(label, status);
}

/**
 * A run beside the one in the foreground (two cores: the PostgreSQL pass waits on its server
 * much of the time), its output kept in a file and shown when it is done, so the two do not
 * interleave. Resolves with the exit status once it has been counted.
 */
function passBeside(label, args, env) {
  const log = path.join(dir, `${label}.log`);
  const out = fs.openSync(log, "w");
  const child = spawn(bin("mocha"), args, { stdio: ["ignore", out, out], env: envOf(label, env) });
  return new Promise((resolve) => {
    child.on("close", (status) => {
      fs.closeSync(out);
      process.stdout.write(fs.readFileSync(log, "utf8"));
      counted(label, status);
      resolve(status);
    });
  });
}

const typecheck = spawnSync(bin("tsc"), ["--noEmit"], { stdio: "inherit" });
if (typecheck.status !== 0) {
  console.log("tests: 0 passed, 1 failed, 0 skipped");
  process.exit(1);
}

// The HTTP suites on PostgreSQL (when a server is named, as in CI) run beside the SQLite run.
const postgres = process.env.TEST_POSTGRES_URL
  ? passBeside(
      "postgres",
      ["--no-config", "--require", "tsx/cjs", "--require", "./test/support/pg-one-query.cjs", "--extension", "ts", "--timeout", "60000", "--exit",
        "--reporter", "./test/support/count-reporter.cjs", "test/http/**/*.test.ts"],
      { TEST_APP_DATABASE: "postgres" },
    )
  : null;

pass("sqlite", [], {});

if (postgres) {
  console.log("\nThe HTTP suites again, each test app on a fresh PostgreSQL database (run beside the above):");
  await postgres;
}

fs.rmSync(dir, { recursive: true, force: true });
const cleanup = spawnSync(process.execPath, ["--import", "tsx", "test/support/templates-drop.ts", templateKey], { stdio: "inherit" });
if (cleanup.status !== 0) console.warn(`(the test templates ${templateKey} could not all be removed)`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(broken || total.failed > 0 ? 1 : 0);
