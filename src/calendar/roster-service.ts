import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { DAGDELEN, type Dagdeel } from "../domain/dagdeel";
import { NotFoundError } from "../domain/errors";
import { clientPlan, locationPlan, type FeedLocation } from "../domain/feed-events";
import { addDays, isoWeekday, weekDates } from "../domain/dates";
import { splitSurname } from "../domain/short-name";
import { nextWeekParam, previousWeekParam, weekParamOf } from "../domain/iso-week";
import { addressOf } from "./ics";
import { loadClientPlanData, loadLocationPlanData } from "./plan-repository";
import { findVisibleClient, findVisibleLocation } from "./subjects-repository";

// Printable week rosters, Monday to Sunday × ochtend/middag, from the same plan as the feeds.
// Staff read these on paper, so full names are fine; a BSN is never loaded, and absence is
// shown as "afgemeld" whatever was reported (ziek is health information).

type Week = {
  monday: string;
  sunday: string;
  days: string[];
  /** Column heads: the date and the locale key of its short weekday name. */
  dayHeads: { date: string; weekdayKey: string }[];
  weekParam: string;
  previous: string;
  next: string;
};

function weekOf(monday: string): Week {
  const days = weekDates(monday);
  return {
    monday,
    sunday: addDays(monday, 6),
    days,
    dayHeads: days.map((date) => ({ date, weekdayKey: `calendar.weekdays.${isoWeekday(date)}` })),
    weekParam: weekParamOf(monday),
    previous: previousWeekParam(monday),
    next: nextWeekParam(monday),
  };
}

function clockTimes(location: FeedLocation, dagdeel: Dagdeel): string {
  return dagdeel === "ochtend" ? `${location.morning_start}–${location.morning_end}` : `${location.afternoon_start}–${location.afternoon_end}`;
}

const collator = new Intl.Collator("nl-NL");

export async function locationRoster(db: Knex, scope: Scope, locationId: number, monday: string) {
  if (!(await findVisibleLocation(db, scope, locationId))) throw new NotFoundError("location");
  const week = weekOf(monday);
  const data = await loadLocationPlanData(db, locationId, { from: week.monday, until: week.sunday });
  if (!data) throw new NotFoundError("location");
  const clients = new Map(data.clients.map((c) => [c.id, c]));
  const people = (ids: number[]) =>
    ids
      .map((id) => clients.get(id))
      .filter((c) => c !== undefined)
      // Dutch lists sort "van Rens" under R: by the surname without its tussenvoegsels.
      .sort((a, b) => collator.compare(splitSurname(a.last_name).surname, splitSurname(b.last_name).surname) || collator.compare(a.first_name, b.first_name))
      .map((c) => ({ id: c.id, name: `${c.first_name} ${c.last_name}` }));
  const cells = locationPlan({ from: week.monday, until: week.sunday, ...data });
  const rows = DAGDELEN.map((dagdeel) => ({
    dagdeel,
    times: clockTimes(data.location, dagdeel),
    cells: week.days.map((date) => {
      const cell = cells.find((c) => c.date === date && c.dagdeel === dagdeel)!;
      return { date, closed: cell.closed, closureReasons: cell.closureReasons.join(", "), clients: people(cell.clientIds), absent: people(cell.absentClientIds), count: cell.clientIds.length };
    }),
  }));
  return { location: data.location, address: addressOf(data.location), ...week, rows };
}

export async function clientRoster(db: Knex, scope: Scope, clientId: number, monday: string) {
  const client = await findVisibleClient(db, scope, clientId);
  if (!client) throw new NotFoundError("client");
  const week = weekOf(monday);
  const data = await loadClientPlanData(db, clientId, { from: week.monday, until: week.sunday });
  if (!data) throw new NotFoundError("client");
  // A provider sees the client's dagdelen at its own locations only.
  const shown = new Map(
    data.locations.filter((l) => scope.seesEverything || scope.ownsProvider(l.provider_id)).map((l) => [l.id, l]),
  );
  const plan = clientPlan({ clientId, from: week.monday, until: week.sunday, ...data }).filter((d) => shown.has(d.location_id));
  const rows = DAGDELEN.map((dagdeel) => ({
    dagdeel,
    cells: week.days.map((date) => {
      const d = plan.find((p) => p.date === date && p.dagdeel === dagdeel);
      if (!d) return { date, planned: false };
      const location = shown.get(d.location_id)!;
      return { date, planned: true, location: location.name, times: clockTimes(location, dagdeel), closed: d.closed, absent: d.absent, extra: d.extra };
    }),
  }));
  const used = new Set(plan.map((p) => p.location_id));
  const locations = [...shown.values()].filter((l) => used.has(l.id)).map((l) => ({ name: l.name, address: addressOf(l) }));
  return { client, name: `${client.first_name} ${client.last_name}`, ...week, rows, locations };
}
