import { ruleOn, type CapacityRule } from "./capacity";
import { closuresOn, type ClosureSpan } from "./closures";
import type { Dagdeel } from "./dagdeel";
import { LAST_DATE, boundedEnd } from "./date-window";
import {
  anchorWeek,
  dagdelenOn,
  dateOfDayNumber,
  dayNumber,
  mondayOfWeekIndex,
  runsInWeek,
  weekdayOfDayNumber,
  weekIndexOfDayNumber,
  type SchedulePattern,
  type Slot,
} from "./schedule";
import { isoDayNumber } from "./fast-calendar";

// The double-booking and capacity rules over a schedule's WHOLE validity, pattern against
// pattern, without walking its days. A weekly pattern is a weekday × dagdeel slot, a validity
// and a week rhythm (every week, or every other week from a start week); what a slot meets is
// constant between the dates where something starts or stops (another schedule, a capacity
// rule, a closure, an extra), up to the two-week rhythm. So each rule looks at those dates
// only: the work grows with the rows involved, not with the years a schedule runs.
// The day-by-day functions (expandSchedule, occupancyCells, capacityCheck, clashes) stay the
// reference; test/unit/pattern-checks.test.ts compares these with them on small random cases.

const mod2 = (n: number) => ((n % 2) + 2) % 2;

function uniqueSlots(slots: Slot[]): Slot[] {
  return [...new Map(slots.map((s) => [`${s.weekday}|${s.dagdeel}`, s])).values()].sort(
    (a, b) => a.weekday - b.weekday || (a.dagdeel === b.dagdeel ? 0 : a.dagdeel === "ochtend" ? -1 : 1),
  );
}

/** First and last day number a pattern covers; an open or far end stops at LAST_DATE. */
function span(p: { valid_from: string; valid_until: string | null }): [number, number] {
  return [dayNumber(p.valid_from), dayNumber(boundedEnd(p.valid_until))];
}

/**
 * The first day in [from, until] that falls on `weekday`, in a week where every rhythm runs
 * (an anchor week index for every other week, null for every week); null when there is none —
 * also when two every-other-week rhythms are out of step, which then never meet.
 */
export function firstCommonDay(from: number, until: number, weekday: number, anchors: (number | null)[]): number | null {
  const fixed = anchors.filter((a): a is number => a !== null);
  if (fixed.some((a) => mod2(a - fixed[0]) !== 0)) return null;
  let week = weekIndexOfDayNumber(from);
  if (mondayOfWeekIndex(week) + weekday - 1 < from) week += 1;
  if (fixed.length > 0 && !runsInWeek(fixed[0], week)) week += 1;
  const n = mondayOfWeekIndex(week) + weekday - 1;
  return n <= until ? n : null;
}

/** The last day in [from, until] on `weekday` in the weeks of `first`'s rhythm (step 1 or 2 weeks). */
function lastDayOfRun(first: number, until: number, step: 1 | 2): number {
  return first + Math.floor((until - first) / (7 * step)) * 7 * step;
}

// ---------------------------------------------------------------------------------------------
// Double booking

export type PatternClash<P> = { date: string; dagdeel: Dagdeel; other: P };

/**
 * Where the new pattern meets one of the client's other schedules, at any location, over both
 * validities: per shared weekday × dagdeel slot, the first date both run (their validities
 * overlap and their week rhythms are compatible). Compared on the weekly patterns without
 * closures: a clash is a clash even in a week where a holiday happens to hide it.
 */
export function clashesOverValidity<P extends SchedulePattern>(pattern: SchedulePattern, others: P[]): PatternClash<P>[] {
  const [from, until] = span(pattern);
  const anchor = anchorWeek(pattern);
  const out: PatternClash<P>[] = [];
  for (const other of others) {
    const [otherFrom, otherUntil] = span(other);
    const lo = Math.max(from, otherFrom);
    const hi = Math.min(until, otherUntil);
    if (lo > hi) continue;
    const otherAnchor = anchorWeek(other);
    for (const slot of uniqueSlots(pattern.slots)) {
      if (!other.slots.some((s) => s.weekday === slot.weekday && s.dagdeel === slot.dagdeel)) continue;
      const n = firstCommonDay(lo, hi, slot.weekday, [anchor, otherAnchor]);
      if (n !== null) out.push({ date: dateOfDayNumber(n), dagdeel: slot.dagdeel, other });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || (a.dagdeel === b.dagdeel ? 0 : a.dagdeel === "ochtend" ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// Capacity

/**
 * A run of dagdelen: one weekday × dagdeel, from a first date, every week (step 1) or every
 * other week (step 2), up to a last date — or on for as long as the schedule runs (until null).
 */
export type Run = { weekday: number; dagdeel: Dagdeel; from: string; until: string | null; last: string; step: 1 | 2; count: number };
export type FullRun = Run & { booked: number; places: number };

export type CapacityContext = {
  locationId: number;
  /** The location's capacity rules. */
  rules: CapacityRule[];
  /** The provider's closures (for all its locations or this one). */
  closures: ClosureSpan[];
  /** Every schedule at the location (the client's own are left out of the count). */
  schedules: (SchedulePattern & { client_id: number })[];
  /** `extra` attendance at the location. */
  extras: { client_id: number; date: string; dagdeel: Dagdeel }[];
};

/**
 * The runs of one weekday × dagdeel over [from, end] on which `judge` finds something, in the
 * weeks of `anchor`'s rhythm (null: every week). The days where the context changes cut the
 * range into stretches; in a stretch every week of a fortnight meets the same, so each is
 * judged on its first date only. A weekly rhythm is looked at in both weeks of a fortnight
 * (others may run every other week) and reported weekly where both weeks say the same.
 */
function runsOfSlot<V>(
  ctx: CapacityContext,
  slot: Slot,
  period: { from: number; end: number; openEnded: boolean; anchor: number | null },
  judge: (date: string) => V | null,
  same: (a: V, b: V) => boolean,
): (Run & { value: V })[] {
  const { from, end, openEnded, anchor } = period;
  const cuts = new Set<number>([from, end + 1]);
  const cut = (a: string, b: string | null) => {
    const [x, y] = span({ valid_from: a, valid_until: b });
    cuts.add(x);
    cuts.add(y + 1);
  };
  for (const s of ctx.schedules) if (s.slots.some((x) => x.weekday === slot.weekday && x.dagdeel === slot.dagdeel)) cut(s.valid_from, s.valid_until);
  for (const r of ctx.rules) if (r.weekday === slot.weekday && r.dagdeel === slot.dagdeel) cut(r.valid_from, r.valid_until);
  for (const c of ctx.closures) if ((c.location_id === null || c.location_id === ctx.locationId) && (c.dagdeel === null || c.dagdeel === slot.dagdeel)) cut(c.starts_on, c.ends_on);
  for (const e of ctx.extras) if (e.dagdeel === slot.dagdeel) cut(e.date, e.date);
  const points = [...cuts].filter((n) => n >= from && n <= end + 1).sort((a, b) => a - b);
  const out: (Run & { value: V })[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const lo = points[i];
    const hi = points[i + 1] - 1;
    const looks = (anchor === null ? [0, 1] : [anchor])
      .map((phase) => firstCommonDay(lo, hi, slot.weekday, [phase]))
      .filter((n): n is number => n !== null)
      .map((first) => ({ first, value: judge(dateOfDayNumber(first)) }));
    const found = looks.filter((l): l is { first: number; value: V } => l.value !== null);
    const weekly = anchor === null && looks.length === 2 && found.length === 2 && same(found[0].value, found[1].value);
    for (const { first, value } of weekly ? [found[0].first < found[1].first ? found[0] : found[1]] : found) {
      const step = weekly ? 1 : 2;
      const last = lastDayOfRun(first, hi, step);
      out.push({
        weekday: slot.weekday,
        dagdeel: slot.dagdeel,
        from: dateOfDayNumber(first),
        last: dateOfDayNumber(last),
        until: openEnded && hi === end ? null : dateOfDayNumber(last),
        step,
        count: (last - first) / (7 * step) + 1,
        value,
      });
    }
  }
  return out;
}

/** Clients who take a place on a date and dagdeel (planned or extra), or null when it is closed. */
function takenOn(ctx: CapacityContext, date: string, dagdeel: Dagdeel): { places: number; clientIds: Set<number> } | null {
  if (closuresOn(ctx.closures, ctx.locationId, date, dagdeel).length > 0) return null;
  const places = ruleOn(ctx.rules, date, dagdeel)?.places ?? 0;
  const clientIds = new Set<number>();
  for (const s of ctx.schedules) if (dagdelenOn(s, date).includes(dagdeel)) clientIds.add(s.client_id);
  for (const e of ctx.extras) if (e.date === date && e.dagdeel === dagdeel) clientIds.add(e.client_id);
  return { places, clientIds };
}

type Verdict = { kind: "notOpen" } | { kind: "full"; booked: number; places: number };

/** What the rules say of one date and dagdeel: the same counting as occupancyCells + capacityCheck (null: fine, or closed). */
function verdictOn(ctx: CapacityContext, clientId: number, date: string, dagdeel: Dagdeel): Verdict | null {
  const taken = takenOn(ctx, date, dagdeel);
  if (taken === null) return null;
  if (taken.places <= 0) return { kind: "notOpen" };
  taken.clientIds.delete(clientId);
  return taken.clientIds.size + 1 > taken.places ? { kind: "full", booked: taken.clientIds.size, places: taken.places } : null;
}

/**
 * The dates (as runs) on which the new pattern finds no place, or finds the location not open,
 * over its whole validity. Closed dagdelen drop out, the client itself never counts against
 * itself, and a dagdeel without a capacity rule is "not open", which no overbooking lifts.
 */
export function capacityOverValidity(pattern: SchedulePattern, ctx: CapacityContext, clientId: number): { full: FullRun[]; notOpen: Run[] } {
  const [from, end] = span(pattern);
  const period = { from, end, openEnded: pattern.valid_until === null || pattern.valid_until > LAST_DATE, anchor: anchorWeek(pattern) };
  const full: FullRun[] = [];
  const notOpen: Run[] = [];
  for (const slot of uniqueSlots(pattern.slots)) {
    for (const { value, ...run } of runsOfSlot(ctx, slot, period, (date) => verdictOn(ctx, clientId, date, slot.dagdeel), sameVerdict)) {
      if (value.kind === "full") full.push({ ...run, booked: value.booked, places: value.places });
      else notOpen.push(run);
    }
  }
  return { full: mergeRuns(full, (a, b) => a.booked === b.booked && a.places === b.places), notOpen: mergeRuns(notOpen, () => true) };
}

function sameVerdict(a: Verdict, b: Verdict): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind !== "full" || (b.kind === "full" && a.booked === b.booked && a.places === b.places);
}

/** A run on which more clients take a place than there are places (0 when the location has no capacity then). */
export type OverRun = Run & { booked: number; places: number; clientIds: number[] };

/**
 * Where a location holds more clients than places between two dates, on every weekday ×
 * dagdeel, as runs: the same count as occupancy (planned + extra, closures shut), computed per
 * stretch between changes. What a removed closure or a restored capacity leaves behind, and
 * what the problem list reports. `openEnded`: a run that reaches `until` goes on (until null),
 * for a look to the end of every schedule (LAST_DATE).
 */
export function overCapacityRuns(ctx: CapacityContext, from: string, until: string, openEnded = false): OverRun[] {
  const period = { from: dayNumber(from), end: dayNumber(boundedEnd(until)), openEnded, anchor: null };
  const out: OverRun[] = [];
  const slots = uniqueSlots([
    ...ctx.schedules.flatMap((s) => s.slots),
    ...ctx.extras.map((e) => ({ weekday: weekdayOfDayNumber(dayNumber(e.date)), dagdeel: e.dagdeel })),
  ]);
  for (const slot of slots) {
    const judge = (date: string) => {
      const taken = takenOn(ctx, date, slot.dagdeel);
      if (taken === null || taken.clientIds.size <= taken.places) return null;
      return { booked: taken.clientIds.size, places: taken.places, clientIds: [...taken.clientIds].sort((a, b) => a - b) };
    };
    const same = (a: { clientIds: number[]; places: number }, b: { clientIds: number[]; places: number }) => a.places === b.places && a.clientIds.join() === b.clientIds.join();
    for (const { value, ...run } of runsOfSlot(ctx, slot, period, judge, same)) out.push({ ...run, ...value });
  }
  return mergeRuns(out, (a, b) => a.places === b.places && a.clientIds.join() === b.clientIds.join());
}

/**
 * Whether overCapacityRuns(ctx, from, until) finds anything, without a date string or a run:
 * per weekday × dagdeel on integer day numbers, each stretch between the days where a schedule,
 * a rule, a closure or an extra starts or stops judged once per week of a fortnight, only over
 * the slot's own schedules. Cheap enough to ask of every location up to the end of its last
 * schedule (at most LAST_DATE), so "over capacity later" is not bounded by a horizon; the runs
 * themselves are then found for the few locations where this says yes.
 * test/unit/problems-fast.test.ts holds it to overCapacityRuns and to occupancyCells.
 */
export function anyOverCapacity(ctx: CapacityContext, from: string, until: string): boolean {
  const lo = isoDayNumber(from);
  const hi = isoDayNumber(boundedEnd(until));
  if (hi < lo) return false;
  type Pattern = { from: number; end: number; anchor: number | null; client: number };
  const slots = new Map<string, { weekday: number; dagdeel: Dagdeel; patterns: Pattern[]; extras: { n: number; client: number }[] }>();
  const slotOf = (weekday: number, dagdeel: Dagdeel) => {
    const k = `${weekday}|${dagdeel}`;
    let found = slots.get(k);
    if (!found) slots.set(k, (found = { weekday, dagdeel, patterns: [], extras: [] }));
    return found;
  };
  for (const s of ctx.schedules) {
    const f = isoDayNumber(s.valid_from);
    const e = isoDayNumber(boundedEnd(s.valid_until));
    if (e < lo || f > hi || e < f) continue;
    const p = { from: f, end: e, anchor: anchorWeek(s), client: s.client_id };
    // A slot listed twice adds the same client twice: harmless, clients are counted as a set.
    for (const slot of s.slots) slotOf(slot.weekday, slot.dagdeel).patterns.push(p);
  }
  for (const x of ctx.extras) {
    const n = isoDayNumber(x.date);
    if (n >= lo && n <= hi) slotOf(weekdayOfDayNumber(n), x.dagdeel).extras.push({ n, client: x.client_id });
  }
  const closures = ctx.closures
    .filter((c) => c.location_id === null || c.location_id === ctx.locationId)
    .map((c) => ({ from: isoDayNumber(c.starts_on), end: isoDayNumber(c.ends_on), dagdeel: c.dagdeel }));
  for (const { weekday, dagdeel, patterns, extras } of slots.values()) {
    const rules = ctx.rules
      .filter((r) => r.weekday === weekday && r.dagdeel === dagdeel)
      .map((r) => ({ from: isoDayNumber(r.valid_from), end: isoDayNumber(boundedEnd(r.valid_until)), startsOn: r.valid_from, places: r.places }));
    const shut = closures.filter((c) => c.dagdeel === null || c.dagdeel === dagdeel);
    // No more clients ever on the slot than one rule's places over the whole range: never past them.
    const clients = new Set([...patterns.map((p) => p.client), ...extras.map((x) => x.client)]);
    if (rules.length === 1 && rules[0].from <= lo && rules[0].end >= hi && clients.size <= rules[0].places) continue;
    const cuts = new Set<number>([lo, hi + 1]);
    for (const x of [...patterns, ...rules, ...shut]) {
      cuts.add(x.from);
      cuts.add(x.end + 1);
    }
    for (const x of extras) {
      cuts.add(x.n);
      cuts.add(x.n + 1);
    }
    const points = [...cuts].filter((n) => n >= lo && n <= hi + 1).sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      for (const phase of [0, 1]) {
        const n = firstCommonDay(points[i], points[i + 1] - 1, weekday, [phase]);
        if (n === null || shut.some((c) => c.from <= n && n <= c.end)) continue;
        // The rule in force: the latest start wins should rules overlap (as ruleOn()).
        let places = 0;
        let startsOn = "";
        for (const r of rules) if (r.from <= n && n <= r.end && r.startsOn > startsOn) [places, startsOn] = [r.places, r.startsOn];
        const week = weekIndexOfDayNumber(n);
        const taking = new Set<number>();
        for (const p of patterns) if (p.from <= n && n <= p.end && runsInWeek(p.anchor, week)) taking.add(p.client);
        for (const x of extras) if (x.n === n) taking.add(x.client);
        if (taking.size > places) return true;
      }
    }
  }
  return false;
}

/**
 * Joins runs of one slot where one continues the other in the same rhythm (the next stretch
 * between cuts), so a message names a few long runs rather than many short ones. By first date.
 */
function mergeRuns<R extends Run>(runs: R[], same: (a: R, b: R) => boolean): R[] {
  const sorted = [...runs].sort((a, b) => a.weekday - b.weekday || a.dagdeel.localeCompare(b.dagdeel) || a.from.localeCompare(b.from));
  const merged: R[] = [];
  for (const r of sorted) {
    const prev = merged[merged.length - 1];
    const continues =
      prev !== undefined &&
      prev.weekday === r.weekday &&
      prev.dagdeel === r.dagdeel &&
      prev.step === r.step &&
      prev.until !== null &&
      dayNumber(r.from) - dayNumber(prev.last) === 7 * r.step &&
      same(prev, r);
    if (continues) merged[merged.length - 1] = { ...prev, last: r.last, until: r.until, count: prev.count + r.count };
    else merged.push(r);
  }
  return merged.sort((a, b) => a.from.localeCompare(b.from) || a.weekday - b.weekday);
}

/** Every date of a run, in order (for tests and short lists; a run ends by LAST_DATE at the latest). */
export function runDates(run: Run): string[] {
  const out: string[] = [];
  for (let n = dayNumber(run.from), last = dayNumber(run.last); n <= last; n += 7 * run.step) out.push(dateOfDayNumber(n));
  return out;
}
