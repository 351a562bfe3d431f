import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Actor } from "../auth/types";
import { allocationRequiresBsn, periodWithin, productFitsPurchaser, volumeUsage, type AllocationVolume, type WindowUsage } from "../domain/allocation";
import { timestamp, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { NotFoundError, ValidationError } from "../domain/errors";
import { referenceProblem } from "../domain/toewijzing-nummer";
import { expandSchedule, type SchedulePattern } from "../domain/schedule";
import * as clients from "../clients/repository";
import * as repo from "./repository";
import { refreshIwmoMessages } from "../iwmo/messages-service";
import { isUniqueViolation, readTogether } from "../db/dialect";

export type AllocationInput = repo.AllocationFields;

/** Thrown when the client has no BSN: the form points to the client's BSN field. */
export const BSN_REQUIRED = "allocations.errors.clientBsnRequired";

/** Every rule an allocation must pass, with all problems at once. */
async function checkAllocation(
  db: Knex | Knex.Transaction,
  client: clients.ClientRow,
  input: AllocationInput,
  existing: repo.AllocationRow | null,
): Promise<void> {
  const errors: Record<string, string> = {};
  const [purchaser, provider, product] = await readTogether(db, [
    () => repo.findOrganisation(db, input.purchaser_id),
    () => repo.findOrganisation(db, input.provider_id),
    () => repo.findProduct(db, input.product_id),
  ]);
  if (!purchaser || purchaser.kind !== "purchaser") errors.purchaser_id = "allocations.errors.purchaser";
  if (!provider || provider.kind !== "provider") errors.provider_id = "allocations.errors.provider";
  // An inactive product may stay on an allocation that already had it, but is not chosen anew.
  const keepsProduct = existing !== null && existing.product_id === input.product_id;
  if (!product || (!product.active && !keepsProduct)) errors.product_id = "errors.choice";
  else if (purchaser && purchaser.kind === "purchaser" && !productFitsPurchaser(purchaser.subkind, product)) {
    errors.product_id = purchaser.subkind === "zorgkantoor" ? "allocations.errors.productWlz" : "allocations.errors.productWmo";
  }
  if (input.valid_until !== null && input.valid_until < input.valid_from) errors.valid_until = "allocations.errors.untilBeforeFrom";
  if (client.ended_on !== null && input.valid_from > client.ended_on) errors.valid_from = "allocations.errors.clientEnded";
  if (purchaser && allocationRequiresBsn(purchaser.subkind) && client.bsn === null) errors._form = BSN_REQUIRED;
  // A gemeente's number must be the WMO301's ToewijzingNummer, or no declaration can carry it.
  const problem = purchaser ? referenceProblem(purchaser.subkind, input.reference) : null;
  if (problem) errors.reference = `allocations.errors.toewijzingNummer.${problem}`;
  else if (purchaser && (await repo.referenceTaken(db, input.purchaser_id, input.reference, existing?.id ?? null))) {
    errors.reference = "allocations.errors.referenceTaken";
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export async function createAllocation(db: Knex, clock: Clock, actor: Actor, clientId: number, input: AllocationInput): Promise<number> {
  try {
    return await db.transaction((trx) => createAllocationIn(trx, clock, actor, clientId, input));
  } catch (err) {
    if (isUniqueViolation(err, "allocations", "reference")) throw new ValidationError({ reference: "allocations.errors.referenceTaken" });
    throw err;
  }
}

/**
 * Creates an allocation inside the caller's transaction (the form, a WMO301 import), under
 * every rule; `source` says where it came from in the audit entry.
 */
export async function createAllocationIn(trx: Knex.Transaction, clock: Clock, actor: Actor, clientId: number, input: AllocationInput, source?: Record<string, unknown>): Promise<number> {
  const client = await clients.findClient(trx, null, clientId);
  if (!client) throw new NotFoundError("client");
  await checkAllocation(trx, client, input, null);
  const at = timestamp(clock);
  const id = await repo.insertAllocation(trx, { ...input, client_id: clientId, created_at: at, updated_at: at });
  await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "allocation", entityId: id, details: { client_id: clientId, ...input, ...source } });
  await refreshIwmoMessages(trx, clock, clientId);
  return id;
}

/** What the schedules funded by an allocation make of its new period and volume. */
export type ScheduleFit = { schedules: number; outsidePeriod: number; overVolumeWindows: number; firstOver: WindowUsage[] };

/**
 * Checks the schedules that use an allocation against it: how many run outside its period,
 * and in how many weeks/months (or in total) their planned dagdelen pass its volume. Closures
 * are not subtracted, so this errs on the side of warning. Open ends are looked at for a year.
 */
export function scheduleFit(allocation: AllocationVolume, schedules: SchedulePattern[], today: string): ScheduleFit {
  const outsidePeriod = schedules.filter((s) => !periodWithin(s, allocation)).length;
  const horizon = addDays(allocation.valid_from > today ? allocation.valid_from : today, 366);
  const until = allocation.valid_until !== null && allocation.valid_until < horizon ? allocation.valid_until : horizon;
  const dates = schedules.flatMap((s) => expandSchedule(s, allocation.valid_from, until).map((o) => o.date));
  const usage = volumeUsage(allocation, dates);
  const over = usage.windows.filter((w) => w.over);
  return { schedules: schedules.length, outsidePeriod, overVolumeWindows: over.length, firstOver: over.slice(0, 5) };
}

/**
 * Who pays, who provides and what is provided are what a running schedule was checked against
 * (provider of its location, contract cover, the product it declares). While a schedule funded
 * by the allocation runs today or later, those three stay as they are: end or replan the
 * schedules first, or record a new allocation. Period and volume may change; the problem list
 * shows what no longer fits.
 */
async function refuseFundingChangeUnderSchedules(trx: Knex.Transaction, existing: repo.AllocationRow, input: AllocationInput, today: string): Promise<void> {
  const changed = (["purchaser_id", "provider_id", "product_id"] as const).filter((k) => existing[k] !== input[k]);
  if (changed.length === 0) return;
  const running = (await repo.schedulesUsing(trx, existing.id)).filter((s) => s.valid_until === null || s.valid_until >= today);
  if (running.length === 0) return;
  throw new ValidationError(Object.fromEntries(changed.map((k) => [k, "allocations.errors.fundsRunningSchedules"])));
}

/**
 * Changes an allocation. Schedules already using it are not touched: if the new period or
 * volume no longer covers them, the change is still saved (the purchaser decided it) and the
 * caller gets the mismatch back to warn about; the planning problem list (/signalen) keeps
 * showing it until someone replans.
 */
export async function updateAllocation(db: Knex, clock: Clock, actor: Actor, id: number, input: AllocationInput, today: string): Promise<ScheduleFit> {
  try {
    return await db.transaction((trx) => updateAllocationIn(trx, clock, actor, id, input, today));
  } catch (err) {
    if (isUniqueViolation(err, "allocations", "reference")) throw new ValidationError({ reference: "allocations.errors.referenceTaken" });
    throw err;
  }
}

/** Changes an allocation inside the caller's transaction (the form, a WMO301 import). */
export async function updateAllocationIn(trx: Knex.Transaction, clock: Clock, actor: Actor, id: number, input: AllocationInput, today: string, source?: Record<string, unknown>): Promise<ScheduleFit> {
  const existing = await repo.findAllocation(trx, id);
  if (!existing) throw new NotFoundError("allocation");
  // The client's row first, as a booking takes it: a booking under this allocation and this
  // change queue behind each other, so neither checks against what the other is changing.
  await clients.lockClient(trx, existing.client_id);
  const client = await clients.findClient(trx, null, existing.client_id);
  if (!client) throw new NotFoundError("client");
  await checkAllocation(trx, client, input, existing);
  await refuseFundingChangeUnderSchedules(trx, existing, input, today);
  await repo.updateAllocation(trx, id, { ...input, updated_at: timestamp(clock) });
  const fit = scheduleFit(input, await repo.schedulesUsing(trx, id), today);
  const before = Object.fromEntries((Object.keys(input) as (keyof AllocationInput)[]).filter((k) => existing[k] !== input[k]).map((k) => [k, existing[k]]));
  await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "allocation", entityId: id, details: { before, after: input, fit: { outsidePeriod: fit.outsidePeriod, overVolumeWindows: fit.overVolumeWindows }, ...source } });
  await refreshIwmoMessages(trx, clock, existing.client_id);
  return fit;
}
