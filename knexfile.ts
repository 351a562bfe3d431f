// For the knex CLI: NODE_OPTIONS='--import tsx' npx knex migrate:latest --knexfile knexfile.ts
// The app itself migrates on start (src/server.ts) and `npm run db:rollback` uses src/cli.
import { loadConfig } from "./src/config";
import { knexConfig } from "./src/db/knex";

const config = loadConfig();
module.exports = knexConfig(config.databaseUrl);
