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
