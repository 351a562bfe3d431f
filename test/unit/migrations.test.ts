import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { buildWorld } from "../support/fixtures";

describe("migrations", () => {
  let dir: string;
  let db: Knex;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-migrations-"));
    db = createDb(`sqlite:${path.join(dir, "m.sqlite")}`);
    // Migrated here, not by the first test, so each test also passes when run alone.
    await db.migrate.latest();
  });
  after(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const TABLES = [
    "organisations", "villages", "locations", "capacity_rules", "closures", "products", "contracts", "contract_lines",
    "clients", "allocations", "schedules", "schedule_slots", "waitlist_entries", "waitlist_slots", "attendance",
    "declarations", "declaration_lines", "users", "sessions", "calendar_feeds", "audit_log",
  ];

  it("create every table of the model, and the last batch rolls back and forward again", async () => {
    await db.migrate.latest();
    for (const t of TABLES) expect(await db.schema.hasTable(t), t).to.equal(true);
    await db.migrate.rollback();
    for (const t of TABLES) expect(await db.schema.hasTable(t), t).to.equal(false);
    await db.migrate.latest();
    for (const t of TABLES) expect(await db.schema.hasTable(t), t).to.equal(true);
  });

  it("protect the rules with constraints", async () => {
    const w = await buildWorld(db);
    const at = "2026-11-01T00:00:00.000Z";
    const stamps = { created_at: at, updated_at: at };
    // one capacity rule per location, weekday, dagdeel and start date
    const rule = { location_id: w.locationA, weekday: 2, dagdeel: "ochtend", places: 8, valid_from: "2026-01-01", ...stamps };
    await db("capacity_rules").insert(rule);
    await expectRejected(db("capacity_rules").insert(rule));
    // weekday 1–7, places not negative, dagdeel ochtend/middag
    await expectRejected(db("capacity_rules").insert({ ...rule, weekday: 8, valid_from: "2026-02-01" }));
    await expectRejected(db("capacity_rules").insert({ ...rule, places: -1, valid_from: "2026-03-01" }));
    await expectRejected(db("capacity_rules").insert({ ...rule, dagdeel: "avond", valid_from: "2026-04-01" }));
    // one attendance row per client, date and dagdeel
    const [c] = await db("clients").insert({ first_name: "Jan", last_name: "Janssen", ...stamps }).returning("id");
    const clientId = typeof c === "object" ? c.id : c;
    const row = { client_id: clientId, location_id: w.locationA, date: "2026-11-02", dagdeel: "ochtend", status: "aanwezig", recorded_at: at, ...stamps };
    await db("attendance").insert(row);
    await expectRejected(db("attendance").insert({ ...row, location_id: w.locationB }));
    await expectRejected(db("attendance").insert({ ...row, dagdeel: "middag", status: "weg" }));
    // foreign keys are enforced
    await expectRejected(db("locations").insert({ provider_id: 99999, name: "X", street: "Y", postcode: "1234 AB", village_id: w.village, ...stamps }));
    // BSN unique, but many clients may have none
    await db("clients").insert({ first_name: "A", last_name: "Zonder", ...stamps });
    await db("clients").insert({ first_name: "B", last_name: "Zonder", ...stamps });
    await db("clients").insert({ first_name: "C", last_name: "Met", bsn: "999990019", ...stamps });
    await expectRejected(db("clients").insert({ first_name: "D", last_name: "Met", bsn: "999990019", ...stamps }));
  });
});

async function expectRejected(query: Promise<unknown>): Promise<void> {
  let failed = false;
  try {
    await query;
  } catch {
    failed = true;
  }
  expect(failed, "the database accepted a row it should refuse").to.equal(true);
}
