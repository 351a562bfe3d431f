import { Router } from "express";
import type { Knex } from "knex";
import type { Clock } from "../domain/clock";
import { importRoutes } from "./import-routes";
import { messageRoutes } from "./messages-routes";
import { purchaserRoutes } from "./purchaser-routes";

/**
 * iWmo in dagdeel under /berichten: WMO301 import (coordinator, provider), the WMO305/307 due
 * and sent (provider, coordinator), and the gemeente's page (purchaser). Each router checks its
 * own roles; every query applies the organisation scope.
 */
export function iwmoRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  router.use(importRoutes(deps));
  router.use(messageRoutes(deps));
  router.use(purchaserRoutes(deps));
  return router;
}
