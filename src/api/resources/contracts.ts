import { Router } from "express";
import type { Knex } from "knex";
import { actorOf } from "../../auth/middleware";
import type { ContractRow } from "../../contracts/repository";
import { contractPage, contractsOverview } from "../../contracts/service";
import { today, type Clock } from "../../domain/clock";
import { NotFoundError } from "../../domain/errors";
import type { Measure } from "../../domain/utilisation";
import { parseId } from "../input";
import { pageOf, pageOfList } from "../paging";

function contractFields(c: ContractRow) {
  return {
    id: c.id,
    reference: c.reference,
    kind: c.kind,
    status: c.status,
    purchaser: { id: c.purchaser_id, name: c.purchaser_name, subkind: c.purchaser_subkind },
    provider: { id: c.provider_id, name: c.provider_name },
    valid_from: c.valid_from,
    valid_until: c.valid_until,
    budget_ceiling_cents: c.budget_ceiling_cents,
    subsidy_amount_cents: c.subsidy_amount_cents,
    subsidy_target_dagdelen: c.subsidy_target_dagdelen,
    no_show_billable: c.no_show_billable,
  };
}

const measure = (m: Measure) => ({ units: m.units, cents: m.cents });

/**
 * GET /contracts and /contracts/{id}: the purchase agreements the caller may see with their
 * use, straight from the services behind /contracten (the overview, ordered by period as that
 * page first shows it) and /contracten/{id} (per line and per month).
 */
export function contractApi(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  router.get("/", async (req, res) => {
    const page = pageOf(req.query);
    const { scope } = actorOf(req);
    const overview = await contractsOverview(db, scope, today(clock), "period", "desc");
    const result = pageOfList(overview.rows, page);
    res.json({
      ...result,
      items: result.items.map((r) => ({
        ...contractFields(r.contract),
        use: {
          realised_cents: r.realisedCents,
          forecast_cents: r.forecastCents,
          realised_dagdelen: r.realisedDagdelen,
          forecast_dagdelen: r.forecastDagdelen,
          percent: r.usePercent,
          level: r.level,
        },
      })),
    });
  });

  router.get("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("contract");
    const { scope } = actorOf(req);
    const p = await contractPage(db, scope, id, today(clock), (month) => month);
    const u = p.use;
    res.json({
      ...contractFields(p.contract),
      use: {
        date: today(clock),
        realised: measure(u.realised),
        planned: measure(u.planned),
        forecast: measure(u.forecast),
        unpriced_realised: u.unpricedRealised,
        unpriced_planned: u.unpricedPlanned,
        budget: { ceiling_cents: u.budget.ceiling, percent_realised: u.budget.percentRealised, percent_forecast: u.budget.percentForecast, level: u.budget.level },
        subsidy: u.subsidy
          ? {
              amount_cents: u.subsidy.amount_cents,
              target_dagdelen: u.subsidy.target,
              realised_dagdelen: u.subsidy.realised,
              planned_dagdelen: u.subsidy.planned,
              forecast_dagdelen: u.subsidy.forecast,
              percent_realised: u.subsidy.percentRealised,
              percent_forecast: u.subsidy.percentForecast,
              cost_per_realised_cents: u.subsidy.costPerRealisedCents,
            }
          : null,
        level: u.level,
      },
      lines: p.lines.map((l) => ({
        id: l.line.id,
        product: { id: l.line.product_id, code: l.line.product_code, name: l.line.product_name, unit: l.line.product_unit },
        tariff_cents: l.line.tariff_cents,
        volume_ceiling: l.line.volume_ceiling,
        valid_from: l.line.valid_from,
        valid_until: l.line.valid_until,
        realised: measure(l.realised),
        planned: measure(l.planned),
        forecast: measure(l.forecast),
        volume_percent_realised: l.volumePercentRealised,
        volume_percent_forecast: l.volumePercentForecast,
        level: l.level,
      })),
      months: u.months.map((m) => ({ month: m.month, product_id: m.product_id, realised: measure(m.realised), planned: measure(m.planned) })),
    });
  });

  return router;
}
