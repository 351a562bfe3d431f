import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { actorOf, requireRole } from "../auth/middleware";
import { NotFoundError } from "../domain/errors";
import { choice, optionalText, parseId } from "../web/fields";
import { onInvalid } from "../web/errors";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../web/forms";
import { flash } from "../web/locals";
import { decideLine, decideRemaining } from "./decisions";
import { declarationNumber } from "./exports";
import { linePage } from "./pages";
import { declarationIdOf, monthLabel, refusalOptions, type Deps } from "./show";
import type { Transition } from "./routes";

// The purchaser's answer per prestatie: a page per line with the decision form, and the
// whole rest of a declaration at once (toekennen, or afwijzen with one retourcode).

const lineSchema = z.object({ decision: choice(["toegekend", "afgewezen"] as const), retourcode: optionalText(4), note: optionalText(1000) });
const rejectSchema = z.object({ retourcode: optionalText(4), note: optionalText(1000) });

export function decisionRoutes(deps: Deps, transition: Transition): Router {
  const router = Router();
  const { db, clock } = deps;
  const purchasers = requireRole("purchaser");

  async function renderLine(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors: FieldErrors = {}) {
    const { scope } = actorOf(req);
    const lineId = parseId(req.params.lineId);
    if (!lineId) throw new NotFoundError("declaration line");
    const { declaration, line } = await linePage(db, scope, declarationIdOf(req), lineId);
    if (!line) throw new NotFoundError("declaration line");
    res.status(status).render("declarations/line", {
      title: "declaration.title",
      declaration,
      line,
      number: declarationNumber(declaration.id),
      monthLabel: monthLabel(res)(declaration.month),
      canDecide: declaration.status === "ingediend",
      refusalOptions: refusalOptions(),
      values: { decision: line.decision ?? "toegekend", retourcode: line.retourcodes[0] ?? "", note: line.decision_note ?? "", ...values },
      errors: shownErrors(errors),
    });
  }

  router.get("/:id/regels/:lineId", purchasers, (req, res) => renderLine(req, res, 200));

  router.post("/:id/regels/:lineId", purchasers, async (req, res) => {
    const { actor, scope } = actorOf(req);
    const id = declarationIdOf(req);
    const lineId = parseId(req.params.lineId);
    if (!lineId) throw new NotFoundError("declaration line");
    onInvalid(res, (err) => renderLine(req, res, 422, keptInput(req.body), err.fields));
    const answered = await decideLine(db, clock, actor, scope, id, lineId, validValue(parseForm(lineSchema, req.body)));
    flash(req, "success", answered ? "declaration.answered" : "declaration.lineDecided");
    res.redirect(303, `/declaraties/${id}#regel-${lineId}`);
  });

  router.post(
    "/:id/accepteren",
    purchasers,
    transition(async (req) => {
      const { actor, scope } = actorOf(req);
      await decideRemaining(db, clock, actor, scope, declarationIdOf(req), { decision: "toegekend", retourcode: null, note: null });
    }, "declaration.accepted"),
  );

  router.post(
    "/:id/afwijzen",
    purchasers,
    transition(async (req) => {
      const { actor, scope } = actorOf(req);
      const refusal = validValue(parseForm(rejectSchema, req.body));
      await decideRemaining(db, clock, actor, scope, declarationIdOf(req), { decision: "afgewezen", ...refusal });
    }, "declaration.rejected"),
  );

  return router;
}
