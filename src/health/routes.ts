import { Router } from "express";
import type { Knex } from "knex";

/** GET /healthz: 200 while the database answers, 503 (and no detail) when it does not. No session, no login. */
export function healthRoutes(deps: { db: Knex }): Router {
  const router = Router();
  router.get("/healthz", async (req, res) => {
    const started = process.hrtime.bigint();
    try {
      await deps.db.raw("select 1");
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      res.status(200).json({ status: "ok", database: { status: "ok", client: deps.db.client.config.client, ms } });
    } catch (err) {
      // The reason goes to the log; anyone may call /healthz, and a driver's message can name
      // hosts, users and files.
      req.log?.error({ err }, "health check: the database does not answer");
      res.status(503).json({ status: "error", database: { status: "error" } });
    }
  });
  return router;
}
