import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Knex } from "knex";
import { DEMO_PASSWORD, DEMO_USERS } from "../../seeds/demo";
import { isEmptyForRegion, parseRegionOptions, planRegion, regionDates, REGION_TABLES, seedRegion, type RegionSummary } from "../../seeds/region";
import { Scope } from "../../src/auth/scope";
import { verifyPassword } from "../../src/auth/password";
import { listContracts } from "../../src/contracts/repository";
import { useOfContracts } from "../../src/contracts/use";
import { useOfContractsReference } from "../../src/contracts/use-reference";
import { computeMonth } from "../../src/declarations/compute";
import { createDb } from "../../src/db/knex";
import { productFitsPurchaser, periodWithin } from "../../src/domain/allocation";
import { volumeWindows } from "../../src/domain/booking-rules";
import { isValidBsn } from "../../src/domain/bsn";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { addDays } from "../../src/domain/dates";
import type { OccupancyCell } from "../../src/domain/occupancy";
import { sameLines, type DraftLine } from "../../src/domain/pricing";
import { expandSchedule, groupSlots, type SchedulePattern } from "../../src/domain/schedule";
import { occupancy } from "../../src/occupancy/service";
import { countsOf, problems } from "../../src/planning/problems-service";
import { expectNameKeysWritten } from "../support/name-keys";

// A tiny region (scale 0.01: four providers, a few hundred clients, two years of attendance)
// checked against the app's own rules: its occupancy, its problem lists, its declaration
// computation. The full region obeys the same code; its size is the bench's business.

const TODAY = "2026-12-06";
const OPTIONS = { seed: 7, scale: 0.01, today: TODAY };
const HORIZON = addDays(TODAY, 26 * 7 - 1);

type Schedule = SchedulePattern & { id: number; client_id: number; location_id: number; funding: string; allocation_id: number | null; contract_id: number | null; product_id: number | null };
type Attendance = { client_id: number; location_id: number; date: string; dagdeel: Dagdeel; status: string };

async function build(dir: string, name: string, options = OPTIONS): Promise<{ db: Knex; summary: RegionSummary }> {
  const db = createDb(`sqlite:${path.join(dir, name)}`);
  await db.migrate.latest();
  return { db, summary: await seedRegion(db, options) };
}

/** A digest of every row of every table the region fills, in id order (password hashes have a random salt). */
async function digest(db: Knex): Promise<string> {
  const hash = createHash("sha256");
  for (const table of REGION_TABLES) {
    const rows: Record<string, unknown>[] = await db(table).orderBy("id");
    hash.update(JSON.stringify(rows.map(({ password_hash: _salted, ...rest }) => rest)));
  }
  return hash.digest("hex");
}

describe("region seed (tiny region)", function () {
  this.timeout(120_000);
  let dir: string;
  let db: Knex;
  let again: Knex;
  let summary: RegionSummary;
  let schedules: Schedule[];
  let attendance: Attendance[];
  let cells: Map<string, OccupancyCell>;
  const dates = regionDates(TODAY);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-region-"));
    // The second build of the same seed (for the determinism check) runs alongside the first.
    const [first, second] = await Promise.all([build(dir, "region.sqlite"), build(dir, "again.sqlite")]);
    ({ db, summary } = first);
    again = second.db;
    schedules = groupSlots(
      await db("schedules as s").leftJoin("schedule_slots as ss", "ss.schedule_id", "s.id").select("s.*", "ss.weekday", "ss.dagdeel").orderBy("s.id"),
    ) as Schedule[];
    attendance = await db("attendance").select("client_id", "location_id", "date", "dagdeel", "status");
    const locationIds = (await db("locations").select("id")).map((l: { id: number }) => l.id);
    cells = new Map((await occupancy(db, locationIds, dates.windowStart, HORIZON)).map((c) => [`${c.location_id}|${c.date}|${c.dagdeel}`, c]));
  });

  after(async () => {
    await db?.destroy();
    await again?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fills every table and reports what it wrote", async () => {
    for (const table of REGION_TABLES) {
      const [row] = await db(table).count({ n: "*" });
      expect(Number((row as { n: number | string }).n), table).to.equal(summary.counts[table]).and.to.be.greaterThan(0);
    }
    expect(await isEmptyForRegion(db)).to.equal(false);
    try {
      await seedRegion(db, OPTIONS);
      expect.fail("a second build into a filled database must be refused");
    } catch (err) {
      expect((err as Error).message).to.match(/not empty/);
    }
  });

  it("writes every named row's search and sort keys as the repositories do", async () => {
    await expectNameKeysWritten(db);
  });

  it("has gemeenten with their villages, the zorgkantoor, both kinds of provider and the six demo users", async () => {
    const orgs: { id: number; kind: string; subkind: string; name: string; gemeentecode: string | null }[] = await db("organisations");
    const gemeenten = orgs.filter((o) => o.subkind === "gemeente");
    expect(gemeenten.length).to.be.at.least(2);
    expect(orgs.filter((o) => o.subkind === "zorgkantoor")).to.have.length(1);
    expect(orgs.some((o) => o.subkind === "dorpsdagvoorziening")).to.equal(true);
    expect(orgs.some((o) => o.subkind === "zorgboerderij")).to.equal(true);
    const villages: { gemeentecode: string }[] = await db("villages");
    for (const g of gemeenten) expect(villages.some((v) => v.gemeentecode === g.gemeentecode), g.name).to.equal(true);
    const users: { email: string; organisation_id: number | null; password_hash: string }[] = await db("users");
    expect(users.map((u) => u.email).sort()).to.deep.equal(DEMO_USERS.map((u) => u.email).sort());
    for (const spec of DEMO_USERS) {
      const u = users.find((x) => x.email === spec.email)!;
      expect(u.organisation_id === null ? null : orgs.find((o) => o.id === u.organisation_id)!.name).to.equal(spec.organisation);
    }
    expect(await verifyPassword(DEMO_PASSWORD, users[0].password_hash)).to.equal(true);
  });

  it("never plans or admits more clients than places, and nobody where the location has no places", () => {
    let checked = 0;
    for (const c of cells.values()) {
      if (c.closed) continue;
      expect(c.booked, `${c.location_id} ${c.date} ${c.dagdeel}`).to.be.at.most(c.places);
      checked++;
    }
    expect(checked).to.be.greaterThan(1000);
    expect([...cells.values()].some((c) => c.booked === c.places && c.places > 0), "some dagdelen are full").to.equal(true);
  });

  it("books no client twice in one dagdeel, at any location", () => {
    const seen = new Set<string>();
    const twice: string[] = [];
    for (const s of schedules) {
      for (const o of expandSchedule(s, addDays(dates.windowStart, -3 * 366), HORIZON)) {
        const key = `${s.client_id}|${o.date}|${o.dagdeel}`;
        if (seen.has(key)) twice.push(key);
        seen.add(key);
      }
    }
    expect(seen.size).to.be.greaterThan(10_000);
    expect(twice).to.deep.equal([]);
  });

  it("records attendance only on open dagdelen: every planned one up to yesterday, extras only unplanned", () => {
    const recorded = new Set<string>();
    const wrong: string[] = [];
    for (const a of attendance) {
      const what = `client ${a.client_id} at ${a.location_id} on ${a.date} ${a.dagdeel} (${a.status})`;
      const cell = cells.get(`${a.location_id}|${a.date}|${a.dagdeel}`);
      if (!cell || cell.closed || cell.places === 0 || a.date >= TODAY || a.date < dates.windowStart) wrong.push(`${what}: not an open dagdeel`);
      else if (a.status === "extra" ? !cell.extraClientIds.includes(a.client_id) : !cell.scheduledClientIds.includes(a.client_id)) wrong.push(`${what}: not planned`);
      recorded.add(`${a.client_id}|${a.location_id}|${a.date}|${a.dagdeel}`);
    }
    for (const c of cells.values()) {
      if (c.date >= TODAY) continue;
      for (const id of c.scheduledClientIds) if (!recorded.has(`${id}|${c.location_id}|${c.date}|${c.dagdeel}`)) wrong.push(`client ${id} planned on ${c.date} ${c.dagdeel}: no row`);
    }
    expect(wrong.slice(0, 10)).to.deep.equal([]);
    const share = (status: string) => attendance.filter((a) => a.status === status).length / attendance.length;
    expect(share("aanwezig")).to.be.within(0.8, 0.92);
    for (const status of ["afgemeld", "ziek", "niet_verschenen", "extra"]) expect(share(status), status).to.be.greaterThan(0);
  });

  it("gives BSNs only from the test range, valid and unique, and an allocation only to a client with one", async () => {
    const clients: { id: number; bsn: string | null; village_id: number }[] = await db("clients");
    const bsns = clients.map((c) => c.bsn).filter((b): b is string => b !== null);
    expect(bsns.length).to.be.greaterThan(0);
    for (const bsn of bsns) expect(bsn.startsWith("9999") && isValidBsn(bsn), bsn).to.equal(true);
    expect(new Set(bsns).size).to.equal(bsns.length);
    expect(clients.some((c) => c.bsn === null)).to.equal(true);
    const allocations: { client_id: number; purchaser_id: number; product_id: number }[] = await db("allocations");
    const orgs = new Map((await db("organisations").select("id", "subkind", "gemeentecode")).map((o: { id: number; subkind: string; gemeentecode: string | null }) => [o.id, o]));
    const products = new Map((await db("products")).map((p: { id: number; iwmo_category: string | null; wlz_code: string | null }) => [p.id, p]));
    const villages = new Map((await db("villages")).map((v: { id: number; gemeentecode: string }) => [v.id, v.gemeentecode]));
    for (const a of allocations) {
      const client = clients.find((c) => c.id === a.client_id)!;
      const purchaser = orgs.get(a.purchaser_id)!;
      expect(client.bsn, `client ${client.id}`).to.not.equal(null);
      expect(productFitsPurchaser(purchaser.subkind, products.get(a.product_id)!)).to.equal(true);
      // A gemeente buys for the people who live in it.
      if (purchaser.subkind === "gemeente") expect(villages.get(client.village_id)).to.equal(purchaser.gemeentecode);
    }
  });

  it("keeps every schedule within its allocation's period and volume, extras included", async () => {
    const allocations = new Map(
      (await db("allocations")).map((a: { id: number; volume: number; frequency: "week"; valid_from: string; valid_until: string | null }) => [a.id, a]),
    );
    const closures = await db("closures");
    const locations = new Map((await db("locations")).map((l: { id: number; provider_id: number }) => [l.id, l.provider_id]));
    const byAllocation = new Map<number, string[]>();
    for (const s of schedules.filter((x) => x.funding === "toewijzing")) {
      const a = allocations.get(s.allocation_id!)!;
      expect(periodWithin(s, a), `schedule ${s.id}`).to.equal(true);
      const own = closures.filter((c: { provider_id: number }) => c.provider_id === locations.get(s.location_id));
      const closed = (date: string, dagdeel: Dagdeel) =>
        own.some((c: { location_id: number | null; starts_on: string; ends_on: string; dagdeel: string | null }) => (c.location_id === null || c.location_id === s.location_id) && c.starts_on <= date && date <= c.ends_on && (c.dagdeel === null || c.dagdeel === dagdeel));
      const planned = expandSchedule(s, dates.windowStart, HORIZON, closed).map((o) => o.date);
      byAllocation.set(a.id, [...(byAllocation.get(a.id) ?? []), ...planned]);
    }
    for (const a of attendance.filter((x) => x.status === "extra")) {
      const s = schedules.find((x) => x.client_id === a.client_id && x.location_id === a.location_id && x.valid_from <= a.date && (x.valid_until === null || a.date <= x.valid_until));
      if (s?.allocation_id) byAllocation.get(s.allocation_id)!.push(a.date);
    }
    let windows = 0;
    for (const [id, planned] of byAllocation) {
      for (const w of volumeWindows(allocations.get(id)!, planned)) {
        expect(w.over, `allocation ${id} week of ${w.from}: ${w.used}`).to.equal(false);
        windows++;
      }
    }
    expect(windows).to.be.greaterThan(100);
  });

  it("has a signed contract covering every planned dagdeel of every schedule, naming the one of its first day", async () => {
    const contracts: { id: number; kind: string; status: string; provider_id: number; purchaser_id: number; valid_from: string; valid_until: string }[] = await db("contracts");
    const lines: { contract_id: number; product_id: number; valid_from: string; valid_until: string }[] = await db("contract_lines");
    const allocations = new Map((await db("allocations")).map((a: { id: number; purchaser_id: number }) => [a.id, a]));
    const locations = new Map((await db("locations")).map((l: { id: number; provider_id: number }) => [l.id, l.provider_id]));
    const covered = (providerId: number, purchaserId: number, kind: string, productId: number, date: string) =>
      contracts.some(
        (c) => c.kind === kind && c.status !== "concept" && c.provider_id === providerId && c.purchaser_id === purchaserId && c.valid_from <= date && date <= c.valid_until &&
          lines.some((l) => l.contract_id === c.id && l.product_id === productId && l.valid_from <= date && date <= l.valid_until),
      );
    for (const s of schedules.filter((x) => x.funding === "toewijzing" || x.funding === "subsidie")) {
      const provider = locations.get(s.location_id)!;
      const named = contracts.find((c) => c.id === s.contract_id)!;
      const purchaser = s.funding === "toewijzing" ? allocations.get(s.allocation_id!)!.purchaser_id : named.purchaser_id;
      const kind = s.funding === "toewijzing" ? "inkoop" : "subsidie";
      expect([named.kind, named.provider_id, named.purchaser_id]).to.deep.equal([kind, provider, purchaser]);
      expect(named.valid_from <= s.valid_from && s.valid_from <= named.valid_until, `schedule ${s.id}`).to.equal(true);
      const from = s.valid_from > dates.windowStart ? s.valid_from : dates.windowStart;
      for (const o of expandSchedule(s, from, HORIZON < `${dates.year}-12-31` ? HORIZON : `${dates.year}-12-31`)) {
        expect(covered(provider, purchaser, kind, s.product_id!, o.date), `schedule ${s.id} on ${o.date}`).to.equal(true);
      }
    }
  });

  it("shows nothing on the app's problem lists that a booking would have been refused for", async () => {
    const scope = new Scope(db, { userId: 1, name: "coordinator", role: "coordinator", organisationId: null });
    const counts = countsOf(await problems(db, scope, TODAY));
    expect(counts["boven-toewijzing"], "over the allocation").to.equal(0);
    expect(counts["toewijzing-loopt-af"], "running past an ending allocation").to.equal(0);
    expect(counts["zonder-contract"], "without a contract").to.equal(0);
  });

  it("declares every past month exactly as the app's declaration computation does", async () => {
    const declarations: { id: number; provider_id: number; purchaser_id: number; month: string; status: string; total_cents: number | string }[] = await db("declarations").orderBy("id");
    expect(new Set(declarations.map((d) => d.month))).to.deep.equal(new Set(dates.months));
    for (const d of declarations) {
      const stored: DraftLine[] = (await db("declaration_lines").where("declaration_id", d.id)).map((l: DraftLine) => ({ ...l, amount_cents: Number(l.amount_cents) }));
      const computed = await computeMonth(db, d.provider_id, d.purchaser_id, d.month);
      expect(sameLines(computed.lines, stored), `declaration ${d.id} (${d.month})`).to.equal(true);
      expect(computed.unpriced).to.deep.equal([]);
      expect(Number(d.total_cents)).to.equal(stored.reduce((sum, l) => sum + l.amount_cents, 0));
      const last = d.month === dates.months[dates.months.length - 1];
      expect(last ? ["ingediend", "concept", "afgewezen"] : ["geaccepteerd"], d.month).to.include(d.status);
    }
    const [pair] = await db("declarations as d")
      .join("organisations as p", "p.id", "d.provider_id")
      .join("organisations as g", "g.id", "d.purchaser_id")
      .where({ "p.name": "Zorgboerderij De Peelhoeve", "g.name": "Gemeente Peel en Maas", "d.month": dates.months[dates.months.length - 1] })
      .select("d.status");
    expect(pair?.status, "the demo provider's last month waits as a concept").to.equal("concept");
  });

  it("counts every client's use at the end, as the reference counts it from the rows", async () => {
    expect(await db("use_dirty").count({ n: "*" })).to.deep.equal([{ n: 0 }]);
    const scope = new Scope(db, { userId: 1, name: "coordinator", role: "coordinator", organisationId: null });
    const contracts = await listContracts(db, scope);
    const [fast, reference] = [await useOfContracts(db, contracts, TODAY), await useOfContractsReference(db, contracts, TODAY)];
    expect(contracts.some((c) => fast.get(c.id)!.use.realised.units > 0 && c.kind === "subsidie")).to.equal(true);
    for (const c of contracts) expect(fast.get(c.id)!.use, c.reference).to.deep.equal(reference.get(c.id)!.use);
  });

  it("builds the same region for the same seed and another for another seed", async () => {
    expect(await digest(again)).to.equal(await digest(db));
    const [a, b] = [planRegion(OPTIONS), planRegion({ ...OPTIONS, seed: 8 })];
    expect(b.clients.map((c) => c.bsn)).to.not.deep.equal(a.clients.map((c) => c.bsn));
  });

  it("reads its options from the command line and the environment", () => {
    expect(parseRegionOptions(["--seed", "3", "--scale=0.5"], { SEED_TODAY: "2026-01-02" }, TODAY)).to.deep.equal({ seed: 3, scale: 0.5, today: "2026-01-02" });
    expect(parseRegionOptions([], { REGION_SEED: "4", REGION_SCALE: "0.1" }, TODAY)).to.deep.equal({ seed: 4, scale: 0.1, today: TODAY });
    expect(() => parseRegionOptions(["--scale", "0"], {}, TODAY)).to.throw(RangeError);
    expect(() => parseRegionOptions(["--today", "2026-02-30"], {}, TODAY)).to.throw(RangeError);
  });
});
