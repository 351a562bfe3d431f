// Fictional people for the demo: Limburg names, addresses in the kernen, test-range BSNs.

import { DateTime } from "luxon";
import { ZONE } from "../src/domain/clock";
import { addDays, toDateTime } from "../src/domain/dates";
import { CLIENT_NOTES, FEMALE_NAMES, LAST_NAMES, MALE_NAMES, STREETS, VILLAGES } from "./demo-data";
import type { Rng } from "./random";

export type Person = {
  first_name: string;
  last_name: string;
  bsn: string | null;
  birth_date: string;
  village: string;
  street: string;
  postcode: string;
  phone: string;
  needs_transport: boolean;
  wheelchair: boolean;
  notes: string | null;
};

export type PersonKind = "wmo" | "wlz" | "pgb" | "eigen" | "subsidie";

export function randomDate(rng: Rng, from: string, until: string): string {
  const days = Math.round(toDateTime(until).diff(toDateTime(from), "days").days);
  return addDays(from, rng.int(0, Math.max(0, days)));
}

/** A BSN from the reserved test range 9999xxxxx that passes the 11-test. */
export function bsn(rng: Rng, used: Set<string>): string {
  for (;;) {
    const first = "9999" + rng.digits(4);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(first[i]);
    const check = sum % 11; // 9·d1 + … + 2·d8 − d9 ≡ 0 (mod 11)
    if (check === 10) continue;
    const value = first + String(check);
    if (used.has(value)) continue;
    used.add(value);
    return value;
  }
}

// Dutch postcodes skip F, I, O, Q, U and Y, and never use SA, SD or SS.
const POSTCODE_LETTERS = [..."ABCDEGHJKLMNPRSTVWXZ"];

/** "5988 KN" for a village's four digits. */
export function postcode(rng: Rng, digits: string): string {
  let letters = rng.pick(POSTCODE_LETTERS) + rng.pick(POSTCODE_LETTERS);
  while (["SA", "SD", "SS"].includes(letters)) letters = rng.pick(POSTCODE_LETTERS) + rng.pick(POSTCODE_LETTERS);
  return `${digits} ${letters}`;
}

/** Someone who comes to a location in `near`; village clients mostly live in that village. */
export function person(rng: Rng, kind: PersonKind, near: string, bsnValue: string | null, year: number): Person {
  const female = rng.chance(kind === "subsidie" ? 0.62 : 0.45);
  // Age this calendar year; on "today" the client is that or a year younger, so 45–92 holds.
  const [minAge, maxAge] = { subsidie: [68, 92], wmo: [46, 86], wlz: [46, 72], pgb: [46, 70], eigen: [55, 82] }[kind];
  const age = rng.int(minAge, maxAge);
  const livesNearby = kind === "subsidie" ? rng.chance(0.85) : rng.chance(0.3);
  const village = livesNearby ? near : rng.pick(VILLAGES).name;
  return {
    first_name: rng.pick(female ? FEMALE_NAMES : MALE_NAMES),
    last_name: rng.pick(LAST_NAMES),
    bsn: bsnValue,
    birth_date: DateTime.fromISO(dateOfYear(rng), { zone: ZONE }).set({ year: year - age }).toISODate()!,
    village,
    street: `${rng.pick(STREETS)} ${rng.int(1, 96)}${rng.chance(0.1) ? rng.pick(["a", "b"]) : ""}`,
    postcode: postcode(rng, VILLAGES.find((v) => v.name === village)!.postcode),
    phone: rng.chance(0.55) ? `06-${rng.int(1, 5)}${rng.digits(7)}` : `077-${rng.pick(["3", "4"])}${rng.digits(6)}`,
    needs_transport: rng.chance(kind === "subsidie" ? 0.14 : 0.4),
    wheelchair: rng.chance(0.08),
    notes: rng.chance(0.08) ? rng.pick(CLIENT_NOTES) : null,
  };
}

/** A day of a non-leap year as "2001-MM-dd", to place a birthday in. */
function dateOfYear(rng: Rng): string {
  return DateTime.fromObject({ year: 2001, month: 1, day: 1 }, { zone: ZONE }).plus({ days: rng.int(0, 364) }).toISODate()!;
}
