// The plan's rows, table by table, with the plan's ids. Everything except attendance and
// declarations, which are written month by month (see index.ts).

import { dateOfDayNumber as iso } from "../../src/domain/schedule";
import { DEMO_USERS } from "../demo";
import { PRODUCTS, type ProductKey } from "../demo-data";
import { nameKeys, personKeys, type NameKeys } from "../../src/db/name-keys";
import type { BulkWriter } from "./bulk";
import { PROVINCE } from "./geography";
import type { RegionPlan } from "./plan";

export const PRODUCT_IDS = Object.fromEntries(PRODUCTS.map((p, i) => [p.key, i + 1])) as Record<ProductKey, number>;

/** Demo users get ids 1–6 in DEMO_USERS order. */
export const USER_IDS = Object.fromEntries(DEMO_USERS.map((u, i) => [u.email, i + 1])) as Record<string, number>;

export const COORDINATOR_ID = USER_IDS["coordinator@dagdeel.demo"];

/** The organisation each demo user works for, by name, in the region. */
export function userOrganisation(plan: RegionPlan, name: string | null): number | null {
  if (name === null) return null;
  const org = [...plan.org.purchasers, ...plan.org.providers].find((o) => o.name === name);
  if (!org) throw new Error(`region seed: no organisation ${name} for a demo user`);
  return org.id;
}

/** The search and sort keys every named row carries (src/db/name-keys.ts), as two columns. */
function keysOf(k: NameKeys): [string, string] {
  return [k.search_key, k.sort_key];
}

function named(name: string): [string, string] {
  return keysOf(nameKeys(name));
}

export async function writeStatic(w: BulkWriter, plan: RegionPlan, passwordHash: string, stamp: string): Promise<void> {
  const s = [stamp, stamp];
  const { org } = plan;
  await w.insert(
    "organisations",
    ["id", "kind", "subkind", "name", "search_key", "sort_key", "agb_code", "kvk_number", "gemeentecode", "email", "phone", "active", "created_at", "updated_at"],
    [
      ...org.purchasers.map((p) => [p.id, "purchaser", p.subkind, p.name, ...named(p.name), null, p.kvk, p.gemeentecode, p.email, p.phone, true, ...s]),
      ...org.providers.map((p) => [p.id, "provider", p.subkind, p.name, ...named(p.name), p.agb, p.kvk, null, p.email, p.phone, true, ...s]),
    ],
  );
  await w.insert(
    "villages",
    ["id", "name", "search_key", "sort_key", "municipality", "gemeentecode", "province", "created_at", "updated_at"],
    org.villages.map((v) => [v.id, v.name, ...named(v.name), org.gemeenten[v.gemeente].name, org.gemeenten[v.gemeente].code, PROVINCE, ...s]),
  );
  await w.insert(
    "users",
    ["id", "email", "name", "search_key", "sort_key", "password_hash", "role", "organisation_id", "active", "locale", "created_at", "updated_at"],
    DEMO_USERS.map((u) => [USER_IDS[u.email], u.email, u.name, ...named(u.name), passwordHash, u.role, userOrganisation(plan, u.organisation), true, "nl", ...s]),
  );
  await w.insert(
    "locations",
    ["id", "provider_id", "name", "search_key", "sort_key", "street", "postcode", "village_id", "morning_start", "morning_end", "afternoon_start", "afternoon_end", "active", "created_at", "updated_at"],
    org.locations.map((l) => [l.id, l.providerId, l.name, ...named(l.name), l.street, l.postcode, l.villageId, ...l.times, true, ...s]),
  );
  await w.insert(
    "capacity_rules",
    ["location_id", "weekday", "dagdeel", "places", "valid_from", "valid_until", "created_at", "updated_at"],
    org.locations.flatMap((l) =>
      l.cells.flatMap((c) => {
        const from = iso(l.opened);
        if (!c.raise) return [[l.id, c.weekday, c.dagdeel, c.places, from, null, ...s]];
        return [
          [l.id, c.weekday, c.dagdeel, c.places, from, iso(c.raise.at - 1), ...s],
          [l.id, c.weekday, c.dagdeel, c.raise.places, iso(c.raise.at), null, ...s],
        ];
      }),
    ),
  );
  await w.insert(
    "closures",
    ["provider_id", "location_id", "starts_on", "ends_on", "dagdeel", "reason", "created_by", "created_at", "updated_at"],
    plan.closures.map((c) => [c.providerId, c.locationId, c.starts_on, c.ends_on, c.dagdeel, c.reason, null, ...s]),
  );
  await w.insert(
    "products",
    ["id", "code", "name", "unit", "iwmo_category", "iwmo_code", "iwmo_unit", "wlz_code", "active", "created_at", "updated_at"],
    PRODUCTS.map((p) => [PRODUCT_IDS[p.key], p.code, p.name, p.unit, p.iwmo_category, p.iwmo_code, p.iwmo_unit, p.wlz_code, true, ...s]),
  );
  await w.insert(
    "contracts",
    ["id", "purchaser_id", "provider_id", "reference", "kind", "valid_from", "valid_until", "status", "budget_ceiling_cents", "subsidy_amount_cents", "subsidy_target_dagdelen", "no_show_billable", "notes", "created_at", "updated_at"],
    plan.contracts.map((c) => [c.id, c.purchaserId, c.providerId, c.reference, c.kind, c.valid_from, c.valid_until, c.status, c.budget_ceiling_cents, c.subsidy_amount_cents, c.subsidy_target_dagdelen, c.no_show_billable, c.notes, ...s]),
  );
  await w.insert(
    "contract_lines",
    ["id", "contract_id", "product_id", "tariff_cents", "volume_ceiling", "valid_from", "valid_until", "created_at", "updated_at"],
    plan.contracts.flatMap((c) => c.lines.map((l) => [l.id, c.id, PRODUCT_IDS[l.product], l.tariff_cents, l.volume_ceiling, l.valid_from, l.valid_until, ...s])),
  );
  await w.insert(
    "clients",
    ["id", "first_name", "last_name", "search_key", "sort_key", "bsn", "birth_date", "village_id", "street", "postcode", "phone", "needs_transport", "wheelchair", "notes", "ended_on", "created_at", "updated_at"],
    plan.clients.map((c) => [c.id, c.first_name, c.last_name, ...keysOf(personKeys(c.first_name, c.last_name)), c.bsn, c.birth_date, c.villageId, c.street, c.postcode, c.phone, c.needs_transport, c.wheelchair, c.notes, c.ended_on, ...s]),
  );
  await w.insert(
    "allocations",
    ["id", "client_id", "purchaser_id", "provider_id", "product_id", "volume", "frequency", "valid_from", "valid_until", "reference", "created_at", "updated_at"],
    plan.allocations.map((a) => [a.id, a.clientId, a.purchaserId, a.providerId, PRODUCT_IDS[a.product], a.volume, "week", a.from, a.until, a.reference, ...s]),
  );
  await w.insert(
    "schedules",
    ["id", "client_id", "location_id", "funding", "allocation_id", "contract_id", "product_id", "valid_from", "valid_until", "week_parity", "created_by", "created_at", "updated_at"],
    plan.schedules.map((x) => [x.id, x.clientId, x.location.id, x.funding, x.allocationId, x.contractId, x.product === null ? null : PRODUCT_IDS[x.product], x.from, x.until, x.parity, COORDINATOR_ID, ...s]),
  );
  await w.insert(
    "schedule_slots",
    ["schedule_id", "weekday", "dagdeel", "created_at", "updated_at"],
    plan.schedules.flatMap((x) => x.slots.map((slot) => [x.id, slot.weekday, slot.dagdeel, ...s])),
  );
  await w.insert(
    "waitlist_entries",
    ["id", "client_id", "location_id", "since", "priority", "status", "note", "created_at", "updated_at"],
    plan.waitlist.map((e) => [e.id, e.clientId, e.locationId, e.since, e.priority, e.status, e.note, ...s]),
  );
  await w.insert(
    "waitlist_slots",
    ["waitlist_entry_id", "weekday", "dagdeel", "created_at", "updated_at"],
    plan.waitlist.flatMap((e) => e.slots.map((slot) => [e.id, slot.weekday, slot.dagdeel, ...s])),
  );
  await w.insert(
    "calendar_feeds",
    ["id", "token_hash", "scope", "client_id", "location_id", "label", "created_by", "revoked_at", "created_at", "updated_at"],
    plan.feeds.map((f) => [f.id, f.token_hash, f.scope, f.clientId, f.locationId, f.label, COORDINATOR_ID, null, ...s]),
  );
}
