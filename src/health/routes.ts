import { Router } from "express";
import type { Knex } from "knex";

/** GET /healthz: 200 while the database answers, 503 when it does not. No session, no login. */
export function healthRoutes(deps: { db: Knex }): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    const started = process.hrtime.bigint();
    try {
      await deps.db.raw("select 1");
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      res.status(200).json({ status: "ok", database: { status: "ok", client: deps.db.client.config.client, ms } });
    } catch (err) {
      res.status(503).json({ status: "error", database: { status: "error", message: (err as Error).message } });
    }
  });
  return router;
}
