import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createDb } from "../../src/db/knex";
import { systemClock } from "../../src/domain/clock";
import { csrfFrom, csrfToken } from "../support/app";
import { ROOT } from "../support/process";

// A production database starts without demo data: `npm run user:admin` makes the first admin,
// printing a one-time link to choose a password — never a password.
describe("npm run user:admin: the first admin of an empty production database", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-first-admin-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { NODE_ENV: "production", SESSION_SECRET: "a-long-random-production-secret-for-the-test", DATABASE_URL: `sqlite:${path.join(dir, "prod.sqlite")}`, PUBLIC_URL: "https://dagdeel.example.nl", LOG_LEVEL: "silent" };
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/user-admin.ts", ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });

  it("creates the admin and prints a link with which it chooses a password and logs in", async () => {
    const out = run("eerste@beheer.example", "Eerste Beheerder");
    expect(out.status, out.stderr).to.equal(0);
    const link = out.stdout.match(/https:\/\/dagdeel\.example\.nl(\/wachtwoord-herstel\/[A-Za-z0-9_-]+)/);
    expect(link, out.stdout).to.not.equal(null);

    const config = loadConfig({ ...env, NODE_ENV: "test" });
    const db = createDb(config.databaseUrl);
    const app = createApp({ db, clock: systemClock, config });
    try {
      const agent = request.agent(app);
      const page = await agent.get(link![1]);
      expect(page.status).to.equal(200);
      const set = await agent.post(link![1]).type("form").send({ new_password: "mijn-eerste-wachtwoord", new_password_confirm: "mijn-eerste-wachtwoord", _csrf: csrfFrom(page.text) });
      expect(set.status).to.equal(303);
      const login = await agent.post("/login").type("form").send({ email: "eerste@beheer.example", password: "mijn-eerste-wachtwoord", _csrf: await csrfToken(agent) });
      expect(login.status).to.equal(303);
      expect((await agent.get("/beheer/gebruikers")).status).to.equal(200);
    } finally {
      await app.close();
      await db.destroy();
    }
  });

  it("refuses something that is not an e-mail address (exit 2)", () => {
    expect(run("not-an-address").status).to.equal(2);
  });
});
