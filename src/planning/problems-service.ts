import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { CONTRACT_SIGNAL_WEEKS, HORIZON_WEEKS, productCover, uncoveredRanges, volumeWindows, type ContractLineSpan, type CoverSpan } from "../domain/booking-rules";
import { closuresOn } from "../domain/closures";
import type { Dagdeel } from "../domain/dagdeel";
import { addDays, mondayOf } from "../domain/dates";
import { dayNumber, expandSchedule } from "../domain/schedule";
import * as repo from "./problems-repository";
import { withFunding, withRoomOnGrid, type EntryWithFit } from "./waitlist-service";
import { listEntries } from "./waitlist-repository";
import { activeLocationsInScope, overCapacity, type OverCapacity } from "./over-capacity";
import { giveWay, nextTurn, Turns } from "../web/turns";
import { LAST_DATE } from "../domain/date-window";
import { loadOccupancyInputs } from "../occupancy/repository";
import { OccupancyGrid } from "../domain/occupancy-grid";
import { slotLabels } from "./weekdays";
import { KeptAnswers, keptAt, scopeKey } from "../data-version/kept";
import { addToGroup } from "../domain/groups";

// The problem lists (signalen), each a first-class page, all computed from the same few
// queries and through the same expansion and rules as a booking: over the booking horizon
// (26 weeks from today), so what a booking would now be refused for shows up here.

export const PROBLEM_KINDS = ["boven-capaciteit", "boven-toewijzing", "toewijzing-loopt-af", "zonder-contract", "zonder-rooster", "past-nu"] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export const ENDING_WITHIN_DAYS = 28;

export function isProblemKind(value: unknown): value is ProblemKind {
  return typeof value === "string" && (PROBLEM_KINDS as readonly string[]).includes(value);
}

export type OverVolume = { allocation: repo.ProblemAllocation; windows: { from: string; until: string | null; used: number }[]; worst: number; schedules: repo.ProblemSchedule[] };
export type EndingAllocation = { allocation: repo.ProblemAllocation; schedules: repo.ProblemSchedule[] };
export type Uncovered = { schedule: repo.ProblemSchedule; from: string; until: string };
export type Unplanned = { allocation: repo.ProblemAllocation };

export type Problems = {
  horizonEnd: string;
  /** Dagdelen with more clients than places, and the bookings past the places without an overbooking reason. */
  overCapacity: OverCapacity[];
  overVolume: OverVolume[];
  ending: EndingAllocation[];
  uncovered: Uncovered[];
  /** The uncovered schedules by the day their cover ends: usually one contract year running out. */
  uncoveredFrom: { from: string; count: number }[];
  unplanned: Unplanned[];
  fitting: (EntryWithFit & { slotLabels: ReturnType<typeof slotLabels> })[];
};

function closedFor(closures: repo.ProblemClosure[], s: repo.ProblemSchedule) {
  const own = closures.filter((c) => c.provider_id === s.provider_id);
  return (date: string, dagdeel: Dagdeel) => closuresOn(own, s.location_id, date, dagdeel).length > 0;
}

// The same today for thousands of allocations.
let lastMonday: [string, string] = ["", ""];
function mondayOfCached(date: string): string {
  if (lastMonday[0] !== date) lastMonday = [date, mondayOf(date)];
  return lastMonday[1];
}

/** The first day of the volume window that holds `date`: its week's Monday or its month's first. */
function windowStart(frequency: string, date: string, allocationFrom: string): string {
  if (frequency === "week") return mondayOfCached(date);
  if (frequency === "maand") return `${date.slice(0, 7)}-01`;
  return allocationFrom;
}

/**
 * The most dagdelen the funded schedules could hold in one volume window between two dates:
 * every slot of every schedule each week (five times a month). No window can hold more, so an
 * allocation whose volume is at least this needs no counting.
 */
export function mostPerWindow(frequency: string, funded: { slots: unknown[] }[], from: string, until: string): number {
  const slots = funded.reduce((n, s) => n + s.slots.length, 0);
  if (frequency === "week") return slots;
  if (frequency === "maand") return slots * 5;
  return slots * (Math.floor((dayNumber(until) - dayNumber(from)) / 7) + 1);
}

/** Contract lines per provider: a schedule's cover looks at its own provider's lines. */
function linesByProvider(lines: ContractLineSpan[]): (providerId: number) => ContractLineSpan[] {
  const byProvider = new Map<number, ContractLineSpan[]>();
  for (const l of lines) addToGroup(byProvider, l.provider_id, l);
  return (providerId) => byProvider.get(providerId) ?? [];
}

/**
 * Where the schedule's contract (by funding) covers it; null when it needs none (PGB/self-pay
 * without contract). `lines` are the provider's; `firstLineOf` gives any contract's first line
 * (the named contract may be anyone's).
 */
function coverOf(s: repo.ProblemSchedule, allocations: Map<number, repo.ProblemAllocation>, lines: ContractLineSpan[], firstLineOf: Map<number, ContractLineSpan>): CoverSpan[] | null {
  if (s.funding === "toewijzing") {
    const a = s.allocation_id === null ? undefined : allocations.get(s.allocation_id);
    if (!a) return [];
    return productCover(lines, { provider_id: s.provider_id, product_id: a.product_id, purchaser_id: a.purchaser_id });
  }
  if (s.contract_id === null) return s.funding === "subsidie" ? [] : null;
  // A subsidy or PGB schedule names this year's contract; next year's contract between the same
  // purchaser and provider carries it on, so any of their active contracts covering the product counts.
  const named = firstLineOf.get(s.contract_id);
  if (s.product_id !== null && named) {
    return productCover(lines, { provider_id: s.provider_id, product_id: s.product_id, purchaser_id: named.purchaser_id });
  }
  if (s.product_id !== null) return productCover(lines, { provider_id: s.provider_id, product_id: s.product_id, contract_id: s.contract_id });
  const own = lines.filter((l) => l.contract_id === s.contract_id && l.status === "actief" && l.provider_id === s.provider_id);
  return own.length > 0 ? [{ from: own[0].contract_from, until: own[0].contract_until, contract_id: s.contract_id }] : [];
}

/** A few answers per database: per scope, today, with or without names. */
const keptProblems = new KeptAnswers<Problems>(16);

/**
 * The problem lists; `named` false when only their counts are shown (the lists' rows then carry
 * no names). Kept against the data version (src/data-version): computed again only after a write
 * that can change them, or on another day — whichever app process made the write. `knownVersion`:
 * the version as the request read it with the session's user (req.problemsVersion), if it did.
 */
export function problems(db: Knex, scope: Scope, date: string, named = true, knownVersion?: number): Promise<Problems> {
  return keptAt(keptProblems, db, "problems", `${scopeKey(scope)}|${date}|${named ? "named" : "counts"}`, () => computeProblems(db, scope, date, named), knownVersion);
}

/** The problem lists computed from the rows now: what problems() keeps. */
export async function computeProblems(db: Knex, scope: Scope, date: string, named = true): Promise<Problems> {
  const horizonEnd = addDays(date, HORIZON_WEEKS * 7 - 1);
  // The two big reads (a region's running schedules and allocations, in parts) one after the
  // other, the small ones alongside: on PostgreSQL the rows of reads at once arrive together and
  // are made into objects in the same turn of the event loop.
  const [[schedules, allocations], lines, waiting, checked] = await Promise.all([
    repo.runningSchedules(db, scope, date, named).then(async (s) => [s, await repo.relevantAllocations(db, scope, date, named)] as const),
    repo.allContractLines(db),
    listEntries(db, { status: "wachtend" }),
    activeLocationsInScope(db, scope, date),
  ]);
  // One read of occupancy's rows for the locations looked at and the waiting list's, from today
  // to the end of every schedule: "now fits" counts the horizon's cells (the fit window), the
  // over-capacity list looks at every future date, stretch by stretch (issue 15.3: a cut that
  // bites next year shows now).
  const occupied = [...new Set([...checked.map((l) => l.id), ...waiting.map((e) => e.location_id)])];
  // The running schedules are every schedule that runs from today (and some that ended): for a
  // coordinator, who sees every location, no need to read them again.
  const at = new Set(occupied);
  const running = schedules.filter((s) => at.has(s.location_id) && (s.valid_until === null || s.valid_until >= date));
  const inputs = await loadOccupancyInputs(db, occupied, date, LAST_DATE, scope.seesEverything ? running : undefined);
  const overfull = await overCapacity(db, scope, date, LAST_DATE, { locations: checked, inputs }, true);
  await nextTurn();
  const grid = new OccupancyGrid(inputs, date, horizonEnd);
  await nextTurn();
  // Funding is asked only about the entries with room: a few, whatever the list's length.
  // Thousands of entries, allocations and schedules: the loops below let other requests in every few milliseconds.
  const turn = new Turns(1);
  const withRoom: ReturnType<typeof withRoomOnGrid> = [];
  for (const e of waiting) {
    if (turn.due()) await turn.pass();
    withRoom.push(...withRoomOnGrid([e], grid));
  }
  const fitting = (await withFunding(db, withRoom.filter((e) => e.room), date)).filter((e) => e.fits);
  const dagdeelAllocations = allocations.filter((a) => a.product_unit === "dagdeel");
  const earliest = dagdeelAllocations.reduce((min, a) => {
    const start = windowStart(a.frequency, date, a.valid_from);
    return start < min ? start : min;
  }, addDays(date, -31));
  const closures = await repo.closuresBetween(db, earliest, horizonEnd);
  const byAllocation = new Map<number, repo.ProblemSchedule[]>();
  for (const s of schedules) if (s.allocation_id !== null) addToGroup(byAllocation, s.allocation_id, s);

  // 1. Scheduled beyond the allocation: a volume window from now on holds more than the volume.
  const overVolume: OverVolume[] = [];
  for (const a of dagdeelAllocations) {
    if (turn.due()) await turn.pass();
    const funded = byAllocation.get(a.id) ?? [];
    if (funded.length === 0) continue;
    const start = windowStart(a.frequency, date, a.valid_from);
    const from = start > a.valid_from ? start : a.valid_from;
    const until = a.valid_until !== null && a.valid_until < horizonEnd ? a.valid_until : horizonEnd;
    if (until < from) continue;
    // Most allocations could not be exceeded even if every slot came every week: skip those.
    if (mostPerWindow(a.frequency, funded, from, until) <= a.volume) continue;
    const dates = funded.flatMap((s) => expandSchedule(s, from, until, closedFor(closures, s)).map((o) => o.date));
    const over = volumeWindows(a, dates).filter((w) => w.over && (w.until === null || w.until >= date));
    if (over.length > 0) overVolume.push({ allocation: a, windows: over.map((w) => ({ from: w.from, until: w.until, used: w.used })), worst: Math.max(...over.map((w) => w.used)), schedules: funded });
  }

  // 2. Allocations ending within four weeks while a schedule under them runs on past their end.
  const endingBy = addDays(date, ENDING_WITHIN_DAYS);
  const ending: EndingAllocation[] = [];
  for (const a of allocations) {
    if (a.valid_until === null || a.valid_until < date || a.valid_until > endingBy) continue;
    const past = (byAllocation.get(a.id) ?? []).filter((s) => s.valid_until === null || s.valid_until > a.valid_until!);
    if (past.length > 0) ending.push({ allocation: a, schedules: past });
  }
  ending.sort((x, y) => x.allocation.valid_until!.localeCompare(y.allocation.valid_until!));

  // 3. Schedules without a covering contract from today: a gap that starts within the signal
  //    window (a contract ending without a successor shows up weeks before it bites).
  const allocationById = new Map(allocations.map((a) => [a.id, a]));
  const linesOf = linesByProvider(lines);
  const firstLineOf = new Map<number, ContractLineSpan>();
  for (const l of lines) if (!firstLineOf.has(l.contract_id)) firstLineOf.set(l.contract_id, l);
  const uncovered: Uncovered[] = [];
  const signalEnd = addDays(date, CONTRACT_SIGNAL_WEEKS * 7 - 1);
  for (const s of schedules) {
    if (turn.due()) await turn.pass();
    if (s.valid_until !== null && s.valid_until < date) continue;
    const from = s.valid_from > date ? s.valid_from : date;
    const until = s.valid_until !== null && s.valid_until < signalEnd ? s.valid_until : signalEnd;
    if (until < from) continue;
    const spans = coverOf(s, allocationById, linesOf(s.provider_id), firstLineOf);
    if (spans === null) continue;
    const gaps = uncoveredRanges(from, until, spans);
    if (gaps.length > 0) uncovered.push({ schedule: s, ...gaps[0] });
  }
  uncovered.sort((x, y) => x.from.localeCompare(y.from) || x.schedule.client_name.localeCompare(y.schedule.client_name));

  // 4. Dagdeel allocations that run now or later without any schedule from today on.
  const planned = new Set(schedules.filter((s) => s.valid_until === null || s.valid_until >= date).map((s) => s.allocation_id));
  const unplanned: Unplanned[] = dagdeelAllocations
    .filter((a) => (a.valid_until === null || a.valid_until >= date) && !planned.has(a.id))
    .map((allocation) => ({ allocation }));

  // The page that asked renders next: on a slice of its own.
  await giveWay();
  return {
    horizonEnd,
    overCapacity: overfull,
    overVolume,
    ending,
    uncovered,
    uncoveredFrom: [...uncovered.reduce((m, u) => m.set(u.from, (m.get(u.from) ?? 0) + 1), new Map<string, number>())].map(([from, count]) => ({ from, count })),
    unplanned,
    fitting: fitting.map((e) => ({ ...e, slotLabels: slotLabels(e.slots) })),
  };
}

export type ProblemCounts = Record<ProblemKind, number>;

export function countsOf(p: Problems): ProblemCounts {
  return {
    "boven-capaciteit": p.overCapacity.length,
    "boven-toewijzing": p.overVolume.length,
    "toewijzing-loopt-af": p.ending.length,
    "zonder-contract": p.uncovered.length,
    "zonder-rooster": p.unplanned.length,
    "past-nu": p.fitting.length,
  };
}

/** Each kind's title, written out so the locale test sees every key. */
export const PROBLEM_TITLES: Record<ProblemKind, string> = {
  "boven-capaciteit": "planning.problems.overCapacity",
  "boven-toewijzing": "planning.problems.overVolume",
  "toewijzing-loopt-af": "planning.problems.ending",
  "zonder-contract": "planning.problems.uncovered",
  "zonder-rooster": "planning.problems.unplanned",
  "past-nu": "planning.problems.fitting",
};

export type ProblemSummary = { kind: ProblemKind; key: string; count: number }[];

export function summaryOf(counts: ProblemCounts): ProblemSummary {
  return PROBLEM_KINDS.map((kind) => ({ kind, key: PROBLEM_TITLES[kind], count: counts[kind] }));
}

/** How many dagdelen past their places the coordinator's home names (the list has them all). */
export const HOME_OVER_CAPACITY = 5;

/**
 * The counts, and the first dagdelen past their places with the clients that overflow (their
 * names come with the over-capacity list itself): a capacity cut or a lifted closure shows on
 * the home page with whom and when, until resolved. Schedules and allocations are read without
 * their names, which only the lists' pages show.
 */
export async function homeProblems(db: Knex, scope: Scope, date: string, knownVersion?: number): Promise<{ summary: ProblemSummary; overCapacity: OverCapacity[] }> {
  const found = await problems(db, scope, date, false, knownVersion);
  return { summary: summaryOf(countsOf(found)), overCapacity: found.overCapacity.slice(0, HOME_OVER_CAPACITY) };
}
