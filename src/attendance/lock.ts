import type { Knex } from "knex";
import { monthOf } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import { ValidationError } from "../domain/errors";
import { attribute } from "../domain/funding";
import { holdPeriods, type PeriodKey } from "../declarations/period-lock";
import { lockedMonths } from "../declarations/repository";
import { loadFundingContext } from "../funding/repository";

// The lock (src/CONTEXT.md#the-attendance-lock): once a provider's declaration to a purchaser for a month is
// submitted or answered, the attendance it was made of may not change — until the provider
// opens a correction of that month, which unlocks it for that provider and purchaser only.
// Which purchaser an attendance dagdeel belongs to is what `attribute()` says pays for it — the
// same answer the declaration was built from. PGB and self-pay have no purchaser and are
// never locked.
//
// Every write path (record, everyone present, extra, undo) asks through assertNotLocked or
// writableCells, which first take the month's lock row FOR SHARE (see
// src/declarations/period-lock.ts), so a concurrent submit and these writes happen one after
// the other on PostgreSQL too. lockedCells only reads, for pages.

export type Cell = { client_id: number; location_id: number; date: string; dagdeel: Dagdeel };

export function cellKey(c: { client_id: number; date: string; dagdeel: Dagdeel }): string {
  return `${c.client_id}|${c.date}|${c.dagdeel}`;
}

type Owned = { cell: Cell; key: PeriodKey };

/** Who declares each cell: the cells that have a provider and a paying purchaser. */
async function billableOwners(db: Knex | Knex.Transaction, cells: Cell[]): Promise<Owned[]> {
  if (cells.length === 0) return [];
  const dates = cells.map((c) => c.date).sort();
  const clientIds = [...new Set(cells.map((c) => c.client_id))];
  const locationIds = [...new Set(cells.map((c) => c.location_id))];
  const ctx = await loadFundingContext(db, clientIds, locationIds, dates[0], dates[dates.length - 1]);
  const owned: Owned[] = [];
  for (const cell of cells) {
    const providerId = ctx.locationProvider.get(cell.location_id) ?? null;
    const purchaserId = attribute(ctx, cell).purchaser_id;
    if (providerId !== null && purchaserId !== null) owned.push({ cell, key: { providerId, purchaserId, month: monthOf(cell.date) } });
  }
  return owned;
}

async function lockedOf(db: Knex | Knex.Transaction, owned: Owned[]): Promise<Set<string>> {
  const locked = await lockedMonths(
    db,
    [...new Set(owned.map((o) => o.key.providerId))],
    [...new Set(owned.map((o) => o.key.purchaserId))],
    [...new Set(owned.map((o) => o.key.month))],
  );
  const out = new Set<string>();
  for (const o of owned) if (locked.has(`${o.key.providerId}|${o.key.purchaserId}|${o.key.month}`)) out.add(cellKey(o.cell));
  return out;
}

/** The keys (cellKey) of the cells that fall in a locked month, for showing a page. */
export async function lockedCells(db: Knex | Knex.Transaction, cells: Cell[]): Promise<Set<string>> {
  return lockedOf(db, await billableOwners(db, cells));
}

/**
 * For a write: takes the lock rows of the cells' months FOR SHARE (held to the end of the
 * transaction), then says which cells are locked.
 */
export async function writableCells(trx: Knex.Transaction, cells: Cell[], at: string): Promise<Set<string>> {
  const owned = await billableOwners(trx, cells);
  await holdPeriods(trx, owned.map((o) => o.key), "share", at);
  return lockedOf(trx, owned);
}

/** For a write: refuses (422) when any of the cells lies in a locked month; the message points to a correction. */
export async function assertNotLocked(trx: Knex.Transaction, cells: Cell[], at = new Date().toISOString()): Promise<void> {
  const locked = await writableCells(trx, cells, at);
  const first = cells.find((c) => locked.has(cellKey(c)));
  if (first) throw new ValidationError({ _form: "attendance.errors.locked" }, { month: monthOf(first.date) });
}
