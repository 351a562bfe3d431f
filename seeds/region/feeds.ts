// Calendar feeds some clients and locations subscribed to. Only the token's hash is stored, as
// the app does; the tokens themselves follow from the seed value, so the bench (and anyone with
// the seed) can open a feed of the region. That is fine for fictional data and is why region
// data must never hold real people.

import { createHash } from "node:crypto";
import { hashFeedToken } from "../../src/calendar/tokens";
import type { Rng } from "../random";
import type { PlanSchedule } from "./clients";
import type { PlanLocation } from "./organisations";

export type PlanFeed = { id: number; token_hash: string; scope: "client" | "location"; clientId: number | null; locationId: number | null; label: string };

/** The token of the region's n-th feed (1-based); feed 1 is a client's. */
export function regionFeedToken(seed: number, n: number): string {
  return createHash("sha256").update(`dagdeel-region-feed|${seed}|${n}`, "utf8").digest("base64url");
}

/**
 * Feed 1 belongs to a client who comes most dagdelen to the busiest location today; then a
 * few hundredths of the current clients and a sixth of the locations.
 */
export function planFeeds(seed: number, locations: PlanLocation[], current: PlanSchedule[], rng: Rng): PlanFeed[] {
  const out: PlanFeed[] = [];
  const add = (scope: PlanFeed["scope"], clientId: number | null, locationId: number | null, label: string) => {
    const id = out.length + 1;
    out.push({ id, token_hash: hashFeedToken(regionFeedToken(seed, id)), scope, clientId, locationId, label });
  };
  const perLocation = new Map<number, number>();
  for (const s of current) perLocation.set(s.location.id, (perLocation.get(s.location.id) ?? 0) + s.slots.length);
  const busiest = [...perLocation].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  const first = current.filter((s) => s.location.id === busiest).sort((a, b) => b.slots.length - a.slots.length || a.clientId - b.clientId)[0];
  if (first) add("client", first.clientId, null, "Agenda thuis");
  const seen = new Set(first ? [first.clientId] : []);
  for (const s of current) {
    if (seen.has(s.clientId) || !rng.chance(0.03)) continue;
    seen.add(s.clientId);
    add("client", s.clientId, null, rng.pick(["Agenda thuis", "Mantelzorger", "Telefoon dochter", "Gezinsagenda"]));
  }
  for (const l of locations) if (rng.chance(0.17)) add("location", null, l.id, rng.pick(["Vrijwilligers", "Rooster keuken", "Vervoerder"]));
  return out;
}
