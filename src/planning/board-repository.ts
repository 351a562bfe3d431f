import type { Knex } from "knex";
import type { Scope } from "../auth/scope";

// The few rows the board and the week overview need besides occupancy().

export type BoardLocation = { id: number; name: string; provider_id: number; provider_name: string; village: string };

function locations(db: Knex, scope: Scope) {
  const q = db("locations as l")
    .join("organisations as o", "o.id", "l.provider_id")
    .join("villages as v", "v.id", "l.village_id")
    .select("l.id", "l.name", "l.provider_id", "o.name as provider_name", "v.name as village");
  return scope.providers(q, "l.provider_id");
}

/** A location the actor may see (a provider: only its own), or undefined. */
export function findBoardLocation(db: Knex, scope: Scope, id: number): Promise<BoardLocation | undefined> {
  return locations(db, scope).where("l.id", id).first();
}

export type OverviewFilter = { villageId: number | null; subkind: string | null };

export function activeBoardLocations(db: Knex, scope: Scope, filter: OverviewFilter = { villageId: null, subkind: null }): Promise<(BoardLocation & { provider_subkind: string })[]> {
  const q = locations(db, scope)
    .where("l.active", true)
    .select("o.subkind as provider_subkind")
    .orderBy([{ column: "v.sort_key" }, { column: "l.sort_key" }]);
  if (filter.villageId !== null) q.where("l.village_id", filter.villageId);
  if (filter.subkind !== null) q.where("o.subkind", filter.subkind);
  return q;
}

/** The villages with an active location in scope: what the overview can be narrowed to. */
export function boardVillages(db: Knex, scope: Scope): Promise<{ id: number; name: string }[]> {
  const q = db("villages as v")
    .whereIn("v.id", scope.providers(db("locations as l").where("l.active", true).select("l.village_id"), "l.provider_id"))
    .select("v.id", "v.name")
    .orderBy("v.sort_key");
  return q;
}

export type BoardName = { id: number; first_name: string; last_name: string; schedule_id: number | null };

/**
 * Names of the clients on the board, with the schedule that brings each of them to this
 * location in the week (for the link): one query, whatever the number of clients.
 */
export function boardNames(db: Knex, locationId: number, clientIds: number[], from: string, until: string): Promise<BoardName[]> {
  if (clientIds.length === 0) return Promise.resolve([]);
  return db("clients as c")
    .leftJoin("schedules as s", (j) =>
      j
        .on("s.client_id", "c.id")
        .andOnVal("s.location_id", locationId)
        .andOnVal("s.valid_from", "<=", until)
        .andOn((o) => o.onNull("s.valid_until").orOnVal("s.valid_until", ">=", from)),
    )
    .whereIn("c.id", clientIds)
    .select("c.id", "c.first_name", "c.last_name", "s.id as schedule_id")
    .orderBy([{ column: "c.sort_key" }, { column: "s.valid_from", order: "desc" }]);
}
