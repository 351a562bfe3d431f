import type { Knex } from "knex";

// How a waiting client would be paid for: "toewijzing" (an allocation with the location's
// provider, the usual case) or subsidie / pgb / eigen, as the coordinator notes it. "Past nu"
// offers a client only where that funding would let the booking through, so the entry says it.
// The list is read by need (priority, then waiting time): an index in that order per status.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("waitlist_entries", (t) => {
    t.string("funding", 20).notNullable().defaultTo("toewijzing");
    t.index(["status", "priority", "since", "id"], "waitlist_entries_by_need");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("waitlist_entries", (t) => {
    t.dropIndex(["status", "priority", "since", "id"], "waitlist_entries_by_need");
  });
  // A plain DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): knex's SQLite table rebuild trips over the foreign keys.
  await knex.raw("ALTER TABLE waitlist_entries DROP COLUMN funding");
}
