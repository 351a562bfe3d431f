import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { occupancyShape } from "../occupancy/repository";
import { occupancy } from "../occupancy/service";
import { KeptAnswers, keyOf } from "../data-version/kept";
import { settledUseVersion } from "../use/version";
import * as repo from "./repository";

// The start page of attendance: the actor's locations with what is expected and recorded on
// a date, so the daily list is one tap away. A fixed number of queries for any number of
// locations; what is expected (the occupancy of a region's locations, read from thousands of
// schedules) is kept against the use version, while no change waits to be counted, and the rows
// that shape it (src/data-version/kept.ts).

export type ChooserLocation = repo.AttendanceLocation & { expected: number; recorded: number; closed: boolean };

type Expected = { expected: number; closed: boolean };

/** A few answers per database handle: a page or two of locations, a date or two. */
const keptExpected = new KeptAnswers<Map<number, Expected>>(12);

/** Per location: the clients expected on the date, and whether every dagdeel is closed. */
async function expectedOn(db: Knex, ids: number[], date: string): Promise<Map<number, Expected>> {
  const version = await settledUseVersion(db);
  const key = version === null ? "" : keyOf([date, ids, await occupancyShape(db, ids, date, date)]);
  return keptExpected.answer(db, key, version, () => countExpected(db, ids, date));
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

/** The active locations in scope (those a location search's words find, if any) with their counts on the date. */
export async function chooserLocations(db: Knex, scope: Scope, date: string, words: string[] = []): Promise<ChooserLocation[]> {
  const locations = await repo.locationsInScope(db, scope, { activeOnly: true, words });
  const ids = locations.map((l) => l.id);
  const [expected, recorded] = await Promise.all([expectedOn(db, ids, date), repo.recordedCountOn(db, ids, date)]);
  return locations.map((l) => ({
    ...l,
    expected: expected.get(l.id)?.expected ?? 0,
    recorded: recorded.get(l.id) ?? 0,
    closed: expected.get(l.id)?.closed ?? false,
  }));
}
