// Fictional people of the region: Limburg names, an address in a kern, the test-range BSNs.

import { isValidBsn } from "../../src/domain/bsn";
import { dateOfDayNumber, dayNumber } from "../../src/domain/schedule";
import { CLIENT_NOTES, FEMALE_NAMES, LAST_NAMES, MALE_NAMES, STREETS } from "../demo-data";
import { postcode, type Person as DemoPerson, type PersonKind } from "../demo-people";
import type { Rng } from "../random";
import type { PlanVillage } from "./organisations";

export type { PersonKind };

/** The demo's person, living in a village of the region (by id); the BSN is given apart. */
export type Person = Omit<DemoPerson, "village" | "bsn"> & { villageId: number };

const AGES: Record<PersonKind, [number, number]> = { subsidie: [68, 92], wmo: [46, 86], wlz: [46, 72], pgb: [46, 70], eigen: [55, 82] };

/** Every BSN of the reserved test range 9999xxxxx that passes the 11-test: 9,091 of them. */
export function testRangeBsns(): string[] {
  const out: string[] = [];
  for (let n = 0; n < 100_000; n++) {
    const bsn = `9999${String(n).padStart(5, "0")}`;
    if (isValidBsn(bsn)) out.push(bsn);
  }
  return out;
}

/** Someone living in `village`, of an age that fits how they come (subsidie: the elderly). */
export function person(rng: Rng, kind: PersonKind, village: PlanVillage, today: string): Person {
  const female = rng.chance(kind === "subsidie" ? 0.62 : 0.45);
  const [minAge, maxAge] = AGES[kind];
  // Born this many days before today: between minAge and maxAge years old today.
  const days = rng.int(Math.ceil(minAge * 365.25), Math.floor((maxAge + 1) * 365.25) - 1);
  return {
    first_name: rng.pick(female ? FEMALE_NAMES : MALE_NAMES),
    last_name: rng.pick(LAST_NAMES),
    birth_date: dateOfDayNumber(dayNumber(today) - days),
    villageId: village.id,
    street: `${rng.pick(STREETS)} ${rng.int(1, 96)}${rng.chance(0.1) ? rng.pick(["a", "b"]) : ""}`,
    postcode: postcode(rng, village.postcode),
    phone: rng.chance(0.55) ? `06-${rng.int(1, 5)}${rng.digits(7)}` : `077-${rng.pick(["3", "4"])}${rng.digits(6)}`,
    needs_transport: rng.chance(kind === "subsidie" ? 0.14 : 0.4),
    wheelchair: rng.chance(0.08),
    notes: rng.chance(0.08) ? rng.pick(CLIENT_NOTES) : null,
  };
}
