// What a region build is asked for: a seed value, a size and a "today". Everything else in the
// region follows from these three, so the same three always give the same database.

import { dateOfDayNumber, dayNumber } from "../../src/domain/schedule";

export type RegionOptions = {
  /** Any non-negative integer: each value gives another, equally valid region. */
  seed: number;
  /** 1 = the full region (~100 providers, 200 locations, ~20,000 clients); 0.01 for a test. */
  scale: number;
  /** yyyy-MM-dd: attendance runs up to the day before. */
  today: string;
};

export const DEFAULT_SEED = 1;

/** Every date the region hangs on, as ISO dates and as day numbers (days since 1970-01-01). */
export type RegionDates = {
  today: string;
  todayN: number;
  yesterday: string;
  /** The first day of the month 24 months before today's: two years of attendance. */
  windowStart: string;
  windowStartN: number;
  /** The past months, oldest first ("yyyy-MM"): each one is declared. */
  months: string[];
  /** The year of today. */
  year: number;
  /** From October next year's contracts are signed (as in the demo data). */
  nextYearSigned: boolean;
  /** Schedules may start this many days before the window (clients who came before it). */
  historyStartN: number;
  /** New schedules are planned at most this far ahead. */
  planAheadN: number;
};

const HISTORY_YEARS = 3;
const PLAN_AHEAD_DAYS = 21;

export function regionDates(today: string): RegionDates {
  const todayN = dayNumber(today);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const months: string[] = [];
  for (let i = 24; i >= 1; i--) {
    const m0 = year * 12 + (month - 1) - i;
    months.push(`${Math.floor(m0 / 12)}-${String((m0 % 12) + 1).padStart(2, "0")}`);
  }
  const windowStart = `${months[0]}-01`;
  const windowStartN = dayNumber(windowStart);
  return {
    today,
    todayN,
    yesterday: dateOfDayNumber(todayN - 1),
    windowStart,
    windowStartN,
    months,
    year,
    nextYearSigned: month >= 10,
    historyStartN: windowStartN - Math.round(HISTORY_YEARS * 365.25),
    planAheadN: todayN + PLAN_AHEAD_DAYS,
  };
}

/** The last day of a "yyyy-MM" month. */
export function monthEnd(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return dateOfDayNumber(Date.UTC(y, m, 0) / 86_400_000);
}

/**
 * Options from the command line (`--seed 7 --scale 0.1 --today 2026-12-06`) and the
 * environment (REGION_SEED, REGION_SCALE, SEED_TODAY), the command line winning.
 */
export function parseRegionOptions(argv: readonly string[], env: NodeJS.ProcessEnv, fallbackToday: string): RegionOptions {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  };
  const seedText = arg("seed") ?? env.REGION_SEED ?? String(DEFAULT_SEED);
  const scaleText = arg("scale") ?? env.REGION_SCALE ?? "1";
  const today = arg("today") ?? env.SEED_TODAY ?? fallbackToday;
  return checkOptions({ seed: Number(seedText), scale: Number(scaleText), today });
}

export function checkOptions(o: RegionOptions): RegionOptions {
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new RangeError(`--seed must be a whole number ≥ 0, got ${o.seed}`);
  if (!Number.isFinite(o.scale) || o.scale < 0.005 || o.scale > 2) throw new RangeError(`--scale must lie between 0.005 and 2, got ${o.scale}`);
  try {
    dayNumber(o.today);
  } catch {
    throw new RangeError(`--today must be a date yyyy-MM-dd, got ${o.today}`);
  }
  return o;
}
