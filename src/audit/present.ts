import type { Knex } from "knex";
import { getI18n } from "../web/i18n";
import type { AuditRow } from "./repository";

// An audit entry as a person reads it: who, did what, to whom or what (by name, not by id), and
// what changed. The names of one page are looked up together: one query per kind of thing.

export type AuditChange = { key: string; labelKey: string | null; value: string };

export type AuditLine = {
  id: number;
  createdAt: string;
  userId: number | null;
  userName: string | null;
  action: string;
  entity: string;
  entityId: number | null;
  /** The thing the entry is about, by name: a user, an organisation, a location, a contract … */
  subject: string | null;
  client: { id: number; name: string } | null;
  changes: AuditChange[];
  /** The written reason a coordinator gave for booking past capacity. */
  overbookReason: string | null;
};

type Details = Record<string, unknown>;
type Names = Map<number, string>;

/** Which table names the ids of a details key (or of an entity). */
const NAMED: Record<string, { table: string; label: (r: Record<string, unknown>) => string }> = {
  users: { table: "users", label: (r) => String(r.name) },
  organisations: { table: "organisations", label: (r) => String(r.name) },
  locations: { table: "locations", label: (r) => String(r.name) },
  contracts: { table: "contracts", label: (r) => String(r.reference) },
  products: { table: "products", label: (r) => String(r.name) },
  allocations: { table: "allocations", label: (r) => String(r.reference) },
  clients: { table: "clients", label: (r) => `${r.first_name} ${r.last_name}` },
};

const KEY_KIND: Record<string, keyof typeof NAMED> = {
  user_id: "users",
  organisation_id: "organisations",
  provider_id: "organisations",
  purchaser_id: "organisations",
  location_id: "locations",
  contract_id: "contracts",
  product_id: "products",
  allocation_id: "allocations",
  client_id: "clients",
};

const ENTITY_KIND: Record<string, keyof typeof NAMED> = {
  user: "users",
  organisation: "organisations",
  location: "locations",
  contract: "contracts",
};

/** A BSN never reaches the page, whatever an entry's details hold. */
const BSN_LIKE = /(?<!\d)\d{9}(?!\d)/g;
const MAX_VALUE = 300;

function parseDetails(row: AuditRow): Details {
  if (!row.details) return {};
  try {
    const parsed = JSON.parse(row.details);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Details) : {};
  } catch {
    return {};
  }
}

async function lookUp(db: Knex, wanted: Map<keyof typeof NAMED, Set<number>>): Promise<Map<string, Names>> {
  const found = new Map<string, Names>();
  await Promise.all(
    [...wanted].map(async ([kind, ids]) => {
      const names: Names = new Map();
      found.set(kind, names);
      if (ids.size === 0) return;
      const rows: Record<string, unknown>[] = await db(NAMED[kind].table).whereIn("id", [...ids]).select("*");
      for (const r of rows) names.set(Number(r.id), NAMED[kind].label(r));
    }),
  );
  return found;
}

function formatValue(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map((v) => formatValue(v, depth + 1)).join(", ");
  if (typeof value === "object") {
    const entries = Object.entries(value as Details).map(([k, v]) => `${k}: ${formatValue(v, depth + 1)}`);
    return depth > 0 ? `(${entries.join("; ")})` : entries.join("; ");
  }
  return String(value);
}

function fieldLabel(key: string): string | null {
  const labelKey = `auditFields.${key}`;
  return getI18n().exists(labelKey) ? labelKey : null;
}

/** The details as readable lines; ids of named things become names. */
function changesOf(details: Details, names: Map<string, Names>): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const [key, raw] of Object.entries(details)) {
    if (key === "client_id" || key === "overbook") continue; // shown in columns of their own
    const kind = KEY_KIND[key];
    const named = kind && typeof raw === "number" ? names.get(kind)?.get(raw) : undefined;
    let value = named ?? formatValue(raw);
    value = value.replace(BSN_LIKE, "*********");
    if (value.length > MAX_VALUE) value = `${value.slice(0, MAX_VALUE - 1)}…`;
    changes.push({ key, labelKey: fieldLabel(key), value });
  }
  const overbook = details.overbook as { dagdelen?: unknown } | undefined;
  if (overbook?.dagdelen) changes.push({ key: "overbooked", labelKey: fieldLabel("overbooked"), value: formatValue(overbook.dagdelen) });
  return changes;
}

function subjectOf(row: AuditRow, details: Details, names: Map<string, Names>): string | null {
  const kind = ENTITY_KIND[row.entity];
  if (kind && row.entity_id) return names.get(kind)?.get(row.entity_id) ?? `#${row.entity_id}`;
  if (row.entity === "contract_line" && typeof details.contract_id === "number") return names.get("contracts")?.get(details.contract_id) ?? null;
  if (row.entity === "closure") {
    if (typeof details.location_id === "number") return names.get("locations")?.get(details.location_id) ?? null;
    if (typeof details.provider_id === "number") return names.get("organisations")?.get(details.provider_id) ?? null;
  }
  if (row.entity === "declaration" && row.entity_id) return `#${row.entity_id}${typeof details.month === "string" ? ` (${details.month})` : ""}`;
  return null;
}

export async function presentAudit(db: Knex, rows: AuditRow[]): Promise<AuditLine[]> {
  const parsed = rows.map((row) => ({ row, details: parseDetails(row) }));
  const wanted = new Map<keyof typeof NAMED, Set<number>>(Object.keys(NAMED).map((k) => [k as keyof typeof NAMED, new Set<number>()]));
  for (const { row, details } of parsed) {
    if (row.client_id) wanted.get("clients")!.add(row.client_id);
    const kind = ENTITY_KIND[row.entity];
    if (kind && row.entity_id) wanted.get(kind)!.add(row.entity_id);
    for (const [key, value] of Object.entries(details)) {
      const k = KEY_KIND[key];
      if (k && typeof value === "number") wanted.get(k)!.add(value);
    }
  }
  const names = await lookUp(db, wanted);
  return parsed.map(({ row, details }) => {
    const overbook = details.overbook as { reason?: unknown } | undefined;
    return {
      id: row.id,
      createdAt: row.created_at,
      userId: row.user_id,
      userName: row.user_name,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      subject: subjectOf(row, details, names),
      client: row.client_id ? { id: row.client_id, name: names.get("clients")?.get(row.client_id) ?? `#${row.client_id}` } : null,
      changes: changesOf(details, names),
      overbookReason: typeof overbook?.reason === "string" ? overbook.reason : null,
    };
  });
}

/** The kinds of entries there are: every entity the interface has a name for. */
export function auditEntities(): string[] {
  const bundle = getI18n().getResource("nl", "translation", "auditEntities") as Record<string, string> | undefined;
  return Object.keys(bundle ?? {}).sort();
}
