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
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      actor?: Actor;
    }
  }
}
