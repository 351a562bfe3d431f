import type { AddressInfo } from "node:net";
import pino from "pino";
import { loadConfig, type Config } from "./config";
import { createDb } from "./db/knex";
import { systemClock } from "./domain/clock";
import { createApp } from "./app";
import { warmTemplates } from "./web/views";
import { prepareDatabase, type Prepared } from "./startup";
import { DEMO_PASSWORD, DEMO_USERS } from "../seeds/demo";

/** How long in-flight requests get after SIGTERM before the process stops anyway. */
const SHUTDOWN_GRACE_MS = 20_000;

// Start: config → database → migrate → demo data if asked and empty → templates → listen.
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const db = createDb(config.databaseUrl);
  const prepared = await prepareDatabase(db, config, systemClock);
  if (prepared.migrations.length > 0) logger.info({ migrations: prepared.migrations }, "database migrated");

  const app = createApp({ db, clock: systemClock, config, logger });
  // Every template compiled before the first request (where compiled templates are kept).
  if (config.env !== "development") await warmTemplates();
  const server = app.listen(config.port, () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(banner(config, prepared, port).join("\n") + "\n");
  });

  // SIGTERM (a deploy, systemd, docker stop): take no new connections, let the requests in
  // flight finish, then close the database and leave. A second signal, or the grace period
  // running out, ends it at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, "stopping now");
      process.exit(1);
    }
    stopping = true;
    const force = setTimeout(() => {
      logger.error("requests still running after the grace period; stopping anyway");
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      let code = 0;
      try {
        await app.close();
        await db.destroy();
        logger.info("stopped; the database is closed");
      } catch (err) {
        logger.error({ err }, "stopping failed");
        code = 1;
      }
      process.exit(code);
    });
    // Said once the listening socket is closed (server.close() closes it at once): whoever reads
    // this line, a test among them, finds new connections refused. Said before, a process paused
    // between the two lines under load let one more connection in.
    logger.info({ signal }, "stopping: finishing the requests in flight");
    // Keep-alive connections without a request would otherwise hold server.close() open.
    server.closeIdleConnections();
  };
  // A keep-alive connection whose last request finished during the stop closes at once rather
  // than after the keep-alive timeout.
  server.on("request", (_req, res) => res.once("finish", () => stopping && setImmediate(() => server.closeIdleConnections())));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** What the console shows at start. Passwords only ever in development, with the demo data. */
function banner(config: Config, prepared: Prepared, port: number): string[] {
  const lines = ["", `dagdeel draait op http://localhost:${port}  (database: ${withoutPassword(config.databaseUrl)})`];
  if (prepared.seeded) lines.push(`Demodata geladen in de lege database (rond ${prepared.seedToday}).`);
  else if (prepared.empty) lines.push("De database is leeg (geen demodata in productie).");
  else lines.push("Bestaande database gebruikt; de demodata is niet opnieuw geladen.");
  if (config.env !== "production" && config.demoData && !prepared.empty) {
    lines.push(
      `Demo-inloggegevens (wachtwoord voor allemaal: ${DEMO_PASSWORD}):`,
      ...DEMO_USERS.map((u) => `  ${u.role.padEnd(12)} ${u.email.padEnd(28)} ${u.name}${u.organisation ? ` — ${u.organisation}` : ""}`),
    );
  }
  lines.push("");
  return lines;
}

function withoutPassword(databaseUrl: string): string {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return databaseUrl;
  const url = new URL(databaseUrl);
  if (url.password) url.password = "***";
  return url.toString();
}

main().catch((err) => {
  process.stderr.write(`dagdeel could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
