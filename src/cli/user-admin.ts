import { loadConfig } from "../config";
import { createDb } from "../db/knex";
import { withStartupLock } from "../db/startup-lock";
import { systemClock, timestamp } from "../domain/clock";
import { recordAudit } from "../audit/repository";
import { createResetLink, RESET_VALID_HOURS } from "../users/password-reset";
import { findUserByEmail, insertUser } from "../users/repository";

// npm run user:admin -- <e-mail> "<name>"
// The first admin of a production database (which starts without demo data), or a way back in
// for an admin who is locked out. No password is chosen or printed here: it prints a one-time
// link with which the admin chooses one.
async function main(): Promise<void> {
  const [emailArg, ...nameParts] = process.argv.slice(2);
  const email = (emailArg ?? "").trim().toLowerCase();
  const name = nameParts.join(" ").trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    console.error('usage: npm run user:admin -- <e-mail> "<name>"');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  try {
    await withStartupLock(db, () => db.migrate.latest());
    let user = await findUserByEmail(db, email);
    if (user && user.role !== "admin") {
      console.error(`${email} is a ${user.role}, not an admin; change the role in /beheer/gebruikers instead.`);
      process.exitCode = 1;
      return;
    }
    if (!user) {
      if (!name) {
        console.error('A new admin needs a name: npm run user:admin -- <e-mail> "<name>"');
        process.exitCode = 2;
        return;
      }
      const at = timestamp(systemClock);
      const id = await insertUser(db, { email, name, role: "admin", organisation_id: null, password_hash: "", locale: "nl", active: true, created_at: at, updated_at: at });
      await recordAudit(db, systemClock, { userId: null, action: "create", entity: "user", entityId: id, details: { email, role: "admin", via: "cli" } });
      user = await findUserByEmail(db, email);
      console.log(`Admin ${email} created.`);
    } else if (!user.active) {
      await db("users").where({ id: user.id }).update({ active: true, updated_at: timestamp(systemClock) });
      console.log(`Admin ${email} reactivated.`);
    }
    const link = await createResetLink(db, systemClock, null, user!.id);
    const base = config.publicUrl ?? `http://localhost:${config.port}`;
    console.log(`Choose a password within ${RESET_VALID_HOURS} hours, once, at:\n  ${base}/wachtwoord-herstel/${link.token}`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
