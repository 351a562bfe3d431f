// The planning half of the demo: who the clients are, where and when they come, under which
// allocation. Pure and in memory (indexes, not database ids), so the capacity and double-booking
// rules can be kept here before anything is written.

import type { Dagdeel } from "../src/domain/dagdeel";
import { addDays, mondayOf } from "../src/domain/dates";
import type { Slot, WeekParity } from "../src/domain/schedule";
import type { ProductKey, ProviderSpec } from "./demo-data";
import type { SeedDates } from "./demo-dates";
import { bsn, person, randomDate, type Person, type PersonKind } from "./demo-people";
import type { Rng } from "./random";

export const CLIENT_COUNT = 150;

export type Rule = { weekday: number; dagdeel: Dagdeel; places: number; valid_from: string; valid_until: string | null };

export type PlanLocation = {
  index: number;
  providerIndex: number;
  kind: "dorp" | "farm";
  wlz: boolean;
  village: string;
  rules: Rule[];
  cells: Slot[];
};

export type Category = PersonKind;

export type Segment = { location: number; from: string; until: string | null; parity: WeekParity; slots: Slot[] };

export type PlannedAllocation = { product: ProductKey; volume: number; from: string; until: string | null };

export type PlannedClient = Person & {
  index: number;
  ended_on: string | null;
  category: Category;
  providerIndex: number;
  allocation: PlannedAllocation | null;
  transport: PlannedAllocation | null;
  segments: Segment[];
};

export type PlannedWaitlist = { client: number; location: number; since: string; priority: number; note: string; slots: Slot[]; funding: "toewijzing" | "subsidie" | "pgb" | "eigen" };

export type Plan = { today: string; locations: PlanLocation[]; clients: PlannedClient[]; waitlist: PlannedWaitlist[]; fullCells: { location: number; slot: Slot }[] };

const FAR = "9999-12-31";
const key = (s: Slot): string => `${s.weekday}${s.dagdeel}`;
const covers = (from: string, until: string | null, d: string): boolean => from <= d && (until === null || d <= until);
const overlaps = (aFrom: string, aUntil: string | null, bFrom: string, bUntil: string | null): boolean =>
  (aUntil ?? FAR) >= bFrom && (bUntil ?? FAR) >= aFrom;

export function planLocations(providers: readonly ProviderSpec[], dates: SeedDates): PlanLocation[] {
  const out: PlanLocation[] = [];
  providers.forEach((p, providerIndex) => {
    for (const l of p.locations) {
      const rules: Rule[] = [];
      for (const c of l.cells) {
        if (l.raisedFrom !== undefined) {
          rules.push({ ...pick(c), places: l.raisedFrom, valid_from: dates.rulesFrom, valid_until: addDays(dates.capacityChange, -1) });
          rules.push({ ...pick(c), places: c.places, valid_from: dates.capacityChange, valid_until: null });
        } else {
          rules.push({ ...pick(c), places: c.places, valid_from: dates.rulesFrom, valid_until: null });
        }
      }
      out.push({
        index: out.length,
        providerIndex,
        kind: p.subkind === "zorgboerderij" ? "farm" : "dorp",
        wlz: p.wlz,
        village: l.village,
        rules,
        cells: l.cells.map(pick),
      });
    }
  });
  return out;
}

function pick(c: Slot): Slot {
  return { weekday: c.weekday, dagdeel: c.dagdeel };
}

type Booking = { client: number; from: string; until: string | null };

/** Who sits where over time; refuses what would pass capacity or book a client twice. */
class Occupancy {
  private readonly cells = new Map<string, Booking[]>();
  private readonly busy = new Map<number, { key: string; from: string; until: string | null }[]>();

  constructor(private readonly locations: PlanLocation[]) {}

  private bookings(location: number, slot: Slot): Booking[] {
    const k = `${location}:${key(slot)}`;
    let list = this.cells.get(k);
    if (!list) this.cells.set(k, (list = []));
    return list;
  }

  private placesAt(location: number, slot: Slot, date: string): number {
    const rule = this.locations[location].rules.find(
      (r) => r.weekday === slot.weekday && r.dagdeel === slot.dagdeel && covers(r.valid_from, r.valid_until, date),
    );
    return rule?.places ?? 0;
  }

  countAt(location: number, slot: Slot, date: string): number {
    return this.bookings(location, slot).filter((b) => covers(b.from, b.until, date)).length;
  }

  /** The fewest free places the cell has over [from, until]; occupancy only rises where a booking or a rule starts. */
  freeOver(location: number, slot: Slot, from: string, until: string | null): number {
    const end = until ?? FAR;
    const points = new Set([from]);
    for (const b of this.bookings(location, slot)) if (b.from > from && b.from <= end) points.add(b.from);
    for (const r of this.locations[location].rules) {
      if (r.weekday !== slot.weekday || r.dagdeel !== slot.dagdeel) continue;
      if (r.valid_from > from && r.valid_from <= end) points.add(r.valid_from);
      if (r.valid_until !== null && r.valid_until >= from && r.valid_until < end) points.add(addDays(r.valid_until, 1));
    }
    let free = Infinity;
    for (const d of points) free = Math.min(free, this.placesAt(location, slot, d) - this.countAt(location, slot, d));
    return free;
  }

  isBusy(client: number, slot: Slot, from: string, until: string | null): boolean {
    return (this.busy.get(client) ?? []).some((b) => b.key === key(slot) && overlaps(b.from, b.until, from, until));
  }

  book(client: number, segment: Segment): void {
    for (const s of segment.slots) {
      this.bookings(segment.location, s).push({ client, from: segment.from, until: segment.until });
      const list = this.busy.get(client) ?? [];
      list.push({ key: key(s), from: segment.from, until: segment.until });
      this.busy.set(client, list);
    }
  }

  /** Shortens a booking that already fits: it can only free places. */
  shorten(client: number, segment: Segment, until: string): void {
    for (const s of segment.slots) {
      for (const b of this.bookings(segment.location, s)) if (b.client === client && b.from === segment.from) b.until = until;
      for (const b of this.busy.get(client) ?? []) if (b.key === key(s) && b.from === segment.from) b.until = until;
    }
    segment.until = until;
  }
}

export function planDemo(providers: readonly ProviderSpec[], dates: SeedDates, rng: Rng): Plan {
  const locations = planLocations(providers, dates);
  const occ = new Occupancy(locations);
  const today = dates.today;

  // Most cells aim at 65–92 % of today's places and are never full; two are planned exactly full
  // (and have a waiting list).
  const target = new Map<string, number>();
  const placesToday = new Map<string, number>();
  const fullCells: { location: number; slot: Slot }[] = [
    { location: locationOf(providers, "Dorpsdagvoorziening Helden"), slot: { weekday: 4, dagdeel: "ochtend" } },
    { location: locationOf(providers, "Zorgboerderij De Peelhoeve"), slot: { weekday: 2, dagdeel: "ochtend" } },
  ];
  const isFull = (location: number, slot: Slot): boolean =>
    fullCells.some((f) => f.location === location && key(f.slot) === key(slot));
  for (const l of locations) {
    for (const c of l.cells) {
      const places = l.rules.find((r) => r.weekday === c.weekday && r.dagdeel === c.dagdeel && covers(r.valid_from, r.valid_until, today))!.places;
      const aim = Math.min(places - 1, Math.max(Math.ceil(places * 0.6), Math.round(places * (0.65 + rng.next() * 0.27))));
      target.set(`${l.index}:${key(c)}`, isFull(l.index, c) ? places : aim);
      placesToday.set(`${l.index}:${key(c)}`, places);
    }
  }
  const remaining = (location: number, slot: Slot): number =>
    target.get(`${location}:${key(slot)}`)! - occ.countAt(location, slot, today);
  const remainingAt = (l: PlanLocation): number => l.cells.reduce((sum, c) => sum + Math.max(0, remaining(l.index, c)), 0);

  /** Picks up to k cells with the most unfilled target; clients like whole days. Only the planned-full cells fill up. */
  function chooseCells(client: number, l: PlanLocation, from: string, until: string | null, k: number, avoidFull: boolean): Slot[] {
    const candidates = l.cells.filter(
      (c) =>
        occ.freeOver(l.index, c, from, until) >= 1 &&
        !occ.isBusy(client, c, from, until) &&
        (isFull(l.index, c) ? !avoidFull : occ.countAt(l.index, c, today) < placesToday.get(`${l.index}:${key(c)}`)! - 1),
    );
    const chosen: Slot[] = [];
    while (chosen.length < k && candidates.length > 0) {
      let best = 0;
      let bestScore = -Infinity;
      candidates.forEach((c, i) => {
        const sameDay = chosen.some((s) => s.weekday === c.weekday);
        const score = remaining(l.index, c) + rng.next() * 0.9 + (sameDay ? 1.6 : 0);
        if (score > bestScore) [best, bestScore] = [i, score];
      });
      chosen.push(candidates.splice(best, 1)[0]);
    }
    return chosen.sort(bySlot);
  }

  const clients: PlannedClient[] = [];
  const usedBsn = new Set<string>();

  function newClient(category: Category, location: PlanLocation, withBsn: boolean): PlannedClient {
    const c: PlannedClient = {
      ...person(rng, category, location.village, withBsn ? bsn(rng, usedBsn) : null, dates.year),
      index: clients.length,
      ended_on: null,
      category,
      providerIndex: location.providerIndex,
      allocation: null,
      transport: null,
      segments: [],
    };
    clients.push(c);
    return c;
  }

  function startDate(l: PlanLocation): string {
    const raised = locations[l.index].rules.some((r) => r.valid_from === dates.capacityChange);
    if (raised && rng.chance(0.35) && dates.capacityChange < dates.startMax) {
      return randomDate(rng, dates.capacityChange, min(addDays(dates.capacityChange, 25), dates.startMax));
    }
    return randomDate(rng, dates.startMin, dates.startMax);
  }

  /** Books a client for up to k dagdelen a week; null when the location has no room for them. */
  function place(c: PlannedClient, l: PlanLocation, k: number, opts: { from?: string; until?: string | null; parity?: WeekParity; avoidFull?: boolean } = {}): Segment | null {
    const from = opts.from ?? startDate(l);
    const until = opts.until ?? null;
    const parity = opts.parity ?? "elke";
    const slots = chooseCells(c.index, l, from, until, k, opts.avoidFull ?? parity !== "elke");
    if (slots.length === 0) return null;
    const segment: Segment = { location: l.index, from, until, parity, slots };
    occ.book(c.index, segment);
    c.segments.push(segment);
    return segment;
  }

  /** Makes a planned-full cell full: its clients take that dagdeel as well, or (villages) newcomers come. */
  function fillUp(f: { location: number; slot: Slot }, newcomers: boolean): void {
    const l = locations[f.location];
    const full = (): boolean => occ.countAt(l.index, f.slot, today) >= target.get(`${l.index}:${key(f.slot)}`)!;
    for (const c of rng.shuffle(clients)) {
      if (full()) return;
      const s = c.segments[0];
      if (!s || c.segments.length > 1 || s.location !== l.index || s.until !== null || s.parity !== "elke") continue;
      if (occ.isBusy(c.index, f.slot, s.from, s.until) || occ.freeOver(l.index, f.slot, s.from, s.until) < 1) continue;
      occ.book(c.index, { ...s, slots: [f.slot] });
      s.slots.push(f.slot);
      s.slots.sort(bySlot);
    }
    while (newcomers && !full()) {
      const c = newClient("subsidie", l, rng.chance(0.4));
      const s: Segment = { location: l.index, from: startDate(l), until: null, parity: "elke", slots: [f.slot] };
      if (occ.freeOver(l.index, f.slot, s.from, null) < 1) throw new Error("demo plan: cannot fill a full cell");
      occ.book(c.index, s);
      c.segments.push(s);
    }
  }

  const farms = locations.filter((l) => l.kind === "farm");
  const villages = locations.filter((l) => l.kind === "dorp");
  const targetAt = (l: PlanLocation): number => l.cells.reduce((sum, c) => sum + target.get(`${l.index}:${key(c)}`)!, 0);
  // The location furthest from its aim, relatively, so small locations fill like large ones.
  const bestOf = (list: PlanLocation[]): PlanLocation =>
    list.map((l) => ({ l, s: remainingAt(l) / targetAt(l) + rng.next() * 0.05 })).sort((a, b) => b.s - a.s)[0].l;

  const wmoVolume = (): number => rng.pick([2, 3, 4, 4, 5, 5, 6, 6, 6]);
  const wlzVolume = (): number => rng.int(5, 9);
  const allocate = (c: PlannedClient, product: ProductKey, volume: number): void => {
    c.allocation = { product, volume, from: "", until: null };
  };

  // 1. Changes of schedule "from date X" and clients who stopped: planned first, they hold past places.
  for (const category of ["wmo", "wmo", "wlz", "subsidie"] as const) {
    const l = bestOf(category === "subsidie" ? villages : farms.filter((f) => category !== "wlz" || f.wlz));
    const c = newClient(category, l, category !== "subsidie");
    const volume = category === "wlz" ? wlzVolume() : category === "wmo" ? Math.max(3, wmoVolume()) : 2;
    if (category !== "subsidie") allocate(c, category === "wlz" ? "wlzDag" : "basis", volume);
    const change = mondayOf(randomDate(rng, addDays(dates.windowStart, 10), addDays(today, -7)));
    const now = place(c, l, volume, { from: change, avoidFull: true });
    const before = now && place(c, l, Math.max(1, now.slots.length - 1), { until: addDays(change, -1), avoidFull: true });
    if (!before) throw new Error("demo plan: no room for a schedule change");
    c.segments.reverse();
  }
  for (let i = 0; i < 4; i++) {
    const l = bestOf(farms);
    const c = newClient("wmo", l, true);
    const volume = wmoVolume();
    allocate(c, "basis", volume);
    c.ended_on = randomDate(rng, addDays(dates.windowStart, 5), addDays(today, -10));
    if (!place(c, l, volume, { until: c.ended_on, avoidFull: true })) throw new Error("demo plan: no room for an ended client");
  }

  // 2. Village facilities: subsidy clients, most without a BSN, until the villages are about as full as aimed.
  const reserved = 7; // allocations not yet planned and village newcomers on the waiting list, below
  while (villages.some((v) => remainingAt(v) > 1) && clients.length < 62) {
    const l = bestOf(villages);
    const c = newClient("subsidie", l, rng.chance(0.4));
    const k = Math.min(l.cells.length, rng.pick([1, 2, 2, 2, 2, 3, 4, 4]));
    const parity: WeekParity = k >= 2 && rng.chance(0.12) ? rng.pick(["even", "oneven"] as const) : "elke";
    if (!place(c, l, k, { parity })) clients.pop();
  }

  fillUp(fullCells[0], true);

  // 3. Care farms: Wmo and Wlz allocations, a few PGB and self-paying clients.
  const farmCount = CLIENT_COUNT - reserved - clients.length;
  const wlzCount = Math.round(farmCount * 0.26);
  const categories = rng.shuffle<Category>([
    ...Array<Category>(wlzCount).fill("wlz"),
    ...Array<Category>(5).fill("pgb"),
    ...Array<Category>(3).fill("eigen"),
    ...Array<Category>(farmCount - wlzCount - 8).fill("wmo"),
  ]);
  for (const category of categories) {
    const eligible = farms.filter((f) => category !== "wlz" || f.wlz);
    const l = bestOf(eligible);
    const c = newClient(category, l, category !== "eigen");
    let volume = 0;
    if (category === "wmo") {
      volume = wmoVolume();
      allocate(c, rng.chance(0.25) ? "intensief" : "basis", volume);
    } else if (category === "wlz") {
      volume = wlzVolume();
      allocate(c, "wlzDag", volume);
    } else {
      volume = rng.int(1, 4);
    }
    const k = category === "wmo" && volume > 2 && rng.chance(0.12) ? volume - 1 : volume;
    if (!place(c, l, k) && !place(c, bestOf(eligible.filter((f) => f !== l)), k)) {
      throw new Error(`demo plan: no room left on the farms for client ${c.index}`);
    }
  }

  fillUp(fullCells[1], false);

  // 4. Allocations that arrived lately and wait for a place; village newcomers on the waiting list.
  const waitlist: PlannedWaitlist[] = [];
  const peelhoeve = locations[locationOf(providers, "Zorgboerderij De Peelhoeve")];
  const rozenhof = locations[locationOf(providers, "Zorgboerderij De Rozenhof")];
  for (const [category, l] of [["wmo", peelhoeve], ["wmo", peelhoeve], ["wlz", peelhoeve], ["wmo", rozenhof]] as const) {
    const c = newClient(category, l, true);
    allocate(c, category === "wlz" ? "wlzDag" : "basis", category === "wlz" ? wlzVolume() : wmoVolume());
    c.allocation!.from = addDays(today, -rng.int(4, 24));
    if (l === peelhoeve) {
      waitlist.push({ client: c.index, location: l.index, since: c.allocation!.from, priority: rng.int(1, 3), note: "Toewijzing ontvangen, plaatsen zodra dinsdagochtend vrijkomt.", slots: [fullCells[1].slot, { weekday: 2, dagdeel: "middag" }], funding: "toewijzing" });
    }
  }
  const helden = locations[fullCells[0].location];
  const villageNotes = ["Mantelzorger overbelast, graag voorrang.", "Komt graag samen met de buurvrouw.", "Via de dorpsondersteuner aangemeld."];
  for (const note of villageNotes) {
    const c = newClient("subsidie", helden, false);
    const since = addDays(today, -rng.int(10, 70));
    waitlist.push({ client: c.index, location: helden.index, since, priority: rng.int(1, 5), note, slots: rng.chance(0.5) ? [fullCells[0].slot] : [fullCells[0].slot, { weekday: 4, dagdeel: "middag" }], funding: "subsidie" });
  }
  // Two clients who come already and would like one dagdeel more, on the full one.
  for (const f of fullCells) {
    const c = clients.find(
      (x) => x.ended_on === null && x.segments.length === 1 && x.segments[0].location === f.location &&
        !occ.isBusy(x.index, f.slot, today, null) && (x.allocation === null || x.allocation.volume > x.segments[0].slots.length),
    );
    if (c) waitlist.push({ client: c.index, location: f.location, since: addDays(today, -rng.int(14, 60)), priority: rng.int(3, 5), note: "Wil graag een dagdeel extra.", slots: [f.slot], funding: c.allocation !== null ? "toewijzing" : c.category === "subsidie" ? "subsidie" : "eigen" });
  }

  // 5. Allocation periods around the schedules: four end in the coming four weeks.
  const endingSoon = new Set(
    rng
      // Without transport, so exactly these four allocations end (a ride allocation ends with its client's).
      .shuffle(clients.filter((c) => c.category === "wmo" && !c.needs_transport && c.ended_on === null && c.segments.length === 1 && !waitlist.some((w) => w.client === c.index)))
      .slice(0, 4),
  );
  for (const c of clients) {
    const a = c.allocation;
    if (!a) continue;
    if (c.segments.length > 0) a.from = addDays(c.segments[0].from, -rng.int(0, 28));
    a.volume = Math.max(a.volume, ...c.segments.map((s) => s.slots.length));
    if (c.ended_on) a.until = c.ended_on;
    else if (endingSoon.has(c)) {
      a.until = addDays(today, rng.int(4, 27));
      occ.shorten(c.index, c.segments[0], a.until);
    } else if (c.category === "wmo" && rng.chance(0.6)) {
      a.until = `${dates.year + rng.int(1, 2)}-${rng.pick(["03-31", "06-30", "12-31"])}`;
      // A schedule never runs past its allocation.
      const last = c.segments[c.segments.length - 1];
      if (last) occ.shorten(c.index, last, a.until);
    }
    if (c.needs_transport && c.segments.length > 0 && rng.chance(c.category === "wlz" ? 0.5 : 0.65) && (c.category === "wmo" || c.category === "wlz")) {
      const days = new Set(c.segments[c.segments.length - 1].slots.map((s) => s.weekday)).size;
      c.transport = { product: c.category === "wlz" ? "wlzVervoer" : "vervoer", volume: 2 * days, from: a.from, until: a.until };
    }
  }
  return { today, locations, clients, waitlist, fullCells };
}

export function locationOf(providers: readonly ProviderSpec[], name: string): number {
  let index = 0;
  for (const p of providers) {
    if (p.name === name) return index;
    index += p.locations.length;
  }
  throw new Error(`demo plan: unknown provider ${name}`);
}

function min(a: string, b: string): string {
  return a < b ? a : b;
}

function bySlot(a: Slot, b: Slot): number {
  return a.weekday - b.weekday || (a.dagdeel === b.dagdeel ? 0 : a.dagdeel === "ochtend" ? -1 : 1);
}
