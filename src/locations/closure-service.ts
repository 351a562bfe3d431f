import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { closureProblems } from "../domain/closures";
import type { Dagdeel } from "../domain/dagdeel";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { holidayProposals, openProposals, type HolidayKey, type HolidayProposal } from "../domain/holidays";
import { closureImpact, impactForAudit, reopeningImpact, type AffectedCell } from "./impact";
import * as repo from "./repository";

/** Saved (with the new ids and whose closures they are), or waiting for a confirmation of who it hits. */
export type ClosureOutcome = { status: "confirm"; affected: AffectedCell[] } | { status: "saved"; ids: number[]; providerId: number };

export type ClosureInput = {
  location_id: number | null;
  starts_on: string;
  ends_on: string;
  dagdeel: Dagdeel | null;
  reason: string;
};

/**
 * Whose closures the actor keeps. A provider: its own (another provider's id is not found). A
 * coordinator: any provider's, chosen by id (regional days such as Carnaval, src/CONTEXT.md#closures);
 * null while none is chosen. Every other role only reads closures.
 */
export async function closureProvider(db: Knex, actor: Actor, scope: Scope, requested: number | null): Promise<repo.ProviderRow | null> {
  if (actor.role === "provider" && actor.organisationId !== null) {
    if (requested !== null && requested !== actor.organisationId) throw new NotFoundError("provider");
    const own = await repo.findProvider(db, scope, actor.organisationId);
    if (!own) throw new NotFoundError("provider");
    return own;
  }
  if (actor.role !== "coordinator") throw new ForbiddenError("only a provider or a coordinator changes closures");
  if (requested === null) return null;
  const provider = await repo.findProvider(db, scope, requested);
  if (!provider) throw new NotFoundError("provider");
  return provider;
}

/** Like closureProvider, for a change: a coordinator must have chosen a provider. */
async function changedProvider(db: Knex, actor: Actor, scope: Scope, requested: number | null): Promise<repo.ProviderRow> {
  const provider = await closureProvider(db, actor, scope, requested);
  if (!provider) throw new ValidationError({ aanbieder: "locations.errors.chooseProvider" });
  return provider;
}

/** The provider whose closures a page shows, and for a coordinator the providers to choose from. */
async function providerChoice(db: Knex, actor: Actor, scope: Scope, requested: number | null) {
  const [provider, providers] = await Promise.all([
    closureProvider(db, actor, scope, requested),
    actor.role === "coordinator" ? repo.listProviders(db, scope) : Promise.resolve([]),
  ]);
  return { provider, providers };
}

/** How many of a provider's past closures its closures page shows. */
export const PAST_CLOSURES_SHOWN = 20;

/**
 * The closures of a provider from a date on, and its locations (for the form's choice); for a
 * coordinator also the providers to choose from (and nothing else until one is chosen).
 */
export async function closuresPage(db: Knex, actor: Actor, scope: Scope, requested: number | null, today: string) {
  const { provider, providers } = await providerChoice(db, actor, scope, requested);
  if (!provider) return { provider, providers, closures: [], past: [], locations: [] };
  const [closures, past, locations] = await Promise.all([
    repo.closuresOfProvider(db, provider.id, today, null),
    repo.pastClosuresOfProvider(db, provider.id, today, PAST_CLOSURES_SHOWN),
    repo.locationsOfProvider(db, provider.id),
  ]);
  return { provider, providers, closures, past, locations };
}

/**
 * Adds closures for a provider (the actor's own, or the one a coordinator chose) in one
 * transaction. Closures that would shut dagdelen where clients are expected are only written
 * when `confirmed`; the audit entry keeps who.
 */
export async function addClosures(
  db: Knex,
  clock: Clock,
  actor: Actor,
  scope: Scope,
  requested: number | null,
  inputs: ClosureInput[],
  options: { confirmed: boolean; source: "form" | "holidays" },
): Promise<ClosureOutcome> {
  for (const input of inputs) {
    const problems = closureProblems(input);
    if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  }
  return db.transaction(async (trx) => {
    const providerId = (await changedProvider(trx, actor, scope, requested)).id;
    const locations = await repo.locationsOfProvider(trx, providerId);
    for (const input of inputs) {
      // A location id from another provider is not ours to close: not found, like any foreign id.
      if (input.location_id !== null && !locations.some((l) => l.id === input.location_id)) throw new NotFoundError("location");
    }
    const affected = await closureImpact(trx, locations, inputs);
    if (affected.length > 0 && !options.confirmed) return { status: "confirm", affected } as const;

    const at = timestamp(clock);
    const ids: number[] = [];
    for (const input of inputs) {
      const id = await repo.insertClosure(trx, { ...input, provider_id: providerId, created_by: actor.userId, created_at: at, updated_at: at });
      ids.push(id);
      const own = affected.filter((a) => (input.location_id === null || a.location_id === input.location_id) && input.starts_on <= a.date && a.date <= input.ends_on && (input.dagdeel === null || input.dagdeel === a.dagdeel));
      await recordAudit(trx, clock, {
        userId: actor.userId,
        action: "create",
        entity: "closure",
        entityId: id,
        details: { ...input, provider_id: providerId, source: options.source, confirmed: own.length > 0, affected: impactForAudit(own) },
      });
    }
    return { status: "saved", ids, providerId } as const;
  });
}

export type RemovalOutcome = { status: "confirm"; affected: AffectedCell[]; closure: repo.ClosureRow } | { status: "removed"; closure: repo.ClosureRow };

/**
 * Lifts a closure. While it shut its dagdelen, bookings there were not counted; when lifting it
 * brings back more clients than places, nothing is removed unless `confirmed` — the same
 * confirmation as closing, naming who is affected — and the audit entry keeps who. What is
 * then over capacity without an overbooking reason shows on the problem list.
 */
export async function removeClosure(
  db: Knex,
  clock: Clock,
  actor: Actor,
  scope: Scope,
  id: number,
  options: { confirmed: boolean; today: string },
): Promise<RemovalOutcome> {
  return db.transaction(async (trx) => {
    const closure = await repo.findClosure(trx, scope, id);
    if (!closure) throw new NotFoundError("closure");
    // A provider's foreign closure is not found; a coordinator may reopen any provider's.
    await closureProvider(trx, actor, scope, closure.provider_id);
    const locations = await repo.locationsOfProvider(trx, closure.provider_id);
    // Bookings lock the location they count: lifting the closure waits for them, and they for it.
    for (const l of [...locations].sort((a, b) => a.id - b.id)) {
      if (closure.location_id === null || closure.location_id === l.id) await repo.lockLocation(trx, l.id);
    }
    const affected = await reopeningImpact(trx, locations, closure, options.today);
    if (affected.length > 0 && !options.confirmed) return { status: "confirm", affected, closure } as const;
    await repo.deleteClosure(trx, id);
    const { created_by_name: _who, location_name: _where, ...kept } = closure;
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "delete",
      entity: "closure",
      entityId: id,
      details: { ...kept, confirmed: affected.length > 0, affected: impactForAudit(affected) },
    });
    return { status: "removed", closure } as const;
  });
}

export type HolidayOffer = HolidayProposal & { past: boolean; present: boolean };

/**
 * The holidays proposed to a provider for a year: every national one (Carnaval too when the
 * provider has a location in Limburg), marked as past or as already closed.
 */
export async function holidayOffers(db: Knex, providerId: number, year: number, today: string): Promise<{ offers: HolidayOffer[]; limburg: boolean }> {
  const [locations, closures] = await Promise.all([
    repo.locationsOfProvider(db, providerId),
    repo.closuresOfProvider(db, providerId, `${year}-01-01`, `${year}-12-31`),
  ]);
  const limburg = locations.some((l) => l.province === "LI");
  const all = holidayProposals(year, { limburg });
  const open = new Set(openProposals(all, closures, today).map((p) => p.key));
  return { limburg, offers: all.map((p) => ({ ...p, past: p.date < today, present: p.date >= today && !open.has(p.key) })) };
}

/** The holidays page: the provider (a coordinator chooses one first) and what is proposed to it. */
export async function holidaysPage(db: Knex, actor: Actor, scope: Scope, requested: number | null, year: number, today: string) {
  const { provider, providers } = await providerChoice(db, actor, scope, requested);
  const { offers, limburg } = provider ? await holidayOffers(db, provider.id, year, today) : { offers: [], limburg: false };
  return { provider, providers, offers, limburg };
}

/** Closes all the provider's locations, all day, on the chosen holidays still open to propose. */
export async function acceptHolidays(
  db: Knex,
  clock: Clock,
  actor: Actor,
  scope: Scope,
  requested: number | null,
  year: number,
  keys: HolidayKey[],
  options: { confirmed: boolean; today: string },
): Promise<ClosureOutcome> {
  const provider = await changedProvider(db, actor, scope, requested);
  const { offers } = await holidayOffers(db, provider.id, year, options.today);
  const chosen = offers.filter((o) => keys.includes(o.key) && !o.past && !o.present);
  if (chosen.length === 0) throw new ValidationError({ _form: "locations.errors.noHolidayChosen" });
  return addClosures(
    db,
    clock,
    actor,
    scope,
    provider.id,
    chosen.map((o) => ({ location_id: null, starts_on: o.date, ends_on: o.date, dagdeel: null, reason: o.reason })),
    { confirmed: options.confirmed, source: "holidays" },
  );
}

export type { AffectedCell };
