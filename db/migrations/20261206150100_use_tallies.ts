import type { Knex } from "knex";

// Contract use at region scale (issue 11.3): what attendance is billable, and for whom, counted
// per month in tables the use pages sum instead of reading millions of attendance rows.
//
// use_client_tallies  per client and month: the attributed billable quantities, as the one
//                     attribute() function and the billing rules say (src/use/tallies.ts).
// use_tallies         the same summed over clients and locations, per provider × purchaser: what the
//                     overviews read. Kept equal to the sum of the client rows by adding the
//                     difference whenever a client's rows are counted again.
// use_dirty           clients whose rows must be counted again. Database triggers put a client
//                     here in the same transaction as any change to its attendance, schedules
//                     (and their slots) or allocations — whatever code path or import wrote it —
//                     and the use pages count those clients again before they read.
//
// The triggers are the only dialect-specific SQL here: SQLite triggers per row, PostgreSQL
// statement triggers over the changed rows (a bulk load marks each client once).

const TALLY_KEY = ["provider_id", "purchaser_id", "kind", "named_contract_id", "via_schedule", "product_id", "status", "month"];

/** Which client a changed row of each table belongs to (for schedule_slots: through its schedule). */
const SOURCES: { table: string; client: (row: "NEW" | "OLD") => string }[] = [
  { table: "attendance", client: (row) => `${row}.client_id` },
  { table: "schedules", client: (row) => `${row}.client_id` },
  { table: "allocations", client: (row) => `${row}.client_id` },
  { table: "schedule_slots", client: (row) => `(SELECT s.client_id FROM schedules s WHERE s.id = ${row}.schedule_id)` },
];

const MARK_SQLITE = (client: string) =>
  `INSERT INTO use_dirty (client_id, version) SELECT ${client}, 1 WHERE ${client} IS NOT NULL ON CONFLICT (client_id) DO UPDATE SET version = use_dirty.version + 1;`;

async function sqliteTriggers(knex: Knex): Promise<void> {
  for (const { table, client } of SOURCES) {
    await knex.raw(`CREATE TRIGGER use_dirty_${table}_insert AFTER INSERT ON ${table} BEGIN ${MARK_SQLITE(client("NEW"))} END`);
    await knex.raw(`CREATE TRIGGER use_dirty_${table}_update AFTER UPDATE ON ${table} BEGIN ${MARK_SQLITE(client("OLD"))} ${MARK_SQLITE(client("NEW"))} END`);
    await knex.raw(`CREATE TRIGGER use_dirty_${table}_delete AFTER DELETE ON ${table} BEGIN ${MARK_SQLITE(client("OLD"))} END`);
  }
  // A product turning into (or out of) a ride or dagdeel product changes what its allocations pay for.
  await knex.raw(
    `CREATE TRIGGER use_dirty_products_unit AFTER UPDATE OF unit ON products BEGIN
       INSERT INTO use_dirty (client_id, version) SELECT DISTINCT client_id, 1 FROM allocations WHERE product_id = NEW.id
       ON CONFLICT (client_id) DO UPDATE SET version = use_dirty.version + 1; END`,
  );
  // A subsidy is paid by its contract's purchaser; a location's dagdelen go to its provider.
  await knex.raw(
    `CREATE TRIGGER use_dirty_contracts_parties AFTER UPDATE OF purchaser_id, provider_id ON contracts BEGIN
       INSERT INTO use_dirty (client_id, version) SELECT DISTINCT client_id, 1 FROM schedules WHERE contract_id = NEW.id
       ON CONFLICT (client_id) DO UPDATE SET version = use_dirty.version + 1; END`,
  );
  await knex.raw(
    `CREATE TRIGGER use_dirty_locations_provider AFTER UPDATE OF provider_id ON locations BEGIN
       INSERT INTO use_dirty (client_id, version)
         SELECT client_id, 1 FROM schedules WHERE location_id = NEW.id UNION SELECT client_id, 1 FROM attendance WHERE location_id = NEW.id
       ON CONFLICT (client_id) DO UPDATE SET version = use_dirty.version + 1; END`,
  );
}

const UPSERT_PG = "ON CONFLICT (client_id) DO UPDATE SET version = use_dirty.version + 1";

async function postgresTriggers(knex: Knex): Promise<void> {
  const clientsOf = (table: string, rows: string) =>
    table === "schedule_slots" ? `SELECT s.client_id FROM ${rows} r JOIN schedules s ON s.id = r.schedule_id` : `SELECT client_id FROM ${rows}`;
  for (const { table } of SOURCES) {
    for (const [op, sets] of [
      ["insert", ["new_rows"]],
      ["update", ["old_rows", "new_rows"]],
      ["delete", ["old_rows"]],
    ] as const) {
      const fn = `use_dirty_${table}_${op}`;
      const select = sets.map((rows) => clientsOf(table, rows)).join(" UNION ");
      await knex.raw(
        `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           INSERT INTO use_dirty (client_id, version) SELECT DISTINCT client_id, 1 FROM (${select}) c WHERE client_id IS NOT NULL ${UPSERT_PG};
           RETURN NULL; END $$`,
      );
      const referencing = sets.map((rows) => (rows === "new_rows" ? "NEW TABLE AS new_rows" : "OLD TABLE AS old_rows")).join(" ");
      await knex.raw(`CREATE TRIGGER ${fn} AFTER ${op.toUpperCase()} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    }
  }
  const rowTrigger = async (name: string, table: string, columns: string, select: string) => {
    await knex.raw(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         INSERT INTO use_dirty (client_id, version) SELECT DISTINCT client_id, 1 FROM (${select}) c ${UPSERT_PG};
         RETURN NULL; END $$`,
    );
    await knex.raw(`CREATE TRIGGER ${name} AFTER UPDATE OF ${columns} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  };
  await rowTrigger("use_dirty_products_unit", "products", "unit", "SELECT client_id FROM allocations WHERE product_id = NEW.id");
  await rowTrigger("use_dirty_contracts_parties", "contracts", "purchaser_id, provider_id", "SELECT client_id FROM schedules WHERE contract_id = NEW.id");
  await rowTrigger(
    "use_dirty_locations_provider",
    "locations",
    "provider_id",
    "SELECT client_id FROM schedules WHERE location_id = NEW.id UNION SELECT client_id FROM attendance WHERE location_id = NEW.id",
  );
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("use_dirty", (t) => {
    t.integer("client_id").primary();
    // Raised by every change, so a recount only clears what it counted.
    t.integer("version").notNullable().defaultTo(1);
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
    t.unique(TALLY_KEY);
    t.index(["purchaser_id", "provider_id", "month"]);
  });

  if (knex.client.config.client === "pg") await postgresTriggers(knex);
  else await sqliteTriggers(knex);

  // Existing data: every client with attendance, a schedule or an allocation is counted at the
  // first use page that is opened (the region seed counts them at the end of its build).
  await knex.raw(
    `INSERT INTO use_dirty (client_id, version) SELECT client_id, 1 FROM attendance UNION SELECT client_id, 1 FROM schedules UNION SELECT client_id, 1 FROM allocations`,
  );
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === "pg") {
    for (const { table } of SOURCES) {
      for (const op of ["insert", "update", "delete"]) {
        await knex.raw(`DROP TRIGGER IF EXISTS use_dirty_${table}_${op} ON ${table}`);
        await knex.raw(`DROP FUNCTION IF EXISTS use_dirty_${table}_${op}()`);
      }
    }
    for (const [name, table] of [["use_dirty_products_unit", "products"], ["use_dirty_contracts_parties", "contracts"], ["use_dirty_locations_provider", "locations"]]) {
      await knex.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
      await knex.raw(`DROP FUNCTION IF EXISTS ${name}()`);
    }
  } else {
    for (const { table } of SOURCES) for (const op of ["insert", "update", "delete"]) await knex.raw(`DROP TRIGGER IF EXISTS use_dirty_${table}_${op}`);
    for (const name of ["use_dirty_products_unit", "use_dirty_contracts_parties", "use_dirty_locations_provider"]) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
  }
  await knex.schema.dropTableIfExists("use_tallies");
  await knex.schema.dropTableIfExists("use_client_tallies");
  await knex.schema.dropTableIfExists("use_dirty");
}
