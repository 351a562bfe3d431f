import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Knex } from "knex";
import { createDb } from "../../src/db/knex";
import { buildWorld } from "../support/fixtures";
import { addClient, addSchedule } from "../support/clients-fixtures";

// Entries written before audit_log had a client_id get theirs from the entity or their details.
describe("migration: the audit log's client column is filled for older entries", () => {
  const MIGRATION = "20261206120200_audit_client.ts";
  let dir: string;
  let db: Knex;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-audit-migration-"));
    db = createDb(`sqlite:${path.join(dir, "m.sqlite")}`);
    await db.migrate.latest();
  });
  after(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("from the client, its schedule, and details that name the client", async () => {
    const w = await buildWorld(db);
    await db.migrate.down({ name: MIGRATION });
    expect(await db.schema.hasColumn("audit_log", "client_id")).to.equal(false);
    const anna = await addClient(db, { first_name: "Anna", last_name: "Oud" });
    const schedule = await addSchedule(db, { client_id: anna, location_id: w.locationA, funding: "eigen" }, [[1, "ochtend"]]);
    const at = "2026-11-01T08:00:00.000Z";
    const entry = (entity: string, entityId: number | null, details: unknown) => ({ user_id: w.users.coordinator.id, action: "x", entity, entity_id: entityId, details: details ? JSON.stringify(details) : null, created_at: at });
    await db("audit_log").insert([
      entry("client", anna, null),
      entry("schedule", schedule, { valid_until: "2026-12-31" }),
      entry("attendance", 77, { client_id: anna, date: "2026-11-02" }),
      entry("user", w.users.admin.id, { email: "x@test.example" }),
      entry("attendance", 78, "not json"),
    ]);
    await db.migrate.up({ name: MIGRATION });
    const rows = await db("audit_log").orderBy("id").select("entity", "client_id");
    expect(rows.map((r) => [r.entity, r.client_id])).to.deep.equal([
      ["client", anna],
      ["schedule", anna],
      ["attendance", anna],
      ["user", null],
      ["attendance", null],
    ]);
  });
});
