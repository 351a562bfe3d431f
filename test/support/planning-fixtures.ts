import type { Knex } from "knex";
import type { Dagdeel } from "../../src/domain/dagdeel";
import type { World } from "./fixtures";
import { withNameKeys } from "../../src/db/name-keys";

// Builders for the planning tests, on top of the shared test world: products, contract lines,
// capacity, clients, allocations, schedules, closures and waiting-list entries, written
// straight to the database so each test sets up exactly the situation it is about.

const AT = "2026-11-01T08:00:00.000Z";

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
  return typeof r === "object" ? r.id : r;
}

export type PlanningWorld = {
  basis: number;
  vervoer: number;
  /** Active 2027 contract of provider A with the gemeente, so open-ended schedules are covered. */
  contractA2027: number;
};

/**
 * Products, the contract lines of the world's contracts (2026) and a 2027 contract for
 * provider A, and capacity at both locations: `places` on every weekday morning and afternoon.
 */
export async function planningWorld(db: Knex, world: World, places = 4): Promise<PlanningWorld> {
  const basis = await insert(db, "products", { code: "07A08", name: "Dagbesteding basis", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A08", iwmo_unit: "16", active: true });
  const vervoer = await insert(db, "products", { code: "08A01", name: "Vervoer", unit: "rit", iwmo_category: "08", active: true });
  await insert(db, "contract_lines", { contract_id: world.contractA, product_id: basis, tariff_cents: 5150, valid_from: "2026-01-01", valid_until: "2026-12-31" });
  await insert(db, "contract_lines", { contract_id: world.contractZorgkantoorB, product_id: basis, tariff_cents: 5890, valid_from: "2026-01-01", valid_until: "2026-12-31" });
  const contractA2027 = await insert(db, "contracts", { purchaser_id: world.gemeente, provider_id: world.providerA, reference: "PM-A-2027", kind: "inkoop", valid_from: "2027-01-01", valid_until: "2027-12-31", status: "actief" });
  await insert(db, "contract_lines", { contract_id: contractA2027, product_id: basis, tariff_cents: 5300, valid_from: "2027-01-01", valid_until: "2027-12-31" });
  for (const location of [world.locationA, world.locationB]) await setCapacity(db, location, places);
  return { basis, vervoer, contractA2027 };
}

/** The same number of places on every weekday morning and afternoon, from 2026 on. */
export async function setCapacity(db: Knex, locationId: number, places: number, only?: { weekday: number; dagdeel: Dagdeel }[]): Promise<void> {
  await db("capacity_rules").where({ location_id: locationId }).delete();
  const cells = only ?? [1, 2, 3, 4, 5].flatMap((weekday) => (["ochtend", "middag"] as const).map((dagdeel) => ({ weekday, dagdeel })));
  for (const c of cells) await insert(db, "capacity_rules", { location_id: locationId, weekday: c.weekday, dagdeel: c.dagdeel, places, valid_from: "2026-01-01", valid_until: null });
}

let locationCount = 0;

/** Another location of a provider, with `places` on every weekday dagdeel: a cell of its own for a test. */
export async function makeLocation(db: Knex, world: World, provider: number, places = 4): Promise<number> {
  locationCount += 1;
  const id = await insert(db, "locations", { provider_id: provider, name: `Extra locatie ${locationCount}`, street: "Markt 1", postcode: "5988 CC", village_id: world.village });
  await setCapacity(db, id, places);
  return id;
}

/**
 * A region's worth of locations (issue 11.4): "Zorghoeve Bühler 01 Akker" .. "NN Akker" of
 * provider A and the same "Brink" of provider B, in the world's village; their ids by number.
 */
export async function regionLocations(db: Knex, world: World, count: number, places = 4): Promise<{ ofA: number[]; ofB: number[] }> {
  const ofA: number[] = [];
  const ofB: number[] = [];
  for (let n = 1; n <= count; n++) {
    for (const [provider, list, suffix] of [[world.providerA, ofA, "Akker"], [world.providerB, ofB, "Brink"]] as const) {
      const id = await makeLocation(db, world, provider, places);
      await db("locations").where({ id }).update(withNameKeys("locations", { name: `Zorghoeve Bühler ${String(n).padStart(2, "0")} ${suffix}` }));
      list.push(id);
    }
  }
  return { ofA, ofB };
}

/** Changes the places of one weekday × dagdeel (keeps the others). */
export async function setPlaces(db: Knex, locationId: number, weekday: number, dagdeel: Dagdeel, places: number): Promise<void> {
  await db("capacity_rules").where({ location_id: locationId, weekday, dagdeel }).update({ places });
}

let clientCount = 0;

export async function makeClient(db: Knex, first = "Client", last?: string, bsn: string | null = null): Promise<number> {
  clientCount += 1;
  return insert(db, "clients", { first_name: first, last_name: last ?? `Nummer${clientCount}`, bsn, needs_transport: false, wheelchair: false });
}

let referenceCount = 0;

export async function makeAllocation(
  db: Knex,
  a: { client: number; purchaser: number; provider: number; product: number; volume: number; frequency?: "week" | "maand" | "totaal"; from?: string; until?: string | null },
): Promise<number> {
  referenceCount += 1;
  return insert(db, "allocations", {
    client_id: a.client,
    purchaser_id: a.purchaser,
    provider_id: a.provider,
    product_id: a.product,
    volume: a.volume,
    frequency: a.frequency ?? "week",
    valid_from: a.from ?? "2026-01-01",
    valid_until: a.until === undefined ? null : a.until,
    reference: `T-${String(referenceCount).padStart(5, "0")}`,
  });
}

export type SlotSpec = [number, Dagdeel];

/** A schedule written directly, bypassing the rules (to build a situation, never to test them). */
export async function makeSchedule(
  db: Knex,
  s: {
    client: number;
    location: number;
    slots: SlotSpec[];
    from?: string;
    until?: string | null;
    parity?: "elke" | "even" | "oneven";
    funding?: "toewijzing" | "subsidie" | "pgb" | "eigen";
    allocation?: number | null;
    contract?: number | null;
    product?: number | null;
  },
): Promise<number> {
  const id = await insert(db, "schedules", {
    client_id: s.client,
    location_id: s.location,
    funding: s.funding ?? (s.allocation ? "toewijzing" : "eigen"),
    allocation_id: s.allocation ?? null,
    contract_id: s.contract ?? null,
    product_id: s.product ?? null,
    valid_from: s.from ?? "2026-11-02",
    valid_until: s.until === undefined ? null : s.until,
    week_parity: s.parity ?? "elke",
    created_by: null,
  });
  for (const [weekday, dagdeel] of s.slots) await insert(db, "schedule_slots", { schedule_id: id, weekday, dagdeel });
  return id;
}

export async function makeClosure(db: Knex, c: { provider: number; location?: number | null; from: string; until?: string; dagdeel?: Dagdeel | null; reason?: string }): Promise<number> {
  return insert(db, "closures", {
    provider_id: c.provider,
    location_id: c.location ?? null,
    starts_on: c.from,
    ends_on: c.until ?? c.from,
    dagdeel: c.dagdeel ?? null,
    reason: c.reason ?? "Studiedag",
  });
}

export async function makeWaitlistEntry(
  db: Knex,
  e: { client: number; location: number; slots: SlotSpec[]; since?: string; priority?: number; note?: string; funding?: "toewijzing" | "subsidie" | "pgb" | "eigen" },
): Promise<number> {
  const id = await insert(db, "waitlist_entries", {
    client_id: e.client,
    location_id: e.location,
    since: e.since ?? "2026-10-01",
    priority: e.priority ?? 3,
    status: "wachtend",
    note: e.note ?? null,
    funding: e.funding ?? "toewijzing",
  });
  for (const [weekday, dagdeel] of e.slots) await insert(db, "waitlist_slots", { waitlist_entry_id: id, weekday, dagdeel });
  return id;
}

/** The body of the schedule form for a client (toewijzing unless told otherwise). */
export function scheduleForm(f: {
  client: number;
  location: number;
  slots: string[];
  from?: string;
  until?: string;
  funding?: string;
  allocation?: number | null;
  contract?: number | null;
  product?: number | null;
  parity?: string;
  overbook?: boolean;
  reason?: string;
}): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {
    client_id: String(f.client),
    location_id: String(f.location),
    funding: f.funding ?? "toewijzing",
    allocation_id: f.allocation ? String(f.allocation) : "",
    contract_id: f.contract ? String(f.contract) : "",
    product_id: f.product ? String(f.product) : "",
    valid_from: f.from ?? "2026-11-24",
    valid_until: f.until ?? "",
    week_parity: f.parity ?? "elke",
    slots: f.slots,
  };
  if (f.overbook) body.overbook = "1";
  if (f.reason !== undefined) body.overbook_reason = f.reason;
  return body;
}

/** Form-encodes a body with repeated keys for lists (slots=1-ochtend&slots=2-middag), as a browser does. */
export function encodeForm(body: Record<string, string | string[]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const item of Array.isArray(v) ? v : [v]) q.append(k, item);
  return q.toString();
}

/** POSTs a form (lists as repeated keys) with the agent's CSRF token from `tokenPage`. */
export async function postPlanning(agent: import("./app").Agent, url: string, body: Record<string, string | string[]>, tokenPage = "/") {
  const page = await agent.get(tokenPage);
  const match = page.text.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error(`no CSRF token on ${tokenPage}`);
  return agent.post(url).type("form").send(encodeForm({ ...body, _csrf: match[1] }));
}
