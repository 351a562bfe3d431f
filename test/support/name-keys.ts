import { expect } from "chai";
import type { Knex } from "knex";
import { nameKeys, personKeys } from "../../src/db/name-keys";

/** Every named row of a seeded database carries the keys the repositories would have written. */
export async function expectNameKeysWritten(db: Knex): Promise<void> {
  const clients: { first_name: string; last_name: string; search_key: string; sort_key: string }[] = await db("clients").select("first_name", "last_name", "search_key", "sort_key");
  for (const c of clients) expect({ search_key: c.search_key, sort_key: c.sort_key }, c.last_name).to.deep.equal(personKeys(c.first_name, c.last_name));
  for (const table of ["locations", "organisations", "users", "villages"]) {
    const rows: { name: string; search_key: string; sort_key: string }[] = await db(table).select("name", "search_key", "sort_key");
    for (const r of rows) expect({ search_key: r.search_key, sort_key: r.sort_key }, `${table} ${r.name}`).to.deep.equal(nameKeys(r.name));
  }
}
