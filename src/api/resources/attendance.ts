import { Router, type Request } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { dailyList, findLocationOr404 } from "../../attendance/daily";
import { addExtra, everyonePresent, recordStatus, undoRecording } from "../../attendance/recording";
import { actorOf, requireRole } from "../../auth/middleware";
import { ATTENDANCE_STATUSES } from "../../domain/attendance";
import { today, type Clock } from "../../domain/clock";
import { DAGDELEN } from "../../domain/dagdeel";
import { isIsoDate } from "../../domain/dates";
import { NotFoundError } from "../../domain/errors";
import { requireWriteToken } from "../auth";
import { parseId, parseInput } from "../input";
import { pageOf, pageOfList } from "../paging";

// Zod's messages as the pages' locale keys: missing is "required", the wrong thing "choice".
const missingOr = (key: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "errors.required" : key);

const clientId = () => z.number({ error: missingOr("errors.choice") }).int("errors.choice").positive("errors.choice");
const date = () => z.string({ error: missingOr("errors.date") }).refine(isIsoDate, "errors.date");
const dagdeel = () => z.enum(DAGDELEN, { error: missingOr("errors.choice") });

const recordSchema = z.object({ client_id: clientId(), date: date(), dagdeel: dagdeel(), status: z.enum(ATTENDANCE_STATUSES, { error: missingOr("errors.choice") }) });
const bulkSchema = z.object({ date: date(), dagdeel: dagdeel() });
const undoSchema = z.object({ client_id: z.string().regex(/^\d{1,12}$/, "errors.choice").transform(Number), date: date(), dagdeel: dagdeel() });
const dateQuery = z.object({ date: date().optional() });

/**
 * Attendance at a location: the daily list (GET) and every way of recording on it — one status,
 * an extra client, everyone present, undo — through the very services the daily list's buttons
 * call, so the same rules, the same lock after a declaration and the same audit (with the
 * token's label) apply. Coordinators and providers only, as on the pages.
 */
export function attendanceApi(deps: { db: Knex; clock: Clock }): Router {
  const router = Router({ mergeParams: true });
  const { db, clock } = deps;
  router.use(requireRole("coordinator", "provider"));

  /** The location from the path, within the caller's scope, before any body is read. */
  async function locationOf(req: Request): Promise<number> {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError("location");
    await findLocationOr404(db, actorOf(req).scope, id);
    return id;
  }

  router.get("/", async (req, res) => {
    const locationId = await locationOf(req);
    const asked = parseInput(dateQuery, { date: (req.query as Record<string, unknown>).date });
    const page = pageOf(req.query);
    const list = await dailyList(db, actorOf(req).scope, locationId, asked.date ?? today(clock), today(clock));
    const entries = list.dagdelen.flatMap((d) =>
      d.entries.map((e) => ({
        client_id: e.client_id,
        name: e.name,
        village: e.village,
        dagdeel: d.dagdeel,
        expected: e.expected,
        status: e.status,
        recorded_by: e.recorded_by_name,
        recorded_at: e.recorded_at,
        elsewhere: e.elsewhere,
        locked: e.locked,
      })),
    );
    res.json({
      location_id: list.location.id,
      date: list.date,
      dagdelen: list.dagdelen.map((d) => ({
        dagdeel: d.dagdeel,
        start: d.start,
        end: d.end,
        available: d.available,
        closed: d.closed,
        closure_reasons: d.closureReasons,
        places: d.places,
        expected: d.expected,
        unrecorded: d.unrecorded,
        counts: d.counts,
      })),
      ...pageOfList(entries, page),
    });
  });

  router.post("/", requireWriteToken, async (req, res) => {
    const locationId = await locationOf(req);
    const input = parseInput(recordSchema, req.body);
    const { actor, scope } = actorOf(req);
    // An unplanned client who came is an "extra", exactly as the daily list's own form adds one.
    const outcome =
      input.status === "extra"
        ? await addExtra(db, clock, actor, scope, locationId, input)
        : await recordStatus(db, clock, actor, scope, locationId, input);
    res.json({ location_id: locationId, client_id: input.client_id, date: input.date, dagdeel: input.dagdeel, status: input.status, changed: outcome.changed });
  });

  router.post("/everyone-present", requireWriteToken, async (req, res) => {
    const locationId = await locationOf(req);
    const input = parseInput(bulkSchema, req.body);
    const { actor, scope } = actorOf(req);
    const result = await everyonePresent(db, clock, actor, scope, locationId, input);
    res.json({ location_id: locationId, date: input.date, dagdeel: input.dagdeel, marked: result.marked, skipped_locked: result.skippedLocked });
  });

  router.delete("/", requireWriteToken, async (req, res) => {
    const locationId = await locationOf(req);
    const q = req.query as Record<string, unknown>;
    const input = parseInput(undoSchema, { client_id: q.client_id, date: q.date, dagdeel: q.dagdeel });
    const { actor, scope } = actorOf(req);
    await undoRecording(db, clock, actor, scope, locationId, input);
    res.status(204).end();
  });

  return router;
}
