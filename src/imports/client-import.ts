import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { insertClient, updateClient } from "../clients/repository";
import { maskBsn } from "../domain/bsn";
import { timestamp, today, type Clock } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import { comparable } from "./cells";
import { readClientRow, type ClientDraft, type RowProblem } from "./client-rows";
import { CLIENT_FIELDS } from "./fields";
import { resolveMapping, type Mapping } from "./mapping";
import * as repo from "./repository";
import type { Table } from "./table";
import { isUniqueViolation } from "../db/dialect";

// Clients from a spreadsheet: each row new, matched (by BSN, else by name and birth date) or in
// error with its reasons; applying writes every valid row in one transaction, or none at all.
// A provider imports for itself: it matches only clients it may see, and the clients it adds
// are its own (registered_by_provider_id) — a BSN that belongs to a client outside its scope
// is refused for that row, as a second client with the same BSN cannot exist.

export type ClientOutcome = {
  line: number;
  status: "new" | "matched" | "unchanged" | "error";
  name: string;
  bsnMasked: string;
  birth_date: string | null;
  matchedBy: "bsn" | "name" | null;
  clientId: number | null;
  changes: string[];
  problems: RowProblem[];
  draft: ClientDraft;
};

const UPDATABLE = ["first_name", "last_name", "bsn", "birth_date", "village_id", "street", "postcode", "phone", "needs_transport", "wheelchair", "notes"] as const;

function nameKey(first: string, last: string): string {
  return comparable(`${first} ${last}`);
}

/** The fields a matched row changes: those it fills in and that differ from what is stored. */
function changesOf(draft: ClientDraft, existing: repo.ExistingClient): string[] {
  return UPDATABLE.filter((k) => draft[k] !== null && draft[k] !== "" && String(draft[k]) !== String(existing[k] ?? ""));
}

export async function previewClients(db: Knex | Knex.Transaction, scope: Scope, table: Table, mapping: Mapping, date: string): Promise<ClientOutcome[]> {
  const villages = await repo.villages(db);
  const rows = table.rows.map((cells, i) => ({ line: i + 2, ...readClientRow(cells, mapping, villages, date) }));

  const bsns = rows.flatMap((r) => (r.draft.bsn ? [r.draft.bsn] : []));
  const byBsn = new Map((await repo.clientsByBsn(db, scope, bsns)).map((m) => [m.client.bsn!, m]));
  const dates = rows.flatMap((r) => (r.draft.birth_date ? [r.draft.birth_date] : []));
  const born = await repo.clientsByBirthDate(db, scope, dates);
  const nameOnly = rows.filter((r) => !r.draft.bsn && !r.draft.birth_date && r.draft.last_name).map((r) => r.draft.last_name.toLowerCase());
  const sameNames = new Set((await repo.clientsByLastName(db, scope, nameOnly)).map((c) => nameKey(c.first_name, c.last_name)));

  const seenBsn = new Set<string>();
  const seenPerson = new Set<string>();
  const seenClient = new Set<number>();
  return rows.map((r): ClientOutcome => {
    const d = r.draft;
    const problems = [...r.problems];
    const person = `${nameKey(d.first_name, d.last_name)}|${d.birth_date ?? ""}`;
    if (d.bsn && seenBsn.has(d.bsn)) problems.push({ field: "bsn", key: "clientImport.errors.duplicateInFile" });
    else if (d.birth_date && seenPerson.has(person)) problems.push({ field: "birth_date", key: "clientImport.errors.duplicateInFile" });
    if (d.bsn) seenBsn.add(d.bsn);
    if (d.birth_date) seenPerson.add(person);

    let match: repo.ExistingClient | null = null;
    let matchedBy: ClientOutcome["matchedBy"] = null;
    if (problems.length === 0) {
      const bsnMatch = d.bsn ? byBsn.get(d.bsn) : undefined;
      if (bsnMatch && !bsnMatch.visible) problems.push({ field: "bsn", key: "clientImport.errors.bsnElsewhere" });
      // A mistyped BSN that happens to be someone else's must not rename that person.
      else if (bsnMatch && nameKey(bsnMatch.client.first_name, bsnMatch.client.last_name) !== nameKey(d.first_name, d.last_name)) problems.push({ field: "bsn", key: "clientImport.errors.bsnOtherName" });
      else if (bsnMatch) [match, matchedBy] = [bsnMatch.client, "bsn"];
      else if (d.birth_date) {
        const same = born.filter((c) => c.birth_date === d.birth_date && nameKey(c.first_name, c.last_name) === nameKey(d.first_name, d.last_name));
        if (same.length > 1) problems.push({ field: "last_name", key: "clientImport.errors.ambiguous" });
        else if (same.length === 1 && d.bsn && same[0].bsn !== null) problems.push({ field: "bsn", key: "clientImport.errors.otherBsn" });
        else if (same.length === 1) [match, matchedBy] = [same[0], "name"];
      } else if (!d.bsn && sameNames.has(nameKey(d.first_name, d.last_name))) {
        problems.push({ field: "birth_date", key: "clientImport.errors.nameNeedsBirthDate" });
      }
    }
    if (match && seenClient.has(match.id)) problems.push({ field: matchedBy === "bsn" ? "bsn" : "last_name", key: "clientImport.errors.sameClientTwice" });
    if (match) seenClient.add(match.id);

    const base = { line: r.line, name: `${d.first_name} ${d.last_name}`.trim(), bsnMasked: maskBsn(d.bsn), birth_date: d.birth_date, draft: d };
    if (problems.length > 0) return { ...base, status: "error", matchedBy: null, clientId: null, changes: [], problems };
    if (!match) return { ...base, status: "new", matchedBy: null, clientId: null, changes: [], problems };
    const changes = changesOf(d, match);
    return { ...base, status: changes.length > 0 ? "matched" : "unchanged", matchedBy, clientId: match.id, changes, problems };
  });
}

export type ClientImportResult = { created: number; updated: number; unchanged: number; errors: number; errorLines: { line: number; problems: RowProblem[] }[] };

export function counts(outcomes: ClientOutcome[]) {
  return {
    new: outcomes.filter((o) => o.status === "new").length,
    matched: outcomes.filter((o) => o.status === "matched").length,
    unchanged: outcomes.filter((o) => o.status === "unchanged").length,
    error: outcomes.filter((o) => o.status === "error").length,
  };
}

/** The mapping in force for an import: the organisation's remembered one, guessed where it says nothing. */
export async function mappingFor(db: Knex | Knex.Transaction, ownerKey: string, table: Table, kind: "clients" | "schedules", fields = CLIENT_FIELDS): Promise<Mapping> {
  return resolveMapping(fields, table.header, await repo.rememberedMapping(db, ownerKey, kind));
}

/**
 * Applies an uploaded client file: every row that is new or changes a client, in one
 * transaction with the audit (one entry per client, and one for the import with the file name
 * and the counts). Rows in error are left out and listed. The file's table is dropped after.
 */
export async function applyClientImport(db: Knex, clock: Clock, actor: Actor, scope: Scope, ownerKey: string, importId: number): Promise<ClientImportResult> {
  try {
    return await db.transaction(async (trx) => {
      const row = await repo.lockImport(trx, actor.userId, importId);
      if (!row || row.kind !== "clients") throw new NotFoundError("import");
      const table = repo.tableOf(row);
      if (row.status !== "uploaded" || !table) throw new ValidationError({ _form: "clientImport.errors.alreadyApplied" });
      const outcomes = await previewClients(trx, scope, table, await mappingFor(trx, ownerKey, table, "clients"), today(clock));
      const at = timestamp(clock);
      const registeredBy = actor.role === "provider" ? actor.organisationId : null;
      for (const o of outcomes) {
        const d = o.draft;
        if (o.status === "new") {
          const id = await insertClient(trx, {
            first_name: d.first_name,
            last_name: d.last_name,
            bsn: d.bsn,
            birth_date: d.birth_date,
            village_id: d.village_id,
            street: d.street,
            postcode: d.postcode,
            phone: d.phone,
            needs_transport: d.needs_transport ?? false,
            wheelchair: d.wheelchair ?? false,
            notes: d.notes,
            registered_by_provider_id: registeredBy,
            created_at: at,
            updated_at: at,
          });
          await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "client", entityId: id, details: { import_id: importId, line: o.line, hasBsn: d.bsn !== null } });
        } else if (o.status === "matched") {
          const changes = Object.fromEntries(o.changes.map((k) => [k, d[k as keyof ClientDraft]]));
          await updateClient(trx, o.clientId!, { ...changes, updated_at: at });
          await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "client", entityId: o.clientId, details: { import_id: importId, line: o.line, changed: o.changes } });
        }
      }
      const c = counts(outcomes);
      const result: ClientImportResult = {
        created: c.new,
        updated: c.matched,
        unchanged: c.unchanged,
        errors: c.error,
        errorLines: outcomes.filter((o) => o.status === "error").map((o) => ({ line: o.line, problems: o.problems })),
      };
      await repo.markApplied(trx, importId, result, at);
      await recordAudit(trx, clock, {
        userId: actor.userId,
        action: "import_clients",
        entity: "import",
        entityId: importId,
        details: { file_name: row.file_name, rows: row.row_count, created: result.created, updated: result.updated, unchanged: result.unchanged, errors: result.errors },
      });
      return result;
    });
  } catch (err) {
    // Someone added a client with one of these BSNs since the preview: nothing was written.
    if (isUniqueViolation(err)) throw new ValidationError({ _form: "clientImport.errors.changedMeanwhile" });
    throw err;
  }
}
