import { ruleOn, type CapacityRule } from "./capacity";
import { closuresOn, type ClosureSpan } from "./closures";
import { DAGDELEN, type Dagdeel } from "./dagdeel";
import { datesBetween } from "./dates";
import { dagdelenOn, type SchedulePattern } from "./schedule";

// Occupancy of (location, date, dagdeel) = clients whose schedule covers it + `extra`
// attendance, against the places of the capacity rule in force; a closure shuts it.
// Pure: the caller loads the rows (a fixed number of queries) and this does the counting.

export type LocationRef = { id: number };
export type LocationRule = CapacityRule & { location_id: number };
export type LocationClosure = ClosureSpan & { provider_id: number; reason: string; id?: number };
export type LocationSchedule = SchedulePattern & { id: number; client_id: number; location_id: number };
export type ExtraAttendance = { location_id: number; client_id: number; date: string; dagdeel: Dagdeel };

export type OccupancyInputs = {
  locations: (LocationRef & { provider_id: number })[];
  rules: LocationRule[];
  closures: LocationClosure[];
  schedules: LocationSchedule[];
  extras: ExtraAttendance[];
};

export type OccupancyCell = {
  location_id: number;
  date: string;
  dagdeel: Dagdeel;
  /** Places of the rule in force; 0 when there is no rule (the location is not open then). */
  places: number;
  open: boolean;
  closed: boolean;
  closureReasons: string[];
  scheduledClientIds: number[];
  extraClientIds: number[];
  booked: number;
  free: number;
};

function key(locationId: number, date: string, dagdeel: Dagdeel): string {
  return `${locationId}|${date}|${dagdeel}`;
}

export function occupancyCells(inputs: OccupancyInputs, from: string, until: string): OccupancyCell[] {
  const dates = datesBetween(from, until);
  const rulesBy = groupBy(inputs.rules, (r) => r.location_id);
  const schedulesBy = groupBy(inputs.schedules, (s) => s.location_id);
  const extrasBy = new Map<string, number[]>();
  for (const e of inputs.extras) {
    const k = key(e.location_id, e.date, e.dagdeel);
    extrasBy.set(k, [...(extrasBy.get(k) ?? []), e.client_id]);
  }
  const cells: OccupancyCell[] = [];
  for (const location of inputs.locations) {
    const closures = inputs.closures.filter((c) => c.provider_id === location.provider_id);
    const rules = rulesBy.get(location.id) ?? [];
    const schedules = schedulesBy.get(location.id) ?? [];
    for (const date of dates) {
      for (const dagdeel of DAGDELEN) {
        const shut = closuresOn(closures, location.id, date, dagdeel);
        const rule = ruleOn(rules, date, dagdeel);
        const places = rule?.places ?? 0;
        const closed = shut.length > 0;
        const scheduled = closed
          ? []
          : unique(schedules.filter((s) => dagdelenOn(s, date).includes(dagdeel)).map((s) => s.client_id));
        const extras = closed
          ? []
          : unique(extrasBy.get(key(location.id, date, dagdeel)) ?? []).filter((id) => !scheduled.includes(id));
        const booked = scheduled.length + extras.length;
        cells.push({
          location_id: location.id,
          date,
          dagdeel,
          places,
          open: rule !== null && places > 0 && !closed,
          closed,
          closureReasons: shut.map((c) => c.reason),
          scheduledClientIds: scheduled,
          extraClientIds: extras,
          booked,
          free: closed ? 0 : Math.max(0, places - booked),
        });
      }
    }
  }
  return cells;
}

function groupBy<T, K>(items: T[], by: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = by(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}
