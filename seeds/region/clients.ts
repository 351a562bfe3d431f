// From stays to clients: who each one is, under which funding they come (a toewijzing from
// their gemeente, a Wlz indicatie from the zorgkantoor, a subsidy, PGB or self-pay), their
// allocations (renewed over the years, as toewijzingen are) and a schedule per allocation
// period. Only clients with a test-range BSN can hold an allocation; when those run out, the
// rest of the care farms' clients pay from a PGB.

import { dateOfDayNumber, type Slot, type WeekParity } from "../../src/domain/schedule";
import type { ProductKey } from "../demo-data";
import type { Rng } from "../random";
import type { RegionDates } from "./options";
import type { Organisations, PlanLocation, PlanVillage } from "./organisations";
import { person, type Person, type PersonKind } from "./people";
import type { Stay } from "./seats";

export type PlanClient = Person & { id: number; bsn: string | null; kind: PersonKind; ended_on: string | null };

export type PlanAllocation = {
  id: number;
  clientId: number;
  purchaserId: number;
  providerId: number;
  product: ProductKey;
  volume: number;
  from: string;
  until: string | null;
  reference: string;
};

export type Funding = "toewijzing" | "subsidie" | "pgb" | "eigen";

export type PlanSchedule = {
  id: number;
  clientId: number;
  location: PlanLocation;
  funding: Funding;
  allocationId: number | null;
  /** Who pays (toewijzing: the allocation's purchaser; subsidie: the gemeente); null for PGB and self-pay. */
  purchaserId: number | null;
  /** Set once the contracts are planned (see contracts.ts). */
  contractId: number | null;
  product: ProductKey | null;
  from: string;
  until: string | null;
  parity: WeekParity;
  slots: Slot[];
  /** Allocation volume per week (toewijzing), for extra visits within it. */
  volume: number | null;
};

/** Keeps the clients, allocations and schedules as they are made, with their ids and references. */
export class ClientBook {
  readonly clients: PlanClient[] = [];
  readonly allocations: PlanAllocation[] = [];
  readonly schedules: PlanSchedule[] = [];
  private readonly referenceCounters = new Map<number, number>();

  constructor(
    private readonly org: Organisations,
    private readonly dates: RegionDates,
    private readonly rng: Rng,
  ) {}

  /** A village of a gemeente: the location's own kern most of the time. */
  villageNear(gemeente: number, location: PlanLocation | null, ownShare: number): PlanVillage {
    if (location && location.gemeente === gemeente && this.rng.chance(ownShare)) return this.org.villages.find((v) => v.id === location.villageId)!;
    return this.rng.pick(this.org.villages.filter((v) => v.gemeente === gemeente));
  }

  addClient(kind: PersonKind, village: PlanVillage, bsn: string | null): PlanClient {
    const c: PlanClient = { ...person(this.rng, kind, village, this.dates.today), id: this.clients.length + 1, bsn, kind, ended_on: null };
    this.clients.push(c);
    return c;
  }

  addAllocation(a: Omit<PlanAllocation, "id" | "reference">): PlanAllocation {
    const purchaser = this.org.purchasers.find((p) => p.id === a.purchaserId)!;
    // iWmo ToewijzingNummer is numeric: the gemeentecode and a running number; the zorgkantoor keeps its own form.
    const next = (this.referenceCounters.get(purchaser.id) ?? (purchaser.gemeentecode ? 104_200 : 2_318_400)) + this.rng.int(1, 9);
    this.referenceCounters.set(purchaser.id, next);
    const reference = purchaser.gemeentecode ? `${purchaser.gemeentecode}${String(next).padStart(7, "0")}` : `VGZ-${next}`;
    const row = { ...a, id: this.allocations.length + 1, reference };
    this.allocations.push(row);
    return row;
  }

  addSchedule(s: Omit<PlanSchedule, "id" | "contractId">): PlanSchedule {
    const row = { ...s, id: this.schedules.length + 1, contractId: null };
    this.schedules.push(row);
    return row;
  }
}

export const iso = dateOfDayNumber;

/**
 * Clients for the stays. `bsns` are the BSNs the stays may use (those the waiting list needs
 * are taken out before); `coverEnd` is the last day any contract covers.
 */
export function placeStays(book: ClientBook, org: Organisations, stays: Stay[], bsns: string[], coverEnd: number, dates: RegionDates, rng: Rng): void {
  // Which zorg stays get a BSN (and so an allocation) is a draw, not first come first served.
  const zorg = rng.shuffle(stays.filter((s) => s.kind === "zorg"));
  const withBsn = new Map<Stay, string>();
  zorg.forEach((s, i) => {
    if (i < bsns.length) withBsn.set(s, bsns[i]);
  });
  const gemeentePurchaser = (gi: number) => org.purchasers.find((p) => p.gemeente === gi)!;

  for (const stay of stays) {
    const l = stay.location;
    const bsn = withBsn.get(stay) ?? null;
    const kind: PersonKind = stay.kind === "zorg" ? (bsn === null ? "pgb" : stay.wlz ? "wlz" : "wmo") : stay.kind;
    // A gemeente buys for the people who live in it: most come from the farm's own gemeente, a few from next door.
    const home = kind === "wmo" && rng.chance(0.08) ? neighbour(l.gemeente, org.gemeenten.length, rng) : l.gemeente;
    const client = book.addClient(kind, book.villageNear(home, l, kind === "subsidie" ? 0.85 : 0.3), bsn);
    if (stay.until !== null && stay.until < dates.todayN) client.ended_on = iso(stay.until);
    const base = { clientId: client.id, location: l, parity: stay.parity, slots: stay.slots };
    if (kind === "wmo" || kind === "wlz") {
      const purchaserId = kind === "wmo" ? gemeentePurchaser(home).id : org.zorgkantoorId;
      const volume = stay.slots.length + (rng.chance(0.2) ? 1 : 0);
      const product: ProductKey = kind === "wlz" ? "wlzDag" : rng.chance(0.25) ? "intensief" : "basis";
      const rides = client.needs_transport && rng.chance(kind === "wlz" ? 0.5 : 0.65);
      for (const period of allocationPeriods(kind, stay, coverEnd, dates, rng)) {
        const a = book.addAllocation({ clientId: client.id, purchaserId, providerId: l.providerId, product, volume, from: iso(period.from), until: period.until === null ? null : iso(period.until) });
        if (rides) {
          const days = new Set(stay.slots.map((s) => s.weekday)).size;
          book.addAllocation({ clientId: client.id, purchaserId, providerId: l.providerId, product: kind === "wlz" ? "wlzVervoer" : "vervoer", volume: 2 * days, from: a.from, until: a.until });
        }
        // The schedule runs within the allocation, never past it.
        const from = Math.max(stay.from, period.from);
        const until = minOrNull(stay.until, period.until);
        if (until !== null && until < from) continue;
        book.addSchedule({ ...base, funding: "toewijzing", allocationId: a.id, purchaserId, product, from: iso(from), until: until === null ? null : iso(until), volume });
      }
    } else {
      book.addSchedule({
        ...base,
        funding: kind,
        allocationId: null,
        purchaserId: kind === "subsidie" ? gemeentePurchaser(l.gemeente).id : null,
        product: kind === "subsidie" ? "basis" : null,
        from: iso(stay.from),
        until: stay.until === null ? null : iso(stay.until),
        volume: null,
      });
    }
  }
}

/**
 * A Wlz indicatie runs as long as the care. A Wmo toewijzing is given for one to three years
 * (or without an end) and renewed back to back; one that ends while care goes on is renewed
 * — the last one runs past today, and never past the contracts' cover.
 */
function allocationPeriods(kind: "wmo" | "wlz", stay: Stay, coverEnd: number, dates: RegionDates, rng: Rng): { from: number; until: number | null }[] {
  if (kind === "wlz") return [{ from: stay.from - rng.int(0, 14), until: stay.until }];
  const out: { from: number; until: number | null }[] = [];
  let from = stay.from - rng.int(0, 28);
  for (;;) {
    let until: number | null = rng.chance(0.3) ? null : from + rng.pick([365, 365, 730, 1095]) - 1;
    if (stay.until !== null && (until === null || until >= stay.until)) until = stay.until;
    if (until !== null && until > coverEnd) until = null;
    if (until === null && stay.until !== null) until = stay.until;
    out.push({ from, until });
    if (until === null || (stay.until !== null && until >= stay.until) || until >= dates.todayN + 28) return out;
    from = until + 1;
  }
}

function neighbour(gemeente: number, count: number, rng: Rng): number {
  if (gemeente === 0) return 1;
  if (gemeente === count - 1) return gemeente - 1;
  return gemeente + (rng.chance(0.5) ? 1 : -1);
}

function minOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
