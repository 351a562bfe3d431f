import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { DAGDELEN } from "../domain/dagdeel";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { capacityImpact, impactForAudit, type AffectedCell } from "./impact";
import * as repo from "./repository";
import { WEEKDAYS } from "./weekdays";

/** Only a provider user changes locations, capacity and closures, and only its own. */
export function ownProviderId(actor: Actor): number {
  if (actor.role !== "provider" || actor.organisationId === null) throw new ForbiddenError("only a provider changes its locations");
  return actor.organisationId;
}

/** A location the actor may change: its own provider's (a foreign one is simply not found). */
export async function ownLocation(db: Knex | Knex.Transaction, actor: Actor, scope: Scope, id: number): Promise<repo.LocationRow> {
  const providerId = ownProviderId(actor);
  const location = await repo.findLocation(db, scope, id);
  if (!location || location.provider_id !== providerId) throw new NotFoundError("location");
  return location;
}

export async function visibleLocation(db: Knex, scope: Scope, id: number): Promise<repo.LocationRow> {
  const location = await repo.findLocation(db, scope, id);
  if (!location) throw new NotFoundError("location");
  return location;
}

async function checkLocation(db: Knex | Knex.Transaction, providerId: number, input: repo.LocationInput, id: number | null): Promise<void> {
  const errors: Record<string, string> = {};
  if (!(await repo.findVillage(db, input.village_id))) errors.village_id = "errors.choice";
  const same = await repo.sameNameLocation(db, providerId, input.name);
  if (same && same.id !== id) errors.name = "locations.errors.nameTaken";
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export async function createLocation(db: Knex, clock: Clock, actor: Actor, input: repo.LocationInput): Promise<number> {
  const providerId = ownProviderId(actor);
  return db.transaction(async (trx) => {
    await checkLocation(trx, providerId, input, null);
    const at = timestamp(clock);
    const id = await repo.insertLocation(trx, { ...input, provider_id: providerId, created_at: at, updated_at: at });
    await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "location", entityId: id, details: { ...input } });
    return id;
  });
}

/** A save either went through, or waits for a deliberate confirmation of who it hits. */
export type UpdateOutcome = { status: "saved" } | { status: "confirm"; affected: AffectedCell[] };

/**
 * Saves a location's details in one transaction with its audit entry. Switching a location off
 * is a closure without end: when clients are scheduled there from today on, nothing is written
 * unless `confirmed`, and the audit entry then keeps who was affected. Their schedules then
 * stand on a location with no places: the over-capacity list names them until resolved.
 */
export async function updateLocation(
  db: Knex,
  clock: Clock,
  actor: Actor,
  scope: Scope,
  id: number,
  input: repo.LocationInput,
  options: { confirmed: boolean; today: string },
): Promise<UpdateOutcome> {
  return db.transaction(async (trx) => {
    const before = await ownLocation(trx, actor, scope, id);
    await checkLocation(trx, before.provider_id, input, id);
    const switchingOff = before.active && !input.active;
    if (switchingOff) await repo.lockLocation(trx, id);
    const affected = switchingOff ? await capacityImpact(trx, before, [], options.today, null) : [];
    if (affected.length > 0 && !options.confirmed) return { status: "confirm", affected } as const;
    await repo.updateLocation(trx, id, { ...input, updated_at: timestamp(clock) });
    const changed: Record<string, unknown> = Object.fromEntries(
      (Object.keys(input) as (keyof repo.LocationInput)[]).filter((k) => before[k] !== input[k]).map((k) => [k, { from: before[k], to: input[k] }]),
    );
    if (affected.length > 0) Object.assign(changed, { confirmed: true, affected: impactForAudit(affected) });
    await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "location", entityId: id, details: changed });
    return { status: "saved" } as const;
  });
}

export type GridRow = { weekday: number; key: string; short: string; cells: { dagdeel: string; places: number | null }[] };

/** The week grid of the rules in force on a date: places per weekday and dagdeel (null: none). */
export function gridOn(rules: repo.RuleRow[], date: string): GridRow[] {
  return WEEKDAYS.map((w) => ({
    weekday: w.n,
    key: w.key,
    short: w.short,
    cells: DAGDELEN.map((dagdeel) => {
      const rule = rules.find((r) => r.weekday === w.n && r.dagdeel === dagdeel && r.valid_from <= date && (r.valid_until === null || date <= r.valid_until));
      return { dagdeel, places: rule ? rule.places : null };
    }),
  }));
}

const PERIOD_KEYS = { past: "locations.periodState.past", current: "locations.periodState.current", planned: "locations.periodState.planned" } as const;

export type RulePeriod = { valid_from: string; valid_until: string | null; state: keyof typeof PERIOD_KEYS; stateKey: string; days: { short: string; ochtend: number | null; middag: number | null }[] };

/**
 * The history of a location's capacity as periods: rules saved together share their validity,
 * so grouping by it gives one line per change, newest first.
 */
export function rulePeriods(rules: repo.RuleRow[], today: string): RulePeriod[] {
  const groups = new Map<string, repo.RuleRow[]>();
  for (const r of rules) {
    const k = `${r.valid_from}|${r.valid_until ?? ""}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()]
    .map((group) => {
      const { valid_from, valid_until } = group[0];
      const state: RulePeriod["state"] = valid_until !== null && valid_until < today ? "past" : valid_from > today ? "planned" : "current";
      const days = WEEKDAYS.map((w) => ({
        short: w.short,
        ochtend: group.find((r) => r.weekday === w.n && r.dagdeel === "ochtend")?.places ?? null,
        middag: group.find((r) => r.weekday === w.n && r.dagdeel === "middag")?.places ?? null,
      }));
      return { valid_from, valid_until, state, stateKey: PERIOD_KEYS[state], days };
    })
    .sort((a, b) => b.valid_from.localeCompare(a.valid_from) || (a.valid_until ?? "9999").localeCompare(b.valid_until ?? "9999"));
}
