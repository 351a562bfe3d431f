import type { Knex } from "knex";
import type { World } from "./fixtures";
import { withNameKeys } from "../../src/db/name-keys";

// Builders for clients, allocations and what hangs off them, on top of the shared test world.

const AT = "2026-11-01T08:00:00.000Z";

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
  return typeof r === "object" ? r.id : r;
}

/** Valid BSNs from the reserved 9999 test range (they pass the 11-test). */
export const BSN = {
  anna: "999990019",
  zus: "999990020",
  carla: "999990032",
  spare1: "999990044",
  spare2: "999990056",
  spare3: "999990068",
  spare4: "999990081",
};

export async function addProducts(db: Knex) {
  return {
    wmo: await insert(db, "products", { code: "07A01", name: "Dagbesteding basis", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A01", iwmo_unit: "16", active: true }),
    wmoRit: await insert(db, "products", { code: "08A01", name: "Vervoer dagbesteding", unit: "rit", iwmo_category: "08", iwmo_code: "08A01", iwmo_unit: "82", active: true }),
    wlz: await insert(db, "products", { code: "H811", name: "Dagactiviteit (Wlz)", unit: "dagdeel", wlz_code: "H811", active: true }),
    retired: await insert(db, "products", { code: "07A99", name: "Oud product", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A99", iwmo_unit: "16", active: false }),
  };
}

export async function addVillage(db: Knex, name: string): Promise<number> {
  return insert(db, "villages", { name, municipality: "Peel en Maas", gemeentecode: "1894", province: "LI" });
}

export async function addClient(db: Knex, row: { first_name: string; last_name: string } & Record<string, unknown>): Promise<number> {
  return insert(db, "clients", { bsn: null, birth_date: "1950-05-04", needs_transport: false, wheelchair: false, ended_on: null, ...row });
}

export async function addAllocation(
  db: Knex,
  row: { client_id: number; purchaser_id: number; provider_id: number; product_id: number; reference: string } & Record<string, unknown>,
): Promise<number> {
  return insert(db, "allocations", { volume: 4, frequency: "week", valid_from: "2026-01-01", valid_until: "2026-12-31", ...row });
}

export async function addSchedule(
  db: Knex,
  row: { client_id: number; location_id: number; funding: string } & Record<string, unknown>,
  slots: [number, "ochtend" | "middag"][],
): Promise<number> {
  const id = await insert(db, "schedules", { valid_from: "2026-09-01", valid_until: null, week_parity: "elke", ...row });
  for (const [weekday, dagdeel] of slots) await insert(db, "schedule_slots", { schedule_id: id, weekday, dagdeel });
  return id;
}

export async function addWaitlistEntry(db: Knex, row: { client_id: number; location_id: number } & Record<string, unknown>, slots: [number, "ochtend" | "middag"][]): Promise<number> {
  const id = await insert(db, "waitlist_entries", { since: "2026-10-01", priority: 2, status: "wachtend", ...row });
  for (const [weekday, dagdeel] of slots) await insert(db, "waitlist_slots", { waitlist_entry_id: id, weekday, dagdeel });
  return id;
}

export async function addAttendance(db: Knex, row: { client_id: number; location_id: number; date: string; dagdeel: string; status: string }): Promise<number> {
  return insert(db, "attendance", { recorded_by: null, recorded_at: AT, ...row });
}

/**
 * The people in the client tests:
 *   Anna Peeters  BSN, Helden, Wmo allocation (gemeente → provider A), scheduled at location A
 *   Bert Janssen  no BSN, Baarlo, subsidy schedule at location B
 *   Zus de Wit    BSN, Wlz allocation (zorgkantoor → provider B), scheduled at location B
 *   Carla Smits   BSN, scheduled at both A and B (PGB), on the waiting list at A
 *   Eddy Oud      ended on 1 October 2026
 */
export async function buildClientWorld(db: Knex, world: World) {
  const products = await addProducts(db);
  const baarlo = await addVillage(db, "Baarlo");
  const anna = await addClient(db, { first_name: "Anna", last_name: "Peeters", bsn: BSN.anna, village_id: world.village, street: "Markt 3", postcode: "5988 AB", phone: "077 111 22 33", notes: "Houdt van dieren" });
  const bert = await addClient(db, { first_name: "Bert", last_name: "Janssen", village_id: baarlo });
  const zus = await addClient(db, { first_name: "Zus", last_name: "de Wit", bsn: BSN.zus, village_id: baarlo });
  const carla = await addClient(db, { first_name: "Carla", last_name: "Smits", bsn: BSN.carla, village_id: world.village });
  const eddy = await addClient(db, { first_name: "Eddy", last_name: "Oud", village_id: world.village, ended_on: "2026-10-01" });

  const annaAllocation = await addAllocation(db, { client_id: anna, purchaser_id: world.gemeente, provider_id: world.providerA, product_id: products.wmo, reference: "104101" });
  const zusAllocation = await addAllocation(db, { client_id: zus, purchaser_id: world.zorgkantoor, provider_id: world.providerB, product_id: products.wlz, reference: "VGZ-2318401", volume: 6 });
  const pastAllocation = await addAllocation(db, { client_id: anna, purchaser_id: world.gemeente, provider_id: world.providerA, product_id: products.wmo, reference: "104050", valid_from: "2025-01-01", valid_until: "2025-12-31" });
  const futureAllocation = await addAllocation(db, { client_id: anna, purchaser_id: world.gemeente, provider_id: world.providerA, product_id: products.wmo, reference: "104202", valid_from: "2027-01-01", valid_until: null, volume: 20, frequency: "maand" });

  const annaSchedule = await addSchedule(db, { client_id: anna, location_id: world.locationA, funding: "toewijzing", allocation_id: annaAllocation, contract_id: world.contractA, product_id: products.wmo, valid_until: "2026-12-31" }, [[1, "ochtend"], [3, "middag"]]);
  const bertSchedule = await addSchedule(db, { client_id: bert, location_id: world.locationB, funding: "subsidie" }, [[2, "ochtend"]]);
  const zusSchedule = await addSchedule(db, { client_id: zus, location_id: world.locationB, funding: "toewijzing", allocation_id: zusAllocation, contract_id: world.contractZorgkantoorB, product_id: products.wlz }, [[4, "ochtend"], [4, "middag"]]);
  const carlaA = await addSchedule(db, { client_id: carla, location_id: world.locationA, funding: "pgb" }, [[5, "ochtend"]]);
  const carlaB = await addSchedule(db, { client_id: carla, location_id: world.locationB, funding: "eigen", valid_from: "2027-02-01" }, [[2, "middag"]]);
  const carlaWait = await addWaitlistEntry(db, { client_id: carla, location_id: world.locationA }, [[2, "ochtend"]]);

  await addAttendance(db, { client_id: anna, location_id: world.locationA, date: "2026-11-16", dagdeel: "ochtend", status: "aanwezig" });
  await addAttendance(db, { client_id: anna, location_id: world.locationA, date: "2026-11-18", dagdeel: "middag", status: "ziek" });
  await addAttendance(db, { client_id: anna, location_id: world.locationA, date: "2026-11-09", dagdeel: "ochtend", status: "aanwezig" });
  // Long ago: outside the eight weeks the page summarises.
  await addAttendance(db, { client_id: anna, location_id: world.locationA, date: "2026-08-03", dagdeel: "ochtend", status: "afgemeld" });

  return {
    products,
    baarlo,
    clients: { anna, bert, zus, carla, eddy },
    allocations: { anna: annaAllocation, zus: zusAllocation, past: pastAllocation, future: futureAllocation },
    schedules: { anna: annaSchedule, bert: bertSchedule, zus: zusSchedule, carlaA, carlaB },
    waitlist: { carla: carlaWait },
  };
}

export type ClientWorld = Awaited<ReturnType<typeof buildClientWorld>>;
