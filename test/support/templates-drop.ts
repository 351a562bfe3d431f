// node --import tsx test/support/templates-drop.ts KEY: removes the test templates of one run
// (test/run.mjs calls it at the end of `npm test`).
import { dropTemplates } from "./templates";

const key = process.argv[2];
if (!key) throw new Error("usage: templates-drop.ts KEY");
dropTemplates(key, process.env.TEST_POSTGRES_URL).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
