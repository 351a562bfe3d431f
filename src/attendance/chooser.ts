import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { occupancy } from "../occupancy/service";
import { KeptAnswers, keptAt, keyOf } from "../data-version/kept";
import * as repo from "./repository";

// The start page of attendance: the actor's locations with what is expected and recorded on
// a date, so the daily list is one tap away. A fixed number of queries for any number of
// locations; what is expected (the occupancy of a region's locations, read from thousands of
// schedules) is kept against the problems version, which every write to what occupancy is made
// of raises (schedules, slots, capacity, closures, locations, extra visits; src/data-version/
// watched.ts) — not the use version, which every dagdeel recorded here raises: this is the page
// coordinators record from.

export type ChooserLocation = repo.AttendanceLocation & { expected: number; recorded: number; closed: boolean };

type Expected = { expected: number; closed: boolean };

/** A few answers per database handle: a page or two of locations, a date or two. */
const keptExpected = new KeptAnswers<Map<number, Expected>>(12);

/** Per location: the clients expected on the date, and whether every dagdeel is closed. */
async function expectedOn(db: Knex, ids: number[], date: string, knownVersion?: number): Promise<Map<number, Expected>> {
  return keptAt(keptExpected, db, "problems", keyOf([date, ids]), () => countExpected(db, ids, date), knownVersion);
}

async function countExpected(db: Knex, ids: number[], date: string): Promise<Map<number, Expected>> {
  const cells = await occupancy(db, ids, date, date);
  const out = new Map<number, Expected>();
  for (const id of ids) {
    const own = cells.filter((c) => c.location_id === id);
    out.set(id, { expected: own.reduce((n, c) => n + c.scheduledClientIds.length, 0), closed: own.length > 0 && own.every((c) => c.closed) });
  }
  return out;
}

/**
 * The active locations in scope (those a location search's words find, if any) with their
 * counts on the date. `knownVersion`: the problems version as the request read it with the
 * session's user.
 */
export async function chooserLocations(db: Knex, scope: Scope, date: string, words: string[] = [], knownVersion?: number): Promise<ChooserLocation[]> {
  const locations = await repo.locationsInScope(db, scope, { activeOnly: true, words });
  const ids = locations.map((l) => l.id);
  const [expected, recorded] = await Promise.all([expectedOn(db, ids, date, knownVersion), repo.recordedCountOn(db, ids, date)]);
  return locations.map((l) => ({
    ...l,
    expected: expected.get(l.id)?.expected ?? 0,
    recorded: recorded.get(l.id) ?? 0,
    closed: expected.get(l.id)?.closed ?? false,
  }));
}
