import type { Knex } from "knex";
import { prepared } from "../db/compiled";
import type { Scope } from "../auth/scope";
import type { Dagdeel } from "../domain/dagdeel";
import { attribute, type Attribution } from "../domain/funding";
import { loadFundingContext } from "../funding/repository";
import type { Period } from "../domain/allocation";
import type { StartTrigger, StopCause } from "./delivery";
import type { OutgoingMessage } from "./outgoing";
import { forUpdate } from "../db/dialect";
import { countOf, toNumber } from "../db/numbers";

// The WMO305/307 obligations per allocation, and what deciding them reads: knex in, typed rows
// out. Every read is bounded by one allocation (or one client), or is an indexed, paginated list.

type Db = Knex | Knex.Transaction;

export type MessageKind = "start" | "stop";
export type MessageStatus = "open" | "verzonden";

export type MessageRow = {
  id: number;
  kind: MessageKind;
  status: MessageStatus;
  allocation_id: number;
  client_id: number;
  provider_id: number;
  purchaser_id: number;
  start_date: string;
  end_date: string | null;
  reason: string | null;
  reason_chosen: boolean | number;
  cause: StopCause | null;
  due_on: string;
  deadline: string;
  bericht_identificatie: string | null;
  dagtekening: string | null;
  xml: string | null;
  sent_at: string | null;
  sent_by: number | null;
  created_at: string;
  updated_at: string;
};

export type AllocationState = Period & {
  id: number;
  client_id: number;
  provider_id: number;
  purchaser_id: number;
  purchaser_subkind: string;
  trigger: StartTrigger;
  product_unit: string;
  client_ended_on: string | null;
};

export function allocationState(db: Db, allocationId: number): Promise<AllocationState | undefined> {
  return db("allocations as a")
    .join("organisations as pu", "pu.id", "a.purchaser_id")
    .join("products as p", "p.id", "a.product_id")
    .join("clients as c", "c.id", "a.client_id")
    .where("a.id", allocationId)
    .select(
      "a.id", "a.client_id", "a.provider_id", "a.purchaser_id", "a.valid_from", "a.valid_until",
      "pu.subkind as purchaser_subkind", "pu.iwmo_start_trigger as trigger", "p.unit as product_unit", "c.ended_on as client_ended_on",
    )
    .first();
}

/** The gemeente allocations of a client (at one provider, when given): the ones that owe messages. */
export async function gemeenteAllocationsOf(db: Db, clientId: number, providerId: number | null): Promise<number[]> {
  const q = db("allocations as a").join("organisations as pu", "pu.id", "a.purchaser_id").where("a.client_id", clientId).where("pu.subkind", "gemeente").select("a.id").orderBy("a.id");
  if (providerId !== null) q.where("a.provider_id", providerId);
  return (await q).map((r: { id: number }) => r.id);
}

/** Allocations that already have message rows but whose purchaser no longer makes them owe any (e.g. a changed purchaser). */
export async function allocationsWithOpenMessages(db: Db, clientId: number): Promise<number[]> {
  const rows: { allocation_id: number }[] = await db("iwmo_messages").where({ client_id: clientId, status: "open" }).distinct("allocation_id");
  return rows.map((r) => r.allocation_id);
}

/**
 * The schedules that deliver an allocation: those funded by it, or — for a ride allocation,
 * which no schedule names — those funded by the client's allocations from the same gemeente
 * at the same provider.
 */
export function deliveringSchedules(db: Db, a: AllocationState): Promise<Period[]> {
  if (a.product_unit !== "rit") return db("schedules").where("allocation_id", a.id).select("valid_from", "valid_until");
  return db("schedules as s")
    .join("allocations as d", "d.id", "s.allocation_id")
    .where("s.client_id", a.client_id)
    .where("d.purchaser_id", a.purchaser_id)
    .where("d.provider_id", a.provider_id)
    .select("s.valid_from", "s.valid_until");
}

export function messagesOf(db: Db, allocationId: number): Promise<MessageRow[]> {
  return db("iwmo_messages").where("allocation_id", allocationId).orderBy("id");
}

const ATTENDED = ["aanwezig", "extra"];
const PAGE = 40;

function deliversAllocation(a: AllocationState, at: Attribution): boolean {
  if (a.product_unit === "rit") return at.funding === "toewijzing" && at.purchaser_id === a.purchaser_id;
  return at.allocation_id === a.id;
}

/**
 * The first attended dagdeel (aanwezig or extra) at the provider's locations between two dates
 * that falls under the allocation, by the same attribution the declarations use. Reads the
 * client's attendance there in pages of 40 rows, in date order, and stops at the first hit:
 * usually the first page, whatever the length of the client's history.
 */
export async function firstAttended(db: Db, a: AllocationState, from: string, until: string | null): Promise<string | null> {
  let after = { date: "", dagdeel: "" };
  for (;;) {
    const q = db("attendance as t")
      .join("locations as l", "l.id", "t.location_id")
      .where("t.client_id", a.client_id)
      .where("l.provider_id", a.provider_id)
      .whereIn("t.status", ATTENDED)
      .where("t.date", ">=", from)
      .where((w) => w.where("t.date", ">", after.date).orWhere((x) => x.where("t.date", after.date).where("t.dagdeel", ">", after.dagdeel)))
      .select("t.client_id", "t.location_id", "t.date", "t.dagdeel")
      .orderBy([{ column: "t.date" }, { column: "t.dagdeel" }])
      .limit(PAGE);
    if (until !== null) q.where("t.date", "<=", until);
    const rows: { client_id: number; location_id: number; date: string; dagdeel: Dagdeel }[] = await q;
    if (rows.length === 0) return null;
    const ctx = await loadFundingContext(db, [a.client_id], [...new Set(rows.map((r) => r.location_id))], rows[0].date, rows[rows.length - 1].date);
    const hit = rows.find((r) => deliversAllocation(a, attribute(ctx, r)));
    if (hit) return hit.date;
    if (rows.length < PAGE) return null;
    after = { date: rows[rows.length - 1].date, dagdeel: rows[rows.length - 1].dagdeel };
  }
}

export type MessageValues = Pick<MessageRow, "kind" | "start_date" | "end_date" | "reason" | "cause" | "due_on" | "deadline">;

export async function insertMessage(db: Db, a: AllocationState, values: MessageValues, at: string): Promise<void> {
  await db("iwmo_messages").insert({
    ...values,
    status: "open",
    allocation_id: a.id,
    client_id: a.client_id,
    provider_id: a.provider_id,
    purchaser_id: a.purchaser_id,
    reason_chosen: false,
    created_at: at,
    updated_at: at,
  });
}

export async function updateMessage(db: Db, id: number, changes: Partial<MessageRow>): Promise<void> {
  await db("iwmo_messages").where({ id }).update(changes);
}

export async function deleteMessages(db: Db, ids: number[]): Promise<void> {
  if (ids.length > 0) await db("iwmo_messages").whereIn("id", ids).delete();
}

/** One message row with the lock PostgreSQL needs so two clicks on "sent" do not both win. */
export function findMessageForUpdate(db: Db, id: number): Promise<MessageRow | undefined> {
  const q = db("iwmo_messages").where({ id }).first();
  return forUpdate(db, q);
}

// ---- the lists ---------------------------------------------------------------------------------

export const VIEWS = ["te-laat", "open", "verzonden"] as const;
export type MessageView = (typeof VIEWS)[number];

/** iwmo_messages (alias m) the actor may see: a provider its own, a coordinator all (or one provider's). */
function base(db: Knex, scope: Scope, providerId: number | null): Knex.QueryBuilder {
  const q = db("iwmo_messages as m");
  if (scope.actor.role === "provider") q.where("m.provider_id", scope.actor.organisationId ?? -1);
  else if (!scope.seesEverything) q.where("m.id", -1);
  if (providerId !== null) q.where("m.provider_id", providerId);
  return q;
}

function scoped(db: Knex, scope: Scope, view: MessageView, today: string, providerId: number | null): Knex.QueryBuilder {
  const q = base(db, scope, providerId);
  if (view === "te-laat") q.where("m.status", "open").where("m.deadline", "<", today);
  if (view === "open") q.where("m.status", "open").where("m.due_on", "<=", today).where("m.deadline", ">=", today);
  if (view === "verzonden") q.where("m.status", "verzonden");
  return q;
}

export type MessageListRow = MessageRow & {
  first_name: string;
  last_name: string;
  reference: string;
  provider_name: string;
  purchaser_name: string;
  product_name: string;
};

export type MessagePage = { view: MessageView; today: string; providerId: number | null; limit: number; offset: number };

/** How many messages a view holds (the whole list, not the page). */
export async function countMessages(db: Knex, scope: Scope, s: Omit<MessagePage, "limit" | "offset">): Promise<number> {
  const [row] = await scoped(db, scope, s.view, s.today, s.providerId).count({ n: "*" });
  return countOf(row);
}

/** The count of a view as a subquery, for a page that asks several counts in one query. */
export function countMessagesQuery(db: Knex, scope: Scope, view: MessageView, today: string): Knex.QueryBuilder {
  return scoped(db, scope, view, today, null).count("*");
}

/** One page of a view's messages, without the count. */
export function messageRows(db: Knex, scope: Scope, s: MessagePage): Promise<MessageListRow[]> {
  return pageOf(db, scoped(db, scope, s.view, s.today, s.providerId), s.view === "verzonden" ? "sent" : "deadline", s);
}

/** Every column of a message row, named (a prepared statement's columns must not change under it). */
const MESSAGE_COLUMNS: (keyof MessageRow)[] = [
  "id", "kind", "status", "allocation_id", "client_id", "provider_id", "purchaser_id", "start_date", "end_date", "reason", "reason_chosen", "cause",
  "due_on", "deadline", "bericht_identificatie", "dagtekening", "xml", "sent_at", "sent_by", "created_at", "updated_at",
];

/**
 * The rows of a page of messages (alias m) with what the list shows of each: five joins, which
 * PostgreSQL took longer to plan than to run, so a prepared statement (src/db/compiled.ts).
 */
function pageOf(db: Knex, q: Knex.QueryBuilder, order: "deadline" | "sent", page: { limit: number; offset: number }): Promise<MessageListRow[]> {
  return prepared(
    db,
    q
      .join("clients as c", "c.id", "m.client_id")
      .join("allocations as a", "a.id", "m.allocation_id")
      .join("products as p", "p.id", "a.product_id")
      .join("organisations as pr", "pr.id", "m.provider_id")
      .join("organisations as pu", "pu.id", "m.purchaser_id")
      .select(...MESSAGE_COLUMNS.map((c) => `m.${c}`), "c.first_name", "c.last_name", "a.reference", "pr.name as provider_name", "pu.name as purchaser_name", "p.name as product_name")
      .orderBy(order === "sent" ? [{ column: "m.sent_at", order: "desc" }, { column: "m.id", order: "desc" }] : [{ column: "m.deadline" }, { column: "m.id" }])
      .limit(page.limit)
      .offset(page.offset),
  ) as unknown as Promise<MessageListRow[]>;
}

/**
 * The page a view shows when none is asked for: "te laat" when anything is overdue, else
 * "open" — read before the counts tell which, in the same round trip. The open messages that
 * are due (status open, due_on ≤ today) are both views, overdue first: ordered by deadline, every
 * overdue message (deadline < today) comes before every one still in time, so the page of this
 * list at an offset, kept to the view that shows (`inView`), is that view's page at the offset.
 */
export function dueRows(db: Knex, scope: Scope, s: Omit<MessagePage, "view">): Promise<MessageListRow[]> {
  return pageOf(db, base(db, scope, s.providerId).where("m.status", "open").where("m.due_on", "<=", s.today), "deadline", s);
}

/** Whether a message of dueRows belongs to the view (a message's deadline is never before its due_on). */
export function inView(view: MessageView, m: Pick<MessageRow, "status" | "deadline" | "due_on">, today: string): boolean {
  if (view === "te-laat") return m.status === "open" && m.deadline < today;
  if (view === "open") return m.status === "open" && m.due_on <= today && m.deadline >= today;
  return m.status === "verzonden";
}

/** One page of a view and the view's count, at once (on PostgreSQL two round trips side by side). */
export async function listMessages(db: Knex, scope: Scope, s: MessagePage): Promise<{ total: number; rows: MessageListRow[] }> {
  const [total, rows] = await Promise.all([countMessages(db, scope, s), messageRows(db, scope, s)]);
  return { total, rows };
}

/**
 * Counts along the indexes: the open messages that are due (status, deadline — or per provider
 * provider_id, status, due_on) and those sent since a date (status, sent_at — or provider_id,
 * status, sent_at), grouped by provider. Never the whole history.
 */
async function counts(db: Knex, q: () => Knex.QueryBuilder, today: string, sentSince: string) {
  type Counted = Record<string, number | string | null>[];
  const [open, sent] = await Promise.all([
    q()
      .where("m.status", "open")
      .where("m.due_on", "<=", today)
      .groupBy("m.provider_id")
      .select("m.provider_id", db.raw("sum(case when m.deadline < ? then 1 else 0 end) as overdue", [today]), db.raw("sum(case when m.deadline >= ? then 1 else 0 end) as due", [today])) as Promise<Counted>,
    q().where("m.status", "verzonden").where("m.sent_at", ">=", sentSince).groupBy("m.provider_id").select("m.provider_id").count({ sent: "*" }) as Promise<Counted>,
  ]);
  const out = new Map<number, { overdue: number; due: number; sent: number }>();
  const at = (id: unknown) => out.get(Number(id)) ?? out.set(Number(id), { overdue: 0, due: 0, sent: 0 }).get(Number(id))!;
  for (const r of open) Object.assign(at(r.provider_id), { overdue: toNumber(r.overdue ?? 0), due: toNumber(r.due ?? 0) });
  for (const r of sent) at(r.provider_id).sent = toNumber(r.sent ?? 0);
  return out;
}

/**
 * Per view, how many messages the actor has (sent: since `sentSince`) — of one provider (a
 * provider's own, or the one a coordinator chose): three counts in one query, one round trip.
 */
export async function viewCounts(db: Knex, scope: Scope, today: string, sentSince: string, providerId: number | null): Promise<Record<MessageView, number>> {
  const [row] = await prepared(
    db,
    db.select({
      overdue: scoped(db, scope, "te-laat", today, providerId).count("*"),
      due: scoped(db, scope, "open", today, providerId).count("*"),
      sent: scoped(db, scope, "verzonden", today, providerId).where("m.sent_at", ">=", sentSince).count("*"),
    }),
  );
  return { "te-laat": toNumber(row.overdue), open: toNumber(row.due), verzonden: toNumber(row.sent) };
}

function totalsOf(perProvider: Map<number, { overdue: number; due: number; sent: number }>): Record<MessageView, number> {
  const total = { "te-laat": 0, open: 0, verzonden: 0 };
  for (const c of perProvider.values()) {
    total["te-laat"] += c.overdue;
    total.open += c.due;
    total.verzonden += c.sent;
  }
  return total;
}

export type ProviderCounts = { provider_id: number; provider_name: string; overdue: number; due: number; sent: number };

/**
 * For the coordinator: per provider with anything due or sent lately, the three counts, and
 * the views' totals over every provider (viewCounts without a provider) from the same counts.
 */
export async function countsPerProvider(db: Knex, today: string, sentSince: string): Promise<{ totals: Record<MessageView, number>; perProvider: ProviderCounts[] }> {
  const perProvider = await counts(db, () => db("iwmo_messages as m"), today, sentSince);
  const totals = totalsOf(perProvider);
  if (perProvider.size === 0) return { totals, perProvider: [] };
  const names: { id: number; name: string }[] = await db("organisations").whereIn("id", [...perProvider.keys()]).select("id", "name").orderBy("sort_key");
  return { totals, perProvider: names.map((o) => ({ provider_id: o.id, provider_name: o.name, ...perProvider.get(o.id)! })) };
}

/** The message with everything its XML needs (see outgoing.ts), if the actor may see it. */
export type MessageDetail = MessageRow & OutgoingMessage & { provider_name: string; purchaser_name: string };

export function findMessageDetail(db: Db, scope: Scope | null, id: number): Promise<MessageDetail | undefined> {
  const q = db("iwmo_messages as m")
    .join("allocations as a", "a.id", "m.allocation_id")
    .join("clients as c", "c.id", "m.client_id")
    .join("products as p", "p.id", "a.product_id")
    .join("organisations as pr", "pr.id", "m.provider_id")
    .join("organisations as pu", "pu.id", "m.purchaser_id")
    .where("m.id", id)
    .select(
      "m.*", "a.reference", "a.valid_from as allocation_from", "c.bsn", "c.first_name", "c.last_name", "c.birth_date",
      "p.iwmo_category", "p.iwmo_code", "pr.agb_code as provider_agb", "pr.name as provider_name",
      "pu.gemeentecode as purchaser_gemeentecode", "pu.name as purchaser_name",
    )
    .first();
  if (scope && !scope.seesEverything) q.where("m.provider_id", scope.actor.role === "provider" ? (scope.actor.organisationId ?? -1) : -1);
  return q;
}

// ---- the gemeente's setting --------------------------------------------------------------------

export async function setStartTrigger(db: Db, purchaserId: number, trigger: StartTrigger, at: string): Promise<void> {
  await db("organisations").where({ id: purchaserId }).update({ iwmo_start_trigger: trigger, updated_at: at });
}

/**
 * The gemeente's allocations, running or ended since `since`, whose start is not settled: no
 * start sent yet, or a stop sent after which care may start again. A started allocation does
 * not care when care is said to start.
 */
export async function unsettledAllocations(db: Db, purchaserId: number, since: string): Promise<number[]> {
  const sent = (kind: MessageKind) => db("iwmo_messages as m").whereRaw("m.allocation_id = a.id").where("m.kind", kind).where("m.status", "verzonden").select("m.id");
  const rows: { id: number }[] = await db("allocations as a")
    .where("a.purchaser_id", purchaserId)
    .where((w) => w.whereNull("a.valid_until").orWhere("a.valid_until", ">=", since))
    .where((w) => w.whereNotExists(sent("start")).orWhereExists(sent("stop")))
    .select("a.id")
    .orderBy("a.id");
  return rows.map((r) => r.id);
}

/** Allocations among these whose start (WMO305) was sent with a Begindatum on or before `until`. */
export async function startsSentBy(db: Db, allocationIds: number[], until: string): Promise<Set<number>> {
  if (allocationIds.length === 0) return new Set();
  const rows: { allocation_id: number }[] = await db("iwmo_messages")
    .whereIn("allocation_id", allocationIds)
    .where({ kind: "start", status: "verzonden" })
    .where("start_date", "<=", until)
    .distinct("allocation_id");
  return new Set(rows.map((r) => Number(r.allocation_id)));
}
