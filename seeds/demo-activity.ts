// What happened on the days before "today": closures, attendance and the declarations made of
// it. Pure functions over the plan; locations and clients are plan indexes here.

import Holidays from "date-holidays";
import { DateTime } from "luxon";
import { ZONE } from "../src/domain/clock";
import { isClosedOn, type ClosureSpan } from "../src/domain/closures";
import type { Dagdeel } from "../src/domain/dagdeel";
import { addDays, datesBetween, isoWeekday, toDateTime } from "../src/domain/dates";
import { expandSchedule } from "../src/domain/schedule";
import type { ProviderSpec } from "./demo-data";
import type { SeedDates } from "./demo-dates";
import { locationOf, type Plan, type PlannedClient, type Segment } from "./demo-plan";
import type { Rng } from "./random";

export type PlannedClosure = ClosureSpan & { providerIndex: number; reason: string };

const HOLIDAY_NAMES: Record<string, string> = {
  Nieuwjaar: "Nieuwjaarsdag",
  "Tweede paasdag": "Tweede Paasdag",
  Koningsdag: "Koningsdag",
  Hemelvaartsdag: "Hemelvaartsdag",
  "Tweede pinksterdag": "Tweede Pinksterdag",
  Kerstmis: "Kerst",
  "Tweede kerstdag": "Kerst",
};

/** National holidays from the start of the attendance window up to next New Year's Day. */
function holidays(dates: SeedDates): { starts_on: string; ends_on: string; reason: string }[] {
  const hd = new Holidays("NL", { languages: ["nl"] });
  const until = `${dates.year + 1}-01-01`;
  const out: { starts_on: string; ends_on: string; reason: string }[] = [];
  for (const year of [dates.year - 1, dates.year, dates.year + 1]) {
    for (const h of hd.getHolidays(year, "nl")) {
      const day = h.date.slice(0, 10);
      const reason = HOLIDAY_NAMES[h.name];
      if (h.type !== "public" || !reason || day < dates.windowStart || day > until) continue;
      const last = out[out.length - 1];
      // Eerste and Tweede Kerstdag are one closure.
      if (last && last.reason === reason && addDays(last.ends_on, 1) === day) last.ends_on = day;
      else out.push({ starts_on: day, ends_on: day, reason });
    }
  }
  return out;
}

function easter(year: number): string {
  const pasen = new Holidays("NL").getHolidays(year).find((h) => h.name === "Pasen" || h.name === "Easter Sunday");
  if (!pasen) throw new Error(`no Easter in ${year}`);
  return pasen.date.slice(0, 10);
}

export function planClosures(providers: readonly ProviderSpec[], plan: Plan, dates: SeedDates): PlannedClosure[] {
  const out: PlannedClosure[] = [];
  for (const h of holidays(dates)) {
    providers.forEach((_, providerIndex) => out.push({ providerIndex, location_id: null, dagdeel: null, ...h }));
  }
  // Carnaval (Monday and Tuesday before Ash Wednesday) shuts a few village facilities in Limburg.
  for (const year of [dates.year, dates.year + 1]) {
    const monday = addDays(easter(year), -48);
    if (monday < dates.windowStart || monday > addDays(dates.today, 120)) continue;
    for (const name of ["Dorpsdagvoorziening Helden", "Dorpsdagvoorziening Kessel", "Dorpsdagvoorziening Maasbree"]) {
      const providerIndex = providers.findIndex((p) => p.name === name);
      out.push({ providerIndex, location_id: null, starts_on: monday, ends_on: addDays(monday, 1), dagdeel: null, reason: "Carnaval" });
    }
  }
  // One afternoon in the coming two weeks the volunteers of Helden train instead.
  const helden = plan.locations[locationOf(providers, "Dorpsdagvoorziening Helden")];
  const day = datesBetween(addDays(dates.today, 2), addDays(dates.today, 13)).find((d) =>
    helden.cells.some((c) => c.weekday === isoWeekday(d) && c.dagdeel === "middag"),
  );
  if (day) {
    out.push({ providerIndex: helden.providerIndex, location_id: helden.index, starts_on: day, ends_on: day, dagdeel: "middag", reason: "Studiedag vrijwilligers" });
  }
  return out;
}

export type AttendanceStatus = "aanwezig" | "afgemeld" | "ziek" | "niet_verschenen" | "extra";

export type PlannedAttendance = {
  client: number;
  location: number;
  date: string;
  dagdeel: Dagdeel;
  status: AttendanceStatus;
  segment: Segment | null;
  recorded_at: string;
};

function recordedAt(rng: Rng, date: string, dagdeel: Dagdeel): string {
  const d = toDateTime(date);
  const local = DateTime.fromObject(
    { year: d.year, month: d.month, day: d.day, hour: dagdeel === "ochtend" ? 12 : 16, minute: rng.int(2, 48) },
    { zone: ZONE },
  );
  return local.toUTC().toISO({ suppressMilliseconds: false })!;
}

function drawStatus(rng: Rng): AttendanceStatus {
  const r = rng.next();
  if (r < 0.88) return "aanwezig";
  if (r < 0.93) return "afgemeld";
  if (r < 0.975) return "ziek";
  return "niet_verschenen";
}

/** One row per scheduled dagdeel in the window (closures left out), and a few extra visits. */
export function planAttendance(providers: readonly ProviderSpec[], plan: Plan, closures: PlannedClosure[], dates: SeedDates, rng: Rng): PlannedAttendance[] {
  const closedAt = (location: number) => {
    const own = closures.filter((c) => c.providerIndex === plan.locations[location].providerIndex);
    return (date: string, dagdeel: Dagdeel) => isClosedOn(own, location, date, dagdeel);
  };
  const rows: PlannedAttendance[] = [];
  for (const c of plan.clients) {
    for (const s of c.segments) {
      for (const o of expandSchedule({ ...s, valid_from: s.from, valid_until: s.until, week_parity: s.parity }, dates.windowStart, dates.windowEnd, closedAt(s.location))) {
        rows.push({ client: c.index, location: s.location, date: o.date, dagdeel: o.dagdeel, status: drawStatus(rng), segment: s, recorded_at: recordedAt(rng, o.date, o.dagdeel) });
      }
    }
  }

  // One Peelhoeve client has been ill for the last few times: the board should flag it.
  const peelhoeve = locationOf(providers, "Zorgboerderij De Peelhoeve");
  const ill = plan.clients.find((c) => c.category === "wmo" && c.segments.length === 1 && c.segments[0].location === peelhoeve && c.segments[0].until === null && c.segments[0].slots.length >= 3);
  if (ill) {
    const own = rows.filter((r) => r.client === ill.index).slice(-4);
    own.forEach((r, i) => (r.status = i === 0 ? "niet_verschenen" : "ziek"));
  }

  // A handful of extra visits by clients without an allocation, on places that were free.
  const taken = new Map<string, number>();
  const seen = new Set<string>();
  for (const r of rows) {
    taken.set(`${r.location}:${r.date}:${r.dagdeel}`, (taken.get(`${r.location}:${r.date}:${r.dagdeel}`) ?? 0) + 1);
    seen.add(`${r.client}:${r.date}:${r.dagdeel}`);
  }
  const visitors = rng.shuffle(plan.clients.filter((c) => ["subsidie", "pgb", "eigen"].includes(c.category) && c.segments.length === 1 && c.ended_on === null)).slice(0, 10);
  const days = datesBetween(dates.windowStart, dates.windowEnd);
  for (const c of visitors) {
    const s = c.segments[0];
    const l = plan.locations[s.location];
    const free = days.flatMap((date) =>
      (["ochtend", "middag"] as const)
        .filter((dagdeel) => {
          const rule = l.rules.find((r) => r.weekday === isoWeekday(date) && r.dagdeel === dagdeel && r.valid_from <= date && (r.valid_until === null || date <= r.valid_until));
          return rule !== undefined && date >= s.from && !closedAt(l.index)(date, dagdeel) && !seen.has(`${c.index}:${date}:${dagdeel}`) &&
            (taken.get(`${l.index}:${date}:${dagdeel}`) ?? 0) < rule.places;
        })
        .map((dagdeel) => ({ date, dagdeel })),
    );
    if (free.length === 0) continue;
    const { date, dagdeel } = rng.pick(free);
    taken.set(`${l.index}:${date}:${dagdeel}`, (taken.get(`${l.index}:${date}:${dagdeel}`) ?? 0) + 1);
    seen.add(`${c.index}:${date}:${dagdeel}`);
    rows.push({ client: c.index, location: l.index, date, dagdeel, status: "extra", segment: null, recorded_at: recordedAt(rng, date, dagdeel) });
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date) || a.location - b.location || a.dagdeel.localeCompare(b.dagdeel) || a.client - b.client);
}

export type TariffLine = { id: number; product: string; tariff_cents: number; valid_from: string; valid_until: string };

export type DeclarationLinePlan = { client: number; product: string; line: TariffLine; units: number; amount_cents: number };

/**
 * Units of one provider × purchaser × month: attended dagdelen (and no-shows where the contract
 * bills them) × the tariff valid on each date, and two rides a day for clients with transport.
 */
export function declarationLines(opts: {
  plan: Plan;
  attendance: PlannedAttendance[];
  providerIndex: number;
  purchaser: "gemeente" | "zorgkantoor";
  month: string;
  lines: TariffLine[];
  noShowBillable: boolean;
}): DeclarationLinePlan[] {
  const { plan, providerIndex, purchaser, month, lines } = opts;
  const ofPurchaser = (c: PlannedClient): boolean =>
    c.allocation !== null && c.providerIndex === providerIndex && (purchaser === "zorgkantoor") === (c.category === "wlz");
  const lineOn = (product: string, date: string): TariffLine | undefined =>
    lines.find((l) => l.product === product && l.valid_from <= date && date <= l.valid_until);
  const groups = new Map<string, DeclarationLinePlan>();
  const add = (client: number, product: string, line: TariffLine, units: number): void => {
    const k = `${client}:${line.id}`;
    const g = groups.get(k) ?? { client, product, line, units: 0, amount_cents: 0 };
    g.units += units;
    g.amount_cents = g.units * line.tariff_cents;
    groups.set(k, g);
  };
  const rideDays = new Set<string>();
  for (const r of opts.attendance) {
    if (!r.date.startsWith(month) || r.segment === null) continue;
    const c = plan.clients[r.client];
    if (!ofPurchaser(c) || plan.locations[r.location].providerIndex !== providerIndex) continue;
    if (!(r.status === "aanwezig" || (r.status === "niet_verschenen" && opts.noShowBillable))) continue;
    const line = lineOn(c.allocation!.product, r.date);
    if (line) add(c.index, c.allocation!.product, line, 1);
    const t = c.transport;
    if (r.status === "aanwezig" && t && t.from <= r.date && (t.until === null || r.date <= t.until) && !rideDays.has(`${c.index}:${r.date}`)) {
      rideDays.add(`${c.index}:${r.date}`);
      const ride = lineOn(t.product, r.date);
      if (ride) add(c.index, t.product, ride, 2);
    }
  }
  return [...groups.values()].sort((a, b) => a.client - b.client || a.line.id - b.line.id);
}

/** First and last day of a "yyyy-MM" month. */
export function monthBounds(month: string): { from: string; until: string } {
  const first = toDateTime(`${month}-01`);
  return { from: first.toISODate()!, until: first.endOf("month").toISODate()! };
}
