import ICAL from "ical.js";
import type { Knex } from "knex";
import { hashFeedToken, newFeedToken } from "../../src/calendar/tokens";
import type { World } from "./fixtures";
import { withNameKeys } from "../../src/db/name-keys";

// Rows the calendar tests need on top of the small test world, written with knex, and an
// independent reading of a feed with ical.js.

export const PAST = "2026-01-01T00:00:00.000Z";

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(withNameKeys(table, { created_at: PAST, updated_at: PAST, ...row })).returning("id");
  return typeof r === "object" ? r.id : r;
}

/**
 * The test world stamps its rows 2026-11-01, after the clocks these tests run on. A feed's
 * SEQUENCE follows the latest updated_at, so put them in the past first, as in real life.
 */
export async function stampWorldInThePast(db: Knex): Promise<void> {
  for (const table of ["locations", "villages", "organisations"]) await db(table).update({ created_at: PAST, updated_at: PAST });
}

export function addClient(db: Knex, row: { first_name: string; last_name: string; bsn?: string | null; notes?: string | null; village_id?: number }): Promise<number> {
  return insert(db, "clients", { bsn: null, notes: null, ...row });
}

export type SlotSpec = { weekday: number; dagdeel: "ochtend" | "middag" };

export async function addSchedule(
  db: Knex,
  row: { client_id: number; location_id: number; valid_from: string; valid_until?: string | null; week_parity?: "elke" | "even" | "oneven"; slots: SlotSpec[] },
): Promise<number> {
  const { slots, ...rest } = row;
  const id = await insert(db, "schedules", { funding: "eigen", valid_until: null, week_parity: "elke", ...rest });
  for (const slot of slots) await insert(db, "schedule_slots", { schedule_id: id, ...slot });
  return id;
}

export function addClosure(
  db: Knex,
  row: { provider_id: number; location_id: number | null; starts_on: string; ends_on?: string; dagdeel?: "ochtend" | "middag" | null; reason: string },
): Promise<number> {
  return insert(db, "closures", { dagdeel: null, ends_on: row.starts_on, ...row });
}

export function addAttendance(
  db: Knex,
  row: { client_id: number; location_id: number; date: string; dagdeel: "ochtend" | "middag"; status: string; updated_at?: string },
): Promise<number> {
  return insert(db, "attendance", { recorded_by: null, recorded_at: row.updated_at ?? PAST, ...row });
}

/** A feed written straight into the table; returns the plain token, as the creator would see it. */
export async function addFeed(
  db: Knex,
  row: { scope: "client" | "location"; client_id?: number | null; location_id?: number | null; label?: string; revoked_at?: string | null },
): Promise<{ id: number; token: string }> {
  const token = newFeedToken();
  const id = await insert(db, "calendar_feeds", {
    token_hash: hashFeedToken(token),
    client_id: null,
    location_id: null,
    label: "test",
    created_by: null,
    revoked_at: null,
    ...row,
  });
  return { id, token };
}

/**
 * The calendar world used by the feed tests (clock near a DST change):
 *   locationA (provider A, 09:30–12:30 / 13:30–16:30)
 *     Anna Bakker (BSN, health notes)  Mon + Fri ochtend, Wed middag
 *     Jan de Vries                     Mon + Fri ochtend
 *     Piet van den Berg                Mon ochtend
 *   locationB (provider B)
 *     Bram Janssen                     Tue ochtend
 */
export async function buildCalendarWorld(db: Knex, world: World) {
  await stampWorldInThePast(db);
  const anna = await addClient(db, { first_name: "Anna", last_name: "Bakker", bsn: "999990019", notes: "Epilepsie; medicatie om 12:00", village_id: world.village });
  const jan = await addClient(db, { first_name: "Jan", last_name: "de Vries", bsn: "999990032", village_id: world.village });
  const piet = await addClient(db, { first_name: "Piet", last_name: "van den Berg", village_id: world.village });
  const bram = await addClient(db, { first_name: "Bram", last_name: "Janssen", bsn: "999990007", village_id: world.village });
  const schedules = {
    anna: await addSchedule(db, { client_id: anna, location_id: world.locationA, valid_from: "2026-01-01", slots: [{ weekday: 1, dagdeel: "ochtend" }, { weekday: 5, dagdeel: "ochtend" }, { weekday: 3, dagdeel: "middag" }] }),
    jan: await addSchedule(db, { client_id: jan, location_id: world.locationA, valid_from: "2026-01-01", slots: [{ weekday: 1, dagdeel: "ochtend" }, { weekday: 5, dagdeel: "ochtend" }] }),
    piet: await addSchedule(db, { client_id: piet, location_id: world.locationA, valid_from: "2026-01-01", slots: [{ weekday: 1, dagdeel: "ochtend" }] }),
    bram: await addSchedule(db, { client_id: bram, location_id: world.locationB, valid_from: "2026-01-01", slots: [{ weekday: 2, dagdeel: "ochtend" }] }),
  };
  return { clients: { anna, jan, piet, bram }, schedules };
}

// --- reading a feed with ical.js -------------------------------------------------------------

export type ParsedEvent = {
  uid: string;
  sequence: number;
  summary: string;
  description: string | null;
  location: string | null;
  /** Wall-clock start as written, "2026-03-27T09:30:00". */
  localStart: string;
  localEnd: string;
  startTzid: string | null;
  endTzid: string | null;
  /** The instant, computed by ical.js from the feed's own VTIMEZONE. */
  utcStart: string;
  utcOffsetSeconds: number;
  dtstamp: string;
  dtstampIsUtc: boolean;
};

export type ParsedFeed = { name: string | null; timezones: string[]; events: ParsedEvent[] };

export function parseFeed(body: string): ParsedFeed {
  const calendar = new ICAL.Component(ICAL.parse(body));
  const timezones = calendar.getAllSubcomponents("vtimezone");
  // Only what the feed itself says about Europe/Amsterdam may place its events in time.
  ICAL.TimezoneService.reset();
  for (const tz of timezones) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const dtstart = vevent.getFirstProperty("dtstart")!;
    const dtend = vevent.getFirstProperty("dtend")!;
    const stamp = vevent.getFirstPropertyValue("dtstamp") as ICAL.Time;
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      description: event.description ?? null,
      location: event.location ?? null,
      localStart: event.startDate.toString(),
      localEnd: event.endDate.toString(),
      startTzid: (dtstart.getParameter("tzid") as string | undefined) ?? null,
      endTzid: (dtend.getParameter("tzid") as string | undefined) ?? null,
      utcStart: event.startDate.toJSDate().toISOString(),
      utcOffsetSeconds: event.startDate.utcOffset(),
      dtstamp: stamp.toString(),
      dtstampIsUtc: stamp.zone === ICAL.Timezone.utcTimezone,
    };
  });
  return {
    name: (calendar.getFirstPropertyValue("x-wr-calname") as string | null) ?? null,
    timezones: timezones.map((tz) => String(tz.getFirstPropertyValue("tzid"))),
    events,
  };
}
