import type { Knex } from "knex";
import { prepared } from "../db/compiled";
import { whereKeyHoldsWords } from "../db/name-keys";
import { searchWords } from "../domain/search-key";
import type { Scope } from "../auth/scope";
import type { LocationRow } from "../locations/repository";

// The clients and locations a feed or a roster can be about, within the actor's scope:
// coordinators see all of them, a provider its own locations and the clients scheduled there.
// Nothing here selects a BSN.

export type LocationSubject = Pick<LocationRow, "id" | "name" | "provider_id" | "provider_name" | "village">;
export type ClientSubject = { id: number; first_name: string; last_name: string; village: string | null; birth_date: string | null };

function locations(db: Knex): Knex.QueryBuilder {
  return db("locations as l")
    .join("organisations as o", "o.id", "l.provider_id")
    .join("villages as v", "v.id", "l.village_id")
    .select("l.id", "l.name", "l.provider_id", "o.name as provider_name", "v.name as village");
}

export function visibleLocations(db: Knex, scope: Scope): Promise<LocationSubject[]> {
  const q = locations(db).where("l.active", true).orderBy([{ column: "o.sort_key" }, { column: "l.sort_key" }]);
  // A named statement on PostgreSQL: /agenda asks it every time (src/db/compiled.ts).
  return prepared(db, scope.providers(q, "l.provider_id"));
}

export function findVisibleLocation(db: Knex, scope: Scope, id: number): Promise<LocationSubject | undefined> {
  return scope.providers(locations(db).where("l.id", id).first(), "l.provider_id");
}

function clients(db: Knex, scope: Scope): Knex.QueryBuilder {
  const q = db("clients as c")
    .leftJoin("villages as v", "v.id", "c.village_id")
    .select("c.id", "c.first_name", "c.last_name", "v.name as village", "c.birth_date");
  if (scope.seesAllClients) return q;
  const scheduledAtOwnLocations = scope.providers(
    db("schedules as s").join("locations as l", "l.id", "s.location_id").select("s.client_id"),
    "l.provider_id",
  );
  return q.whereIn("c.id", scheduledAtOwnLocations);
}

export function findVisibleClient(db: Knex, scope: Scope, id: number): Promise<ClientSubject | undefined> {
  return clients(db, scope).where("c.id", id).first();
}

/** Clients whose name contains the search words, at most `limit`, by surname. */
export function searchClients(db: Knex, scope: Scope, search: string, limit = 25): Promise<ClientSubject[]> {
  const q = clients(db, scope).orderBy([{ column: "c.sort_key" }, { column: "c.id" }]).limit(limit);
  return whereKeyHoldsWords(q, "c.search_key", searchWords(search, 5));
}
