import type { Knex } from "knex";
import { countOf, toNumber } from "../db/numbers";

// Products and their codes in the purchasers' standards: knex in, typed rows out.

type Db = Knex | Knex.Transaction;

export type ProductRow = {
  id: number;
  code: string;
  name: string;
  unit: string;
  iwmo_category: string | null;
  iwmo_code: string | null;
  iwmo_unit: string | null;
  wlz_code: string | null;
  active: boolean;
  created_at: string;
  updated_at: string;
};

export type ProductFields = Pick<ProductRow, "code" | "name" | "unit" | "iwmo_category" | "iwmo_code" | "iwmo_unit" | "wlz_code" | "active">;

const toProduct = (row: Record<string, unknown>): ProductRow => ({ ...(row as ProductRow), active: Boolean(row.active) });

export async function findProduct(db: Db, id: number): Promise<ProductRow | undefined> {
  const row = await db("products").where({ id }).first();
  return row ? toProduct(row) : undefined;
}

/** One page of products by code, with the number of allocations using each, and the total. */
export async function pageOfProducts(db: Knex, limit: number, offset: number): Promise<{ total: number; rows: (ProductRow & { allocations: number })[] }> {
  // The count and the page at once; each product's allocations counted along allocations (product_id).
  const [[count], rows] = await Promise.all([
    db("products").count({ n: "*" }),
    db("products as p")
      .select("p.*", db("allocations as a").whereRaw("a.product_id = p.id").count("*").as("allocations"))
      .orderBy([{ column: "p.code" }, { column: "p.id" }])
      .limit(limit)
      .offset(offset),
  ]);
  return { total: countOf(count), rows: rows.map((r: Record<string, unknown>) => ({ ...toProduct(r), allocations: toNumber(r.allocations) })) };
}

export async function codeTaken(db: Db, code: string, exceptId: number | null): Promise<boolean> {
  const q = db("products").whereRaw("lower(code) = ?", [code.toLowerCase()]).first("id");
  if (exceptId !== null) q.whereNot("id", exceptId);
  return Boolean(await q);
}

export async function iwmoCodeTaken(db: Db, category: string, code: string, exceptId: number | null): Promise<{ id: number; code: string } | undefined> {
  const q = db("products").where({ iwmo_category: category, iwmo_code: code }).first("id", "code");
  if (exceptId !== null) q.whereNot("id", exceptId);
  return q;
}

export async function allocationCount(db: Db, productId: number): Promise<number> {
  const [row] = await db("allocations").where({ product_id: productId }).count({ n: "*" });
  return countOf(row);
}

export async function insertProduct(db: Db, row: ProductFields & { created_at: string; updated_at: string }): Promise<number> {
  const [r] = await db("products").insert(row).returning("id");
  return typeof r === "object" ? r.id : r;
}

export async function updateProduct(db: Db, id: number, changes: Partial<ProductRow>): Promise<void> {
  await db("products").where({ id }).update(changes);
}
