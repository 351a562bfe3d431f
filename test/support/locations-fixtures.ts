import type { Knex } from "knex";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { withNameKeys } from "../../src/db/name-keys";

// Builders for the locations tests: capacity rules, clients with a weekly schedule, closures.

const AT = "2026-11-01T08:00:00.000Z";

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
  return typeof r === "object" ? r.id : r;
}

/** The same places on the given weekdays, both dagdelen, from a date, open-ended. */
export async function addWeekRules(db: Knex, locationId: number, places: number, weekdays = [1, 2, 3, 4, 5], validFrom = "2026-01-01", validUntil: string | null = null): Promise<void> {
  for (const weekday of weekdays) {
    for (const dagdeel of ["ochtend", "middag"] as const) {
      await insert(db, "capacity_rules", { location_id: locationId, weekday, dagdeel, places, valid_from: validFrom, valid_until: validUntil });
    }
  }
}

/** A client coming every week on these slots to a location, from a date, open-ended. */
export async function addScheduledClient(
  db: Knex,
  locationId: number,
  name: [string, string],
  slots: { weekday: number; dagdeel: Dagdeel }[],
  validFrom = "2026-09-01",
  validUntil: string | null = null,
): Promise<number> {
  const clientId = await insert(db, "clients", { first_name: name[0], last_name: name[1] });
  const scheduleId = await insert(db, "schedules", { client_id: clientId, location_id: locationId, funding: "eigen", valid_from: validFrom, valid_until: validUntil, week_parity: "elke" });
  for (const s of slots) await insert(db, "schedule_slots", { schedule_id: scheduleId, weekday: s.weekday, dagdeel: s.dagdeel });
  return clientId;
}

export async function addClosure(db: Knex, row: { provider_id: number; location_id: number | null; starts_on: string; ends_on: string; dagdeel: Dagdeel | null; reason: string }): Promise<number> {
  return insert(db, "closures", row);
}

export async function addLocation(db: Knex, providerId: number, villageId: number, name: string): Promise<number> {
  return insert(db, "locations", { provider_id: providerId, name, street: "Straat 1", postcode: "5988 AA", village_id: villageId });
}

/** Counts the queries the database runs while `work` runs. */
export async function countQueries(db: Knex, work: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const listener = () => {
    n++;
  };
  db.on("query", listener);
  try {
    await work();
  } finally {
    db.removeListener("query", listener);
  }
  return n;
}

/** The hidden fields of the form on a confirmation page that carries `marker` (confirm or edit). */
export function hiddenFields(html: string, marker: "confirm" | "edit" = "confirm"): Record<string, string> {
  const form = [...html.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => f.includes(`name="${marker}"`));
  if (!form) throw new Error(`no form with ${marker} on the page`);
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]] = m[2].replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");
  return out;
}
