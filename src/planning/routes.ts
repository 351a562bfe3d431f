import { Router } from "express";
import type { Knex } from "knex";
import { requireRole } from "../auth/middleware";
import type { Clock } from "../domain/clock";
import { boardRoutes } from "./board-routes";
import { problemRoutes } from "./problems-routes";
import { scheduleRoutes } from "./schedule-routes";
import { waitlistRoutes } from "./waitlist-routes";

/**
 * The planning feature under its four addresses: schedules (/roosters), the waiting list
 * (/wachtlijst), the board and week overview (/planning) and the problem lists (/signalen).
 * Providers may read the board and the schedules of their own locations; everything else is
 * the coordinator's.
 */
export function planningRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  router.use("/roosters", scheduleRoutes(deps));
  router.use("/wachtlijst", requireRole("coordinator"), waitlistRoutes(deps));
  router.use("/planning", requireRole("coordinator", "provider"), boardRoutes(deps));
  router.use("/signalen", requireRole("coordinator"), problemRoutes(deps));
  return router;
}
