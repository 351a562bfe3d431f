import pino from "pino";
import { loadConfig } from "./config";
import { createDb } from "./db/knex";
import { systemClock } from "./domain/clock";
import { createApp } from "./app";
import { prepareDatabase } from "./startup";
import { DEMO_PASSWORD, DEMO_USERS } from "../seeds/demo";

// Start: config → database → migrate → demo data if empty → listen.
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const db = createDb(config.databaseUrl);
  const prepared = await prepareDatabase(db, config, systemClock);
  if (prepared.migrations.length > 0) logger.info({ migrations: prepared.migrations }, "database migrated");

  const app = createApp({ db, clock: systemClock, config, logger });
  const server = app.listen(config.port, () => {
    const { port } = server.address() as import("node:net").AddressInfo;
    const lines = [
      "",
      `dagdeel draait op http://localhost:${port}  (database: ${config.databaseUrl})`,
      prepared.seeded
        ? `Demodata geladen in de lege database (rond ${prepared.seedToday}).`
        : "Bestaande database gebruikt; de demodata is niet opnieuw geladen.",
      `Demo-inloggegevens (wachtwoord voor allemaal: ${DEMO_PASSWORD}):`,
      ...DEMO_USERS.map((u) => `  ${u.role.padEnd(12)} ${u.email.padEnd(28)} ${u.name}${u.organisation ? ` — ${u.organisation}` : ""}`),
      "",
    ];
    process.stdout.write(lines.join("\n") + "\n");
  });

  const stop = (signal: string) => {
    logger.info({ signal }, "stopping");
    server.close(async () => {
      await app.close();
      await db.destroy();
      process.exit(0);
    });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err) => {
  process.stderr.write(`dagdeel could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
