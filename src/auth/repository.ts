import type { Knex } from "knex";
import type { UserRow } from "./types";

export function findUserByEmail(db: Knex, email: string): Promise<UserRow | undefined> {
  return db<UserRow>("users").where({ email: email.toLowerCase() }).first();
}

export function findUserById(db: Knex, id: number): Promise<UserRow | undefined> {
  return db<UserRow>("users").where({ id }).first();
}

export async function recordLogin(db: Knex, id: number, at: string): Promise<void> {
  await db("users").where({ id }).update({ last_login_at: at });
}
