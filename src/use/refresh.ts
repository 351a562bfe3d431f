import type { Knex } from "knex";
import { CANDIDATE_STATUSES } from "../contracts/units-repository";
import { tallyKey, tallyRows, type TallyKey, type TallyRow } from "../domain/use-tally";
import { loadFundingContext } from "../funding/repository";
import * as repo from "./repository";
import { ensureUseTriggers } from "./triggers";
import { readTogether } from "../db/dialect";

// Counting clients again: every client the triggers marked (attendance, schedules, slots or
// allocations changed; src/use/triggers.ts) gets its tally rows recomputed from its own attendance through
// attribute(), and the pair tallies take the difference. A use page calls refreshUse() before
// it reads, so what it reads always includes every committed change. Each recount raises the use
// version (data_versions 'use') in its own transaction: what was computed from the use before it is stale.

/** Clients counted per transaction: a region's worth of marked clients goes in batches. */
const BATCH = 400;

type Db = Knex | Knex.Transaction;

/** The tally rows of these clients, from all their attendance that could count. */
export async function countClients(db: Db, clientIds: number[]): Promise<TallyRow[]> {
  if (clientIds.length === 0) return [];
  const rows: { client_id: number; location_id: number; date: string; dagdeel: "ochtend" | "middag"; status: string }[] = await db("attendance")
    .whereIn("client_id", clientIds)
    .whereIn("status", [...CANDIDATE_STATUSES])
    .select("client_id", "location_id", "date", "dagdeel", "status");
  if (rows.length === 0) return [];
  let first = rows[0].date;
  let last = rows[0].date;
  for (const r of rows) {
    if (r.date < first) first = r.date;
    if (r.date > last) last = r.date;
  }
  const ctx = await loadFundingContext(db, clientIds, [...new Set(rows.map((r) => r.location_id))], first, last);
  return tallyRows(rows, ctx);
}

/** The pair-level differences between a client's old and new rows. */
function differences(old: TallyRow[], fresh: TallyRow[]): (TallyKey & { units: number })[] {
  const out = new Map<string, TallyKey & { units: number }>();
  const add = (r: TallyRow, sign: number) => {
    const key = tallyKey(r);
    const d = out.get(key);
    if (d) d.units += sign * r.units;
    else {
      const { client_id: _c, location_id: _w, last_date: _l, units, ...k } = r;
      out.set(key, { ...k, units: sign * units });
    }
  };
  for (const r of old) add(r, -1);
  for (const r of fresh) add(r, 1);
  return [...out.values()].filter((d) => d.units !== 0);
}

/** Counts again every client marked (or behind a marked schedule, product, contract or location); returns how many. */
export async function refreshUse(db: Knex): Promise<number> {
  await ensureUseTriggers(db);
  if (!(await repo.anyDirty(db))) return 0;
  let total = 0;
  for (;;) {
    const counted = await db.transaction(async (trx) => {
      const dirty = await repo.takeDirty(trx, BATCH);
      if (dirty.length === 0) return 0;
      const clients = await repo.clientsOf(trx, dirty);
      for (let i = 0; i < clients.length; i += BATCH) {
        const ids = clients.slice(i, i + BATCH);
        const [old, fresh] = await readTogether(trx, [() => repo.clientTallies(trx, ids), () => countClients(trx, ids)]);
        await repo.replaceClientTallies(trx, ids, fresh);
        await repo.addToTallies(trx, differences(old, fresh));
      }
      await repo.clearDirty(trx, dirty);
      await repo.raiseUseVersion(trx);
      return Math.max(1, clients.length);
    });
    if (counted === 0) return total;
    total += counted;
  }
}
