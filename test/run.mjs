// npm test: type-check, every test on SQLite (unit, HTTP, browser), and — when TEST_POSTGRES_URL
// names a PostgreSQL server, as in CI — the HTTP suites once more on PostgreSQL. Ends with one
// line that CI reads: tests: N passed, N failed, N skipped.
//
// The suites copy their databases from templates (test/support/templates.ts): one migrated, one
// with the demo data. This run gets a fresh set of its own, built the first time a suite asks,
// and removes it at the end.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const bin = (name) => path.join("node_modules", ".bin", name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-counts-"));
const total = { passed: 0, failed: 0, skipped: 0 };
let broken = false;
const templateKey = `r${randomBytes(6).toString("hex")}`;

function pass(label, args, env) {
  const countFile = path.join(dir, `${label}.json`);
  const { status } = spawnSync(bin("mocha"), args, { stdio: "inherit", env: { ...process.env, ...env, COUNT_FILE: countFile, TEST_TEMPLATE_KEY: templateKey } });
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

const typecheck = spawnSync(bin("tsc"), ["--noEmit"], { stdio: "inherit" });
if (typecheck.status !== 0) {
  console.log("tests: 0 passed, 1 failed, 0 skipped");
  process.exit(1);
}

pass("sqlite", [], {});

if (process.env.TEST_POSTGRES_URL) {
  console.log("\nThe HTTP suites again, each test app on a fresh PostgreSQL database:");
  pass(
    "postgres",
    ["--no-config", "--require", "tsx/cjs", "--require", "./test/support/pg-one-query.cjs", "--extension", "ts", "--timeout", "60000", "--exit",
      "--reporter", "./test/support/count-reporter.cjs", "test/http/**/*.test.ts"],
    { TEST_APP_DATABASE: "postgres" },
  );
}

fs.rmSync(dir, { recursive: true, force: true });
const cleanup = spawnSync(process.execPath, ["--import", "tsx", "test/support/templates-drop.ts", templateKey], { stdio: "inherit" });
if (cleanup.status !== 0) console.warn(`(the test templates ${templateKey} could not all be removed)`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(broken || total.failed > 0 ? 1 : 0);
