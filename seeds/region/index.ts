// npm run seed:region — a whole region in an empty database: the plan (pure, seeded), then one
// transaction that writes it, two years of attendance month by month, and each past month's
// declarations as the app computes them from that attendance.

import type { Knex } from "knex";
import { hashPassword } from "../../src/auth/password";
import { refreshUse } from "../../src/use/refresh";
import { dropUseTriggers } from "../../src/use/triggers";
import { DEMO_PASSWORD, DEMO_USERS } from "../demo";
import { Rng, seedFrom } from "../random";
import { ATTENDANCE_COLUMNS, monthAttendance, RecordedAt, type ExtraLedger } from "./attendance";
import { afterBulkLoad, BulkWriter, withBulkSettings } from "./bulk";
import type { PlanSchedule } from "./clients";
import { monthDeclarations, type PlanDeclaration } from "./declarations";
import { planRegion, type RegionPlan } from "./plan";
import type { RegionOptions } from "./options";
import { COORDINATOR_ID, USER_IDS, userOrganisation, writeStatic } from "./write";
import type { PlanLocation } from "./organisations";

export { planRegion } from "./plan";
export { parseRegionOptions, regionDates, type RegionOptions } from "./options";
export { regionFeedToken } from "./feeds";

export const REGION_TABLES = [
  "organisations", "villages", "users", "locations", "capacity_rules", "closures", "products", "contracts", "contract_lines",
  "clients", "allocations", "schedules", "schedule_slots", "waitlist_entries", "waitlist_slots", "attendance",
  "declarations", "declaration_lines", "calendar_feeds",
] as const;

export type RegionSummary = { counts: Record<(typeof REGION_TABLES)[number], number>; seconds: number };

/** Nothing in any table the region fills: the region is never mixed with other data. */
export async function isEmptyForRegion(db: Knex): Promise<boolean> {
  for (const table of ["organisations", "clients", "attendance", "users"]) {
    if (await db(table).first()) return false;
  }
  return true;
}

export async function seedRegion(db: Knex, options: RegionOptions, log: (line: string) => void = () => undefined): Promise<RegionSummary> {
  const started = Date.now();
  if (!(await isEmptyForRegion(db))) throw new Error("The database is not empty: the region seed only fills an empty database.");
  const plan = planRegion(options);
  log(`plan: ${plan.org.providers.length} providers, ${plan.org.locations.length} locations, ${plan.clients.length} clients, ${plan.schedules.length} schedules (${elapsed(started)})`);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const stamp = `${plan.dates.today}T05:00:00.000Z`;

  // Without the use-tally triggers during the load: every client is counted once at the end.
  await dropUseTriggers(db);
  await withBulkSettings(db, () =>
    db.transaction(async (trx) => {
      const w = await BulkWriter.open(trx);
      await writeStatic(w, plan, passwordHash, stamp);
      log(`organisations, clients, schedules, contracts written (${elapsed(started)})`);
      await writeActivity(trx, w, plan, stamp, log, started);
      await w.close();
    }),
  );
  await afterBulkLoad(db);
  const counted = await refreshUse(db);
  log(`use tallies: ${counted} clients counted (${elapsed(started)})`);
  const counts = {} as RegionSummary["counts"];
  for (const table of REGION_TABLES) {
    const [row] = await db(table).count({ n: "*" });
    counts[table] = Number((row as { n: number | string }).n);
  }
  return { counts, seconds: (Date.now() - started) / 1000 };
}

/** Attendance month by month up to yesterday; after each past month, its declarations. */
async function writeActivity(trx: Knex.Transaction, w: BulkWriter, plan: RegionPlan, stamp: string, log: (line: string) => void, started: number): Promise<void> {
  const { dates, org } = plan;
  // The demo users act for their own organisations: recording, submitting, deciding.
  const orgOf = (email: string) => userOrganisation(plan, DEMO_USERS.find((u) => u.email === email)!.organisation);
  const recorders = new Map<number, number>();
  for (const email of ["aanbieder@dagdeel.demo", "dorp@dagdeel.demo"]) recorders.set(orgOf(email)!, USER_IDS[email]);
  const deciders = new Map<number, number>();
  for (const email of ["inkoper@dagdeel.demo", "zorgkantoor@dagdeel.demo"]) deciders.set(orgOf(email)!, USER_IDS[email]);
  const people = {
    previewPair: { providerId: orgOf("aanbieder@dagdeel.demo")!, purchaserId: orgOf("inkoper@dagdeel.demo")! },
    submitterOf: (providerId: number) => recorders.get(providerId) ?? null,
    deciderOf: (purchaserId: number) => deciders.get(purchaserId) ?? null,
  };
  const schedules = new Map<number, PlanSchedule[]>();
  for (const s of plan.schedules) schedules.set(s.location.id, [...(schedules.get(s.location.id) ?? []), s]);
  const recordedAt = new RecordedAt();
  const ledger: ExtraLedger = new Set();
  const recorderOf = (l: PlanLocation) => recorders.get(l.providerId) ?? COORDINATOR_ID;
  let declarationId = 1;
  let rows = 0;
  const spent = { generate: 0, attendance: 0, declarations: 0 };
  const timed = async <T>(part: keyof typeof spent, work: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await work();
    } finally {
      spent[part] += Date.now() - t;
    }
  };
  // A pipeline: while one month's rows and declarations go to the database (on SQLite in
  // its own thread), the next month's rows are drawn.
  let writing: Promise<void> = Promise.resolve();
  for (const month of [...dates.months, dates.today.slice(0, 7)]) {
    const attendance = await timed("generate", () =>
      monthAttendance({
        month, dates, providers: org.providers, locations: org.locations, closures: plan.closures, schedules, recorderOf, recordedAt, ledger,
        rng: new Rng(seedFrom(`dagdeel-region|${plan.options.seed}|attendance|${month}`)),
      }),
    );
    await writing;
    writing = (async () => {
      await timed("attendance", () => w.insert("attendance", ATTENDANCE_COLUMNS, attendance));
      rows += attendance.length;
      if (!dates.months.includes(month)) return;
      const rng = new Rng(seedFrom(`dagdeel-region|${plan.options.seed}|declarations|${month}`));
      const declarations = await timed("declarations", () => monthDeclarations(trx, plan.contracts, month, dates, people, declarationId, rng));
      declarationId += declarations.length;
      await timed("declarations", () => writeDeclarations(w, declarations, stamp));
      log(`${month}: ${attendance.length} attendance rows, ${declarations.length} declarations (${rows} rows so far, ${elapsed(started)})`);
    })();
    // Awaited above on the next round; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
  }
  await writing;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  log(`busy (overlapping): drawing attendance ${s(spent.generate)}, writing it ${s(spent.attendance)}, declarations ${s(spent.declarations)}`);
}

async function writeDeclarations(w: BulkWriter, declarations: PlanDeclaration[], stamp: string): Promise<void> {
  await w.insert(
    "declarations",
    ["id", "provider_id", "purchaser_id", "month", "status", "corrects_declaration_id", "total_cents", "submitted_at", "submitted_by", "decided_at", "decided_by", "rejection_reason", "created_at", "updated_at"],
    declarations.map((d) => [d.id, d.providerId, d.purchaserId, d.month, d.status, null, d.total_cents, d.submitted_at, d.submitted_by, d.decided_at, d.decided_by, d.rejection_reason, d.submitted_at ?? stamp, d.decided_at ?? d.submitted_at ?? stamp]),
  );
  await w.insert(
    "declaration_lines",
    ["declaration_id", "client_id", "allocation_id", "product_id", "contract_line_id", "period_from", "period_until", "units", "tariff_cents", "amount_cents", "debit_credit", "created_at", "updated_at"],
    declarations.flatMap((d) => d.lines.map((l) => [d.id, l.client_id, l.allocation_id, l.product_id, l.contract_line_id, l.period_from, l.period_until, l.units, l.tariff_cents, l.amount_cents, l.debit_credit, d.submitted_at ?? stamp, d.submitted_at ?? stamp])),
  );
}

function elapsed(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
