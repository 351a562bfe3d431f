import { Router } from "express";
import type { Knex } from "knex";
import { actorOf } from "../../auth/middleware";
import { declarationNumber } from "../../declarations/exports";
import { declarationPage } from "../../declarations/pages";
import { listDeclarations, type DeclarationRow } from "../../declarations/repository";
import { maskBsn } from "../../domain/bsn";
import type { Clock } from "../../domain/clock";
import { NotFoundError } from "../../domain/errors";
import { parseId } from "../input";
import { pageOf, pageOfList } from "../paging";

function declarationFields(d: DeclarationRow) {
  return {
    id: d.id,
    number: declarationNumber(d.id),
    provider: { id: d.provider_id, name: d.provider_name },
    purchaser: { id: d.purchaser_id, name: d.purchaser_name, subkind: d.purchaser_subkind },
    month: d.month,
    status: d.status,
    corrects_declaration_id: d.corrects_declaration_id,
    total_cents: d.total_cents,
    submitted_at: d.submitted_at,
    decided_at: d.decided_at,
    rejection_reason: d.rejection_reason,
  };
}

/**
 * GET /declarations and /declarations/{id}: the declarations the caller may see, in the order
 * /declaraties lists them (a purchaser: those waiting for its decision first), and one with a
 * page of its lines — the BSN masked, as on the page.
 */
export function declarationApi(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  router.get("/", async (req, res) => {
    const page = pageOf(req.query);
    const { scope } = actorOf(req);
    // The same order as /declaraties, paged in the database.
    const { rows, total } = await listDeclarations(db, scope, page);
    res.json({ items: rows.map(declarationFields), page: { ...page, total } });
  });

  router.get("/:id", async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("declaration");
    const page = pageOf(req.query);
    const { actor, scope } = actorOf(req);
    const p = await declarationPage(db, clock, actor, scope, id);
    const lines = pageOfList(p.lines, page);
    res.json({
      ...declarationFields(p.declaration),
      lines: {
        ...lines,
        items: lines.items.map((l) => ({
          id: l.id,
          client: { id: l.client_id, name: l.client_name, bsn_masked: l.bsn ? maskBsn(l.bsn) : null },
          allocation_reference: l.allocation_reference,
          product: { id: l.product_id, code: l.product_code, name: l.product_name, unit: l.product_unit },
          period_from: l.period_from,
          period_until: l.period_until,
          units: l.units,
          tariff_cents: l.tariff_cents,
          amount_cents: l.amount_cents,
          debit_credit: l.debit_credit,
        })),
      },
    });
  });

  return router;
}
