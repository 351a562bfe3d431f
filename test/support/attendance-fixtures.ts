import type { Knex } from "knex";
import type { World } from "./fixtures";
import { withNameKeys } from "../../src/db/name-keys";

// Schedules, allocations, capacity and a declaration on top of the small test world, written
// directly with knex, for the attendance tests. The clock of the tests is Monday 2026-11-23.
//
//   location A (provider A, contract with the gemeente): Mon–Fri ochtend and middag, 10 places;
//     closed all day on Wednesday 2026-11-18 ("Studiedag"); nothing on weekends.
//   location B (provider B, contract with the zorgkantoor): Mon and Wed ochtend, 8 places.
//
//   Anna Aarts   gemeente toewijzing, at A on Mon ochtend + middag and Wed ochtend (BSN on file)
//   Bert Bos     PGB, at A on Mon ochtend; needs transport, wheelchair
//   Cor Claes    gemeente toewijzing at A on Mon ochtend, and a vervoer toewijzing (per rit)
//   Dina Dirks   subsidie (zorgkantoor) at B on Mon ochtend; needs transport
//   Els Evers    gemeente toewijzing with provider A but no schedule: an extra at A
//   Fien Faes    PGB at B on Wed ochtend: known to provider B only
//
//   Declarations of provider A to the gemeente: 2026-10 submitted (locks October),
//   2026-11 a concept (locks nothing).

const AT = "2026-11-01T08:00:00.000Z";
const FROM = "2026-09-01";

export type AttendanceWorld = {
  dagbesteding: number;
  vervoer: number;
  anna: number;
  bert: number;
  cor: number;
  dina: number;
  els: number;
  fien: number;
  annaSchedule: number;
  annaBsn: string;
};

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
  return typeof r === "object" ? r.id : r;
}

async function schedule(
  db: Knex,
  row: { client_id: number; location_id: number; funding: string; allocation_id?: number | null; contract_id?: number | null; product_id?: number | null },
  slots: [number, "ochtend" | "middag"][],
): Promise<number> {
  const id = await insert(db, "schedules", { allocation_id: null, contract_id: null, product_id: null, ...row, valid_from: FROM, valid_until: null, week_parity: "elke" });
  for (const [weekday, dagdeel] of slots) await insert(db, "schedule_slots", { schedule_id: id, weekday, dagdeel });
  return id;
}

export async function buildAttendanceWorld(db: Knex, world: World): Promise<AttendanceWorld> {
  const dagbesteding = await insert(db, "products", { code: "07A01", name: "Dagbesteding basis", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A01", iwmo_unit: "16", active: true });
  const vervoer = await insert(db, "products", { code: "08A01", name: "Vervoer dagbesteding", unit: "rit", iwmo_category: "08", iwmo_code: "08A01", iwmo_unit: "82", active: true });

  for (let weekday = 1; weekday <= 5; weekday++) {
    for (const dagdeel of ["ochtend", "middag"]) {
      await insert(db, "capacity_rules", { location_id: world.locationA, weekday, dagdeel, places: 10, valid_from: "2026-01-01", valid_until: null });
    }
  }
  for (const weekday of [1, 3]) {
    await insert(db, "capacity_rules", { location_id: world.locationB, weekday, dagdeel: "ochtend", places: 8, valid_from: "2026-01-01", valid_until: null });
  }
  await insert(db, "closures", { provider_id: world.providerA, location_id: world.locationA, starts_on: "2026-11-18", ends_on: "2026-11-18", dagdeel: null, reason: "Studiedag" });

  const client = (first_name: string, last_name: string, extra: Record<string, unknown> = {}) =>
    insert(db, "clients", { first_name, last_name, village_id: world.village, needs_transport: false, wheelchair: false, ...extra });
  const annaBsn = "999990019";
  const anna = await client("Anna", "Aarts", { bsn: annaBsn, street: "Molenstraat 1", postcode: "5988 AB", phone: "077-1111111" });
  const bert = await client("Bert", "Bos", { street: "Kerkstraat 2", postcode: "5988 CD", phone: "06-22222222", needs_transport: true, wheelchair: true });
  const cor = await client("Cor", "Claes", { street: "Dorpsstraat 3", postcode: "5988 EF", phone: "077-3333333" });
  const dina = await client("Dina", "Dirks", { street: "Pastoor Kerkhofsstraat 4", postcode: "5988 GH", phone: "077-4444444", needs_transport: true });
  const els = await client("Els", "Evers");
  const fien = await client("Fien", "Faes");

  const allocation = (client_id: number, product_id: number, reference: string) =>
    insert(db, "allocations", { client_id, purchaser_id: world.gemeente, provider_id: world.providerA, product_id, volume: 3, frequency: "week", valid_from: FROM, valid_until: "2027-08-31", reference });
  const annaAllocation = await allocation(anna, dagbesteding, "T-ANNA");
  const corAllocation = await allocation(cor, dagbesteding, "T-COR");
  await allocation(cor, vervoer, "V-COR");
  await allocation(els, dagbesteding, "T-ELS");

  const annaSchedule = await schedule(
    db,
    { client_id: anna, location_id: world.locationA, funding: "toewijzing", allocation_id: annaAllocation, contract_id: world.contractA, product_id: dagbesteding },
    [[1, "ochtend"], [1, "middag"], [3, "ochtend"]],
  );
  await schedule(db, { client_id: bert, location_id: world.locationA, funding: "pgb" }, [[1, "ochtend"]]);
  await schedule(db, { client_id: cor, location_id: world.locationA, funding: "toewijzing", allocation_id: corAllocation, contract_id: world.contractA, product_id: dagbesteding }, [[1, "ochtend"]]);
  await schedule(db, { client_id: dina, location_id: world.locationB, funding: "subsidie", contract_id: world.contractZorgkantoorB }, [[1, "ochtend"]]);
  await schedule(db, { client_id: fien, location_id: world.locationB, funding: "pgb" }, [[3, "ochtend"]]);

  await insert(db, "declarations", { provider_id: world.providerA, purchaser_id: world.gemeente, month: "2026-10", status: "ingediend", total_cents: 0, submitted_at: "2026-11-05T09:00:00.000Z" });
  await insert(db, "declarations", { provider_id: world.providerA, purchaser_id: world.gemeente, month: "2026-11", status: "concept", total_cents: 0 });

  return { dagbesteding, vervoer, anna, bert, cor, dina, els, fien, annaSchedule, annaBsn };
}

/** Writes attendance rows straight into the table, as history to look at. */
export async function insertAttendance(
  db: Knex,
  rows: { client_id: number; location_id: number; date: string; dagdeel: "ochtend" | "middag"; status: string }[],
  recordedBy: number | null = null,
): Promise<void> {
  for (const r of rows) await insert(db, "attendance", { ...r, recorded_by: recordedBy, recorded_at: AT });
}
