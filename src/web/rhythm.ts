import { isIsoDate, isoWeekOf } from "../domain/dates";
import { startWeekMonday, type WeekParity } from "../domain/schedule";
import { translator, type AppLocale } from "./i18n";

// A schedule's week rhythm in words. Every other week is counted from its start week (see
// anchorWeek in src/domain/schedule.ts), so that is what the page names, not "even weeks".

export function rhythmText(validFrom: string, parity: string, locale: AppLocale): string {
  const t = translator(locale);
  if (parity !== "even" && parity !== "oneven") return t("planningParity.elke");
  if (!isIsoDate(validFrom)) return t(`planningParity.${parity}`);
  const monday = startWeekMonday({ valid_from: validFrom, week_parity: parity as WeekParity })!;
  return t("planningParity.fortnightly", { week: isoWeekOf(monday).week });
}

export type RhythmChoice = { value: WeekParity; week: number };

/**
 * The two every-other-week choices of the schedule form for a first day: starting in its own
 * week or in the week after. Stored as even/oneven, the ISO parity of the start week; in week 53
 * "the week after" is week 1, also odd, and anchorWeek reads "even" there as the week after.
 */
export function fortnightlyChoices(validFrom: string): RhythmChoice[] {
  const own = isoWeekOf(validFrom).week;
  const thisValue: WeekParity = own % 2 === 1 ? "oneven" : "even";
  const nextValue: WeekParity = thisValue === "even" ? "oneven" : "even";
  return [
    { value: thisValue, week: own },
    { value: nextValue, week: isoWeekOf(startWeekMonday({ valid_from: validFrom, week_parity: nextValue })!).week },
  ];
}
