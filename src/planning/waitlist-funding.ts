import type { Knex } from "knex";
import { allocationStatus } from "../domain/allocation";
import { checkedUntil } from "../domain/booking-rules";
import { allocationRule, volumeRange, waitlistPattern, type AllocationCase } from "./allocation-rule";
import * as schedules from "./schedule-repository";
import type { EntryRow } from "./waitlist-repository";
import { Turns } from "../web/turns";

// "Funding would allow the booking" for waiting clients, in a fixed number of queries whatever
// the number of entries: an entry noted as paid from an allocation needs a running dagdeel
// allocation with the location's provider that the booking rules let the wished slots through
// (period, volume with the client's other schedules on it, contract cover) — allocationRule,
// the very function the schedule POST asks; one noted as subsidie needs an active subsidy
// contract of the provider today; PGB and self-pay need no one's consent.

/** The allocations a waiting entry could be booked under: running, dagdelen, the location's provider. */
export function candidateAllocations(entry: Pick<EntryRow, "client_id" | "provider_id">, allocations: schedules.AllocationRow[], date: string): schedules.AllocationRow[] {
  return allocations.filter((a) => a.client_id === entry.client_id && a.provider_id === entry.provider_id && a.product_unit === "dagdeel" && allocationStatus(a, date) === "lopend");
}

/** The booking "inplannen" makes under an allocation: the wished slots every week from today to its end. */
export function allocationCase(entry: EntryRow, a: schedules.AllocationRow, date: string, clientSchedules: schedules.ScheduleWithSlots[]): AllocationCase {
  const pattern = waitlistPattern(entry.slots, date, a.valid_until);
  return {
    allocation: a,
    clientId: entry.client_id,
    location: { id: entry.location_id, provider_id: entry.provider_id },
    pattern,
    until: checkedUntil(pattern.valid_from, pattern.valid_until),
    funded: clientSchedules.filter((s) => s.allocation_id === a.id),
  };
}

/**
 * The ids of the entries whose funding would allow booking their wishes from `date`. Always the
 * same five queries (for no entries too), so a page asks as many on a bigger region.
 */
export async function fundedEntryIds(db: Knex, entries: EntryRow[], date: string): Promise<Set<number>> {
  const out = new Set<number>();
  const byAllocation = entries.filter((e) => e.funding === "toewijzing" && e.slots.length > 0);
  const bySubsidy = entries.filter((e) => e.funding === "subsidie");
  for (const e of entries) if (e.funding === "pgb" || e.funding === "eigen") out.add(e.id);

  const [running, allocations] = await Promise.all([
    schedules.subsidyContractsOn(db, [...new Set(bySubsidy.map((e) => e.provider_id))], date),
    schedules.allocationsOfClients(db, [...new Set(byAllocation.map((e) => e.client_id))]),
  ]);
  for (const e of bySubsidy) if (running.has(e.provider_id)) out.add(e.id);

  const cases: { entryId: number; c: AllocationCase }[] = [];
  const wanted = byAllocation.filter((e) => candidateAllocations(e, allocations, date).length > 0);
  const clientSchedules = await schedules.schedulesOfClients(db, [...new Set(wanted.map((e) => e.client_id))]);
  const ofClient = new Map<number, schedules.ScheduleWithSlots[]>();
  for (const s of clientSchedules) ofClient.set(s.client_id, [...(ofClient.get(s.client_id) ?? []), s]);
  for (const e of wanted) {
    for (const a of candidateAllocations(e, allocations, date)) cases.push({ entryId: e.id, c: allocationCase(e, a, date, ofClient.get(e.client_id) ?? []) });
  }
  // One read of the closures and contract lines for every case.
  const ranges = cases.map(({ c }) => volumeRange(c));
  const from = ranges.reduce((m, r) => (r.from < m ? r.from : m), date);
  const until = ranges.reduce((m, r) => (r.until > m ? r.until : m), date);
  const providers = [...new Set(cases.flatMap(({ c }) => [c.location.provider_id, ...c.funded.map((s) => s.provider_id)]))];
  const [closures, lines] = await Promise.all([schedules.closuresOf(db, providers, from, until), schedules.contractLines(db, [...new Set(wanted.map((e) => e.provider_id))])]);
  // Each case expands its schedules over its volume windows: let other requests in between.
  const turn = new Turns(1);
  for (const { entryId, c } of cases) {
    if (turn.due()) await turn.pass();
    if (out.has(entryId)) continue;
    const own = lines.filter((l) => l.provider_id === c.location.provider_id);
    if (allocationRule(c, closures, own).violations.length === 0) out.add(entryId);
  }
  return out;
}
