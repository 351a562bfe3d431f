import type { Knex } from "knex";

// Contract use at region scale (issue 11.3): what attendance is billable, and for whom, counted
// per month in tables the use pages sum instead of reading millions of attendance rows.
//
// use_client_tallies  per client and month: the attributed billable quantities, as the one
//                     attribute() function and the billing rules say (src/use/).
// use_tallies         the same summed over clients and locations, per provider × purchaser: what
//                     the overviews read. Kept equal to the sum of the client rows by adding the
//                     difference whenever a client's rows are counted again.
// use_dirty           what must be counted again: a client, or a schedule, product, contract or
//                     location whose clients must be. Database triggers write it in the same
//                     transaction as any change to attendance, schedules, slots or allocations,
//                     whatever code path or import made it. The triggers are created (and, should
//                     a table be rebuilt without them, created again with a full recount) by
//                     src/use/triggers.ts, which is why this migration holds only the tables.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("use_dirty", (t) => {
    t.string("source", 10).notNullable();
    t.integer("source_id").notNullable();
    // Raised by every change, so a recount only clears what it counted.
    t.integer("version").notNullable().defaultTo(1);
    t.primary(["source", "source_id"]);
  });

  const tallyColumns = (t: Knex.CreateTableBuilder) => {
    t.integer("provider_id").notNullable();
    t.integer("purchaser_id").notNullable();
    // toewijzing: a dagdeel under an allocation; subsidie: under a subsidy; rit: rides of a day.
    t.string("kind", 12).notNullable();
    // The contract the schedule names (0: none); resolved against the pair's contracts per month when read.
    t.integer("named_contract_id").notNullable().defaultTo(0);
    // An extra visit outside any schedule prefers the pair's first contract instead.
    t.boolean("via_schedule").notNullable().defaultTo(true);
    t.integer("product_id").notNullable();
    t.string("status", 20).notNullable();
    t.string("month", 7).notNullable();
    t.integer("units").notNullable();
  };
  await knex.schema.createTable("use_client_tallies", (t) => {
    t.increments("id");
    t.integer("client_id").notNullable();
    // Where the dagdelen were delivered (spending per village of the facility).
    t.integer("location_id").notNullable();
    tallyColumns(t);
    // The latest date counted: realised use stops at today.
    t.string("last_date", 10).notNullable();
    t.index(["client_id"]);
    t.index(["purchaser_id", "month"]);
  });
  await knex.schema.createTable("use_tallies", (t) => {
    t.increments("id");
    tallyColumns(t);
    t.unique(["provider_id", "purchaser_id", "kind", "named_contract_id", "via_schedule", "product_id", "status", "month"]);
    t.index(["purchaser_id", "provider_id", "month"]);
  });
}

/** The triggers src/use/triggers.ts creates, by table: they write into use_dirty, so they go first. */
const TRIGGERS: [string, string[]][] = [
  ["attendance", ["insert", "update", "delete"]],
  ["schedules", ["insert", "update", "delete"]],
  ["allocations", ["insert", "update", "delete"]],
  ["schedule_slots", ["insert", "update", "delete"]],
  ["products", ["unit"]],
  ["contracts", ["parties"]],
  ["locations", ["provider"]],
];

export async function down(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === "pg";
  for (const [table, events] of TRIGGERS) {
    for (const event of events) {
      const name = `use_dirty_${table}_${event}`;
      if (pg) {
        await knex.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
        await knex.raw(`DROP FUNCTION IF EXISTS ${name}()`);
      } else await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
    }
  }
  await knex.schema.dropTableIfExists("use_tallies");
  await knex.schema.dropTableIfExists("use_client_tallies");
  await knex.schema.dropTableIfExists("use_dirty");
}
