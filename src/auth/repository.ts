import type { Knex } from "knex";
import type { UserRow } from "./types";
import { versionSubquery } from "../data-version/versions";
import { toNumberOrNull } from "../db/numbers";
import { compiledOnce } from "../db/compiled";

export function findUserByEmail(db: Knex, email: string): Promise<UserRow | undefined> {
  return db<UserRow>("users").where({ email: email.toLowerCase() }).first();
}

export function findUserById(db: Knex, id: number): Promise<UserRow | undefined> {
  return db<UserRow>("users").where({ id }).first();
}

/**
 * The user behind a session with, in the same query, one setting and the data versions 'board'
 * and 'problems' (src/data-version/versions.ts): every request reads the user (loadActor), so
 * one round trip instead of two or three. These columns are also read in the session row's own
 * query when the session store knows the session's user (SessionStore). Only what a request
 * needs of its user: not the password's hash or the two-factor secret (whether there is one).
 */
export function sessionUserColumns(db: Knex, settingKey: string): (string | Knex.QueryBuilder | Knex.Raw)[] {
  return [
    ...SESSION_USER_COLUMNS.map((c) => `users.${c}`),
    db.raw("case when users.totp_secret is null then 0 else 1 end as has_totp"),
    db("settings").where({ key: settingKey }).select("value").as("setting_value"),
    versionSubquery(db, "board").as("board_version"),
    versionSubquery(db, "problems").as("problems_version"),
  ];
}

const SESSION_USER_COLUMNS = ["id", "name", "role", "organisation_id", "active", "session_generation", "totp_required"] as const;

/** A session's user as every request reads it (sessionUserColumns). */
export type SessionUserRow = Pick<UserRow, (typeof SESSION_USER_COLUMNS)[number]> & { has_totp: boolean };

export type SessionUserFound = { user: SessionUserRow; setting: string | null; boardVersion: number | null; problemsVersion: number | null };

/** What sessionUserColumns read, from a row (undefined when no user has the id: the join found none). */
export function sessionUserFromRow(row: Record<string, unknown> | undefined): SessionUserFound | undefined {
  if (!row || row.id === null || row.id === undefined) return undefined;
  const setting = row.setting_value;
  const user = {
    id: row.id,
    name: row.name,
    role: row.role,
    organisation_id: row.organisation_id,
    active: row.active,
    session_generation: row.session_generation,
    totp_required: row.totp_required,
    has_totp: Number(row.has_totp) === 1,
  } as SessionUserRow;
  return {
    user,
    setting: setting === null || setting === undefined ? null : String(setting),
    boardVersion: toNumberOrNull(row.board_version),
    problemsVersion: toNumberOrNull(row.problems_version),
  };
}

const sessionUserQuery = compiledOnce<[number, string]>((db, id, settingKey) => db("users").where({ id }).select(sessionUserColumns(db, settingKey)).limit(1));

export async function findSessionUser(db: Knex, id: number, settingKey: string): Promise<SessionUserFound | undefined> {
  const [row] = await sessionUserQuery<Record<string, unknown>>(db, id, settingKey);
  return sessionUserFromRow(row);
}

export async function recordLogin(db: Knex, id: number, at: string): Promise<void> {
  await db("users").where({ id }).update({ last_login_at: at });
}

/**
 * Marks a TOTP step as used, unless it (or a later one) already was: one conditional UPDATE,
 * so two requests with the same code at the same moment cannot both pass.
 */
export async function claimTotpStep(db: Knex, id: number, step: number): Promise<boolean> {
  const changed = await db("users")
    .where({ id })
    .where((w) => w.whereNull("totp_last_step").orWhere("totp_last_step", "<", step))
    .update({ totp_last_step: step });
  return changed === 1;
}

export async function readSetting(db: Knex, key: string): Promise<string | null> {
  const row = await db("settings").where({ key }).first("value");
  return row ? String(row.value) : null;
}
