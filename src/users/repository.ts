import type { Knex } from "knex";
import type { Role, UserRow } from "../auth/types";

export type UserListRow = Omit<UserRow, "password_hash"> & { organisation_name: string | null };

export function listUsers(db: Knex): Promise<UserListRow[]> {
  return db("users as u")
    .leftJoin("organisations as o", "o.id", "u.organisation_id")
    .select("u.id", "u.email", "u.name", "u.role", "u.organisation_id", "u.active", "u.locale", "u.last_login_at", "u.created_at", "u.updated_at", "o.name as organisation_name")
    .orderBy([{ column: "u.active", order: "desc" }, { column: "u.name" }]);
}

export function findUser(db: Knex, id: number): Promise<UserRow | undefined> {
  return db<UserRow>("users").where({ id }).first();
}

export function findUserByEmail(db: Knex, email: string): Promise<UserRow | undefined> {
  return db<UserRow>("users").where({ email }).first();
}

export type UserInsert = {
  email: string;
  name: string;
  role: Role;
  organisation_id: number | null;
  password_hash: string;
  locale: string;
  active: boolean;
  created_at: string;
  updated_at: string;
};

export async function insertUser(db: Knex, row: UserInsert): Promise<number> {
  const [inserted] = await db("users").insert(row).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

export async function updateUser(db: Knex, id: number, changes: Partial<UserInsert>): Promise<void> {
  await db("users").where({ id }).update(changes);
}
