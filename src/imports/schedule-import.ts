import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { allocationStatus } from "../domain/allocation";
import { timestamp, today, type Clock } from "../domain/clock";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import type { Slot } from "../domain/schedule";
import type { LocationRow } from "../locations/repository";
import { activeContractsOf, activeLocations, allocationsOfClient } from "../planning/schedule-repository";
import { bookSchedule, type ScheduleInput } from "../planning/schedule-service";
import { BookingRefused, type Violation } from "../planning/violations";
import { comparable } from "./cells";
import type { RowProblem } from "./client-rows";
import { SCHEDULE_FIELDS } from "./fields";
import { mappingFor } from "./client-import";
import type { Mapping } from "./mapping";
import * as repo from "./repository";
import { readScheduleRow, type ScheduleDraft } from "./schedule-rows";
import type { Table } from "./table";

// Weekly schedules from a spreadsheet. Each row is booked through bookSchedule — the very
// service behind the schedule form — in its own transaction, so capacity, double booking,
// the allocation's volume and period and the contract cover hold for an import exactly as for
// the form; a row the rules refuse is listed with the reasons the form would give. Only
// coordinators plan, so only they import schedules. Never an overbooking from a file.

export type Refusal = { violations?: Violation[]; fields?: Record<string, string>; params?: Record<string, string | number> };

export type ScheduleOutcome = {
  line: number;
  status: "ready" | "error" | "booked" | "refused";
  client: string;
  location: string;
  slots: Slot[];
  valid_from: string | null;
  valid_until: string | null;
  funding: string | null;
  problems: RowProblem[];
  input: ScheduleInput | null;
  scheduleId?: number;
  refusal?: Refusal;
};

type Location = Pick<LocationRow, "id" | "name" | "provider_id" | "provider_name">;

function findLocation(text: string, locations: Location[]): { location?: Location; problem?: string } {
  const want = comparable(text);
  const found = locations.filter((l) => comparable(l.name) === want || comparable(`${l.name} ${l.provider_name}`) === want);
  if (found.length === 1) return { location: found[0] };
  return { problem: found.length === 0 ? "scheduleImport.errors.locationUnknown" : "scheduleImport.errors.locationAmbiguous" };
}

/** The funding a row is booked under: as named, else the client's one running allocation with this provider, else the provider's one subsidy contract. */
async function fundingFor(db: Knex | Knex.Transaction, d: ScheduleDraft, clientId: number, location: Location): Promise<{ input?: Pick<ScheduleInput, "funding" | "allocation_id" | "contract_id">; problem?: string }> {
  const from = d.valid_from!;
  if (d.funding === "pgb" || d.funding === "eigen") return { input: { funding: d.funding, allocation_id: null, contract_id: null } };
  if (d.funding === null || d.funding === "toewijzing") {
    const running = (await allocationsOfClient(db as Knex, clientId)).filter(
      (a) => a.provider_id === location.provider_id && a.product_unit === "dagdeel" && allocationStatus(a, from) !== "afgelopen" && a.valid_from <= from,
    );
    if (running.length === 1) return { input: { funding: "toewijzing", allocation_id: running[0].id, contract_id: null } };
    if (running.length > 1) return { problem: "scheduleImport.errors.severalAllocations" };
    if (d.funding === "toewijzing") return { problem: "scheduleImport.errors.noAllocation" };
  }
  const subsidies = await activeContractsOf(db as Knex, location.provider_id, "subsidie");
  if (subsidies.length === 1) return { input: { funding: "subsidie", allocation_id: null, contract_id: subsidies[0].id } };
  return { problem: d.funding === "subsidie" ? "scheduleImport.errors.noSubsidy" : "scheduleImport.errors.fundingNeeded" };
}

export async function previewSchedules(db: Knex | Knex.Transaction, scope: Scope, table: Table, mapping: Mapping): Promise<ScheduleOutcome[]> {
  const rows = table.rows.map((cells, i) => ({ line: i + 2, ...readScheduleRow(cells, mapping) }));
  const locations = await activeLocations(db as Knex, scope);
  const byBsn = new Map((await repo.clientsByBsn(db, scope, rows.flatMap((r) => (r.draft.bsn ? [r.draft.bsn] : [])))).map((m) => [m.client.bsn!, m]));
  const born = await repo.clientsByBirthDate(db, scope, rows.flatMap((r) => (r.draft.birth_date ? [r.draft.birth_date] : [])));

  const out: ScheduleOutcome[] = [];
  for (const r of rows) {
    const d = r.draft;
    const problems = [...r.problems];
    let client: { id: number; name: string } | null = null;
    if (d.bsn) {
      const m = byBsn.get(d.bsn);
      if (m?.visible) client = { id: m.client.id, name: `${m.client.first_name} ${m.client.last_name}` };
      else problems.push({ field: "bsn", key: "scheduleImport.errors.clientUnknown" });
    } else if (d.first_name && d.last_name) {
      const key = comparable(`${d.first_name} ${d.last_name}`);
      const same = d.birth_date ? born.filter((c) => c.birth_date === d.birth_date && comparable(`${c.first_name} ${c.last_name}`) === key) : [];
      if (!d.birth_date) problems.push({ field: "birth_date", key: "scheduleImport.errors.birthDateNeeded" });
      else if (same.length === 1) client = { id: same[0].id, name: `${same[0].first_name} ${same[0].last_name}` };
      else problems.push({ field: "last_name", key: same.length === 0 ? "scheduleImport.errors.clientUnknown" : "clientImport.errors.ambiguous" });
    }
    const where = d.location ? findLocation(d.location, locations) : {};
    if (where.problem) problems.push({ field: "location", key: where.problem });

    let input: ScheduleInput | null = null;
    if (problems.length === 0 && client && where.location) {
      const funding = await fundingFor(db, d, client.id, where.location);
      if (funding.problem) problems.push({ field: "funding", key: funding.problem });
      else
        input = {
          client_id: client.id,
          location_id: where.location.id,
          ...funding.input!,
          product_id: null,
          valid_from: d.valid_from!,
          valid_until: d.valid_until,
          week_parity: "elke",
          slots: d.slots,
          overbook: false,
          overbook_reason: null,
        };
    }
    out.push({
      line: r.line,
      status: input ? "ready" : "error",
      client: client?.name ?? `${d.first_name} ${d.last_name}`.trim(),
      location: where.location?.name ?? d.location,
      slots: d.slots,
      valid_from: d.valid_from,
      valid_until: d.valid_until,
      funding: input?.funding ?? d.funding,
      problems,
      input,
    });
  }
  return out;
}

export type ScheduleImportResult = { booked: number; refused: number; errors: number; lines: { line: number; status: ScheduleOutcome["status"]; scheduleId?: number; refusal?: Refusal; problems: RowProblem[] }[] };

function refusalOf(err: unknown): Refusal | null {
  if (err instanceof BookingRefused) return { violations: err.violations };
  if (err instanceof ValidationError) return { fields: err.fields, params: err.params };
  if (err instanceof NotFoundError) return { fields: { _form: "scheduleImport.errors.vanished" } };
  return null;
}

/**
 * Books every ready row of an uploaded schedules file through bookSchedule, one booking (one
 * transaction) at a time, and lists per row what became of it. The upload is claimed first, so
 * a second click cannot book the file twice.
 */
export async function applyScheduleImport(db: Knex, clock: Clock, actor: Actor, scope: Scope, ownerKey: string, importId: number): Promise<ScheduleImportResult> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators plan schedules");
  const claimed = await db.transaction(async (trx) => {
    const row = await repo.lockImport(trx, actor.userId, importId);
    if (!row || row.kind !== "schedules") throw new NotFoundError("import");
    const table = repo.tableOf(row);
    if (row.status !== "uploaded" || !table) throw new ValidationError({ _form: "clientImport.errors.alreadyApplied" });
    const outcomes = await previewSchedules(trx, scope, table, await mappingFor(trx, ownerKey, table, "schedules", SCHEDULE_FIELDS));
    await repo.markApplied(trx, importId, { pending: true }, timestamp(clock));
    return { row, outcomes };
  });

  const lines: ScheduleImportResult["lines"] = [];
  for (const o of claimed.outcomes) {
    if (!o.input) {
      lines.push({ line: o.line, status: "error", problems: o.problems });
      continue;
    }
    try {
      const booked = await bookSchedule(db, clock, actor, o.input);
      lines.push({ line: o.line, status: "booked", scheduleId: booked.id, problems: [] });
    } catch (err) {
      const refusal = refusalOf(err);
      if (!refusal) throw err;
      lines.push({ line: o.line, status: "refused", refusal, problems: [] });
    }
  }
  const result: ScheduleImportResult = {
    booked: lines.filter((l) => l.status === "booked").length,
    refused: lines.filter((l) => l.status === "refused").length,
    errors: lines.filter((l) => l.status === "error").length,
    lines,
  };
  await db.transaction(async (trx) => {
    await repo.markApplied(trx, importId, result, timestamp(clock));
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "import_schedules",
      entity: "import",
      entityId: importId,
      details: { file_name: claimed.row.file_name, rows: claimed.row.row_count, booked: result.booked, refused: result.refused, errors: result.errors },
    });
  });
  return result;
}

