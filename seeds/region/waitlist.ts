// The waiting lists: newcomers with a fresh toewijzing or indicatie and no place yet (the
// problem list's "zonder rooster"), village newcomers, and clients who come already and would
// like one dagdeel more — mostly on the cells planned full. Some older entries were placed or
// lapsed. The entries are drawn before the stays get their BSNs, so the newcomers' BSNs are
// kept aside first.

import type { Slot } from "../../src/domain/schedule";
import type { WaitlistStatus } from "../../src/planning/waitlist-repository";
import type { Rng } from "../random";
import { iso, type ClientBook, type PlanSchedule } from "./clients";
import type { RegionDates } from "./options";
import type { Organisations, PlanLocation } from "./organisations";

export type PlanWaitlistEntry = {
  id: number;
  clientId: number;
  locationId: number;
  since: string;
  priority: number;
  status: WaitlistStatus;
  note: string | null;
  slots: Slot[];
};

type Draft = { location: PlanLocation; who: "zorg" | "village" | "more"; wlz: boolean; slots: Slot[]; since: number; status: WaitlistStatus; priority: number; note: string };

const NOTES = {
  zorg: ["Toewijzing ontvangen, plaatsen zodra er een plek vrijkomt.", "Indicatie binnen, wacht op een vaste dag.", "Voorkeur voor hele dagen."],
  village: ["Mantelzorger overbelast, graag voorrang.", "Komt graag samen met de buurvrouw.", "Via de dorpsondersteuner aangemeld."],
  more: ["Wil graag een dagdeel extra.", "Vraagt een tweede dagdeel aan."],
};

/** Drafts the entries; returns them with the number of BSNs their newcomers need. */
export function draftWaitlist(org: Organisations, dates: RegionDates, rng: Rng): { drafts: Draft[]; bsnsNeeded: number } {
  const drafts: Draft[] = [];
  for (const location of org.locations) {
    const full = location.cells.filter((c) => c.fill === 1);
    const n = rng.int(0, full.length > 0 ? 3 : 1);
    for (let i = 0; i < n; i++) {
      const pool = full.length > 0 && rng.chance(0.8) ? full : location.cells;
      const wished = rng.shuffle(pool).slice(0, rng.int(1, Math.min(2, pool.length)));
      const who: Draft["who"] = rng.chance(0.25) ? "more" : location.kind === "farm" ? "zorg" : "village";
      const old = rng.chance(0.15);
      const since = old ? dates.todayN - rng.int(200, 600) : dates.todayN - rng.int(4, 120);
      drafts.push({
        location,
        who,
        wlz: location.wlz && rng.chance(0.3),
        slots: wished.map((c) => ({ weekday: c.weekday, dagdeel: c.dagdeel })),
        since,
        status: old ? rng.pick(["geplaatst", "vervallen"] as const) : "wachtend",
        priority: rng.int(1, 5),
        note: rng.pick(NOTES[who]),
      });
    }
  }
  return { drafts, bsnsNeeded: drafts.filter((d) => d.who === "zorg" && d.status === "wachtend").length };
}

/**
 * Makes the entries: newcomers become clients (with an allocation that starts before the
 * entry, and no schedule); "one more dagdeel" goes to a client who comes there today.
 */
export function placeWaitlist(book: ClientBook, org: Organisations, drafts: Draft[], bsns: string[], coverEnd: number, dates: RegionDates, rng: Rng): PlanWaitlistEntry[] {
  const out: PlanWaitlistEntry[] = [];
  const current = new Map<number, PlanSchedule[]>();
  for (const s of book.schedules) {
    const running = s.from <= dates.today && (s.until === null || s.until >= dates.today);
    if (running) current.set(s.location.id, [...(current.get(s.location.id) ?? []), s]);
  }
  const byLocation = new Map<number, PlanSchedule[]>();
  for (const s of book.schedules) byLocation.set(s.location.id, [...(byLocation.get(s.location.id) ?? []), s]);
  let nextBsn = 0;
  for (const d of drafts) {
    let clientId: number;
    let status = d.status;
    // A placed entry is a client whose schedule there began some weeks after it; none found: it lapsed.
    const placed = status === "geplaatst"
      ? (byLocation.get(d.location.id) ?? []).filter((s) => s.from >= iso(d.since) && s.from <= iso(d.since + 180))
      : [];
    if (status === "geplaatst" && placed.length === 0) status = "vervallen";
    if (placed.length > 0) {
      clientId = rng.pick(placed).clientId;
    } else if (d.who === "more") {
      const candidates = (current.get(d.location.id) ?? []).filter((s) => !d.slots.some((w) => s.slots.some((x) => x.weekday === w.weekday && x.dagdeel === w.dagdeel)));
      if (candidates.length === 0) continue;
      clientId = rng.pick(candidates).clientId;
    } else if (d.who === "zorg" && d.status === "wachtend" && nextBsn < bsns.length) {
      const kind = d.wlz ? "wlz" : "wmo";
      const client = book.addClient(kind, book.villageNear(d.location.gemeente, d.location, 0.4), bsns[nextBsn++]);
      const purchaserId = kind === "wlz" ? org.zorgkantoorId : org.purchasers.find((p) => p.gemeente === d.location.gemeente)!.id;
      const from = d.since - rng.int(0, 10);
      const until = kind === "wmo" && rng.chance(0.6) ? Math.min(from + 364, coverEnd) : null;
      book.addAllocation({
        clientId: client.id, purchaserId, providerId: d.location.providerId, product: kind === "wlz" ? "wlzDag" : "basis",
        volume: Math.max(2, d.slots.length + rng.int(0, 2)), from: iso(from), until: until === null ? null : iso(until),
      });
      clientId = client.id;
    } else {
      const kind = d.location.kind === "farm" ? "pgb" : "subsidie";
      const client = book.addClient(kind, book.villageNear(d.location.gemeente, d.location, 0.85), null);
      // A lapsed or placed newcomer without a stay here has moved on.
      if (status !== "wachtend") client.ended_on = iso(d.since + rng.int(30, 120));
      clientId = client.id;
    }
    out.push({ id: out.length + 1, clientId, locationId: d.location.id, since: iso(d.since), priority: d.priority, status, note: d.note, slots: d.slots });
  }
  return out;
}
