import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { percentOf, type Level } from "../domain/utilisation";
import { listContracts } from "./repository";
import { useOfContracts } from "./use";

// What the purchaser's home page says about the bestedingsruimte: every signed inkoop contract
// whose forecast reaches 70 % (the Contractstandaard's moment to consult), 80 % or 100 % of its
// budget ceiling, with the day the ceiling is expected to be reached — worst first.

export type BudgetSignal = { id: number; reference: string; provider_name: string; percent: number; level: Exclude<Level, "none">; ceilingOn: string | null; consultOn: string | null };

const ORDER: Level[] = ["over", "near", "consult"];

export async function budgetSignals(db: Knex, scope: Scope, today: string): Promise<BudgetSignal[]> {
  const contracts = (await listContracts(db, scope)).filter((c) => c.kind === "inkoop" && c.status === "actief" && c.budget_ceiling_cents !== null && c.valid_until >= today);
  const uses = await useOfContracts(db, contracts, today);
  const out: BudgetSignal[] = [];
  for (const c of contracts) {
    const { use, forecast } = uses.get(c.id)!;
    if (use.budget.level === "none") continue;
    out.push({
      id: c.id,
      reference: c.reference,
      provider_name: c.provider_name,
      percent: percentOf(use.forecast.cents, use.budget.ceiling) ?? 0,
      level: use.budget.level,
      ceilingOn: forecast.ceilingOn,
      consultOn: forecast.consultOn,
    });
  }
  return out.sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level) || b.percent - a.percent);
}
