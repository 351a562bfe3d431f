import type { Knex } from "knex";
import { dropColumns } from "../../src/db/migration-helpers";

// The audit log by client: which client an entry is about (the client itself, or its
// schedule, allocation, waiting-list entry, attendance or calendar feed), so the admin can
// filter on it with an index rather than by reading every entry's details. Also indexes for
// the other filters (user, entity) in the order the page reads: newest first.

const BY_ENTITY_TABLE: Record<string, string> = { schedule: "schedules", allocation: "allocations", waitlist_entry: "waitlist_entries" };

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("audit_log", (t) => {
    t.integer("client_id").nullable();
    t.index(["client_id", "id"]);
    t.index(["user_id", "id"]);
    t.index(["entity", "id"]);
  });

  // Entries written before this migration: from the entity, or from the details they carry.
  await knex("audit_log").where({ entity: "client" }).update({ client_id: knex.ref("entity_id") });
  for (const [entity, table] of Object.entries(BY_ENTITY_TABLE)) {
    await knex("audit_log")
      .where({ entity })
      .update({ client_id: knex(table).select("client_id").where("id", knex.ref("audit_log.entity_id")) });
  }
  let after = 0;
  for (;;) {
    const rows: { id: number; details: string }[] = await knex("audit_log")
      .select("id", "details")
      .whereNull("client_id")
      .where("details", "like", '%"client_id":%')
      .where("id", ">", after)
      .orderBy("id")
      .limit(1000);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    for (const row of rows) {
      const clientId = clientIdIn(row.details);
      if (clientId !== null) await knex("audit_log").where({ id: row.id }).update({ client_id: clientId });
    }
  }
}

function clientIdIn(details: string): number | null {
  try {
    const value = (JSON.parse(details) as { client_id?: unknown }).client_id;
    return typeof value === "number" && Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("audit_log", (t) => {
    t.dropIndex(["entity", "id"]);
    t.dropIndex(["user_id", "id"]);
    t.dropIndex(["client_id", "id"]);
  });
  await dropColumns(knex, "audit_log", ["client_id"]);
}
