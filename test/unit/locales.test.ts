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

/** key → text, for every leaf. */
function flat(obj: Record<string, unknown>, prefix = ""): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj).flatMap(([k, v]) => (v && typeof v === "object" ? Object.entries(flat(v as Record<string, unknown>, `${prefix}${k}.`)) : [[`${prefix}${k}`, String(v)]])),
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

  // i18next picks "key_one" or "key_other" by the count it is given ("1 dagdeel", "2 dagdelen");
  // Dutch and English both have exactly these two forms.
  it("plural keys come as a pair (_one and _other) in both languages, never beside a plain key", () => {
    for (const [lang, set] of [["nl", nlKeys], ["en", enKeys]] as const) {
      const problems: string[] = [];
      for (const k of set) {
        const m = /^(.*)_(one|other|zero|two|few|many)$/.exec(k);
        if (!m) continue;
        if (m[2] !== "one" && m[2] !== "other") problems.push(`${k}: ${lang} has only _one and _other`);
        if (!set.has(`${m[1]}_one`) || !set.has(`${m[1]}_other`)) problems.push(`${m[1]}: _one and _other both`);
        if (set.has(m[1])) problems.push(`${m[1]}: a plain key beside its plural forms`);
      }
      expect(problems, lang).to.deep.equal([]);
    }
  });

  it("every text with {{count}} is a plural key, and every plural's _one form says the count in the singular", () => {
    const nlFlat = flat(nl);
    const enFlat = flat(en);
    for (const [lang, values] of [["nl", nlFlat], ["en", enFlat]] as const) {
      const notPlural = Object.keys(values).filter((k) => values[k].includes("{{count}}") && !/_(one|other)$/.test(k));
      expect(notPlural, `${lang}: {{count}} outside a plural key`).to.deep.equal([]);
    }
    // The singular of the nouns counted in this app must not appear in an _other text, nor the plural in an _one text.
    const NOUNS: Record<"nl" | "en", [string, string][]> = {
      nl: [["dagdeel", "dagdelen"], ["cliënt", "cliënten"], ["plaats", "plaatsen"], ["week", "weken"], ["dag", "dagen"], ["rit", "ritten"], ["locatie", "locaties"], ["toewijzing", "toewijzingen"], ["regel", "regels"], ["rooster", "roosters"]],
      en: [["dagdeel", "dagdelen"], ["client", "clients"], ["place", "places"], ["week", "weeks"], ["day", "days"], ["ride", "rides"], ["location", "locations"], ["allocation", "allocations"], ["line", "lines"], ["schedule", "schedules"]],
    };
    for (const [lang, values] of [["nl", nlFlat], ["en", enFlat]] as const) {
      const wrong: string[] = [];
      for (const [k, v] of Object.entries(values)) {
        for (const [one, many] of NOUNS[lang]) {
          if (k.endsWith("_one") && new RegExp(`\\{\\{count\\}\\} ${many}\\b`, "i").test(v)) wrong.push(`${k}: "${v}"`);
          if (k.endsWith("_other") && new RegExp(`\\{\\{count\\}\\} ${one}\\b(?!-)`, "i").test(v)) wrong.push(`${k}: "${v}"`);
        }
      }
      expect(wrong, lang).to.deep.equal([]);
    }
  });

  it("a key given a count in a template or in the code is a plural key", () => {
    const sources = [...walk(path.join(root, "views"), ".hbs"), ...walk(path.join(root, "src"), ".ts")];
    const namespaces = Object.keys(nl).join("|");
    // {{t "key" count=…}} in a template; "key", { count: … } (t(), flash()) in the code.
    const patterns = [
      new RegExp(`[{(]t ["']((?:${namespaces})\\.[\\w.]+)["'][^}()]*\\bcount=`, "g"),
      new RegExp(`["']((?:${namespaces})\\.[\\w.]+)["'],\\s*\\{[^}]*\\bcount\\b`, "g"),
    ];
    const notPlural: string[] = [];
    for (const file of sources) {
      const text = fs.readFileSync(file, "utf8");
      for (const pattern of patterns) {
        for (const m of text.matchAll(pattern)) {
          if (!m[1].endsWith(".") && !(nlKeys.has(`${m[1]}_one`) && enKeys.has(`${m[1]}_one`))) notPlural.push(`${path.relative(root, file)}: ${m[1]}`);
        }
      }
    }
    expect(notPlural).to.deep.equal([]);
  });

  it("a figure on a card is followed by its noun in the right number (the label gets the count)", () => {
    // <span class="figure">{{n}}</span> {{t "home.waiting"}}: "1 toewijzingen" unless the label is told n.
    const unCounted: string[] = [];
    for (const file of walk(path.join(root, "views"), ".hbs")) {
      const text = fs.readFileSync(file, "utf8");
      // The label right after a figure that is a number (an amount of money is no count).
      for (const m of text.matchAll(/<span class="figure">\{\{([^}]+)\}\}<\/span>\s*(?:<a [^>]*>)?(?:\{\{#if [^}]+\}\}<a [^>]*>)?\{\{t ([^}]+)\}\}/g)) {
        if (m[1].startsWith("money ") || m[1].startsWith("#")) continue;
        // "op de wachtlijst" has no noun to agree with the number.
        if (!/\bcount=/.test(m[2]) && m[2].trim() !== '"home.waiting"') unCounted.push(`${path.basename(file)}: ${m[1]} ${m[2]}`);
      }
    }
    expect(unCounted).to.deep.equal([]);
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
