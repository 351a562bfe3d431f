import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { isPostgres } from "../db/dialect";

// Which clients, allocations and schedules an actor may see. src/auth/scope.ts speaks about
// organisations; a client belongs to none, so these rules say through which rows it reaches one:
//
//   coordinator         every client
//   admin               none: it manages the application, not care (src/auth/scope.ts)
//   provider            clients who have (had) a schedule at one of its locations, an
//                       allocation with it, or whom it registered itself (a spreadsheet
//                       import); of those only its own allocations, schedules,
//                       waiting-list entries and attendance
//   purchaser           clients with an allocation from it; only its own allocations and the
//                       schedules they (or its subsidy contracts) fund
//
// Anything outside is simply not found (404).

type Query = Knex.QueryBuilder;

function orgId(scope: Scope): number {
  // A provider or purchaser user without an organisation sees nothing rather than everything.
  return scope.actor.organisationId ?? -1;
}

/** Restricts a query to the clients the actor may see; `column` holds a client id. */
export function scopeClients<Q extends Query>(db: Knex, scope: Scope, query: Q, column: string): Q {
  if (scope.seesAllClients) return query;
  const org = orgId(scope);
  if (scope.actor.role === "provider") {
    // One IN over a UNION of the three ways, not three INs joined by OR: PostgreSQL answers an
    // OR of subqueries by testing every client of the region against each (a scan of all of
    // them, 4–7 ms per query), a UNION by looking up the provider's few hundred ids. Same rows.
    const ids = db("schedules as ss")
      .join("locations as sl", "sl.id", "ss.location_id")
      .where("sl.provider_id", org)
      .select("ss.client_id")
      .union([db("allocations as sa").where("sa.provider_id", org).select("sa.client_id"), db("clients as rc").where("rc.registered_by_provider_id", org).select("rc.id")]);
    // On PostgreSQL the ids are made an array first (`= ANY(ARRAY(…))`, computed once), which the
    // clients' primary key looks up one by one. Given the IN, PostgreSQL counts the UNION as the
    // sum of its three parts (390 for the region's care farm, which has 157 clients) and then
    // prefers hashing a scan of all 20,821 clients to that many lookups: 4–9 ms a query against
    // under 1 ms. Every caller scopes clients' own ids (`c.id`), which the key serves. SQLite
    // looks the ids up by the key either way.
    if (isPostgres(db)) return query.whereRaw("?? = any(array(?))", [column, ids]) as Q;
    return query.whereIn(column, ids) as Q;
  }
  if (scope.actor.role === "purchaser") {
    return query.whereIn(column, db("allocations as sa").where("sa.purchaser_id", org).select("sa.client_id")) as Q;
  }
  return query.where(column, -1) as Q;
}

/** Restricts allocations (alias `a`) to the actor's own: its provider's or its purchaser's. */
export function scopeAllocations<Q extends Query>(scope: Scope, query: Q, alias = "a"): Q {
  if (scope.seesAllClients) return query;
  if (scope.actor.role === "provider") return query.where(`${alias}.provider_id`, orgId(scope)) as Q;
  if (scope.actor.role === "purchaser") return query.where(`${alias}.purchaser_id`, orgId(scope)) as Q;
  return query.where(`${alias}.id`, -1) as Q;
}

/**
 * Restricts schedules to the actor's own. The query must join locations as `l`, and left-join
 * allocations as `a` (on s.allocation_id) and contracts as `k` (on s.contract_id).
 */
export function scopeSchedules<Q extends Query>(scope: Scope, query: Q): Q {
  if (scope.seesAllClients) return query;
  const org = orgId(scope);
  if (scope.actor.role === "provider") return query.where("l.provider_id", org) as Q;
  if (scope.actor.role === "purchaser") {
    return query.where((w) => w.where("a.purchaser_id", org).orWhere((s) => s.whereNull("s.allocation_id").where("k.purchaser_id", org))) as Q;
  }
  return query.where("s.id", -1) as Q;
}

/** Restricts rows at a location (alias `l`) to the provider's own; purchasers see none. */
export function scopeLocationRows<Q extends Query>(scope: Scope, query: Q): Q {
  if (scope.seesAllClients) return query;
  if (scope.actor.role === "provider") return query.where("l.provider_id", orgId(scope)) as Q;
  return query.where("l.id", -1) as Q;
}
