import type { Knex } from "knex";
import { dropColumns } from "../../src/db/migration-helpers";

// A free-text note with an absence ("griep, belt zelf als ze beter is"), kept on the attendance
// row it explains. Personal (often health) data: shown to the coordinator and the provider on
// the attendance list only, never written to a calendar feed, a CSV export or the audit log.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attendance", (t) => {
    t.text("note").nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await dropColumns(knex, "attendance", ["note"]);
}
