import type { Knex } from "knex";
import { whereKeyHoldsWords, withNameKeys } from "../db/name-keys";
import { withTotal } from "../db/with-total";
import type { Role, UserRow } from "../auth/types";

export type UserListRow = Pick<UserRow, "id" | "email" | "name" | "role" | "organisation_id" | "active" | "locale" | "last_login_at" | "totp_enabled_at" | "totp_required" | "created_at" | "updated_at"> & {
  organisation_name: string | null;
};

/** The list's status filter: only active users, or only deactivated ones. */
export const USER_STATUSES = ["actief", "inactief"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export type UserSearch = {
  /** Folded words (searchWords): each must occur in the user's name or e-mail address. */
  words: string[];
  role: Role | null;
  status: UserStatus | null;
  limit: number;
  offset: number;
};

function searchQuery(db: Knex, s: UserSearch): Knex.QueryBuilder {
  const q = db("users as u");
  // A word may be part of the name (its folded key) or of the address. Every write of an address
  // lower-cases it (the user form's email(), the CLI), so the folded word compares as it is; a
  // word has no space, so it cannot match across the one between the two.
  whereKeyHoldsWords(q, "(u.search_key || ' ' || u.email)", s.words);
  if (s.role) q.where("u.role", s.role);
  if (s.status) q.where("u.active", s.status === "actief");
  return q;
}

/**
 * One page of the admin's user list, active users first and then by name, and how many match:
 * a region's few hundred users are one query (withTotal).
 */
export function searchUsers(db: Knex, s: UserSearch): Promise<{ total: number; rows: UserListRow[] }> {
  const page = searchQuery(db, s)
    .leftJoin("organisations as o", "o.id", "u.organisation_id")
    .select("u.id", "u.email", "u.name", "u.role", "u.organisation_id", "u.active", "u.locale", "u.last_login_at", "u.totp_enabled_at", "u.totp_required", "u.created_at", "u.updated_at", "o.name as organisation_name")
    .orderBy([{ column: "u.active", order: "desc" }, { column: "u.sort_key" }, { column: "u.id" }])
    .limit(s.limit)
    .offset(s.offset);
  return withTotal<UserListRow>(db, page, () => searchQuery(db, s), s.offset);
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
