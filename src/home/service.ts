import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { DAGDELEN, type Dagdeel } from "../domain/dagdeel";
import { addDays } from "../domain/dates";
import { budgetSignals } from "../contracts/budget-signals";
import { fullnessOf, noRoom } from "../domain/fullness";
import { occupancy } from "../occupancy/service";
import { absenceSignals } from "../attendance/absence";
import { homeProblems, type ProblemKind } from "../planning/problems-service";
import { KeptAnswers, keptAt, scopeKey } from "../data-version/kept";

/** The home page's card of each problem kind: "1 toewijzing zonder rooster", "3 toewijzingen …". */
const PROBLEM_CARDS: Record<ProblemKind, string> = {
  "boven-capaciteit": "home.problemCards.overCapacity",
  "boven-toewijzing": "home.problemCards.overVolume",
  "toewijzing-loopt-af": "home.problemCards.ending",
  "zonder-contract": "home.problemCards.uncovered",
  "zonder-rooster": "home.problemCards.unplanned",
  "past-nu": "home.problemCards.fitting",
};
import { recordedCountOn } from "../attendance/repository";
import * as repo from "./repository";
import { HOME_OVERDUE, overdueForHome } from "../iwmo/messages-service";
import { countMessagesQuery, messageRows } from "../iwmo/messages-repository";
import { pageOf } from "../web/pagination";

export type DagdeelToday = { dagdeel: Dagdeel; places: number; expected: number; closed: boolean; full: boolean };
export type LocationToday = {
  id: number;
  name: string;
  provider_id: number;
  provider_name: string;
  village: string;
  dagdelen: DagdeelToday[];
  expectedTotal: number;
  recorded: number;
};

type DagdelenToday = Omit<LocationToday, "recorded">[];

/** Today's places per scope: a few per database. */
const keptToday = new KeptAnswers<DagdelenToday>(16);

/**
 * Per location: today's places, expected clients and closures, from the shared occupancy —
 * kept against the data version (src/data-version), as only schedules, capacity, closures,
 * locations and extras move it — and how many are recorded so far, read each time. `knownVersion`:
 * that version as the request read it with the session's user, if it did.
 */
export async function locationsToday(db: Knex, scope: Scope, date: string, knownVersion?: number): Promise<LocationToday[]> {
  const planned = await keptAt(keptToday, db, "problems", `${scopeKey(scope)}|${date}`, () => plannedToday(db, scope, date), knownVersion);
  if (planned.length === 0) return [];
  const recorded = await recordedCountOn(db, planned.map((l) => l.id), date);
  return planned.map((l) => ({ ...l, recorded: recorded.get(l.id) ?? 0 }));
}

async function plannedToday(db: Knex, scope: Scope, date: string): Promise<DagdelenToday> {
  const locations = await repo.activeLocations(db, scope);
  if (locations.length === 0) return [];
  const cells = await occupancy(db, locations.map((l) => l.id), date, date);
  const byKey = new Map(cells.map((c) => [`${c.location_id}|${c.dagdeel}`, c]));
  return locations.map((l) => {
    const dagdelen = DAGDELEN.map((dagdeel) => {
      const cell = byKey.get(`${l.id}|${dagdeel}`)!;
      return { dagdeel, places: cell.places, expected: cell.booked, closed: cell.closed, full: cell.places > 0 && noRoom(fullnessOf({ ...cell, closed: false })) };
    });
    return { ...l, dagdelen, expectedTotal: dagdelen.reduce((n, d) => n + d.expected, 0) };
  });
}

/** How many of today's locations the coordinator's home lists: a region has two hundred. */
export const HOME_LOCATIONS = 25;

/**
 * At most `limit` locations: the full ones first, then the most expected (as the attendance
 * start page orders them), shown in their own order (by name) — a village's few all.
 */
export function busiestToday(open: LocationToday[], limit: number): LocationToday[] {
  if (open.length <= limit) return open;
  const full = (l: LocationToday) => (l.dagdelen.some((d) => d.full) ? 1 : 0);
  const chosen = new Set(
    [...open]
      .sort((a, b) => full(b) - full(a) || b.expectedTotal - a.expectedTotal || a.id - b.id)
      .slice(0, limit)
      .map((l) => l.id),
  );
  return open.filter((l) => chosen.has(l.id));
}

/** How many allocations ending soon the coordinator's home lists a page. */
export const ENDING_PER_PAGE = 25;

/** The allocations that end within four weeks: how many, and the page asked for (clamped to those there are). */
async function endingSoon(db: Knex, scope: Scope, today: string, requested: number | null) {
  const until = addDays(today, 28);
  const total = await repo.allocationsEndingCount(db, scope, today, until);
  const { page, offset } = pageOf(requested, total, ENDING_PER_PAGE);
  const rows = total === 0 ? [] : await repo.allocationsEndingBetween(db, scope, today, until, { limit: ENDING_PER_PAGE, offset });
  return { total, page, rows };
}

/** `problemsVersion`: the problem lists' data version as the request read it (req.problemsVersion), if it did. */
export async function coordinatorHome(db: Knex, scope: Scope, today: string, problemsVersion?: number, endingPage: number | null = null) {
  // Clients absent (ziek / niet verschenen) on 3+ planned dagdelen in a row: see src/attendance/absence.ts.
  const [locations, endingAllocations, problems, waiting, absences, iwmoOverdue] = await Promise.all([
    locationsToday(db, scope, today, problemsVersion),
    endingSoon(db, scope, today, endingPage),
    homeProblems(db, scope, today, problemsVersion), // the planning's problem lists (src/planning/problems-service.ts)
    repo.waitingCount(db, scope),
    absenceSignals(db, scope, today),
    overdueForHome(db, scope, today), // WMO305/307 past their 5 werkdagen (src/iwmo)
  ]);
  // The card counts what its list (/signalen/zonder-rooster) shows.
  const withoutSchedule = problems.summary.find((p) => p.kind === "zonder-rooster")?.count ?? 0;
  const open = locations.filter((l) => l.expectedTotal > 0);
  const shown = busiestToday(open, HOME_LOCATIONS);
  return {
    expectedToday: open.reduce((n, l) => n + l.expectedTotal, 0),
    locationsToday: shown,
    // The rest are on the attendance start page (/aanwezigheid), fifty a page, busiest first.
    locationsTodayHidden: open.length - shown.length,
    fullToday: open.filter((l) => l.dagdelen.some((d) => d.full)),
    endingAllocations,
    withoutSchedule,
    waiting,
    absences,
    problems: problems.summary.map((p) => ({ ...p, cardKey: PROBLEM_CARDS[p.kind] })),
    overCapacity: problems.overCapacity,
    iwmoOverdue,
  };
}

export async function providerHome(db: Knex, scope: Scope, today: string, problemsVersion?: number) {
  // Four reads at once: the cards' counts are one query, and the first overdue messages are read
  // without a count of their own (see providerCards).
  const [locations, closures, cards, overdueRows] = await Promise.all([
    locationsToday(db, scope, today, problemsVersion),
    scope.actor.organisationId
      ? repo.closuresBetween(db, [scope.actor.organisationId], today, addDays(today, 14))
      : Promise.resolve([]),
    repo.providerCards(db, scope, countMessagesQuery(db, scope, "te-laat", today)),
    messageRows(db, scope, { view: "te-laat", today, providerId: null, limit: HOME_OVERDUE, offset: 0 }),
  ]);
  return {
    iwmoOverdue: { total: cards.overdue, rows: overdueRows },
    locations,
    toRecord: locations.reduce((n, l) => n + Math.max(0, l.expectedTotal - l.recorded), 0),
    closures,
    waiting: cards.waiting,
    declarationsToFinish: cards.declarations,
  };
}

export async function purchaserHome(db: Knex, scope: Scope, today: string) {
  const [toReview, endingContracts, counts, budgets] = await Promise.all([
    repo.declarationsWithStatus(db, scope, ["ingediend"]),
    repo.contractsEndingBetween(db, scope, today, addDays(today, 56)),
    repo.contractCountsByStatus(db, scope),
    budgetSignals(db, scope, today), // 70 / 80 / 100 % of a budget ceiling (src/contracts/budget-signals.ts)
  ]);
  return { toReview, endingContracts, activeContracts: counts.actief ?? 0, conceptContracts: counts.concept ?? 0, budgets };
}

export async function adminHome(db: Knex) {
  return { users: await repo.userCountsByRole(db) };
}
