import { DateTime } from "luxon";
import { ZONE } from "../domain/clock";
import { isIsoDate, toDateTime } from "../domain/dates";
import { formatDate } from "../web/format";
import { translator, type AppLocale } from "../web/i18n";

// What the attendance routes share to turn rule messages and dates into words for a page.

/** A rule's parameters in the words of the page: dates as d-M-yyyy, dagdelen and months spelled out. */
export function displayParams(params: Record<string, string | number>, locale: AppLocale): Record<string, string> {
  const t = translator(locale);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const s = String(v);
    if (k === "date" && isIsoDate(s)) out[k] = formatDate(s, locale);
    else if (k === "dagdeel") out[k] = t(`dagdeel.${s}`);
    else if (k === "month") out[k] = monthLabel(s, locale);
    else out[k] = s;
  }
  return out;
}

/** "2026-11" → "november 2026" / "November 2026". */
export function monthLabel(month: string, locale: AppLocale): string {
  const d = DateTime.fromISO(`${month}-01`, { zone: ZONE });
  return d.isValid ? d.setLocale(locale === "nl" ? "nl-NL" : "en-GB").toFormat("LLLL yyyy") : month;
}

/** "ma 23-11" / "Mon 23 Nov": a day in a narrow column head. */
export function shortDay(isoDate: string, locale: AppLocale): string {
  const d = toDateTime(isoDate).setLocale(locale === "nl" ? "nl-NL" : "en-GB");
  return locale === "nl" ? d.toFormat("ccc d-M") : d.toFormat("ccc d MMM");
}

export function statusWord(status: string, locale: AppLocale): string {
  return translator(locale)(`attendanceStatus.${status}`);
}

export function dagdeelWord(dagdeel: string, locale: AppLocale): string {
  return translator(locale)(`dagdeel.${dagdeel}`);
}
