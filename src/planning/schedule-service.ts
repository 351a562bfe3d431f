import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Actor } from "../auth/types";
import { timestamp, today, type Clock } from "../domain/clock";
import { addDays } from "../domain/dates";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import type { Slot } from "../domain/schedule";
import { checkBooking, type ScheduleInput } from "./booking-check";
import * as repo from "./schedule-repository";
import type { FullRun } from "../domain/pattern-checks";
import { BookingRefused, fullRunLabel } from "./violations";
import { placeEntry } from "./waitlist-placement";
import { refreshIwmoMessages } from "../iwmo/messages-service";

export type { ScheduleInput } from "./booking-check";

// THE way a schedule is made or changed: the form, the change "from date X", the "inplannen"
// action of the waiting list and any future import all come through bookSchedule, so no entry
// point can skip a rule. Check and write happen in one transaction; on PostgreSQL the
// location's and the client's rows are locked first, so two coordinators booking the last
// place at once queue behind each other and the second one sees the first one's booking.

function dedupeSlots(slots: Slot[]): Slot[] {
  const seen = new Map(slots.map((s) => [`${s.weekday}|${s.dagdeel}`, s]));
  return [...seen.values()].sort((a, b) => a.weekday - b.weekday || (a.dagdeel === b.dagdeel ? 0 : a.dagdeel === "ochtend" ? -1 : 1));
}

/** Mistakes in the input itself, before any rule is looked at. */
function inputProblems(input: ScheduleInput, date: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.slots.length === 0) errors.slots = "planning.errors.slotsRequired";
  if (input.slots.some((s) => !Number.isInteger(s.weekday) || s.weekday < 1 || s.weekday > 7)) errors.slots = "errors.choice";
  if (input.valid_from < date) errors.valid_from = "planning.errors.fromInPast";
  if (input.valid_until !== null && input.valid_until < input.valid_from) errors.valid_until = "planning.errors.untilBeforeFrom";
  if (input.funding === "toewijzing" && input.allocation_id === null) errors.allocation_id = "planning.errors.allocationRequired";
  if (input.funding === "subsidie" && input.contract_id === null) errors.contract_id = "planning.errors.contractRequired";
  if (input.overbook && !input.overbook_reason?.trim()) errors.overbook_reason = "planning.errors.overbookReasonRequired";
  return errors;
}

/** The new schedule, and where it was booked past capacity (with a reason), as runs of dagdelen. */
export type BookingResult = { id: number; overbooked: FullRun[] };

/**
 * Creates a schedule, or with `replaces` changes one "from valid_from": the old schedule ends
 * the day before (its past and the attendance recorded under it stay as they were); a change
 * from its first day or earlier replaces it. Every rule is checked; all violations come back
 * together as one BookingRefused. Only a coordinator may overbook, only past capacity, and
 * only with a written reason, which the audit entry keeps.
 */
export async function bookSchedule(db: Knex, clock: Clock, actor: Actor, raw: ScheduleInput): Promise<BookingResult> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators plan schedules");
  const input: ScheduleInput = { ...raw, slots: dedupeSlots(raw.slots), overbook_reason: raw.overbook_reason?.trim() || null };
  const date = today(clock);
  const problems = inputProblems(input, date);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);

  return db.transaction(async (trx) => {
    // Lock order: client, then location — the same in every booking, so they cannot deadlock.
    if (!(await repo.lockClient(trx, input.client_id))) throw new NotFoundError("client");
    const location = await repo.lockLocation(trx, input.location_id);
    if (!location) throw new NotFoundError("location");

    const checked = await checkBooking(trx, input, location);
    const { replaced } = checked;
    if (replaced && replaced.valid_until !== null && input.valid_from > replaced.valid_until) {
      throw new ValidationError({ valid_from: "planning.errors.changeAfterEnd" });
    }
    const overbooking = input.overbook && input.overbook_reason !== null;
    const blocking = overbooking ? checked.violations.filter((v) => v.rule !== "full") : checked.violations;
    if (blocking.length > 0) throw new BookingRefused(blocking);

    const at = timestamp(clock);
    const row = {
      client_id: input.client_id,
      location_id: location.id,
      funding: input.funding,
      allocation_id: checked.allocation_id,
      contract_id: checked.contract_id,
      product_id: checked.product_id,
      valid_from: input.valid_from,
      valid_until: input.valid_until,
      week_parity: input.week_parity,
    };
    const details: Record<string, unknown> = { ...row, slots: input.slots };
    if (checked.full.length > 0) {
      details.overbook = { reason: input.overbook_reason, dagdelen: checked.full.slice(0, 60).map((f) => fullRunLabel({ ...f, booked: f.booked + 1 }, "nl")) };
    }

    let id: number;
    if (replaced && checked.inPlace) {
      id = replaced.id;
      await repo.updateSchedule(trx, id, { ...row, updated_at: at });
      await repo.replaceSlots(trx, id, input.slots, at);
      await recordAudit(trx, clock, {
        userId: actor.userId,
        action: "update",
        entity: "schedule",
        entityId: id,
        details: { ...details, previous: { valid_from: replaced.valid_from, valid_until: replaced.valid_until, location_id: replaced.location_id, slots: replaced.slots } },
      });
    } else {
      id = await repo.insertSchedule(trx, { ...row, created_by: actor.userId, created_at: at, updated_at: at }, input.slots);
      if (replaced) {
        const endsOn = addDays(input.valid_from, -1);
        await repo.updateSchedule(trx, replaced.id, { valid_until: endsOn, updated_at: at });
        await recordAudit(trx, clock, {
          userId: actor.userId,
          action: "reschedule",
          entity: "schedule",
          entityId: replaced.id,
          details: { valid_until: endsOn, previous_valid_until: replaced.valid_until, continued_as: id },
        });
      }
      await recordAudit(trx, clock, {
        userId: actor.userId,
        action: "create",
        entity: "schedule",
        entityId: id,
        details: replaced ? { ...details, replaces: replaced.id } : details,
      });
    }
    if (input.waitlist_entry_id) await placeEntry(trx, clock, actor, input.waitlist_entry_id, input.client_id, id);
    await refreshIwmoMessages(trx, clock, input.client_id);
    return { id, overbooked: checked.full };
  });
}

/**
 * Ends a schedule: the last day it runs. The past stays: the end can be yesterday at the
 * earliest, and only earlier than the current end (running longer is a change with the rules
 * checked). A schedule that has not started yet and ends before its first day is cancelled.
 */
export async function endSchedule(db: Knex, clock: Clock, actor: Actor, id: number, until: string): Promise<{ cancelled: boolean }> {
  if (actor.role !== "coordinator") throw new ForbiddenError("only coordinators plan schedules");
  const date = today(clock);
  return db.transaction(async (trx) => {
    const schedule: repo.ScheduleRow | undefined = await trx("schedules").where({ id }).first();
    if (!schedule) throw new NotFoundError("schedule");
    if (until < addDays(date, -1)) throw new ValidationError({ valid_until: "planning.errors.endInPast" });
    if (schedule.valid_until !== null && until >= schedule.valid_until) throw new ValidationError({ valid_until: "planning.errors.endNotEarlier" });
    if (until < schedule.valid_from) {
      await repo.deleteSchedule(trx, id);
      await recordAudit(trx, clock, { userId: actor.userId, action: "cancel", entity: "schedule", entityId: id, details: { client_id: schedule.client_id, valid_from: schedule.valid_from } });
      await refreshIwmoMessages(trx, clock, schedule.client_id);
      return { cancelled: true };
    }
    await repo.updateSchedule(trx, id, { valid_until: until, updated_at: timestamp(clock) });
    await recordAudit(trx, clock, { userId: actor.userId, action: "end", entity: "schedule", entityId: id, details: { valid_until: until, previous_valid_until: schedule.valid_until } });
    await refreshIwmoMessages(trx, clock, schedule.client_id);
    return { cancelled: false };
  });
}
