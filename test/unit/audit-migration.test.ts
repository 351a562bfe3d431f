import { expect } from "chai";
import type { Knex } from "knex";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";
import { buildWorld } from "../support/fixtures";
import { addClient, addSchedule } from "../support/clients-fixtures";

// Entries written before audit_log had a client_id get theirs from the entity or their details.
describe("migration: the audit log's client column is filled for older entries", () => {
  const MIGRATION = "20261206120200_audit_client.ts";
  let migrated: OpenTestDatabase;
  let db: Knex;
  before(async () => {
    migrated = await openTestDatabase("sqlite", "migrated");
    db = migrated.db;
  });
  after(async () => migrated?.close());

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
