import type { Knex } from "knex";
import { hashPassword } from "../../src/auth/password";
import { withNameKeys } from "../../src/db/name-keys";

// A small, hand-made world for HTTP tests: two purchasers, two providers with a location
// each, a contract between the gemeente and provider A, and one user per role.

export const PASSWORD = "correct-horse-battery";

export type World = {
  gemeente: number;
  zorgkantoor: number;
  providerA: number;
  providerB: number;
  village: number;
  locationA: number;
  locationB: number;
  contractA: number;
  contractZorgkantoorB: number;
  users: Record<"admin" | "coordinator" | "providerA" | "providerB" | "purchaser" | "zorgkantoor", { id: number; email: string }>;
};

const AT = "2026-11-01T08:00:00.000Z";

// scrypt is slow on purpose: the users of every world share one hash of the shared password.
let passwordHash: Promise<string> | undefined;
/** Whether this database has the name keys yet: a migration test builds the world on an older schema. */
const keysPresent = new WeakMap<Knex, Promise<boolean>>();
function hasNameKeys(db: Knex): Promise<boolean> {
  if (!keysPresent.has(db)) keysPresent.set(db, db.schema.hasColumn("organisations", "search_key"));
  return keysPresent.get(db)!;
}

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const stamped = { created_at: AT, updated_at: AT, ...row };
  const [r] = await db(table).insert((await hasNameKeys(db)) ? withNameKeys(table, stamped) : stamped).returning("id");
  return typeof r === "object" ? r.id : r;
}

export async function buildWorld(db: Knex): Promise<World> {
  const gemeente = await insert(db, "organisations", { kind: "purchaser", subkind: "gemeente", name: "Gemeente Peel en Maas", gemeentecode: "1894", active: true });
  const zorgkantoor = await insert(db, "organisations", { kind: "purchaser", subkind: "zorgkantoor", name: "VGZ Zorgkantoor Noord- en Midden-Limburg", active: true });
  const providerA = await insert(db, "organisations", { kind: "provider", subkind: "zorgboerderij", name: "Zorgboerderij A", agb_code: "98000001", active: true });
  const providerB = await insert(db, "organisations", { kind: "provider", subkind: "dorpsdagvoorziening", name: "Dorpsdagvoorziening B", agb_code: "98000002", active: true });
  const village = await insert(db, "villages", { name: "Helden", municipality: "Peel en Maas", gemeentecode: "1894", province: "LI" });
  const locationA = await insert(db, "locations", { provider_id: providerA, name: "Boerderij A", street: "Dorpsstraat 1", postcode: "5988 AA", village_id: village });
  const locationB = await insert(db, "locations", { provider_id: providerB, name: "Dorpshuis B", street: "Kerkplein 2", postcode: "5988 BB", village_id: village });
  const contractA = await insert(db, "contracts", { purchaser_id: gemeente, provider_id: providerA, reference: "PM-A", kind: "inkoop", valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief" });
  const contractZorgkantoorB = await insert(db, "contracts", { purchaser_id: zorgkantoor, provider_id: providerB, reference: "VGZ-B", kind: "inkoop", valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief" });
  const hash = await (passwordHash ??= hashPassword(PASSWORD));
  const user = async (key: string, role: string, organisation_id: number | null) => {
    const email = `${key.toLowerCase()}@test.example`;
    const id = await insert(db, "users", { email, name: `User ${key}`, password_hash: hash, role, organisation_id, active: true, locale: "nl" });
    return { id, email };
  };
  return {
    gemeente,
    zorgkantoor,
    providerA,
    providerB,
    village,
    locationA,
    locationB,
    contractA,
    contractZorgkantoorB,
    users: {
      admin: await user("admin", "admin", null),
      coordinator: await user("coordinator", "coordinator", null),
      providerA: await user("providerA", "provider", providerA),
      providerB: await user("providerB", "provider", providerB),
      purchaser: await user("purchaser", "purchaser", gemeente),
      zorgkantoor: await user("zorgkantoor", "purchaser", zorgkantoor),
    },
  };
}
