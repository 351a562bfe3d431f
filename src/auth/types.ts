export const ROLES = ["coordinator", "provider", "purchaser", "admin"] as const;
export type Role = (typeof ROLES)[number];

export type UserRow = {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  organisation_id: number | null;
  active: boolean | number;
  locale: string;
  last_login_at: string | null;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | null;
  totp_required: boolean | number;
  session_generation: number;
  password_changed_at: string | null;
  created_at: string;
  updated_at: string;
};

/** Who is acting: what every service receives instead of the request. */
export type Actor = {
  userId: number;
  name: string;
  role: Role;
  organisationId: number | null;
};

declare module "express-session" {
  interface SessionData {
    userId?: number;
    locale?: "nl" | "en";
    flash?: { kind: "success" | "error"; key: string; params?: Record<string, string | number> };
    /** The user's session_generation at login: a password change or reset raises it and ends the session. */
    generation?: number;
    /** Password accepted, second factor (TOTP) still to come; never a logged-in session. */
    pendingLogin?: { userId: number; generation: number; attempts: number; next: string };
    /** A TOTP secret shown to the user and not yet confirmed with a code. */
    totpSetup?: string;
    /** When the store last wrote this session (ms since epoch); see src/auth/session-store.ts. */
    writtenAt?: number;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      actor?: Actor;
      /** The actor must set up TOTP (the admin requires it) before anything else. */
      mustEnrolTotp?: boolean;
      /** The planning board's data version, read with the session's user (data_versions 'board', src/data-version/versions.ts). */
      boardVersion?: number;
      /** The problem lists' data version (data_versions 'problems'), read with the session's user likewise. */
      problemsVersion?: number;
      /** The session's user, looked up while the session was read (src/auth/session-store.ts). */
      sessionUserAhead?: { userId: number; found: unknown };
    }
  }
}
