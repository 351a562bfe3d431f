import type { Knex } from "knex";

// The coordinator's absence signal (src/attendance/absence.ts) first counts, per client, the
// ziek and niet-verschenen rows of the last four weeks: on a region's four million attendance
// rows that read every row of those weeks through (location, date). By status and date it
// reads only the absences (issue 11).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attendance", (t) => {
    t.index(["status", "date"], "attendance_status_date_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attendance", (t) => {
    t.dropIndex(["status", "date"], "attendance_status_date_index");
  });
}
