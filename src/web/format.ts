import { DateTime } from "luxon";
import { ZONE } from "../domain/clock";
import { formatEuro, type Locale } from "../domain/money";
import { formatDateNl, isIsoDate, isoWeekOf, toDateTime } from "../domain/dates";
import { maskBsn } from "../domain/bsn";

// What every page shows the same way: dates, weeks, money, BSNs.

export function formatDate(isoDate: string | null | undefined, locale: Locale): string {
  if (!isoDate) return "";
  if (!isIsoDate(isoDate)) return isoDate;
  if (locale === "nl") return formatDateNl(isoDate);
  return toDateTime(isoDate).setLocale("en-GB").toFormat("d MMM yyyy");
}

/** A UTC ISO timestamp shown as Amsterdam wall-clock time: "23-11-2026 14:05". */
export function formatDateTime(utcIso: string | null | undefined, locale: Locale): string {
  if (!utcIso) return "";
  const d = DateTime.fromISO(utcIso, { zone: "utc" }).setZone(ZONE);
  if (!d.isValid) return utcIso;
  return locale === "nl" ? d.toFormat("d-M-yyyy HH:mm") : d.setLocale("en-GB").toFormat("d MMM yyyy HH:mm");
}

export function formatMonth(yearMonth: string, locale: Locale): string {
  const d = DateTime.fromFormat(yearMonth, "yyyy-MM", { zone: ZONE });
  if (!d.isValid) return yearMonth;
  return d.setLocale(locale === "nl" ? "nl-NL" : "en-GB").toFormat("LLLL yyyy");
}

export function formatLongDate(isoDate: string, locale: Locale): string {
  return toDateTime(isoDate)
    .setLocale(locale === "nl" ? "nl-NL" : "en-GB")
    .toFormat("cccc d MMMM yyyy");
}

export function formatWeek(isoDate: string, locale: Locale): string {
  const { year, week } = isoWeekOf(isoDate);
  return locale === "nl" ? `week ${week}, ${year}` : `week ${week}, ${year}`;
}

export function formatMoney(cents: number | string | null | undefined, locale: Locale): string {
  if (cents === null || cents === undefined || cents === "") return "";
  return formatEuro(Number(cents), locale);
}

export { maskBsn };

/**
 * Loads what ICU needs for the formats above and for sorting text (localeCompare, Intl.Collator)
 * in both languages: the first use of each in a process loads its data, 10–25 ms apiece on this
 * machine, and the first request after a start paid for all of them in one stretch (issue 11:
 * the coordinator's home's first request held the loop for 100 ms). Run once at the start,
 * with the templates (warmTemplates).
 */
export function warmFormats(): void {
  for (const locale of ["nl", "en"] as const) {
    formatDate("2026-01-05", locale);
    formatLongDate("2026-01-05", locale);
    formatMonth("2026-01", locale);
    formatDateTime("2026-01-05T10:00:00Z", locale);
  }
  "a".localeCompare("b");
  "a".localeCompare("b", "nl");
  new Intl.Collator("nl-NL").compare("a", "b");
}
