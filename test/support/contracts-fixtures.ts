import type { Knex } from "knex";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { expandSchedule, type SchedulePattern } from "../../src/domain/schedule";
import type { World } from "./fixtures";
import { withNameKeys } from "../../src/db/name-keys";

// Rows for the contract and declaration tests, on top of the small test world: products,
// tariff lines (with an index on 15 October), clients with allocations and schedules, and a
// month of attendance. Built directly with knex; the tests compute what they expect from
// these rows themselves.

const AT = "2026-11-01T08:00:00.000Z";

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
  return typeof r === "object" ? r.id : r;
}

export type AttendanceFixture = { client_id: number; location_id: number; date: string; dagdeel: Dagdeel; status: string };

export type ContractsWorld = {
  products: { basis: number; vervoer: number; wlzDag: number };
  lines: { basisEarly: number; basisLate: number; vervoer: number; wlz: number };
  clients: { anna: number; bert: number; cor: number };
  allocations: { anna: number; annaRides: number; bert: number; cor: number };
  patterns: { anna: SchedulePattern; bert: SchedulePattern; cor: SchedulePattern };
  attendance: AttendanceFixture[];
  TARIFF_EARLY: number;
  TARIFF_LATE: number;
  TARIFF_RIDE: number;
  TARIFF_WLZ: number;
};

export const OCTOBER = { from: "2026-10-01", until: "2026-10-31" };

export async function buildContractsWorld(db: Knex, world: World): Promise<ContractsWorld> {
  const TARIFF_EARLY = 5150;
  const TARIFF_LATE = 5310;
  const TARIFF_RIDE = 1250;
  const TARIFF_WLZ = 5890;
  const basis = await insert(db, "products", { code: "07A01", name: "Dagbesteding basis", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A01", iwmo_unit: "16", active: true });
  const vervoer = await insert(db, "products", { code: "08A01", name: "Vervoer dagbesteding", unit: "rit", iwmo_category: "08", iwmo_code: "08A01", iwmo_unit: "82", active: true });
  const wlzDag = await insert(db, "products", { code: "H811", name: "Dagactiviteit (Wlz)", unit: "dagdeel", wlz_code: "H811", active: true });

  const basisEarly = await insert(db, "contract_lines", { contract_id: world.contractA, product_id: basis, tariff_cents: TARIFF_EARLY, valid_from: "2026-01-01", valid_until: "2026-10-14" });
  const basisLate = await insert(db, "contract_lines", { contract_id: world.contractA, product_id: basis, tariff_cents: TARIFF_LATE, valid_from: "2026-10-15", valid_until: "2026-12-31" });
  const ride = await insert(db, "contract_lines", { contract_id: world.contractA, product_id: vervoer, tariff_cents: TARIFF_RIDE, valid_from: "2026-01-01", valid_until: "2026-12-31" });
  const wlz = await insert(db, "contract_lines", { contract_id: world.contractZorgkantoorB, product_id: wlzDag, tariff_cents: TARIFF_WLZ, valid_from: "2026-01-01", valid_until: "2026-12-31" });

  const anna = await insert(db, "clients", { first_name: "Anna", last_name: "Aerts", bsn: "999901011", village_id: world.village, needs_transport: true });
  const bert = await insert(db, "clients", { first_name: "Bert", last_name: "Beurskens", bsn: "999901023", village_id: world.village });
  const cor = await insert(db, "clients", { first_name: "Cor", last_name: "Coenen", bsn: "999901035", village_id: world.village });

  const allocation = (client_id: number, purchaser_id: number, provider_id: number, product_id: number, reference: string, volume = 3) =>
    insert(db, "allocations", { client_id, purchaser_id, provider_id, product_id, volume, frequency: "week", valid_from: "2026-01-01", valid_until: null, reference });
  const aAnna = await allocation(anna, world.gemeente, world.providerA, basis, "104101");
  const aAnnaRides = await allocation(anna, world.gemeente, world.providerA, vervoer, "104102", 4);
  const aBert = await allocation(bert, world.gemeente, world.providerA, basis, "104103", 1);
  const aCor = await allocation(cor, world.zorgkantoor, world.providerB, wlzDag, "VGZ000104", 2);

  const patterns = {
    // Monday morning, Wednesday morning and afternoon.
    anna: { valid_from: "2026-09-01", valid_until: null, week_parity: "elke", slots: [{ weekday: 1, dagdeel: "ochtend" }, { weekday: 3, dagdeel: "ochtend" }, { weekday: 3, dagdeel: "middag" }] },
    bert: { valid_from: "2026-09-01", valid_until: null, week_parity: "elke", slots: [{ weekday: 2, dagdeel: "ochtend" }] },
    cor: { valid_from: "2026-09-01", valid_until: null, week_parity: "elke", slots: [{ weekday: 4, dagdeel: "middag" }, { weekday: 5, dagdeel: "middag" }] },
  } satisfies Record<string, SchedulePattern>;
  const schedule = async (client_id: number, location_id: number, allocation_id: number, contract_id: number, product_id: number, p: SchedulePattern) => {
    const id = await insert(db, "schedules", { client_id, location_id, funding: "toewijzing", allocation_id, contract_id, product_id, valid_from: p.valid_from, valid_until: p.valid_until, week_parity: p.week_parity });
    for (const s of p.slots) await insert(db, "schedule_slots", { schedule_id: id, weekday: s.weekday, dagdeel: s.dagdeel });
  };
  await schedule(anna, world.locationA, aAnna, world.contractA, basis, patterns.anna);
  await schedule(bert, world.locationA, aBert, world.contractA, basis, patterns.bert);
  await schedule(cor, world.locationB, aCor, world.contractZorgkantoorB, wlzDag, patterns.cor);

  // October: everybody came, except Anna on the first Monday (ill) and the second Monday (no-show).
  const attendance: AttendanceFixture[] = [];
  for (const [client_id, location_id, p] of [[anna, world.locationA, patterns.anna], [bert, world.locationA, patterns.bert], [cor, world.locationB, patterns.cor]] as const) {
    for (const o of expandSchedule(p, OCTOBER.from, OCTOBER.until)) {
      let status = "aanwezig";
      if (client_id === anna && o.date === "2026-10-05") status = "ziek";
      if (client_id === anna && o.date === "2026-10-12") status = "niet_verschenen";
      attendance.push({ client_id, location_id, date: o.date, dagdeel: o.dagdeel, status });
    }
  }
  for (const a of attendance) await insert(db, "attendance", { ...a, recorded_by: world.users.providerA.id, recorded_at: AT });

  return {
    products: { basis, vervoer, wlzDag },
    lines: { basisEarly, basisLate, vervoer: ride, wlz },
    clients: { anna, bert, cor },
    allocations: { anna: aAnna, annaRides: aAnnaRides, bert: aBert, cor: aCor },
    patterns,
    attendance,
    TARIFF_EARLY,
    TARIFF_LATE,
    TARIFF_RIDE,
    TARIFF_WLZ,
  };
}
