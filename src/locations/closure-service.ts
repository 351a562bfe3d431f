import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { closureProblems } from "../domain/closures";
import type { Dagdeel } from "../domain/dagdeel";
import { NotFoundError, ValidationError } from "../domain/errors";
import { holidayProposals, openProposals, type HolidayKey, type HolidayProposal } from "../domain/holidays";
import type { ChangeOutcome } from "./capacity-service";
import { closureImpact, impactForAudit, type AffectedCell } from "./impact";
import * as repo from "./repository";
import { ownProviderId } from "./service";

export type ClosureInput = {
  location_id: number | null;
  starts_on: string;
  ends_on: string;
  dagdeel: Dagdeel | null;
  reason: string;
};

/** The provider's closures from a date on, and its locations (for the form's choice). */
export async function closuresPage(db: Knex, actor: Actor, today: string) {
  const providerId = ownProviderId(actor);
  const [closures, past, locations] = await Promise.all([
    repo.closuresOfProvider(db, providerId, today, null),
    repo.closuresOfProvider(db, providerId, null, null),
    repo.locationsOfProvider(db, providerId),
  ]);
  return { closures, past: past.filter((c) => c.ends_on < today).reverse().slice(0, 20), locations };
}

/**
 * Adds closures for the actor's provider in one transaction. Closures that would shut dagdelen
 * where clients are expected are only written when `confirmed`; the audit entry keeps who.
 */
export async function addClosures(
  db: Knex,
  clock: Clock,
  actor: Actor,
  inputs: ClosureInput[],
  options: { confirmed: boolean; source: "form" | "holidays" },
): Promise<ChangeOutcome & { ids?: number[] }> {
  const providerId = ownProviderId(actor);
  for (const input of inputs) {
    const problems = closureProblems(input);
    if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  }
  return db.transaction(async (trx) => {
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
        action: "closure_add",
        entity: "closure",
        entityId: id,
        details: { ...input, provider_id: providerId, source: options.source, confirmed: own.length > 0, affected: impactForAudit(own) },
      });
    }
    return { status: "saved", ids } as const;
  });
}

/** Reopening needs no confirmation: nobody loses a place by it. */
export async function removeClosure(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number): Promise<repo.ClosureRow> {
  const providerId = ownProviderId(actor);
  return db.transaction(async (trx) => {
    const closure = await repo.findClosure(trx, scope, id);
    if (!closure || closure.provider_id !== providerId) throw new NotFoundError("closure");
    await repo.deleteClosure(trx, id);
    const { created_by_name: _who, location_name: _where, ...kept } = closure;
    await recordAudit(trx, clock, { userId: actor.userId, action: "closure_remove", entity: "closure", entityId: id, details: kept });
    return closure;
  });
}

export type HolidayOffer = HolidayProposal & { past: boolean; present: boolean };

/**
 * The holidays proposed for a year: every national one (Carnaval too when the provider has a
 * location in Limburg), marked as past or as already closed.
 */
export async function holidayOffers(db: Knex, actor: Actor, year: number, today: string): Promise<{ offers: HolidayOffer[]; limburg: boolean }> {
  const providerId = ownProviderId(actor);
  const [locations, closures] = await Promise.all([
    repo.locationsOfProvider(db, providerId),
    repo.closuresOfProvider(db, providerId, `${year}-01-01`, `${year}-12-31`),
  ]);
  const limburg = locations.some((l) => l.province === "LI");
  const all = holidayProposals(year, { limburg });
  const open = new Set(openProposals(all, closures, today).map((p) => p.key));
  return { limburg, offers: all.map((p) => ({ ...p, past: p.date < today, present: p.date >= today && !open.has(p.key) })) };
}

/** Closes all the provider's locations, all day, on the chosen holidays still open to propose. */
export async function acceptHolidays(
  db: Knex,
  clock: Clock,
  actor: Actor,
  year: number,
  keys: HolidayKey[],
  options: { confirmed: boolean; today: string },
): Promise<ChangeOutcome & { ids?: number[] }> {
  const { offers } = await holidayOffers(db, actor, year, options.today);
  const chosen = offers.filter((o) => keys.includes(o.key) && !o.past && !o.present);
  if (chosen.length === 0) throw new ValidationError({ _form: "locations.errors.noHolidayChosen" });
  return addClosures(
    db,
    clock,
    actor,
    chosen.map((o) => ({ location_id: null, starts_on: o.date, ends_on: o.date, dagdeel: null, reason: o.reason })),
    { confirmed: options.confirmed, source: "holidays" },
  );
}

export type { AffectedCell };
