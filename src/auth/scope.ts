import type { Knex } from "knex";
import type { Actor } from "./types";

// The one place that says which organisations' data an actor may see. Repositories apply
// these filters to their queries; a row outside the scope is simply not found (404), so a
// foreign id reveals nothing about whether it exists.
//
//   admin, coordinator  everything
//   provider            its own organisation; purchasers it holds a contract with
//   purchaser           its own organisation; providers it holds a contract with
//
// Client data (clients, allocations, schedules, attendance, declarations) is narrower: the
// coordinator sees all of it, the admin none — the admin keeps the application (users,
// organisations, products, the audit log), not people's care. See src/clients/scope.ts.

type Query = Knex.QueryBuilder;

export class Scope {
  constructor(
    private readonly db: Knex,
    readonly actor: Actor,
  ) {}

  get seesEverything(): boolean {
    return this.actor.role === "admin" || this.actor.role === "coordinator";
  }

  /** Every client and what hangs off them: only the coordinator (the admin sees no client). */
  get seesAllClients(): boolean {
    return this.actor.role === "coordinator";
  }

  private get orgId(): number {
    // A provider or purchaser user without an organisation sees nothing rather than everything.
    return this.actor.organisationId ?? -1;
  }

  /** Restricts rows whose `column` names a provider organisation. */
  providers<Q extends Query>(query: Q, column: string): Q {
    if (this.seesEverything) return query;
    if (this.actor.role === "provider") return query.where(column, this.orgId) as Q;
    return query.whereIn(
      column,
      this.db("contracts").select("provider_id").where("purchaser_id", this.orgId),
    ) as Q;
  }

  /** Restricts rows whose `column` names a purchaser organisation. */
  purchasers<Q extends Query>(query: Q, column: string): Q {
    if (this.seesEverything) return query;
    if (this.actor.role === "purchaser") return query.where(column, this.orgId) as Q;
    return query.whereIn(
      column,
      this.db("contracts").select("purchaser_id").where("provider_id", this.orgId),
    ) as Q;
  }

  /** Restricts rows of the organisations table (column is its id). */
  organisations<Q extends Query>(query: Q, column = "organisations.id"): Q {
    if (this.seesEverything) return query;
    const counterpart =
      this.actor.role === "provider"
        ? this.db("contracts").select("purchaser_id").where("provider_id", this.orgId)
        : this.db("contracts").select("provider_id").where("purchaser_id", this.orgId);
    return query.where((q) => q.where(column, this.orgId).orWhereIn(column, counterpart)) as Q;
  }

  /** Only a provider's own rows may be changed by it; others never change provider data here. */
  ownsProvider(providerId: number): boolean {
    return this.actor.role === "provider" && this.actor.organisationId === providerId;
  }
}
