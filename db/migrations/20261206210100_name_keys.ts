import type { Knex } from "knex";
import { dropColumns } from "../../src/db/migration-helpers";
import { withNameKeys } from "../../src/db/name-keys";

// Names found and sorted the same on SQLite and PostgreSQL (src/domain/search-key.ts): each
// named table keeps a folded search key and a collation-free sort key beside the name, written
// by every insert and update from now on and filled here for the rows already there.

const TABLES: { table: string; columns: string[] }[] = [
  { table: "clients", columns: ["first_name", "last_name"] },
  { table: "locations", columns: ["name"] },
  { table: "organisations", columns: ["name"] },
  { table: "users", columns: ["name"] },
  { table: "villages", columns: ["name"] },
];

const PAGE = 1000;

export async function up(knex: Knex): Promise<void> {
  for (const { table } of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.string("search_key", 400).nullable();
      t.string("sort_key", 800).nullable();
      t.index(["sort_key"], `${table}_sort_key_index`);
      t.index(["search_key"], `${table}_search_key_index`);
    });
  }
  for (const { table, columns } of TABLES) {
    // Page by id so a region's clients are never all in memory at once.
    for (let after = 0; ; ) {
      const rows: Record<string, unknown>[] = await knex(table).where("id", ">", after).orderBy("id").limit(PAGE).select("id", ...columns);
      if (rows.length === 0) break;
      for (const row of rows) {
        const { search_key, sort_key } = withNameKeys(table, row) as { search_key: string; sort_key: string };
        await knex(table).where({ id: row.id }).update({ search_key, sort_key });
      }
      after = Number(rows[rows.length - 1].id);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { table } of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex(["sort_key"], `${table}_sort_key_index`);
      t.dropIndex(["search_key"], `${table}_search_key_index`);
    });
    await dropColumns(knex, table, ["search_key", "sort_key"]);
  }
}
