import { DAGDELEN, isDagdeel, type Dagdeel } from "../domain/dagdeel";
import type { Slot } from "../domain/schedule";

// The board and the waiting list work Monday to Friday, where nearly every location of the field
// opens; a schedule may also use Saturday and Sunday where a location has capacity then.
// Keys are written out so the locale test sees every one of them.
export const PLAN_WEEKDAYS = [
  { n: 1, key: "planning.weekdays.monday", short: "planning.weekdaysShort.monday" },
  { n: 2, key: "planning.weekdays.tuesday", short: "planning.weekdaysShort.tuesday" },
  { n: 3, key: "planning.weekdays.wednesday", short: "planning.weekdaysShort.wednesday" },
  { n: 4, key: "planning.weekdays.thursday", short: "planning.weekdaysShort.thursday" },
  { n: 5, key: "planning.weekdays.friday", short: "planning.weekdaysShort.friday" },
] as const;

export const WEEKEND_DAYS = [
  { n: 6, key: "planning.weekdays.saturday", short: "planning.weekdaysShort.saturday" },
  { n: 7, key: "planning.weekdays.sunday", short: "planning.weekdaysShort.sunday" },
] as const;

export const ALL_WEEKDAYS = [...PLAN_WEEKDAYS, ...WEEKEND_DAYS] as const;

/** "2-ochtend" → { weekday: 2, dagdeel: "ochtend" }; null for anything else. */
export function parseSlot(value: string): Slot | null {
  const m = /^([1-7])-(ochtend|middag)$/.exec(value);
  return m && isDagdeel(m[2]) ? { weekday: Number(m[1]), dagdeel: m[2] } : null;
}

export function slotValue(s: Slot): string {
  return `${s.weekday}-${s.dagdeel}`;
}

/** A query or body value that may come once, repeated, or not at all. */
export function manyStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

export type SlotGridDay = { n: number; key: string; short: string; cells: { value: string; dagdeel: Dagdeel; checked: boolean }[] };

/** The Monday–Friday (with the weekend: –Sunday) × ochtend/middag checkboxes, with the chosen ones ticked. */
export function slotGrid(chosen: string[], weekend = false): SlotGridDay[] {
  const days = weekend || chosen.some((c) => /^[67]-/.test(c)) ? ALL_WEEKDAYS : PLAN_WEEKDAYS;
  return days.map((d) => ({
    n: d.n,
    key: d.key,
    short: d.short,
    cells: DAGDELEN.map((dagdeel) => ({ value: `${d.n}-${dagdeel}`, dagdeel, checked: chosen.includes(`${d.n}-${dagdeel}`) })),
  }));
}

/** Slots as readable rows for a page: weekday key and dagdeel, in week order. */
export function slotLabels(slots: Slot[]): { key: string; dagdeel: Dagdeel }[] {
  return [...slots]
    .sort((a, b) => a.weekday - b.weekday || (a.dagdeel === b.dagdeel ? 0 : a.dagdeel === "ochtend" ? -1 : 1))
    .map((s) => ({ key: ALL_WEEKDAYS.find((d) => d.n === s.weekday)?.key ?? "planning.weekdays.other", dagdeel: s.dagdeel }));
}
