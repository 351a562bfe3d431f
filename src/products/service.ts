import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { NotFoundError, ValidationError } from "../domain/errors";
import { UNIT_EENHEID } from "../iwmo/codes";
import * as repo from "./repository";
import { isUniqueViolation } from "../db/dialect";

// The admin keeps the products and the codes they carry in the purchasers' standards: a WMO301
// finds its product by iWmo ProductCategorie + ProductCode, a declaration writes them back.

/** The iWmo Eenheid a product's allocations may be counted in: its own unit, never another. */
export const EENHEID_FOR_UNIT: Record<string, string[]> = { dagdeel: [UNIT_EENHEID.dagdeel], uur: [UNIT_EENHEID.uur], etmaal: [UNIT_EENHEID.etmaal], rit: ["82", "84"] };

async function checkProduct(db: Knex.Transaction, input: repo.ProductFields, existing: repo.ProductRow | null): Promise<void> {
  const errors: Record<string, string> = {};
  const id = existing?.id ?? null;
  if (await repo.codeTaken(db, input.code, id)) errors.code = "products.errors.codeTaken";
  if ((input.iwmo_category === null) !== (input.iwmo_code === null)) {
    errors[input.iwmo_category === null ? "iwmo_category" : "iwmo_code"] = "products.errors.iwmoPair";
  } else if (input.iwmo_category !== null && input.iwmo_code !== null) {
    if (await repo.iwmoCodeTaken(db, input.iwmo_category, input.iwmo_code, id)) errors.iwmo_code = "products.errors.iwmoTaken";
  }
  if (input.iwmo_unit !== null) {
    if (input.iwmo_category === null) errors.iwmo_unit = "products.errors.unitWithoutCode";
    else if (!EENHEID_FOR_UNIT[input.unit]?.includes(input.iwmo_unit)) errors.iwmo_unit = "products.errors.unitMismatch";
  }
  // Allocations count in the product's unit: changing it would change what they grant.
  if (existing && existing.unit !== input.unit && (await repo.allocationCount(db, existing.id)) > 0) errors.unit = "products.errors.unitInUse";
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export async function saveProduct(db: Knex, clock: Clock, actor: Actor, id: number | null, input: repo.ProductFields): Promise<number> {
  try {
    return await db.transaction(async (trx) => {
      const existing = id === null ? null : ((await repo.findProduct(trx, id)) ?? null);
      if (id !== null && !existing) throw new NotFoundError("product");
      await checkProduct(trx, input, existing);
      const at = timestamp(clock);
      if (!existing) {
        const created = await repo.insertProduct(trx, { ...input, created_at: at, updated_at: at });
        await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "product", entityId: created, details: { ...input } });
        return created;
      }
      const before = Object.fromEntries((Object.keys(input) as (keyof repo.ProductFields)[]).filter((k) => existing[k] !== input[k]).map((k) => [k, existing[k]]));
      await repo.updateProduct(trx, existing.id, { ...input, updated_at: at });
      await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "product", entityId: existing.id, details: { before, after: input } });
      return existing.id;
    });
  } catch (err) {
    // Two admins saving the same code at once: the unique index decides.
    if (isUniqueViolation(err)) throw new ValidationError({ code: "products.errors.codeTaken" });
    throw err;
  }
}
