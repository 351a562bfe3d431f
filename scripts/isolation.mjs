// node scripts/isolation.mjs [glob …]: runs tests one at a time (mocha --grep of the test's
// full title, only its own file loaded), to find tests that pass only after another test has
// left its state behind. Running all ~700 alone would take the better part of an hour on two
// cores, so it samples: the first and the last test of every describe (the last one is where
// leftovers from the tests before it show), plus any test whose title is given with --also.
//   node scripts/isolation.mjs 'test/http/**/*.test.ts'
import { spawnSync } from "node:child_process";
import path from "node:path";

const args = process.argv.slice(2);
const also = [];
const globs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--also") also.push(args[++i]);
  else globs.push(args[i]);
}
if (globs.length === 0) globs.push("test/unit/**/*.test.ts", "test/http/**/*.test.ts");

const mocha = path.join("node_modules", ".bin", "mocha");
const base = ["--no-config", "--require", "tsx/cjs", "--extension", "ts", "--timeout", "60000", "--exit"];
const dry = spawnSync(mocha, [...base, "--dry-run", "--reporter", "json", ...globs], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const { tests } = JSON.parse(dry.stdout.slice(dry.stdout.indexOf("{")));

const groups = new Map();
for (const t of tests) {
  const parent = t.fullTitle.slice(0, t.fullTitle.length - t.title.length).trim();
  const key = `${t.file}\u0000${parent}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(t);
}
const picked = [];
for (const list of groups.values()) {
  picked.push(list[0]);
  if (list.length > 1) picked.push(list[list.length - 1]);
}
for (const t of tests) if (also.some((a) => t.fullTitle.includes(a)) && !picked.includes(t)) picked.push(t);

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const failed = [];
console.log(`${tests.length} tests in ${groups.size} describes; running ${picked.length} alone`);
picked.forEach((t, i) => {
  const run = spawnSync(mocha, [...base, "--reporter", "dot", "--grep", `^${escape(t.fullTitle)}$`, t.file], { encoding: "utf8", env: process.env });
  const ran = /(\d+) passing/.exec(run.stdout)?.[1] ?? "0";
  const skipped = /(\d+) pending/.exec(run.stdout)?.[1] ?? "0";
  // A test that skips itself (no PostgreSQL server named) is fine alone too.
  const ok = run.status === 0 && (ran === "1" || (ran === "0" && skipped === "1"));
  if (!ok) failed.push({ t, out: (run.stdout + run.stderr).slice(-3000) });
  console.log(`${ok ? "ok  " : "FAIL"} ${i + 1}/${picked.length} ${path.relative(process.cwd(), t.file)} :: ${t.fullTitle}`);
});
for (const f of failed) console.log(`\n--- ${f.t.fullTitle}\n${f.out}`);
console.log(`\nalone: ${picked.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
