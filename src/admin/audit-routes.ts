import { Router } from "express";
import type { Knex } from "knex";
import { latestAudit } from "../audit/repository";

/** The admin reads the audit log: who changed what, and when. */
export function adminAuditRoutes(deps: { db: Knex }): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    res.render("admin/audit", { title: "audit.title", entries: await latestAudit(deps.db, 200) });
  });
  return router;
}
