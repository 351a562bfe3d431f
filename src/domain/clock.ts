import { DateTime } from "luxon";

export const ZONE = "Europe/Amsterdam";

/** Time comes in through a Clock so tests can fix "now"; nothing else calls Date.now(). */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = {
  now: () => DateTime.now().setZone(ZONE),
};

export function fixedClock(iso: string): Clock {
  const at = DateTime.fromISO(iso, { zone: ZONE });
  if (!at.isValid) throw new RangeError(`Invalid clock time: ${iso}`);
  return { now: () => at };
}

/** Today's date in Europe/Amsterdam as yyyy-MM-dd. */
export function today(clock: Clock): string {
  return clock.now().setZone(ZONE).toISODate()!;
}

/** A UTC ISO timestamp for created_at / updated_at / audit rows. */
export function timestamp(clock: Clock): string {
  return clock.now().toUTC().toISO({ suppressMilliseconds: false })!;
}
