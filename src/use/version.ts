import type { Knex } from "knex";
import { refreshUse } from "./refresh";
import { settledVersion, useVersion } from "./repository";
import { ensureUseTriggers } from "./triggers";

// The use version (the row 'use' of data_versions, src/data-version/versions.ts), raised
// whenever refreshUse() counts a change to attendance, schedules, slots or allocations, by
// whichever process: what the use pages (their realised part) and the attendance start page keep
// (src/data-version/kept.ts) is kept against it and whatever else goes in the key — the date,
// and the rows of the contracts, tariff lines, capacity rules and closures read alongside.

/**
 * The use version once every committed change is counted. Read before the rows an answer is
 * computed from, so an answer is never kept under a version older than its rows.
 */
export async function currentUseVersion(db: Knex): Promise<number> {
  // Nothing waiting to be counted (nearly always): the version as it stands, in one query
  // instead of a look for marks and then the version (two round trips on PostgreSQL).
  const settled = await settledUseVersion(db);
  if (settled !== null) return settled;
  await refreshUse(db);
  return useVersion(db);
}

/**
 * The use version while no change waits to be counted, else null (then it must be counted first:
 * currentUseVersion), in one query.
 */
async function settledUseVersion(db: Knex): Promise<number | null> {
  await ensureUseTriggers(db);
  return settledVersion(db);
}
