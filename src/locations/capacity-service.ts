import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { applyCapacityPlan, overlappingRules, planCapacityChange, type GridCell } from "../domain/capacity";
import { formatDateNl, periodContains } from "../domain/dates";
import { ValidationError } from "../domain/errors";
import { capacityImpact, impactForAudit, type AffectedCell } from "./impact";
import * as repo from "./repository";
import { ownLocation } from "./service";

export type CapacityInput = { valid_from: string; valid_until: string | null; grid: GridCell[] };

/** A change either went through, or waits for a deliberate confirmation of who it hits. */
export type ChangeOutcome = { status: "saved" } | { status: "unchanged" } | { status: "confirm"; affected: AffectedCell[] };

function ruleInForce(rules: repo.RuleRow[], cell: { weekday: number; dagdeel: string }, date: string): repo.RuleRow | undefined {
  return rules.find((r) => r.weekday === cell.weekday && r.dagdeel === cell.dagdeel && periodContains(r.valid_from, r.valid_until, date));
}

function sameAsInForce(rules: repo.RuleRow[], input: CapacityInput): boolean {
  // Nothing to do when the open-ended rules in force on the date already say exactly this.
  if (input.valid_until !== null) return false;
  if (rules.some((r) => r.valid_from > input.valid_from)) return false;
  return input.grid.every((cell) => {
    const rule = ruleInForce(rules, cell, input.valid_from);
    if (!rule) return cell.places === 0;
    return rule.valid_until === null && rule.places === cell.places;
  });
}

/**
 * Sets a location's week grid from a date (until a date, or open-ended), in one transaction:
 * ends the rules in force, replaces later ones, writes the new ones and the audit entry.
 * When the new grid leaves clients already scheduled without a place, nothing is written
 * unless `confirmed`; the audit entry then keeps who was affected.
 */
export async function changeCapacity(
  db: Knex,
  clock: Clock,
  actor: Actor,
  scope: Scope,
  locationId: number,
  input: CapacityInput,
  options: { confirmed: boolean; today: string },
): Promise<ChangeOutcome> {
  if (input.valid_from < options.today) throw new ValidationError({ valid_from: "locations.errors.fromInPast" });
  if (input.valid_until !== null && input.valid_until < input.valid_from) throw new ValidationError({ valid_until: "locations.errors.endBeforeStart" });
  return db.transaction(async (trx) => {
    const location = await ownLocation(trx, actor, scope, locationId);
    await repo.lockLocation(trx, locationId);
    const existing = await repo.rulesOf(trx, locationId);
    if (sameAsInForce(existing, input)) return { status: "unchanged" } as const;
    const plan = planCapacityChange(existing, input.grid, input.valid_from, input.valid_until);
    if (plan.conflicts.length > 0) {
      const first = plan.conflicts.reduce((a, b) => (b.valid_from < a.valid_from ? b : a));
      throw new ValidationError({ valid_until: "locations.errors.overlapsPlanned" }, { date: formatDateNl(first.valid_from) });
    }
    const after = applyCapacityPlan(existing, plan);
    // planCapacityChange cannot produce an overlap; this guards the rule should it ever change.
    if (overlappingRules(after).length > 0) throw new ValidationError({ _form: "locations.errors.overlap" });

    const affected = await capacityImpact(trx, location, after, input.valid_from, input.valid_until);
    if (affected.length > 0 && !options.confirmed) return { status: "confirm", affected } as const;

    const at = timestamp(clock);
    for (const e of plan.end) await repo.endRule(trx, e.rule.id, e.valid_until, at);
    await repo.deleteRules(trx, plan.remove.map((r) => r.id));
    await repo.insertRules(trx, locationId, plan.insert, at);
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "change_capacity",
      entity: "location",
      entityId: locationId,
      details: {
        valid_from: input.valid_from,
        valid_until: input.valid_until,
        places: Object.fromEntries(input.grid.map((c) => [`${c.weekday}-${c.dagdeel}`, c.places])),
        before: Object.fromEntries(input.grid.map((c) => [`${c.weekday}-${c.dagdeel}`, ruleInForce(existing, c, input.valid_from)?.places ?? 0])),
        endedRules: plan.end.map((e) => e.rule.id),
        replacedRules: plan.remove.map((r) => r.id),
        confirmed: affected.length > 0,
        affected: impactForAudit(affected),
      },
    });
    return { status: "saved" } as const;
  });
}
