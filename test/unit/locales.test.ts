import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { loadMessages } from "../../src/web/i18n";

const nl = loadMessages("nl");
const en = loadMessages("en");

function keys(obj: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === "object" ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** A key as code uses it: itself, or its plural pair (i18next chooses by count). */
function exists(set: Set<string>, key: string): boolean {
  return set.has(key) || (set.has(`${key}_one`) && set.has(`${key}_other`));
}

function walk(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

describe("interface text", () => {
  const root = path.resolve(__dirname, "../..");
  const nlKeys = new Set(keys(nl));
  const enKeys = new Set(keys(en));

  it("Dutch and English have the same keys", () => {
    expect([...nlKeys].filter((k) => !enKeys.has(k)), "missing in en").to.deep.equal([]);
    expect([...enKeys].filter((k) => !nlKeys.has(k)), "missing in nl").to.deep.equal([]);
  });

  it("every literal key used in a template or in the code exists", () => {
    const used = new Set<string>();
    const sources = [...walk(path.join(root, "views"), ".hbs"), ...walk(path.join(root, "src"), ".ts")];
    const namespaces = Object.keys(nl).join("|");
    const pattern = new RegExp(`["'\`]((?:${namespaces})\\.[a-zA-Z][a-zA-Z0-9_.]*)["'\`]`, "g");
    for (const file of sources) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(pattern)) used.add(m[1]);
    }
    // "organisations.id" and "dagdeel.sid" are a column and the cookie name, not text; a key
    // ending in "." is the prefix of a (concat "attendance.run." direction).
    const missing = [...used].filter((k) => !exists(nlKeys, k) && !/\.(id|sid)$/.test(k) && !k.endsWith("."));
    expect(missing).to.deep.equal([]);
  });

  it("templates hard-code no Dutch or English words outside the locale files", () => {
    // Text nodes in templates should come from {{t ...}}; allow punctuation, numbers, names and "dagdeel".
    const offenders: string[] = [];
    for (const file of walk(path.join(root, "views"), ".hbs")) {
      const text = fs
        .readFileSync(file, "utf8")
        .replace(/\{\{[^}]*\}\}\}?/g, " ")
        .replace(/<[^>]+>/g, " ");
      for (const word of text.match(/[A-Za-zÀ-ÿ]{3,}/g) ?? []) {
        if (!["dagdeel", "AGB", "KvK", "Nederlands", "English"].includes(word)) offenders.push(`${path.basename(file)}: ${word}`);
      }
    }
    expect(offenders).to.deep.equal([]);
  });
});
