import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { addWorkingDays } from "../domain/working-days";
import { isRedenBeeindiging } from "./codes";
import { deriveMessages, episodeOf, type SentMessage, type StartTrigger } from "./delivery";
import * as repo from "./messages-repository";
import { berichtIdentificatie, outgoingProblems, outgoingXml } from "./outgoing";
import { validateIwmo } from "./schema";

// The WMO305/307 a provider owes. refreshIwmoMessages is THE hook: every change that can move
// a start or a stop (attendance, schedules, a client's end, an allocation, a sent message, the
// gemeente's setting) calls it inside its own transaction, so the open messages are always
// what the data says now and the Berichten page reads them with indexed queries only.

/** Working days a provider has for a start or stop message (iWmo: within 5 werkdagen). */
export const WORKING_DAYS_TO_SEND = 5;

type Trx = Knex | Knex.Transaction;

const earliest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/** Brings the open messages of one allocation in line with its data. */
export async function refreshAllocation(trx: Trx, clock: Clock, allocationId: number): Promise<void> {
  // One after the other: inside a transaction PostgreSQL has one connection to ask.
  const a = await repo.allocationState(trx, allocationId);
  const rows = await repo.messagesOf(trx, allocationId);
  const open = rows.filter((r) => r.status === "open");
  if (!a || a.purchaser_subkind !== "gemeente") {
    await repo.deleteMessages(trx, open.map((r) => r.id));
    return;
  }
  const sent: SentMessage[] = rows
    .filter((r) => r.status === "verzonden")
    .sort((x, y) => (x.sent_at ?? "").localeCompare(y.sent_at ?? "") || x.id - y.id)
    .map((r) => ({ kind: r.kind, start_date: r.start_date, end_date: r.end_date }));
  const schedules = await repo.deliveringSchedules(trx, a);
  let firstAttended: string | null = null;
  const episode = episodeOf(sent, a);
  if (a.trigger !== "rooster" && episode.startedOn === null) {
    firstAttended = await repo.firstAttended(trx, a, episode.from, earliest(a.valid_until, a.client_ended_on));
  }
  const due = deriveMessages({ allocation: a, clientEndedOn: a.client_ended_on, trigger: a.trigger === "rooster" ? "rooster" : "aanwezigheid", schedules, sent, firstAttended });
  const at = timestamp(clock);
  const wanted: repo.MessageValues[] = [];
  if (due.start) wanted.push({ kind: "start", start_date: due.start.start_date, end_date: null, reason: null, cause: null, due_on: due.start.start_date, deadline: "" });
  if (due.stop) wanted.push({ kind: "stop", start_date: due.stop.start_date, end_date: due.stop.end_date, reason: due.stop.reason, cause: due.stop.cause, due_on: due.stop.end_date, deadline: "" });
  const stale: number[] = [];
  for (const kind of ["start", "stop"] as const) {
    const want = wanted.find((w) => w.kind === kind);
    const [keep, ...extra] = open.filter((r) => r.kind === kind);
    stale.push(...extra.map((r) => r.id));
    if (!want) {
      if (keep) stale.push(keep.id);
      continue;
    }
    want.deadline = addWorkingDays(want.due_on, WORKING_DAYS_TO_SEND);
    if (!keep) {
      await repo.insertMessage(trx, a, want, at);
      continue;
    }
    // A reason the provider chose stays, whatever moves under it.
    const values = { ...want, reason: keep.reason_chosen ? keep.reason : want.reason };
    const changed = (Object.keys(values) as (keyof repo.MessageValues)[]).some((k) => values[k] !== keep[k]);
    if (changed || keep.provider_id !== a.provider_id || keep.purchaser_id !== a.purchaser_id) {
      await repo.updateMessage(trx, keep.id, { ...values, provider_id: a.provider_id, purchaser_id: a.purchaser_id, updated_at: at });
    }
  }
  await repo.deleteMessages(trx, stale);
}

/**
 * Refreshes every gemeente allocation of a client — at one provider, when the change
 * (attendance at its location) cannot touch the others. Bounded by the client's allocations.
 */
export async function refreshIwmoMessages(trx: Trx, clock: Clock, clientId: number, providerId: number | null = null): Promise<void> {
  const ids = new Set(await repo.gemeenteAllocationsOf(trx, clientId, providerId));
  // An allocation that moved to another purchaser leaves its open messages behind: clear them.
  if (providerId === null) for (const id of await repo.allocationsWithOpenMessages(trx, clientId)) ids.add(id);
  for (const id of ids) await refreshAllocation(trx, clock, id);
}

// ---- what the provider does with a message -------------------------------------------------------

async function detailOr404(db: Trx, scope: Scope, id: number): Promise<repo.MessageDetail> {
  const m = await repo.findMessageDetail(db, scope, id);
  if (!m) throw new NotFoundError("message");
  return m;
}

function assertProvider(scope: Scope): void {
  if (scope.actor.role !== "provider") throw new ForbiddenError("only the provider sends its messages");
}

export type XmlResult = { fileName: string; xml: string };

/**
 * The message as XML: as it was sent, or (still open) as it would be sent today. Checked
 * against its XSD before it leaves; what keeps it from being written comes back as a
 * ValidationError naming each problem. It carries the full BSN, so each download is audited.
 */
export async function messageXml(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<XmlResult> {
  assertProvider(scope);
  const m = await detailOr404(db, scope, id);
  const kind = m.kind === "start" ? "WMO305" : "WMO307";
  let xml = m.status === "verzonden" ? m.xml : null;
  if (xml === null) {
    const problems = outgoingProblems(m);
    if (problems.length > 0) throw new ValidationError(Object.fromEntries(problems.map((p) => [p, `iwmo.outgoing.${p}`])));
    xml = outgoingXml(m, m.dagtekening ?? today(clock), m.bericht_identificatie ?? berichtIdentificatie(m.kind, m.id));
  }
  const checked = await validateIwmo(kind, xml);
  if (!checked.valid) throw new ValidationError({ _form: "iwmo.outgoing.schema" }, { problems: checked.problems.map((p) => p.message).join("; ") });
  await recordAudit(db, clock, { userId: actor.userId, action: "download", entity: "iwmo_message", entityId: m.id, details: { kind } });
  return { fileName: `${kind}-${m.bericht_identificatie ?? berichtIdentificatie(m.kind, m.id)}.xml`, xml };
}

/** Marks an open, due message as sent (after the provider sent the XML): it stays as it was sent. */
export async function markSent(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<repo.MessageDetail> {
  assertProvider(scope);
  const date = today(clock);
  return db.transaction(async (trx) => {
    const locked = await repo.findMessageForUpdate(trx, id);
    const m = await detailOr404(trx, scope, id);
    if (!locked || locked.status !== "open") throw new ValidationError({ _form: "iwmo.messages.errors.alreadySent" });
    if (m.due_on > date) throw new ValidationError({ _form: "iwmo.messages.errors.notDue" });
    if (m.kind === "stop") {
      const rows = await repo.messagesOf(trx, m.allocation_id);
      if (rows.some((r) => r.kind === "start" && r.status === "open")) throw new ValidationError({ _form: "iwmo.messages.errors.startFirst" });
    }
    const identificatie = berichtIdentificatie(m.kind, m.id);
    // Kept as sent when it can be written; a message sent another way (a portal) is marked all the same.
    const xml = outgoingProblems(m).length === 0 ? outgoingXml(m, date, identificatie) : null;
    const at = timestamp(clock);
    await repo.updateMessage(trx, id, { status: "verzonden", bericht_identificatie: identificatie, dagtekening: date, xml, sent_at: at, sent_by: actor.userId, updated_at: at });
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: m.kind === "start" ? "send_wmo305" : "send_wmo307",
      entity: "iwmo_message",
      entityId: id,
      details: { allocation_id: m.allocation_id, bericht: identificatie, start_date: m.start_date, end_date: m.end_date, reason: m.reason },
    });
    await refreshAllocation(trx, clock, m.allocation_id);
    return m;
  });
}

/** The provider's own RedenBeeindiging for an open stop (20 = a temporary stop). */
export async function chooseReason(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number, reason: string): Promise<void> {
  assertProvider(scope);
  if (!isRedenBeeindiging(reason)) throw new ValidationError({ reason: "errors.choice" });
  await db.transaction(async (trx) => {
    const locked = await repo.findMessageForUpdate(trx, id);
    const m = await detailOr404(trx, scope, id);
    if (!locked || locked.status !== "open" || m.kind !== "stop") throw new ValidationError({ _form: "iwmo.messages.errors.alreadySent" });
    await repo.updateMessage(trx, id, { reason, reason_chosen: true, updated_at: timestamp(clock) });
    await recordAudit(trx, clock, { userId: actor.userId, action: "choose_reason", entity: "iwmo_message", entityId: id, details: { before: m.reason, after: reason } });
  });
}

// ---- the gemeente's setting ----------------------------------------------------------------------

/**
 * A gemeente chooses whether care starts at the first attended dagdeel or when a schedule
 * starts. Only allocations whose start is not settled yet (none sent, or sent before a stop) can
 * move; those are refreshed in the same transaction.
 */
export async function setStartTrigger(db: Knex, clock: Clock, actor: Actor, purchaserId: number, trigger: StartTrigger): Promise<number> {
  return db.transaction(async (trx) => {
    const org = await trx("organisations").where({ id: purchaserId }).first("id", "subkind", "iwmo_start_trigger");
    if (!org || org.subkind !== "gemeente") throw new ForbiddenError("only a gemeente sets its start trigger");
    if (org.iwmo_start_trigger === trigger) return 0;
    await repo.setStartTrigger(trx, purchaserId, trigger, timestamp(clock));
    await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "organisation", entityId: purchaserId, details: { iwmo_start_trigger: { before: org.iwmo_start_trigger, after: trigger } } });
    const ids = await repo.unsettledAllocations(trx, purchaserId, addDays(today(clock), -90));
    for (const id of ids) await refreshAllocation(trx, clock, id);
    return ids.length;
  });
}

/** How many overdue messages a home page lists. */
export const HOME_OVERDUE = 5;

/** For the provider's and coordinator's home pages: how many messages are overdue, and the first few. */
export function overdueForHome(db: Knex, scope: Scope, date: string): Promise<{ total: number; rows: repo.MessageListRow[] }> {
  return repo.listMessages(db, scope, { view: "te-laat", today: date, providerId: null, limit: HOME_OVERDUE, offset: 0 });
}
