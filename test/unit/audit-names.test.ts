import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { loadMessages } from "../../src/web/i18n";
import { ACTION_RENAMES, ENTITY_RENAMES } from "../../db/migrations/20261206180100_audit_action_names";

// The audit log speaks one naming scheme (src/CONTEXT.md#audit-log): entities the singular of
// their table, actions snake_case verbs — in the code that writes them, in the texts of the
// audit page, and (by a data migration) in the entries written before.

const SNAKE = /^[a-z]+(_[a-z0-9]+)*$/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every string literal given to an `action:` or `entity:` key in src (form actions, which are paths, left out). */
function literals(key: "action" | "entity"): Map<string, string> {
  const found = new Map<string, string>();
  const pattern = new RegExp(`\\b${key}: ([^,}]+)`, "g");
  for (const file of sources(path.resolve(__dirname, "../../src"))) {
    for (const m of fs.readFileSync(file, "utf8").matchAll(pattern)) {
      // `x === "start" ? "send_wmo305" : …`: the compared value is not a name.
      const expression = m[1].replace(/[!=]==\s*"[^"]*"/g, "");
      for (const s of expression.matchAll(/"([^"]*)"/g)) if (!s[1].includes("/")) found.set(s[1], path.relative(process.cwd(), file));
    }
  }
  return found;
}

describe("audit log names", () => {
  const nl = loadMessages("nl") as Record<string, Record<string, string>>;
  const en = loadMessages("en") as Record<string, Record<string, string>>;

  it("every action the code writes is a snake_case verb with a text in both languages", () => {
    const actions = literals("action");
    expect(actions.size).to.be.greaterThan(30);
    for (const [action, file] of actions) {
      expect(action, file).to.match(SNAKE);
      expect(nl.auditActions[action], `nl text for ${action} (${file})`).to.be.a("string");
      expect(en.auditActions[action], `en text for ${action} (${file})`).to.be.a("string");
    }
  });

  it("every entity the code writes is snake_case with a name in both languages", () => {
    for (const [entity, file] of literals("entity")) {
      expect(entity, file).to.match(SNAKE);
      expect(nl.auditEntities[entity], `nl name for ${entity} (${file})`).to.be.a("string");
      expect(en.auditEntities[entity], `en name for ${entity} (${file})`).to.be.a("string");
    }
  });

  it("the migration's new names follow the scheme and name one old action each, so its down is exact", () => {
    const seen = new Set<string>();
    for (const [entity, , renamed] of ACTION_RENAMES) {
      expect(renamed).to.match(SNAKE);
      expect(nl.auditActions[renamed], renamed).to.be.a("string");
      expect(seen.has(`${entity}|${renamed}`), `${entity} ${renamed} twice`).to.equal(false);
      seen.add(`${entity}|${renamed}`);
    }
    for (const [, renamed] of ENTITY_RENAMES) expect(renamed).to.match(SNAKE);
  });
});

describe("migration: audit action names", () => {
  const MIGRATION = "20261206180100_audit_action_names.ts";
  let dir: string;
  let db: Knex;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-audit-names-"));
    db = createDb(`sqlite:${path.join(dir, "m.sqlite")}`);
    await db.migrate.latest();
  });
  after(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("renames the old entities and actions already stored, leaves the rest, and its down puts them back", async () => {
    await db.migrate.down({ name: MIGRATION });
    const at = "2026-11-01T08:00:00.000Z";
    const entry = (entity: string, action: string) => ({ user_id: null, action, entity, entity_id: 1, details: null, created_at: at });
    const old = [
      entry("declaration", "submitDeclaration"),
      entry("declaration", "exportDeclaration"),
      entry("contractLine", "deleteContractLine"),
      entry("contractLine", "create"),
      entry("apiToken", "revokeApiToken"),
      entry("closure", "closure_add"),
      entry("attendance", "bulk"),
      entry("attendance", "record"),
      entry("schedule", "cancel_schedule"),
      entry("user", "login"),
      entry("village", "create"),
    ];
    await db("audit_log").insert(old);
    const rows = () => db("audit_log").orderBy("id").select("entity", "action").then((r) => r.map((x) => `${x.entity} ${x.action}`));

    await db.migrate.up({ name: MIGRATION });
    expect(await rows()).to.deep.equal([
      "declaration submit",
      "declaration download",
      "contract_line delete",
      "contract_line create",
      "api_token revoke",
      "closure create",
      "attendance record_everyone_present",
      "attendance record",
      "schedule cancel",
      "user login",
      "village create",
    ]);

    await db.migrate.down({ name: MIGRATION });
    expect(await rows()).to.deep.equal(old.map((o) => `${o.entity} ${o.action}`));
    await db.migrate.up({ name: MIGRATION });
  });
});
