import type { Knex } from "knex";
import type { World } from "./fixtures";
import { withNameKeys } from "../../src/db/name-keys";
import { occupancy } from "../../src/occupancy/service";
import { plannedFromCells } from "../../src/attendance/expected";
import { DAGDELEN } from "../../src/domain/dagdeel";

// Many clients at many locations, for the paged attendance overviews (issue 11): more clients
// than a page and more locations than a page, with what makes counting hard — two schedules on
// one dagdeel at two locations, a row at another location than the plan, extra visits, a
// closure of a location and one of a whole provider, fortnightly schedules, schedules that end
// or start within the period, and a client whose every planned dagdeel fell on a closure.
// Deterministic: the same world every run.

const AT = "2026-09-01T08:00:00.000Z";
export const OVERVIEW_FROM = "2026-09-01";
export const OVERVIEW_TODAY = "2026-11-23";
const LAST_NAMES = ["Aarts", "Bos", "Claes", "Dirks", "Evers", "Faes", "Geurts", "Hendriks", "Jansen", "Kuijpers", "Linders", "Maessen", "Nijssen", "Peeters", "Raemaekers", "Smeets", "Timmermans", "Verheijen", "Willems", "Zeegers"];
const FIRST_NAMES = ["Anna", "Bert", "Cor", "Dina", "Els", "Fien", "Gerrit", "Hanneke", "Ivo", "Joke", "Karel"];

export type OverviewWorld = { clients: number[]; locationsA: number[]; locationsB: number[]; closedClient: number };

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
  return typeof r === "object" ? r.id : r;
}

export async function buildOverviewWorld(db: Knex, world: World, clientCount = 130): Promise<OverviewWorld> {
  const rnd = random(11);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const locationsA = [world.locationA];
  const locationsB = [world.locationB];
  for (let i = 1; i <= 26; i++) locationsA.push(await insert(db, "locations", { provider_id: world.providerA, name: `Erf ${String(i).padStart(2, "0")}`, street: `Veld ${i}`, postcode: "5988 AA", village_id: world.village }));
  for (let i = 1; i <= 3; i++) locationsB.push(await insert(db, "locations", { provider_id: world.providerB, name: `Huis ${i}`, street: `Plein ${i}`, postcode: "5988 BB", village_id: world.village }));
  await insert(db, "closures", { provider_id: world.providerA, location_id: locationsA[1], starts_on: "2026-10-12", ends_on: "2026-10-16", dagdeel: null, reason: "Herfstvakantie" });
  await insert(db, "closures", { provider_id: world.providerB, location_id: null, starts_on: "2026-11-02", ends_on: "2026-11-02", dagdeel: "middag", reason: "Studiemiddag" });

  const all = [...locationsA, ...locationsB];
  // Most clients at a few busy locations, every location with someone.
  const busy = [locationsA[0], locationsA[1], locationsA[2], locationsB[0], locationsB[1]];
  const schedule = async (client_id: number, location_id: number, slots: [number, string][], valid_from: string, valid_until: string | null, week_parity: string) => {
    const id = await insert(db, "schedules", { client_id, location_id, funding: "pgb", allocation_id: null, contract_id: null, product_id: null, valid_from, valid_until, week_parity });
    for (const [weekday, dagdeel] of slots) await insert(db, "schedule_slots", { schedule_id: id, weekday, dagdeel });
  };
  const clients: number[] = [];
  for (let i = 0; i < clientCount; i++) {
    const id = await insert(db, "clients", { first_name: FIRST_NAMES[i % FIRST_NAMES.length], last_name: LAST_NAMES[(i * 7) % LAST_NAMES.length], village_id: world.village, needs_transport: false, wheelchair: false });
    clients.push(id);
    const location = i < all.length ? all[i] : pick(busy);
    const slots = new Map<string, [number, string]>();
    for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
      const s: [number, string] = [1 + Math.floor(rnd() * 5), pick([...DAGDELEN])];
      slots.set(s.join(), s);
    }
    const from = rnd() < 0.2 ? "2026-10-01" : OVERVIEW_FROM;
    const until = rnd() < 0.15 ? "2026-10-20" : null;
    await schedule(id, location, [...slots.values()], from, until, rnd() < 0.2 ? pick(["even", "oneven"]) : "elke");
    // Some at a second location, now and then on the same dagdeel as the first.
    if (rnd() < 0.15) await schedule(id, pick(all), [...slots.values()].slice(0, 1), OVERVIEW_FROM, null, "elke");
  }
  // Scheduled only in the closed week: planned nothing, recorded nothing.
  const closedClient = await insert(db, "clients", { first_name: "Gesloten", last_name: "Aaldering", village_id: world.village, needs_transport: false, wheelchair: false });
  await schedule(closedClient, locationsA[1], [[2, "ochtend"]], "2026-10-12", "2026-10-16", "elke");

  // Rows on most planned dagdelen up to today, some elsewhere than planned, and extra visits.
  const planned = plannedFromCells(await occupancy(db, all, OVERVIEW_FROM, OVERVIEW_TODAY));
  const rows = new Map<string, Record<string, unknown>>();
  const row = (client_id: number, location_id: number, date: string, dagdeel: string, status: string) => {
    const key = `${client_id}|${date}|${dagdeel}`;
    if (!rows.has(key)) rows.set(key, { client_id, location_id, date, dagdeel, status, recorded_by: null, recorded_at: AT, created_at: AT, updated_at: AT });
  };
  for (const p of planned) {
    const r = rnd();
    if (r < 0.15) continue;
    const status = r < 0.7 ? "aanwezig" : r < 0.8 ? "afgemeld" : r < 0.9 ? "ziek" : "niet_verschenen";
    row(p.client_id, rnd() < 0.03 ? pick(all) : p.location_id, p.date, p.dagdeel, status);
  }
  for (let i = 0; i < 300; i++) {
    const day = 1 + Math.floor(rnd() * 80);
    const date = new Date(Date.UTC(2026, 8, day)).toISOString().slice(0, 10);
    if (date > OVERVIEW_TODAY) continue;
    row(pick(clients), pick(all), date, pick([...DAGDELEN]), "extra");
  }
  await db.batchInsert("attendance", [...rows.values()], 200);
  return { clients, locationsA, locationsB, closedClient };
}
