import { z } from "zod";
import { MAX_PLACES, type GridCell } from "../domain/capacity";
import { DAGDELEN, dagdeelTimesProblems, DEFAULT_DAGDEEL_TIMES } from "../domain/dagdeel";
import { checkbox, choice, id, isoDate, optionalId, optionalIsoDate, requiredText } from "../web/fields";
import { parseForm, type FieldErrors, type FormResult } from "../web/forms";
import type { LocationInput } from "./repository";
import type { CapacityInput } from "./capacity-service";
import type { ClosureInput } from "./closure-service";
import { WEEKDAYS } from "./weekdays";

// The forms of locations, capacity and closures: zod at the edge, messages as locale keys.

const POSTCODE = /^(\d{4})\s?([A-Za-z]{2})$/;

const postcode = () =>
  requiredText(10).pipe(
    z
      .string()
      .regex(POSTCODE, "locations.errors.postcode")
      .transform((s) => s.replace(POSTCODE, (_m, d: string, l: string) => `${d} ${l.toUpperCase()}`)),
  );

const clock = () => requiredText(5);

const locationSchema = z.object({
  name: requiredText(200),
  street: requiredText(200),
  postcode: postcode(),
  village_id: id(),
  morning_start: clock(),
  morning_end: clock(),
  afternoon_start: clock(),
  afternoon_end: clock(),
  active: checkbox(),
});

export function parseLocation(body: unknown): FormResult<LocationInput> {
  const form = parseForm(locationSchema, body);
  // dagdeelTimesProblems checks every key it is given, so hand it the four times only.
  const times = { ...DEFAULT_DAGDEEL_TIMES, ...(pickTimes(body) ?? {}) };
  const problems = dagdeelTimesProblems(times) as FieldErrors;
  if (!form.ok) return { ok: false, errors: { ...problems, ...form.errors } };
  if (Object.keys(problems).length > 0) return { ok: false, errors: problems };
  return form;
}

function pickTimes(body: unknown) {
  if (!body || typeof body !== "object") return null;
  const b = body as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === "string" ? (b[k] as string).trim() : "");
  return { morning_start: s("morning_start"), morning_end: s("morning_end"), afternoon_start: s("afternoon_start"), afternoon_end: s("afternoon_end") };
}

export const gridField = (weekday: number, dagdeel: string) => `places_${weekday}_${dagdeel}`;

const periodSchema = z.object({ valid_from: isoDate(), valid_until: optionalIsoDate() });

/** One cell of the grid: empty (or not sent) is 0, closed; else a whole number up to MAX_PLACES. */
const places = () =>
  z
    .string({ error: "locations.errors.places" })
    .optional()
    .transform((s) => (s ?? "").trim())
    .pipe(
      z
        .string()
        .regex(/^(-?\d+)?$/, { message: "locations.errors.places", abort: true })
        .transform(Number)
        .pipe(z.number().min(0, "locations.errors.negativePlaces").max(MAX_PLACES, "locations.errors.tooManyPlaces")),
    );

const GRID_CELLS = WEEKDAYS.flatMap((w) => DAGDELEN.map((dagdeel) => ({ weekday: w.n, dagdeel, field: gridField(w.n, dagdeel) })));
const gridSchema = z.object(Object.fromEntries(GRID_CELLS.map((c) => [c.field, places()])));

/**
 * The week grid: one number per weekday and dagdeel (empty = 0 = closed), a start date and an
 * optional end. A field for a weekday that does not exist is refused, not ignored.
 */
export function parseCapacity(body: unknown): FormResult<CapacityInput> {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const errors: FieldErrors = {};
  const known = new Set(GRID_CELLS.map((c) => c.field));
  if (Object.keys(b).some((key) => key.startsWith("places_") && !known.has(key))) errors._form = "locations.errors.unknownWeekday";
  const cells = parseForm(gridSchema, b);
  if (!cells.ok) Object.assign(errors, cells.errors);
  const period = parseForm(periodSchema, b);
  if (!period.ok) Object.assign(errors, period.errors);
  else if (period.value.valid_until !== null && period.value.valid_until < period.value.valid_from) {
    errors.valid_until = "locations.errors.endBeforeStart";
  }
  if (Object.keys(errors).length > 0 || !cells.ok || !period.ok) return { ok: false, errors };
  const grid: GridCell[] = GRID_CELLS.map((c) => ({ weekday: c.weekday, dagdeel: c.dagdeel, places: cells.value[c.field] as number }));
  return { ok: true, value: { grid, valid_from: period.value.valid_from, valid_until: period.value.valid_until } };
}

const closureSchema = z.object({
  location_id: optionalId(),
  starts_on: isoDate(),
  ends_on: optionalIsoDate(),
  dagdeel: choice(["", "ochtend", "middag"] as const).optional(),
  reason: requiredText(200),
});

/** One closure: a dagdeel, a day or a range; for one location or all; an empty end is the same day. */
export function parseClosure(body: unknown): FormResult<ClosureInput> {
  const form = parseForm(closureSchema, body);
  if (!form.ok) return form;
  const v = form.value;
  const ends_on = v.ends_on ?? v.starts_on;
  if (ends_on < v.starts_on) return { ok: false, errors: { ends_on: "locations.errors.endBeforeStart" } };
  return { ok: true, value: { location_id: v.location_id, starts_on: v.starts_on, ends_on, dagdeel: v.dagdeel ? v.dagdeel : null, reason: v.reason } };
}

/** Did the user go ahead after seeing who is affected (the confirmation form sends confirm=1)? */
export function isConfirmed(body: unknown): boolean {
  return Boolean(body && typeof body === "object" && (body as Record<string, unknown>).confirm === "1");
}
