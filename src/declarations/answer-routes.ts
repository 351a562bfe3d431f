import { Router, type Request } from "express";
import { recordAudit } from "../audit/repository";
import { actorOf, requireRole } from "../auth/middleware";
import { today } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import { onInvalid } from "../web/errors";
import { shownErrors } from "../web/forms";
import { flash } from "../web/locals";
import { filesOf, MAX_UPLOAD_BYTES } from "../web/uploads";
import { answerNumber, uploadWmo325, wmo325For } from "./answer";
import { declarationNumber } from "./exports";
import { ANSWERED } from "./repository";
import { exportData } from "./service";
import { declarationIdOf, renderShow, type Deps } from "./show";

// The answer as a WMO325 message: the download (gemeente and provider, once answered) and the
// provider's upload of one it received.

type UploadRequest = Request & { uploadError?: string };

/** The shared upload reader's refusal (src/web/uploads.ts), as this form words it. */
function uploadProblem(code: string): string {
  return code === "LIMIT_FILE_SIZE" ? "tooLarge" : "badUpload";
}

export function answerRoutes(deps: Deps): Router {
  const router = Router();
  const { db, clock } = deps;

  router.get("/:id/wmo325.xml", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const { declaration } = await exportData(db, scope, declarationIdOf(req));
    if (declaration.purchaser_subkind !== "gemeente" || !ANSWERED.includes(declaration.status)) throw new NotFoundError("wmo325");
    const built = await wmo325For(db, declaration, today(clock));
    if ("problems" in built) return renderShow(deps, req, res, 422, { xmlProblems: built.problems.map((p) => `declaration.xmlProblems.${p}`) });
    await recordAudit(db, clock, { userId: actor.userId, action: "download", entity: "declaration", entityId: declaration.id, details: { format: "wmo325" } });
    res
      .type("application/xml; charset=utf-8")
      .attachment(`WMO325-${answerNumber(declaration.id)}-${declarationNumber(declaration.id)}.xml`)
      .send(built.xml);
  });

  router.post("/:id/wmo325", requireRole("provider"), async (req: UploadRequest, res) => {
    const { actor, scope } = actorOf(req);
    const id = declarationIdOf(req);
    onInvalid(res, (err) => renderShow(deps, req, res, 422, { errors: shownErrors(err.fields), errorParams: err.params }));
    if (req.uploadError) throw new ValidationError({ bestand: `declaration.upload.errors.${uploadProblem(req.uploadError)}` }, { limit: `${MAX_UPLOAD_BYTES / 1024 / 1024} MB` });
    const { refused } = await uploadWmo325(db, clock, actor, scope, id, filesOf(req, "bestand")[0]?.buffer ?? null);
    flash(req, "success", refused > 0 ? "declaration.upload.appliedRefused" : "declaration.upload.appliedAll", { refused: String(refused) });
    res.redirect(303, `/declaraties/${id}`);
  });

  return router;
}
