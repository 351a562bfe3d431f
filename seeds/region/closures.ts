// When the region's providers are closed: the national holidays the app proposes
// (src/domain/holidays), Carnaval in Limburg for some, a summer break for most village
// facilities, the days between Christmas and New Year for some farms, and now and then a
// location's study day or outing. From the start of the attendance window to four months ahead.

import { closedDagdelen } from "../../src/domain/closures";
import { DAGDELEN, type Dagdeel } from "../../src/domain/dagdeel";
import { carnaval, nationalHolidays } from "../../src/domain/holidays";
import { dateOfDayNumber, dayNumber, weekdayOfDayNumber } from "../../src/domain/schedule";
import type { Rng } from "../random";
import type { RegionDates } from "./options";
import type { PlanProvider } from "./organisations";

export type PlanClosure = {
  providerId: number;
  locationId: number | null;
  starts_on: string;
  ends_on: string;
  dagdeel: Dagdeel | null;
  reason: string;
};

const ONE_OFF_REASONS = ["Studiedag vrijwilligers", "Teamuitje", "Onderhoud gebouw", "Scholing personeel", "Verkiezingen in de zaal", "Kermis"];

export function planClosures(providers: PlanProvider[], dates: RegionDates, rng: Rng): PlanClosure[] {
  const from = dates.windowStart;
  const until = dateOfDayNumber(dates.todayN + 120);
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(until.slice(0, 4));
  const out: PlanClosure[] = [];
  const inRange = (c: PlanClosure) => c.ends_on >= from && c.starts_on <= until;
  const add = (c: PlanClosure) => {
    if (inRange(c)) out.push(c);
  };

  for (const p of providers) {
    const village = p.subkind === "dorpsdagvoorziening";
    const goodFriday = rng.chance(0.3);
    const liberation = rng.chance(0.2);
    const carnival = rng.chance(village ? 0.6 : 0.3);
    const summer = village && rng.chance(0.7);
    const christmasWeek = !village && rng.chance(0.35);
    for (let year = firstYear; year <= lastYear; year++) {
      let last: PlanClosure | null = null;
      for (const h of nationalHolidays(year)) {
        if ((h.key === "goedeVrijdag" && !goodFriday) || (h.key === "bevrijdingsdag" && !liberation)) continue;
        // Eerste and Tweede Kerstdag are one closure.
        if (last && h.key === "tweedeKerstdag" && last.reason === "Eerste Kerstdag") {
          last.ends_on = h.date;
          last.reason = "Kerst";
          continue;
        }
        last = { providerId: p.id, locationId: null, starts_on: h.date, ends_on: h.date, dagdeel: null, reason: h.reason };
        add(last);
      }
      if (carnival) {
        const c = carnaval(year);
        add({ providerId: p.id, locationId: null, starts_on: c.monday, ends_on: c.tuesday, dagdeel: null, reason: "Carnaval" });
      }
      if (summer) {
        const start = mondayOfWeek(year, rng.int(28, 31));
        add({ providerId: p.id, locationId: null, starts_on: dateOfDayNumber(start), ends_on: dateOfDayNumber(start + 20), dagdeel: null, reason: "Zomerstop" });
      }
      if (christmasWeek) {
        add({ providerId: p.id, locationId: null, starts_on: `${year}-12-27`, ends_on: `${year}-12-31`, dagdeel: null, reason: "Kerstvakantie boerderij" });
      }
      for (const l of p.locations) {
        for (let n = rng.int(0, 3); n > 0; n--) {
          const day = dayNumber(`${year}-01-01`) + rng.int(10, 350);
          if (weekdayOfDayNumber(day) > 5) continue;
          add({ providerId: p.id, locationId: l.id, starts_on: dateOfDayNumber(day), ends_on: dateOfDayNumber(day), dagdeel: rng.chance(0.5) ? rng.pick(["ochtend", "middag"] as const) : null, reason: rng.pick(ONE_OFF_REASONS) });
        }
      }
    }
  }
  return out.sort((a, b) => a.providerId - b.providerId || a.starts_on.localeCompare(b.starts_on) || (a.locationId ?? 0) - (b.locationId ?? 0));
}

/** Monday of ISO week `week` of `year`. */
function mondayOfWeek(year: number, week: number): number {
  const jan4 = dayNumber(`${year}-01-04`);
  return jan4 - weekdayOfDayNumber(jan4) + 1 + (week - 1) * 7;
}

/**
 * The (date, dagdeel) pairs closed at each location between two dates, as "yyyy-MM-dd|dagdeel"
 * keys, expanded by the domain's closedDagdelen so the seed closes what the app would.
 */
export function closedKeys(closures: PlanClosure[], providers: PlanProvider[], from: string, until: string): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const p of providers) for (const l of p.locations) out.set(l.id, new Set());
  const byProvider = new Map(providers.map((p) => [p.id, p]));
  for (const c of closures) {
    if (c.ends_on < from || c.starts_on > until) continue;
    const targets = c.locationId === null ? byProvider.get(c.providerId)!.locations.map((l) => l.id) : [c.locationId];
    const span = { location_id: c.locationId, starts_on: c.starts_on > from ? c.starts_on : from, ends_on: c.ends_on < until ? c.ends_on : until, dagdeel: c.dagdeel };
    for (const { date, dagdeel } of closedDagdelen(span, DAGDELEN)) for (const id of targets) out.get(id)!.add(`${date}|${dagdeel}`);
  }
  return out;
}
