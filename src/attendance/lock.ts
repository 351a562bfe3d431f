import type { Knex } from "knex";
import { monthOf } from "../domain/attendance";
import type { Dagdeel } from "../domain/dagdeel";
import { ValidationError } from "../domain/errors";
import { attribute } from "../domain/funding";
import { loadFundingContext } from "../funding/repository";
import { declaredMonths } from "./repository";

// The lock (DESIGN rule 7): once a provider's declaration to a purchaser for a month is
// submitted or accepted, the attendance it was made of may not change; a correction is a new
// declaration. Which purchaser an attendance dagdeel belongs to is what `attribute()` says pays
// for it — the same answer the declaration was built from. PGB and self-pay have no purchaser
// and are never locked. Every write path (record, everyone present, extra, undo) asks here.

export type Cell = { client_id: number; location_id: number; date: string; dagdeel: Dagdeel };

export function cellKey(c: { client_id: number; date: string; dagdeel: Dagdeel }): string {
  return `${c.client_id}|${c.date}|${c.dagdeel}`;
}

/** The keys (cellKey) of the cells that fall in a declared month: five queries for any number. */
export async function lockedCells(db: Knex | Knex.Transaction, cells: Cell[]): Promise<Set<string>> {
  if (cells.length === 0) return new Set();
  const dates = cells.map((c) => c.date).sort();
  const clientIds = [...new Set(cells.map((c) => c.client_id))];
  const locationIds = [...new Set(cells.map((c) => c.location_id))];
  const ctx = await loadFundingContext(db, clientIds, locationIds, dates[0], dates[dates.length - 1]);
  const owners = cells.map((cell) => ({
    cell,
    providerId: ctx.locationProvider.get(cell.location_id) ?? null,
    purchaserId: attribute(ctx, cell).purchaser_id,
  }));
  const billable = owners.filter((o) => o.providerId !== null && o.purchaserId !== null);
  const declared = await declaredMonths(
    db,
    [...new Set(billable.map((o) => o.providerId!))],
    [...new Set(billable.map((o) => o.purchaserId!))],
    [...new Set(billable.map((o) => monthOf(o.cell.date)))],
  );
  const locked = new Set<string>();
  for (const o of billable) {
    if (declared.has(`${o.providerId}|${o.purchaserId}|${monthOf(o.cell.date)}`)) locked.add(cellKey(o.cell));
  }
  return locked;
}

/** Refuses (422) when any of the cells lies in a declared month; the message points to a correction declaration. */
export async function assertNotLocked(db: Knex | Knex.Transaction, cells: Cell[]): Promise<void> {
  const locked = await lockedCells(db, cells);
  const first = cells.find((c) => locked.has(cellKey(c)));
  if (first) throw new ValidationError({ _form: "attendance.errors.locked" }, { month: monthOf(first.date) });
}
