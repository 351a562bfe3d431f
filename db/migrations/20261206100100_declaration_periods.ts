import type { Knex } from "knex";
import { dropColumns } from "../../src/db/migration-helpers";

// Declarations the iWmo way (issue 13) and without races (issue 12):
//
// - declaration_periods: one row per provider × purchaser × month of care. It holds no state;
//   it is the lock. Attendance writes take it FOR SHARE, a submit or a correction FOR UPDATE,
//   so a submit waits for the writes in flight and the writes after it see the lock.
// - one original declaration per provider × purchaser × month, by a partial unique index
//   (corrections point at their original and are not counted).
// - declarations.period: the DeclaratiePeriode it was sent in (IV090: never before the last
//   one submitted, so a correction or a late month travels in the current period while its
//   prestaties keep their own month); awarded_cents: the toegekend total of the answer;
//   correction_reason: why the provider reopened an answered month.
// - declaration_lines.decision / retourcodes / decision_note: the purchaser's answer per
//   prestatie (WMO325): toegekend or afgewezen with WJ001 retourcodes.
// - organisations.requires_start_message: a gemeente that wants a WMO305 before paying (the
//   check before sending warns; iWmo itself says a missing start message is no reason to refuse).
//
// Existing rows: submitted declarations get their month as period (they were sent that way),
// an accepted declaration's lines count as toegekend, a rejected one's as afgewezen with its
// reason as the note. Allocation numbers are left exactly as they are, also when they are not
// an iWmo ToewijzingNummer: the declaration page lists those, with how to fix them.

function stamps(t: Knex.CreateTableBuilder): void {
  t.string("created_at", 30).notNullable();
  t.string("updated_at", 30).notNullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("declaration_periods", (t) => {
    t.increments("id");
    t.integer("provider_id").unsigned().notNullable().references("id").inTable("organisations");
    t.integer("purchaser_id").unsigned().notNullable().references("id").inTable("organisations");
    t.string("month", 7).notNullable();
    stamps(t);
    t.unique(["provider_id", "purchaser_id", "month"]);
  });

  await knex.schema.alterTable("declarations", (t) => {
    t.string("period", 7).nullable();
    t.bigInteger("awarded_cents").nullable();
    t.text("correction_reason").nullable();
  });
  await knex.schema.alterTable("declaration_lines", (t) => {
    t.string("decision", 12).nullable();
    t.string("retourcodes", 60).nullable();
    t.text("decision_note").nullable();
  });
  await knex.schema.alterTable("organisations", (t) => {
    t.boolean("requires_start_message").notNullable().defaultTo(false);
  });

  await knex("declarations").whereNot("status", "concept").update({ period: knex.ref("month") });
  await knex("declarations").where("status", "geaccepteerd").update({ awarded_cents: knex.ref("total_cents") });
  await knex("declarations").where("status", "afgewezen").update({ awarded_cents: 0 });
  await knex("declaration_lines")
    .whereIn("declaration_id", knex("declarations").where("status", "geaccepteerd").select("id"))
    .update({ decision: "toegekend" });
  await knex("declaration_lines")
    .whereIn("declaration_id", knex("declarations").where("status", "afgewezen").select("id"))
    .update({
      decision: "afgewezen",
      decision_note: knex("declarations").select("rejection_reason").where("declarations.id", knex.ref("declaration_lines.declaration_id")),
    });

  // Plain SQL that SQLite and PostgreSQL both read: a partial unique index.
  await knex.raw("create unique index declarations_one_original on declarations (provider_id, purchaser_id, month) where corrects_declaration_id is null");
  await knex.raw("create index declaration_lines_allocation on declaration_lines (allocation_id)");
}

const ADDED: [string, string[]][] = [
  ["organisations", ["requires_start_message"]],
  ["declaration_lines", ["decision", "retourcodes", "decision_note"]],
  ["declarations", ["period", "awarded_cents", "correction_reason"]],
];

export async function down(knex: Knex): Promise<void> {
  await knex.raw("drop index if exists declaration_lines_allocation");
  await knex.raw("drop index if exists declarations_one_original");
  for (const [table, columns] of ADDED) await dropColumns(knex, table, columns);
  await knex.schema.dropTableIfExists("declaration_periods");
}
