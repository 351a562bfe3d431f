// npm run build [-- <outDir>]: compiles the app to plain JavaScript (default dist/) and copies
// beside it everything it reads at run time, so that `NODE_ENV=production node dist/server.js`
// runs without TypeScript, tsx or the sources.
//
//   dist/server.js            the entry point (loads dist/src/server.js)
//   dist/src, dist/db, dist/seeds   compiled from src/, db/ (the migrations) and seeds/
//   dist/views                the handlebars templates
//   dist/src/web/public       CSS and the little JavaScript the pages load
//   dist/src/web/locales      the interface text
//   dist/src/iwmo/xsd, *.tsv  the iWmo schemas and code lists
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.resolve(root, process.argv[2] ?? "dist");

fs.rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", path.join(root, "tsconfig.build.json"), "--outDir", out], { stdio: "inherit", cwd: root });
if (tsc.status !== 0) {
  console.error("build: the TypeScript compiler failed");
  process.exit(tsc.status ?? 1);
}

const copy = (from, to = from, filter = () => true) =>
  fs.cpSync(path.join(root, from), path.join(out, to), { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || filter(src) });
copy("views");
copy("src/web/public");
copy("src/web/locales", "src/web/locales", (f) => f.endsWith(".json"));
copy("src/iwmo", "src/iwmo", (f) => /\.(xsd|tsv)$/.test(f));

fs.writeFileSync(path.join(out, "server.js"), `"use strict";\n// Built by npm run build: start with NODE_ENV=production node ${path.relative(root, out)}/server.js\nrequire("./src/server.js");\n`);
console.log(`build: ${path.relative(root, out) || "."}/server.js is ready`);
