import Holidays from "date-holidays";
import { closedEverywhereAllDay, type ClosureSpan } from "./closures";
import { addDays } from "./dates";

// The days a provider is proposed to close each year: the Dutch national holidays (from the
// date-holidays library, so Easter and Koningsdag-on-a-Sunday are its worry, not ours) and,
// for providers with a location in Limburg, Carnaval Monday and Tuesday. Pure: no I/O.

export type HolidayKey =
  | "nieuwjaarsdag"
  | "goedeVrijdag"
  | "eerstePaasdag"
  | "tweedePaasdag"
  | "koningsdag"
  | "bevrijdingsdag"
  | "hemelvaartsdag"
  | "eerstePinksterdag"
  | "tweedePinksterdag"
  | "eersteKerstdag"
  | "tweedeKerstdag"
  | "carnavalMaandag"
  | "carnavalDinsdag";

export type HolidayProposal = {
  key: HolidayKey;
  date: string;
  /** What the closure's reason says (stored data, in Dutch like the rest of the records). */
  reason: string;
  /** Proposed but not ticked by default: not every provider closes then. */
  optional: boolean;
  /** Only for providers with a location in Limburg. */
  regional: boolean;
};

type Known = { key: HolidayKey; reason: string; optional: boolean; matches: (rule: string) => boolean };

// date-holidays names its holidays in several languages; its rules are the stable handle.
const NATIONAL: Known[] = [
  { key: "nieuwjaarsdag", reason: "Nieuwjaarsdag", optional: false, matches: (r) => r === "01-01" },
  { key: "goedeVrijdag", reason: "Goede Vrijdag", optional: true, matches: (r) => r === "easter -2" },
  { key: "eerstePaasdag", reason: "Eerste Paasdag", optional: false, matches: (r) => r === "easter" },
  { key: "tweedePaasdag", reason: "Tweede Paasdag", optional: false, matches: (r) => r === "easter 1" },
  { key: "koningsdag", reason: "Koningsdag", optional: false, matches: (r) => r.startsWith("04-27") },
  { key: "bevrijdingsdag", reason: "Bevrijdingsdag", optional: false, matches: (r) => r === "05-05" },
  { key: "hemelvaartsdag", reason: "Hemelvaartsdag", optional: false, matches: (r) => r === "easter 39" },
  { key: "eerstePinksterdag", reason: "Eerste Pinksterdag", optional: false, matches: (r) => r === "easter 49" },
  { key: "tweedePinksterdag", reason: "Tweede Pinksterdag", optional: false, matches: (r) => r === "easter 50" },
  { key: "eersteKerstdag", reason: "Eerste Kerstdag", optional: false, matches: (r) => r === "12-25" },
  { key: "tweedeKerstdag", reason: "Tweede Kerstdag", optional: false, matches: (r) => r === "12-26" },
];

const calendar = new Holidays("NL");

function libraryHolidays(year: number): { date: string; rule: string }[] {
  return calendar.getHolidays(year).map((h) => ({ date: h.date.slice(0, 10), rule: String(h.rule ?? "") }));
}

/** The national holidays of a year that a day-care provider may close on, in date order. */
export function nationalHolidays(year: number): HolidayProposal[] {
  const all = libraryHolidays(year);
  const out: HolidayProposal[] = [];
  for (const known of NATIONAL) {
    const found = all.find((h) => known.matches(h.rule));
    if (found) out.push({ key: known.key, date: found.date, reason: known.reason, optional: known.optional, regional: false });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/** Easter Sunday of a year (yyyy-MM-dd). */
export function easterSunday(year: number): string {
  const found = libraryHolidays(year).find((h) => h.rule === "easter");
  if (!found) throw new Error(`date-holidays knows no Easter in ${year}`);
  return found.date;
}

/** Carnaval Monday and Tuesday: 48 and 47 days before Easter Sunday (the days before Ash Wednesday). */
export function carnaval(year: number): { monday: string; tuesday: string } {
  const easter = easterSunday(year);
  return { monday: addDays(easter, -48), tuesday: addDays(easter, -47) };
}

/** Everything proposed for a year; Carnaval only when the provider has a location in Limburg. */
export function holidayProposals(year: number, options: { limburg: boolean }): HolidayProposal[] {
  const out = nationalHolidays(year);
  if (options.limburg) {
    const { monday, tuesday } = carnaval(year);
    out.push({ key: "carnavalMaandag", date: monday, reason: "Carnaval (maandag)", optional: false, regional: true });
    out.push({ key: "carnavalDinsdag", date: tuesday, reason: "Carnaval (dinsdag)", optional: false, regional: true });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The proposals still worth offering: from `today` on, and not already covered by a closure of
 * all the provider's locations for the whole day (whatever its reason says).
 */
export function openProposals(proposals: HolidayProposal[], closures: ClosureSpan[], today: string): HolidayProposal[] {
  return proposals.filter((p) => p.date >= today && !closedEverywhereAllDay(closures, p.date));
}
