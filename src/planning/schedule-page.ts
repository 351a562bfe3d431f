import type { Knex } from "knex";
import { closuresOn } from "../domain/closures";
import { addDays } from "../domain/dates";
import { expandSchedule } from "../domain/schedule";
import * as repo from "./schedule-repository";
import { slotLabels } from "./weekdays";

const UPCOMING_DAYS = 28;

type AuditDetails = { overbook?: { reason?: string; dagdelen?: string[] }; valid_until?: string; continued_as?: number; replaces?: number };

/**
 * One schedule's page: its facts, the dagdelen it asks for in the coming four weeks (through
 * the shared expansion; closed ones are shown as such), and its history from the audit log,
 * with the written reason of an overbooking.
 */
export async function schedulePage(db: Knex, schedule: repo.ScheduleDetail, date: string) {
  const from = schedule.valid_from > date ? schedule.valid_from : date;
  const until = addDays(from, UPCOMING_DAYS - 1);
  const [closures, audit] = await Promise.all([repo.closuresOf(db, [schedule.provider_id], from, until), repo.scheduleAudit(db, schedule.id)]);
  const upcoming = expandSchedule(schedule, from, until).map((o) => {
    const shut = closuresOn(closures, schedule.location_id, o.date, o.dagdeel);
    return { ...o, closed: shut.length > 0, reasons: shut.map((c) => c.reason).join(", ") };
  });
  const history = audit.map((a) => {
    let details: AuditDetails = {};
    try {
      details = a.details ? (JSON.parse(a.details) as AuditDetails) : {};
    } catch {
      details = {};
    }
    return { ...a, overbookReason: details.overbook?.reason ?? null, overbooked: (details.overbook?.dagdelen ?? []).join("; "), continuedAs: details.continued_as ?? null, replaces: details.replaces ?? null };
  });
  return {
    title: "planning.schedule.title",
    heading: schedule.client_name,
    schedule,
    slots: slotLabels(schedule.slots),
    upcoming,
    history,
    running: schedule.valid_until === null || schedule.valid_until >= date,
    endValue: "",
    endErrors: {},
    today: date,
  };
}
