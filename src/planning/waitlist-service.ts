import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Actor } from "../auth/types";
import { allocationStatus } from "../domain/allocation";
import { HORIZON_WEEKS } from "../domain/booking-rules";
import { wishesFitIndexed, wishIndex } from "../domain/wish-fit";
import { timestamp, today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import type { Slot } from "../domain/schedule";
import type { OccupancyCell } from "../domain/occupancy";
import type { OccupancyGrid } from "../domain/occupancy-grid";
import { occupancy } from "../occupancy/service";
import type { ScheduleInput } from "./booking-check";
import { bookSchedule } from "./schedule-service";
import * as schedules from "./schedule-repository";
import * as repo from "./waitlist-repository";

// The waiting list per location. "Now fits" asks the shared occupancy whether every wished
// slot has a free place on every open date from today over the booking horizon (26 weeks) —
// the same look-ahead a booking from today is checked over, so what the list offers a
// booking can take.

export type EntryWithFit = repo.EntryRow & { fits: boolean };

export function fitWindow(date: string): { from: string; until: string } {
  return { from: date, until: addDays(date, HORIZON_WEEKS * 7 - 1) };
}

/**
 * Adds "fits" to each entry: one occupancy() call for all their locations, each location's
 * half year of cells indexed by weekday and dagdeel once (wishesFitIndexed, held to wishesFit).
 */
export async function withFit(db: Knex, entries: repo.EntryRow[], date: string): Promise<EntryWithFit[]> {
  const waiting = entries.filter((e) => e.status === "wachtend");
  const locationIds = [...new Set(waiting.map((e) => e.location_id))];
  const { from, until } = fitWindow(date);
  return withFitIn(entries, locationIds.length > 0 ? await occupancy(db, locationIds, from, until) : []);
}

/** "fits" from a grid already counted over the fit window (fitWindow) for the entries' locations. */
export function withFitOnGrid(entries: repo.EntryRow[], grid: OccupancyGrid): EntryWithFit[] {
  return entries.map((e) => ({ ...e, fits: e.status === "wachtend" && grid.wishesFit(e.location_id, e.slots, e.client_id) }));
}

/** "fits" from cells already counted over the fit window (fitWindow) for the entries' locations. */
export function withFitIn(entries: repo.EntryRow[], cells: OccupancyCell[]): EntryWithFit[] {
  const byLocation = new Map<number, typeof cells>();
  for (const c of cells) {
    const list = byLocation.get(c.location_id);
    if (list) list.push(c);
    else byLocation.set(c.location_id, [c]);
  }
  const indexes = new Map([...byLocation].map(([id, own]) => [id, wishIndex(own)]));
  return entries.map((e) => ({ ...e, fits: e.status === "wachtend" && wishesFitIndexed(e.slots, indexes.get(e.location_id) ?? new Map(), e.client_id) }));
}

export const ENTRIES_PER_PAGE = 50;

/** One page of the waiting clients (optionally of one location), longest waiting first, each with "fits". */
export async function waitingList(db: Knex, date: string, locationId: number | null, page = 1): Promise<{ entries: EntryWithFit[]; total: number }> {
  const filter = { status: "wachtend" as const, locationIds: locationId === null ? undefined : [locationId] };
  const total = await repo.countEntries(db, filter);
  const pages = Math.max(1, Math.ceil(total / ENTRIES_PER_PAGE));
  const offset = (Math.min(Math.max(1, page), pages) - 1) * ENTRIES_PER_PAGE;
  const entries = await repo.listEntries(db, filter, { limit: ENTRIES_PER_PAGE, offset });
  return { entries: await withFit(db, entries, date), total };
}

/** Waiting clients who now fit, longest waiting first (then priority). */
export async function fittingEntries(db: Knex, date: string, locationIds?: number[]): Promise<EntryWithFit[]> {
  const entries = await repo.listEntries(db, { status: "wachtend", locationIds });
  return (await withFit(db, entries, date)).filter((e) => e.fits);
}

export type EntryInput = { client_id: number; location_id: number; since: string; priority: number; note: string | null; slots: Slot[] };

export async function addEntry(db: Knex, clock: Clock, actor: Actor, input: EntryInput): Promise<number> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators keep the waiting list");
  const errors: Record<string, string> = {};
  if (input.slots.length === 0) errors.slots = "planning.errors.slotsRequired";
  if (input.since > today(clock)) errors.since = "planning.errors.sinceFuture";
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return db.transaction(async (trx) => {
    if (!(await trx("clients").where({ id: input.client_id }).first("id"))) throw new NotFoundError("client");
    if (!(await trx("locations").where({ id: input.location_id }).first("id"))) throw new NotFoundError("location");
    const already = await repo.listEntries(trx, { status: "wachtend", clientId: input.client_id, locationIds: [input.location_id] });
    if (already.length > 0) throw new ValidationError({ location_id: "planning.errors.alreadyWaiting" });
    const at = timestamp(clock);
    const id = await repo.insertEntry(trx, { client_id: input.client_id, location_id: input.location_id, since: input.since, priority: input.priority, note: input.note, created_at: at }, input.slots);
    await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "waitlist_entry", entityId: id, details: { ...input } });
    return id;
  });
}

/** Takes a waiting client off the list without a place ("vervallen"). */
export async function lapseEntry(db: Knex, clock: Clock, actor: Actor, id: number): Promise<void> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators keep the waiting list");
  await db.transaction(async (trx) => {
    const entry = await repo.findEntry(trx, id);
    if (!entry || entry.status !== "wachtend") throw new NotFoundError("waitlist entry");
    await repo.setStatus(trx, id, "vervallen", timestamp(clock));
    await recordAudit(trx, clock, { userId: actor.userId, action: "lapse", entity: "waitlist_entry", entityId: id });
  });
}

/** What "inplannen" did: booked at once, or the schedule form to finish (prefilled, maybe refused). */
export type PlanOutcome =
  | { kind: "booked"; scheduleId: number; entry: repo.EntryRow }
  | { kind: "form"; input: Partial<ScheduleInput> & { client_id: number; location_id: number; slots: Slot[]; waitlist_entry_id: number }; error?: ValidationError };

/**
 * Plans a waiting client: the wished slots every week from today. When the client has exactly
 * one running dagdeel allocation with the location's provider, the booking goes through
 * bookSchedule at once (until the allocation's end) and the entry is marked placed in the same
 * transaction. Otherwise — no or several allocations, or a rule refuses — the schedule form
 * comes back prefilled for the coordinator to choose the funding or adjust.
 */
export async function planEntry(db: Knex, clock: Clock, actor: Actor, id: number): Promise<PlanOutcome> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators plan schedules");
  const entry = await repo.findEntry(db, id);
  if (!entry || entry.status !== "wachtend") throw new NotFoundError("waitlist entry");
  const date = today(clock);
  const base = { client_id: entry.client_id, location_id: entry.location_id, slots: entry.slots, waitlist_entry_id: entry.id, valid_from: date, week_parity: "elke" as const };
  const allocations = (await schedules.allocationsOfClient(db, entry.client_id)).filter(
    (a) => a.provider_id === entry.provider_id && a.product_unit === "dagdeel" && allocationStatus(a, date) === "lopend",
  );
  if (allocations.length > 1) return { kind: "form", input: { ...base, funding: "toewijzing" } };
  if (allocations.length === 0) {
    // Without an allocation the client comes on subsidy (or PGB, or pays); the coordinator says
    // which. The provider's one subsidy contract, if it has exactly one, is the likely answer.
    const subsidies = await schedules.activeContractsOf(db, entry.provider_id, "subsidie");
    return { kind: "form", input: { ...base, funding: "subsidie", contract_id: subsidies.length === 1 ? subsidies[0].id : null } };
  }
  const input: ScheduleInput & { waitlist_entry_id: number } = {
    ...base,
    funding: "toewijzing",
    allocation_id: allocations[0].id,
    contract_id: null,
    product_id: null,
    valid_until: allocations[0].valid_until,
    overbook: false,
    overbook_reason: null,
  };
  try {
    const booked = await bookSchedule(db, clock, actor, input);
    return { kind: "booked", scheduleId: booked.id, entry };
  } catch (err) {
    if (err instanceof ValidationError) return { kind: "form", input, error: err };
    throw err;
  }
}
