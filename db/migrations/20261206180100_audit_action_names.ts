import type { Knex } from "knex";

// One naming scheme for the audit log (src/CONTEXT.md#audit-log): `entity` is the singular of
// its table in snake_case, `action` a snake_case verb that takes an object only when the entity
// does not already say what was acted on. Entries written before keep what they say under the
// new names. A data change only, in plain UPDATE … WHERE statements that SQLite and PostgreSQL
// both read; every (entity, new action) comes from exactly one old name, so down() restores
// each entry exactly.

/** Entity names that were camelCase. */
export const ENTITY_RENAMES: [old: string, renamed: string][] = [
  ["contractLine", "contract_line"],
  ["apiToken", "api_token"],
];

/** [entity (as renamed), old action, new action]. */
export const ACTION_RENAMES: [entity: string, old: string, renamed: string][] = [
  ["attendance", "bulk", "record_everyone_present"],
  ["attendance", "absence_note", "change_note"],
  ["waitlist_entry", "lapse_waitlist", "lapse"],
  ["waitlist_entry", "place_waitlist", "place"],
  ["schedule", "cancel_schedule", "cancel"],
  ["schedule", "end_schedule", "end"],
  ["user", "password_reset_link", "create_reset_link"],
  ["user", "password_reset", "reset_password"],
  ["user", "password_change", "change_password"],
  ["user", "totp_enable", "enable_totp"],
  ["user", "totp_disable", "disable_totp"],
  ["setting", "setting_change", "update"],
  ["client", "end_client", "end"],
  ["client", "reopen_client", "reopen"],
  ["location", "capacity_change", "change_capacity"],
  ["closure", "closure_add", "create"],
  ["closure", "closure_remove", "delete"],
  ["api_token", "createApiToken", "create"],
  ["api_token", "revokeApiToken", "revoke"],
  ["declaration", "prepareDeclaration", "prepare"],
  ["declaration", "recomputeDeclaration", "recompute"],
  ["declaration", "submitDeclaration", "submit"],
  ["declaration", "openCorrection", "open_correction"],
  ["declaration", "deleteDeclaration", "delete"],
  ["declaration", "cancelCorrection", "cancel_correction"],
  ["declaration", "correctDeclaration", "correct"],
  ["declaration", "answerDeclaration", "answer"],
  ["declaration", "decideDeclarationLine", "decide_line"],
  ["declaration", "acceptDeclaration", "approve_remaining"],
  ["declaration", "rejectDeclaration", "refuse_remaining"],
  ["declaration", "exportDeclaration", "download"],
  ["declaration", "uploadWmo325", "upload_answer"],
  ["organisation", "changeDeclarationSettings", "change_declaration_settings"],
  ["contract", "changeContractStatus", "change_status"],
  ["contract_line", "deleteContractLine", "delete"],
  ["import", "importClients", "import_clients"],
  ["import", "importSchedules", "import_schedules"],
  ["iwmo_message", "download_xml", "download"],
  ["iwmo_import", "apply_wmo301", "apply"],
  ["iwmo_report", "receive_iwmo", "upload"],
  ["allocation", "export_wmo301", "download"],
];

export async function up(knex: Knex): Promise<void> {
  for (const [old, renamed] of ENTITY_RENAMES) await knex("audit_log").where({ entity: old }).update({ entity: renamed });
  for (const [entity, old, renamed] of ACTION_RENAMES) await knex("audit_log").where({ entity, action: old }).update({ action: renamed });
}

export async function down(knex: Knex): Promise<void> {
  for (const [entity, old, renamed] of ACTION_RENAMES) await knex("audit_log").where({ entity, action: renamed }).update({ action: old });
  for (const [old, renamed] of ENTITY_RENAMES) await knex("audit_log").where({ entity: renamed }).update({ entity: old });
}
