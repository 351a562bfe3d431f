import path from "node:path";
import { z } from "zod";

// Every setting comes from the environment and is checked once, here; the rest of the code
// receives a typed Config and never reads process.env itself.
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, "DATABASE_URL must start with sqlite: or postgres://")
    .default("sqlite:data/dagdeel.sqlite"),
  SESSION_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  DEMO_DATA: z.enum(["0", "1", "true", "false", "yes", "no"]).optional(),
  PUBLIC_URL: z.string().url().optional(),
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(300),
  SEED_TODAY: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

/** Signs session cookies in development and tests; production refuses to start with it. */
export const DEVELOPMENT_SECRET = "dagdeel-development-secret-not-for-production";

export type Config = {
  env: "development" | "test" | "production";
  port: number;
  databaseUrl: string;
  sessionSecret: string;
  logLevel: string;
  loginRateLimit: number;
  /** Load the demo data into an empty database: by default outside production, else only when asked. */
  demoData: boolean;
  /** Where users reach the app (https://dagdeel.example.nl), for links handed out of band. */
  publicUrl?: string;
  /** Requests per minute one API token may make. */
  apiRateLimit: number;
  /** Fixes "today" for the demo data, so a given date always gives the same data. */
  seedToday?: string;
  secureCookies: boolean;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production" && (!e.SESSION_SECRET || e.SESSION_SECRET === DEVELOPMENT_SECRET)) {
    throw new Error("Invalid configuration: SESSION_SECRET is required in production, and must not be the development value");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    // A development secret is fine: sessions live in the database and the demo is local.
    sessionSecret: e.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    logLevel: e.LOG_LEVEL,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    demoData: e.DEMO_DATA === undefined ? e.NODE_ENV !== "production" : ["1", "true", "yes"].includes(e.DEMO_DATA),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""),
    apiRateLimit: e.API_RATE_LIMIT,
    seedToday: e.SEED_TODAY,
    secureCookies: e.NODE_ENV === "production",
  };
}

export function sqliteFile(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith("sqlite:")) return null;
  const file = databaseUrl.slice("sqlite:".length);
  return file === ":memory:" ? file : path.resolve(file);
}
