import { addDays, mondayOf, periodContains, toDateTime } from "./dates";

// An allocation (toewijzing, Wlz-indicatie) grants a volume of a product for a period. The
// volume counts per week, per month or in total for the whole period: iWmo Frequentie 2, 4
// and 6. Everything that asks "does the plan fit the allocation?" counts through here, so the
// allocation form, the planning rules and the problem lists agree.

export const FREQUENCIES = ["week", "maand", "totaal"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** iWmo 3.2 Frequentie codes: 2 = per week, 4 = per maand, 6 = totaal binnen de geldigheidsduur. */
export const IWMO_FREQUENTIE: Record<Frequency, "2" | "4" | "6"> = { week: "2", maand: "4", totaal: "6" };

export function frequencyFromIwmo(code: string): Frequency | null {
  const found = FREQUENCIES.find((f) => IWMO_FREQUENTIE[f] === code.trim());
  return found ?? null;
}

export type Period = { valid_from: string; valid_until: string | null };

export type AllocationVolume = Period & { volume: number; frequency: Frequency };

export const ALLOCATION_STATUSES = ["lopend", "toekomstig", "afgelopen"] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];

/** Running today, starting later, or over. */
export function allocationStatus(period: Period, today: string): AllocationStatus {
  if (period.valid_from > today) return "toekomstig";
  if (period.valid_until !== null && period.valid_until < today) return "afgelopen";
  return "lopend";
}

export type PurchaserSubkind = "gemeente" | "zorgkantoor";
export type ProductStandardCodes = { iwmo_category: string | null; wlz_code: string | null };

/**
 * A gemeente allocates under the Wmo and speaks iWmo (a product with a ProductCategorie); a
 * zorgkantoor under the Wlz (a product with an NZa prestatiecode). A product from the other
 * standard could never be declared.
 */
export function productFitsPurchaser(subkind: string, product: ProductStandardCodes): boolean {
  if (subkind === "gemeente") return product.iwmo_category !== null && product.iwmo_category !== "";
  if (subkind === "zorgkantoor") return product.wlz_code !== null && product.wlz_code !== "";
  return false;
}

/**
 * Both iWmo (WMO301) and the Wlz identify the client by BSN, so every allocation from a
 * gemeente or zorgkantoor needs one. Subsidy, PGB and self-pay have no allocation at all.
 */
export function allocationRequiresBsn(subkind: string): boolean {
  return subkind === "gemeente" || subkind === "zorgkantoor";
}

export type VolumeWindow = { from: string; until: string | null };

function later(a: string, b: string): string {
  return a > b ? a : b;
}

function earlier(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * The window in which the volume counts around `date`: its ISO week (Monday–Sunday), its
 * calendar month, or the whole period for "totaal" — clipped to the allocation's period.
 * Null when the date lies outside the period.
 */
export function volumeWindowOn(allocation: AllocationVolume, date: string): VolumeWindow | null {
  if (!periodContains(allocation.valid_from, allocation.valid_until, date)) return null;
  let from: string;
  let until: string | null;
  switch (allocation.frequency) {
    case "week":
      from = mondayOf(date);
      until = addDays(from, 6);
      break;
    case "maand": {
      const d = toDateTime(date);
      from = d.startOf("month").toISODate()!;
      until = d.endOf("month").toISODate()!;
      break;
    }
    case "totaal":
      return { from: allocation.valid_from, until: allocation.valid_until };
  }
  return { from: later(from, allocation.valid_from), until: earlier(until, allocation.valid_until) };
}

export type WindowUsage = VolumeWindow & { volume: number; used: number; over: boolean };
export type VolumeUsage = { windows: WindowUsage[]; outside: string[] };

/**
 * Counts dated units (one per planned or attended dagdeel; a date may appear twice for a
 * morning and an afternoon) into the allocation's windows. Returns every window that holds at
 * least one unit, in date order, whether it passes the volume, and the dates outside the period.
 */
export function volumeUsage(allocation: AllocationVolume, dates: readonly string[]): VolumeUsage {
  const windows = new Map<string, WindowUsage>();
  const outside: string[] = [];
  for (const date of dates) {
    const window = volumeWindowOn(allocation, date);
    if (!window) {
      outside.push(date);
      continue;
    }
    const usage = windows.get(window.from) ?? { ...window, volume: allocation.volume, used: 0, over: false };
    usage.used += 1;
    usage.over = usage.used > allocation.volume;
    windows.set(window.from, usage);
  }
  return { windows: [...windows.values()].sort((a, b) => a.from.localeCompare(b.from)), outside: outside.sort() };
}

/** True when every unit falls inside the period and no window passes the volume. */
export function fitsAllocation(allocation: AllocationVolume, dates: readonly string[]): boolean {
  const usage = volumeUsage(allocation, dates);
  return usage.outside.length === 0 && usage.windows.every((w) => !w.over);
}

/** Does `inner` lie entirely within `outer`? Open ends (null) reach forever. */
export function periodWithin(inner: Period, outer: Period): boolean {
  if (inner.valid_from < outer.valid_from) return false;
  if (outer.valid_until === null) return true;
  return inner.valid_until !== null && inner.valid_until <= outer.valid_until;
}
