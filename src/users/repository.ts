import type { Knex } from "knex";
import { withNameKeys } from "../db/name-keys";
import type { Role, UserRow } from "../auth/types";

export type UserListRow = Pick<UserRow, "id" | "email" | "name" | "role" | "organisation_id" | "active" | "locale" | "last_login_at" | "totp_enabled_at" | "totp_required" | "created_at" | "updated_at"> & {
  organisation_name: string | null;
};

export function listUsers(db: Knex): Promise<UserListRow[]> {
  return db("users as u")
    .leftJoin("organisations as o", "o.id", "u.organisation_id")
    .select("u.id", "u.email", "u.name", "u.role", "u.organisation_id", "u.active", "u.locale", "u.last_login_at", "u.totp_enabled_at", "u.totp_required", "u.created_at", "u.updated_at", "o.name as organisation_name")
    .orderBy([{ column: "u.active", order: "desc" }, { column: "u.sort_key" }]);
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
  totp_required?: boolean;
  active: boolean;
  created_at: string;
  updated_at: string;
};

export async function insertUser(db: Knex, row: UserInsert): Promise<number> {
  const [inserted] = await db("users").insert(withNameKeys("users", row)).returning("id");
  return typeof inserted === "object" ? inserted.id : inserted;
}

/** Columns that only the account and security code writes. */
export type UserSecurity = {
  totp_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | null;
  totp_required: boolean;
  session_generation: number;
  password_changed_at: string | null;
};

export async function updateUser(db: Knex, id: number, changes: Partial<UserInsert & UserSecurity>): Promise<void> {
  await db("users").where({ id }).update(withNameKeys("users", changes));
}
