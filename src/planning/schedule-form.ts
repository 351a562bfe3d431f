import type { Knex } from "knex";
import { z } from "zod";
import type { Scope } from "../auth/scope";
import type { Funding } from "../domain/funding";
import type { Slot, WeekParity } from "../domain/schedule";
import { checkbox, choice, id, isoDate, optionalId, optionalIsoDate, optionalText, parseId } from "../web/fields";
import type { FieldErrors } from "../web/forms";
import type { ScheduleInput } from "./booking-check";
import * as repo from "./schedule-repository";
import { contractOffer, locationOffer } from "./choices";
import type { Message } from "./violations";
import { dateProblem } from "../domain/date-window";
import { fortnightlyChoices } from "../web/rhythm";
import { manyStrings, parseSlot, slotGrid, slotValue } from "./weekdays";

// The schedule form: its fields, how a submitted body becomes a ScheduleInput, and what the
// page needs to draw it again with the user's input kept.

export const FUNDINGS = ["toewijzing", "subsidie", "pgb", "eigen"] as const satisfies readonly Funding[];
export const PARITIES = ["elke", "even", "oneven"] as const satisfies readonly WeekParity[];

const slots = () =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => manyStrings(v))
    .pipe(z.array(z.string().regex(/^[1-7]-(ochtend|middag)$/, "errors.choice")));

/** No dagdeel ticked: told next to the grid even when other fields are wrong too. */
export function slotsMissing(slots: string[]): Record<string, string> {
  return slots.length === 0 ? { slots: "planning.errors.slotsRequired" } : {};
}

export const scheduleSchema = z.object({
  client_id: id(),
  location_id: id(),
  funding: choice(FUNDINGS),
  allocation_id: optionalId(),
  contract_id: optionalId(),
  product_id: optionalId(),
  valid_from: isoDate(),
  valid_until: optionalIsoDate(),
  week_parity: choice(PARITIES),
  slots: slots(),
  overbook: checkbox(),
  overbook_reason: optionalText(1000),
  waitlist_entry_id: optionalId(),
});

export type ScheduleForm = z.output<typeof scheduleSchema>;

export function toInput(form: ScheduleForm, replaces: number | null = null): ScheduleInput {
  return {
    client_id: form.client_id,
    location_id: form.location_id,
    funding: form.funding,
    // Only the fields of the chosen funding count; the others may still hold an earlier choice.
    allocation_id: form.funding === "toewijzing" ? form.allocation_id : null,
    contract_id: form.funding === "toewijzing" ? null : form.contract_id,
    product_id: form.funding === "toewijzing" ? null : form.product_id,
    valid_from: form.valid_from,
    valid_until: form.valid_until,
    week_parity: form.week_parity,
    slots: form.slots.map((s) => parseSlot(s)).filter((s): s is Slot => s !== null),
    overbook: form.overbook,
    overbook_reason: form.overbook_reason,
    replaces,
    waitlist_entry_id: form.waitlist_entry_id,
  };
}

/** What the user sent, kept for the page: strings as typed, the slots as a list. */
export function keptValues(body: unknown): { values: Record<string, string>; slots: string[] } {
  const values: Record<string, string> = {};
  const b = (body ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(b)) if (typeof v === "string" && k !== "_csrf" && k !== "slots") values[k] = v;
  return { values, slots: manyStrings(b.slots) };
}

/** A ScheduleInput (e.g. the waiting list's prefill) as form values. */
export function valuesOf(input: Partial<ScheduleInput> & { slots?: Slot[] }): { values: Record<string, string>; slots: string[] } {
  const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  return {
    values: {
      client_id: str(input.client_id),
      location_id: str(input.location_id),
      funding: str(input.funding),
      allocation_id: str(input.allocation_id),
      contract_id: str(input.contract_id),
      product_id: str(input.product_id),
      valid_from: str(input.valid_from),
      valid_until: str(input.valid_until),
      week_parity: str(input.week_parity ?? "elke"),
      overbook: input.overbook ? "1" : "",
      overbook_reason: str(input.overbook_reason),
      waitlist_entry_id: str(input.waitlist_entry_id),
    },
    slots: (input.slots ?? []).map(slotValue),
  };
}

export function fieldMessages(errors: FieldErrors): Message[] {
  return Object.entries(errors).map(([field, key]) => ({ field, key, params: {} }));
}

export function messagesByField(messages: Message[]): Record<string, Message[]> {
  const by: Record<string, Message[]> = {};
  for (const m of messages) (by[m.field] ??= []).push(m);
  return by;
}

/** What the form's choices follow: the searches (?plaats=, ?contractzoek=) and what the form holds. */
export type OptionsAsked = { locationSearch: string; contractSearch: string; values: Record<string, string> };

/**
 * Everything the schedule form page shows besides the values: one query per list. The
 * locations are all of them only while few; at region scale those a search (?plaats=) finds.
 * The contracts are those that can fund this client at the chosen location from the first
 * day, searched (?contractzoek=) only when even those are many.
 */
export async function formOptions(db: Knex, scope: Scope, clientId: number, asked: OptionsAsked) {
  const chosenLocation = parseId(asked.values.location_id);
  const from = asked.values.valid_from ?? "";
  const fit = { clientId, locationId: chosenLocation, on: dateProblem(from) === null ? from : null };
  const [client, locations, allocations, contracts, products, weekend] = await Promise.all([
    repo.findClientName(db, clientId),
    locationOffer(db, scope, asked.locationSearch, chosenLocation),
    repo.allocationsOfClient(db, clientId),
    contractOffer(db, fit, asked.contractSearch, parseId(asked.values.contract_id)),
    repo.dagdeelProducts(db),
    repo.anyWeekendCapacity(db, scope),
  ]);
  return {
    weekend,
    client,
    locations: locations.choices,
    locationSearchable: locations.searchable,
    allocations: allocations.filter((a) => a.product_unit === "dagdeel"),
    contracts: contracts.choices,
    contractSearchable: contracts.searchable,
    products: products.map((p) => ({ value: p.id, text: p.name })),
  };
}

export type FormState = {
  values: Record<string, string>;
  slots: string[];
  messages?: Message[];
  /** The refused booking had full dagdelen: offer the waiting list and overbooking. */
  capacityRefused?: boolean;
};

export function pageModel(state: FormState, weekend = false) {
  const messages = state.messages ?? [];
  const from = state.values.valid_from ?? "";
  return {
    values: state.values,
    slotGrid: slotGrid(state.slots, weekend),
    // "Om de week, te beginnen in week N": the weeks follow the first day the form holds.
    fortnightly: dateProblem(from) === null ? fortnightlyChoices(from) : null,
    messages,
    fieldErrors: messagesByField(messages),
    capacityRefused: state.capacityRefused ?? false,
    waitlistUrl: waitlistLink(state.values, state.slots),
  };
}

/** "Op de wachtlijst zetten" with the wished slots filled in. */
export function waitlistLink(values: Record<string, string>, slots: string[]): string {
  const q = new URLSearchParams();
  if (values.client_id) q.set("client", values.client_id);
  if (values.location_id) q.set("locatie", values.location_id);
  for (const s of slots) q.append("dagdelen", s);
  return `/wachtlijst/nieuw?${q.toString()}`;
}
