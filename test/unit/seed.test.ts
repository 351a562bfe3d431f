import { expect } from "chai";
import type { Knex } from "knex";
import { DEMO_USERS, isDatabaseEmpty, seedDemo, type SeedSummary } from "../../seeds/demo";
import { isValidBsn } from "../../src/domain/bsn";
import { placesOn, type CapacityRule } from "../../src/domain/capacity";
import { fixedClock } from "../../src/domain/clock";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { addDays, datesBetween, periodsOverlap, toDateTime } from "../../src/domain/dates";
import { expandSchedule, type SchedulePattern } from "../../src/domain/schedule";
import { expectNameKeysWritten } from "../support/name-keys";
import { isToewijzingNummer } from "../../src/domain/toewijzing-nummer";
import { Scope } from "../../src/auth/scope";
import { budgetSignals } from "../../src/contracts/budget-signals";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";
import { DEMO_TODAY, demoTemplateSummary } from "../support/templates";

// The demo data as every suite that reads it gets it: a copy of the demo template, which
// seedDemo wrote once for the run (test/support/templates.ts), with what seedDemo reported.
const TODAY = DEMO_TODAY;

type ScheduleRow = { id: number; client_id: number; location_id: number; funding: string; allocation_id: number | null; contract_id: number | null; valid_from: string; valid_until: string | null; week_parity: SchedulePattern["week_parity"] };

function withoutStamps<T extends Record<string, unknown>>(rows: T[]): Omit<T, "created_at" | "updated_at">[] {
  return rows.map(({ created_at: _c, updated_at: _u, ...rest }) => rest);
}

describe("demo seed", function () {
  this.timeout(60_000);
  let demo: OpenTestDatabase;
  let db: Knex;
  let summary: SeedSummary;
  let schedules: ScheduleRow[];
  let patterns: Map<number, SchedulePattern>;
  let rules: (CapacityRule & { id: number; location_id: number })[];

  before(async () => {
    demo = await openTestDatabase("sqlite", "demo");
    db = demo.db;
    summary = await demoTemplateSummary();
    schedules = await db("schedules").orderBy("id");
    const slots: { schedule_id: number; weekday: number; dagdeel: Dagdeel }[] = await db("schedule_slots");
    patterns = new Map(
      schedules.map((s) => [s.id, { ...s, slots: slots.filter((x) => x.schedule_id === s.id).map(({ weekday, dagdeel }) => ({ weekday, dagdeel })) }]),
    );
    rules = await db("capacity_rules");
  });

  after(async () => demo?.close());

  it("is no longer empty and reports what it wrote", async () => {
    expect(await isDatabaseEmpty(db)).to.equal(false);
    for (const [table, n] of Object.entries(summary)) {
      const [row] = await db(table).count({ n: "*" });
      expect(Number((row as { n: number | string }).n), table).to.equal(n);
    }
  });

  it("writes every named row's search and sort keys as the repositories do", async () => {
    await expectNameKeysWritten(db);
  });

  it("has Peel en Maas: two purchasers, thirteen providers, eleven villages", async () => {
    const orgs: { kind: string; subkind: string; name: string; agb_code: string | null; kvk_number: string | null; gemeentecode: string | null }[] =
      await db("organisations");
    const purchasers = orgs.filter((o) => o.kind === "purchaser");
    expect(purchasers.map((p) => p.subkind).sort()).to.deep.equal(["gemeente", "zorgkantoor"]);
    expect(purchasers.find((p) => p.subkind === "gemeente")!.gemeentecode).to.equal("1894");
    const providers = orgs.filter((o) => o.kind === "provider");
    expect(providers).to.have.length(13);
    expect(providers.filter((p) => p.subkind === "dorpsdagvoorziening")).to.have.length(6);
    expect(providers.filter((p) => p.subkind === "zorgboerderij")).to.have.length(7);
    expect(providers.map((p) => p.name)).to.include.members(["Zorgboerderij De Peelhoeve", "Dorpsdagvoorziening Helden"]);
    for (const p of providers) {
      expect(p.agb_code).to.match(/^98\d{6}$/);
      expect(p.kvk_number).to.match(/^[1-9]\d{7}$/);
    }
    expect(new Set(providers.map((p) => p.agb_code)).size).to.equal(13);
    const villages: { name: string; gemeentecode: string; province: string }[] = await db("villages");
    expect(villages).to.have.length(11);
    expect(villages.every((v) => v.gemeentecode === "1894" && v.province === "LI")).to.equal(true);
  });

  it("has the six demo users with their organisations", async () => {
    const users: { email: string; role: string; organisation_id: number | null; password_hash: string; active: unknown; locale: string }[] =
      await db("users").orderBy("id");
    expect(users).to.have.length(6);
    for (const spec of DEMO_USERS) {
      const u = users.find((x) => x.email === spec.email)!;
      expect(u.role).to.equal(spec.role);
      expect(u.locale).to.equal("nl");
      expect(Boolean(u.active)).to.equal(true);
      expect(u.password_hash).to.match(/^scrypt\$/);
      if (spec.organisation === null) expect(u.organisation_id).to.equal(null);
      else expect((await db("organisations").where("id", u.organisation_id).first("name")).name).to.equal(spec.organisation);
    }
  });

  it("gives about 150 clients, three in four a valid test BSN, aged 45 to 92", async () => {
    const clients: { bsn: string | null; birth_date: string }[] = await db("clients");
    expect(clients.length).to.be.within(140, 160);
    const bsns = clients.map((c) => c.bsn).filter((b): b is string => b !== null);
    for (const bsn of bsns) {
      expect(bsn.startsWith("9999"), bsn).to.equal(true);
      expect(isValidBsn(bsn), bsn).to.equal(true);
    }
    expect(new Set(bsns).size).to.equal(bsns.length);
    expect(bsns.length / clients.length).to.be.within(0.65, 0.85);
    const today = toDateTime(TODAY);
    for (const c of clients) expect(Math.floor(today.diff(toDateTime(c.birth_date), "years").years)).to.be.within(45, 92);
  });

  it("never plans more clients than places in the next two weeks, nor on closed dagdelen", () => {
    const count = new Map<string, number>();
    for (const s of schedules) {
      for (const o of expandSchedule(patterns.get(s.id)!, TODAY, addDays(TODAY, 13))) {
        const k = `${s.location_id}|${o.date}|${o.dagdeel}`;
        count.set(k, (count.get(k) ?? 0) + 1);
      }
    }
    expect(count.size).to.be.greaterThan(50);
    let full = 0;
    for (const [k, n] of count) {
      const [location, date, dagdeel] = k.split("|");
      const places = placesOn(rules.filter((r) => r.location_id === Number(location)), date, dagdeel as Dagdeel);
      expect(n, k).to.be.at.most(places);
      if (n === places) full++;
    }
    expect(full).to.be.greaterThan(0);
  });

  it("books no client twice on a dagdeel and stays within allocations", async () => {
    const seen = new Set<string>();
    for (const s of schedules) {
      for (const o of expandSchedule(patterns.get(s.id)!, addDays(TODAY, -90), addDays(TODAY, 90))) {
        const k = `${s.client_id}|${o.date}|${o.dagdeel}`;
        expect(seen.has(k), k).to.equal(false);
        seen.add(k);
      }
    }
    const allocations: { id: number; volume: number; frequency: string; valid_from: string; valid_until: string | null; purchaser_id: number; provider_id: number }[] =
      await db("allocations");
    const contracts: { id: number; purchaser_id: number; provider_id: number; kind: string; status: string }[] = await db("contracts");
    const locations: { id: number; provider_id: number }[] = await db("locations");
    for (const s of schedules.filter((x) => x.funding === "toewijzing")) {
      const a = allocations.find((x) => x.id === s.allocation_id)!;
      expect(a.frequency).to.equal("week");
      expect(patterns.get(s.id)!.slots.length).to.be.at.most(a.volume);
      expect(s.valid_from >= a.valid_from).to.equal(true);
      if (a.valid_until !== null) expect(s.valid_until !== null && s.valid_until <= a.valid_until).to.equal(true);
      const c = contracts.find((x) => x.id === s.contract_id)!;
      const provider = locations.find((l) => l.id === s.location_id)!.provider_id;
      expect([c.purchaser_id, c.provider_id, c.status]).to.deep.equal([a.purchaser_id, provider, "actief"]);
    }
    const unplanned = allocations.filter((a) => a.frequency === "week" && !schedules.some((s) => s.allocation_id === a.id));
    expect(unplanned.length).to.be.greaterThan(3); // the unplanned allocations, plus transport
    const endingSoon = allocations.filter((a) => a.valid_until !== null && a.valid_until >= TODAY && a.valid_until <= addDays(TODAY, 28));
    expect(endingSoon.length).to.be.within(3, 5);
  });

  it("numbers the gemeente's allocations as iWmo ToewijzingNummers, unique, and keeps the zorgkantoor's own style", async () => {
    const rows: { reference: string; subkind: string }[] = await db("allocations as a").join("organisations as o", "o.id", "a.purchaser_id").select("a.reference", "o.subkind");
    const gemeente = rows.filter((r) => r.subkind === "gemeente").map((r) => r.reference);
    expect(gemeente.length).to.be.greaterThan(20);
    for (const reference of gemeente) expect(isToewijzingNummer(reference), reference).to.equal(true);
    expect(new Set(gemeente).size).to.equal(gemeente.length);
    expect(rows.filter((r) => r.subkind === "zorgkantoor").every((r) => r.reference.startsWith("VGZ-"))).to.equal(true);
  });

  it("has capacity rules that never overlap, and one location whose capacity changed", () => {
    let changed = 0;
    for (const a of rules) {
      for (const b of rules) {
        if (a.id === b.id || a.location_id !== b.location_id || a.weekday !== b.weekday || a.dagdeel !== b.dagdeel) continue;
        expect(periodsOverlap(a.valid_from, a.valid_until, b.valid_from, b.valid_until), `rules ${a.id} ${b.id}`).to.equal(false);
        if (a.valid_until !== null && addDays(a.valid_until, 1) === b.valid_from && b.places > a.places) changed++;
      }
    }
    expect(changed).to.be.greaterThan(0);
  });

  it("has contract lines that never overlap, and one tariff index", async () => {
    const lines: { id: number; contract_id: number; product_id: number; valid_from: string; valid_until: string }[] = await db("contract_lines");
    let indexed = 0;
    for (const a of lines) {
      for (const b of lines) {
        if (a.id === b.id || a.contract_id !== b.contract_id || a.product_id !== b.product_id) continue;
        expect(periodsOverlap(a.valid_from, a.valid_until, b.valid_from, b.valid_until)).to.equal(false);
        indexed++;
      }
    }
    expect(indexed).to.equal(2);
  });

  it("records attendance once per client and dagdeel, before today, within capacity", async () => {
    const rows: { client_id: number; location_id: number; date: string; dagdeel: Dagdeel; status: string; recorded_at: string }[] =
      await db("attendance");
    expect(rows.length).to.be.greaterThan(1000);
    const keys = new Set(rows.map((r) => `${r.client_id}|${r.date}|${r.dagdeel}`));
    expect(keys.size).to.equal(rows.length);
    expect(rows.every((r) => r.date < TODAY && r.date >= addDays(TODAY, -120))).to.equal(true);
    expect(rows.every((r) => r.recorded_at.startsWith(r.date) && r.recorded_at.endsWith("Z"))).to.equal(true);
    const perCell = new Map<string, number>();
    for (const r of rows) perCell.set(`${r.location_id}|${r.date}|${r.dagdeel}`, (perCell.get(`${r.location_id}|${r.date}|${r.dagdeel}`) ?? 0) + 1);
    for (const [k, n] of perCell) {
      const [location, date, dagdeel] = k.split("|");
      expect(n, k).to.be.at.most(placesOn(rules.filter((r) => r.location_id === Number(location)), date, dagdeel as Dagdeel));
    }
    const present = rows.filter((r) => r.status === "aanwezig").length / rows.length;
    expect(present).to.be.within(0.8, 0.95);
    expect(rows.some((r) => r.status === "extra")).to.equal(true);
  });

  it("leaves no attendance on the dates of the last eight weeks no schedule asked for, except extras", async () => {
    const rows: { client_id: number; location_id: number; date: string; dagdeel: Dagdeel; status: string }[] = await db("attendance").whereNot("status", "extra");
    const planned = new Set<string>();
    for (const s of schedules) {
      for (const o of expandSchedule(patterns.get(s.id)!, addDays(TODAY, -120), addDays(TODAY, -1))) planned.add(`${s.client_id}|${s.location_id}|${o.date}|${o.dagdeel}`);
    }
    for (const r of rows) expect(planned.has(`${r.client_id}|${r.location_id}|${r.date}|${r.dagdeel}`)).to.equal(true);
    const eightWeeks = datesBetween(addDays(TODAY, -56), addDays(TODAY, -1));
    expect(new Set(rows.map((r) => r.date)).size).to.be.at.least(eightWeeks.filter((d) => toDateTime(d).weekday <= 5).length);
  });

  it("declares units × the contract tariff, each prestatie within its month and toewijzing, and the totals add up", async () => {
    const declarations: { id: number; status: string; total_cents: number | string; awarded_cents: number | string | null; month: string; period: string }[] = await db("declarations");
    expect(declarations.map((d) => d.status)).to.include.members(["geaccepteerd", "ingediend"]);
    for (const d of declarations) {
      expect(d.period).to.equal(d.month);
      const lines: { units: number; tariff_cents: number; amount_cents: number | string; contract_line_id: number; allocation_id: number; period_from: string; period_until: string; decision: string | null }[] =
        await db("declaration_lines").where("declaration_id", d.id);
      expect(lines.length).to.be.greaterThan(0);
      let total = 0;
      let awarded = 0;
      for (const l of lines) {
        expect(Number(l.amount_cents)).to.equal(l.units * l.tariff_cents);
        const line = await db("contract_lines").where("id", l.contract_line_id).first();
        expect(line.tariff_cents).to.equal(l.tariff_cents);
        const allocation = await db("allocations").where("id", l.allocation_id).first();
        // From the 1st, or the toewijzing's start; to the last day, or its end (TR387/388).
        expect([`${d.month}-01`, allocation.valid_from]).to.include(l.period_from);
        expect(l.period_until.slice(0, 7)).to.equal(d.month);
        expect(l.decision).to.equal(d.status === "geaccepteerd" ? l.decision ?? "missing" : null);
        total += Number(l.amount_cents);
        if (l.decision === "toegekend") awarded += Number(l.amount_cents);
      }
      expect(Number(d.total_cents)).to.equal(total);
      if (d.status === "geaccepteerd") expect(Number(d.awarded_cents)).to.equal(awarded);
    }
  });

  it("has the WMO305/307 the data makes due: old ones sent, a start for every attended gemeente allocation, recent stops open", async () => {
    const messages: { kind: string; status: string; allocation_id: number; start_date: string; end_date: string | null; due_on: string; deadline: string; sent_at: string | null }[] = await db("iwmo_messages");
    const started = new Set(messages.filter((m) => m.kind === "start").map((m) => m.allocation_id));
    const attended: { id: number }[] = await db("allocations as a")
      .join("organisations as pu", "pu.id", "a.purchaser_id")
      .join("products as p", "p.id", "a.product_id")
      .where("pu.subkind", "gemeente")
      .where("p.unit", "dagdeel")
      .whereExists(db("schedules as s").join("attendance as t", (j) => j.on("t.client_id", "=", "s.client_id").andOn("t.location_id", "=", "s.location_id")).whereRaw("s.allocation_id = a.id").where("t.status", "aanwezig").select("t.id"))
      .select("a.id");
    expect(attended.length).to.be.greaterThan(20);
    for (const a of attended) expect(started.has(a.id), `allocation ${a.id}`).to.equal(true);
    for (const m of messages) {
      if (m.status === "verzonden") expect(m.due_on < "2026-10-01" && m.sent_at !== null).to.equal(true);
      else expect(m.due_on >= "2026-10-01").to.equal(true);
      if (m.end_date) expect(m.end_date >= m.start_date).to.equal(true);
    }
    // What the coordinator's home page shows: stops in October nobody reported.
    expect(messages.filter((m) => m.status === "open" && m.deadline < TODAY).length).to.be.greaterThan(0);
  });

  it("gives the gemeente contracts at the 70 % consultation moment, the 80 % warning and the ceiling (bestedingsruimte)", async () => {
    const gemeente = (await db("organisations").where({ subkind: "gemeente" }).first()).id;
    const signals = await budgetSignals(db, new Scope(db, { userId: 0, name: "inkoper", role: "purchaser", organisationId: gemeente }), TODAY);
    expect(signals.map((x) => x.level).sort()).to.deep.equal(["consult", "near", "over"]);
    expect(signals.find((x) => x.level === "over")!.ceilingOn).to.match(/^2026-1[12]-\d\d$/);
  });

  it("answers the accepted months per prestatie: exactly one refused, with a retourcode and a note", async () => {
    const refused = await db("declaration_lines").where("decision", "afgewezen");
    expect(refused).to.have.length(1);
    expect(refused[0].retourcodes).to.equal("9321");
    expect(refused[0].decision_note).to.be.a("string");
  });

  it("gives the same rows for the same today", async () => {
    const again = await openTestDatabase("sqlite", "migrated");
    const other = again.db;
    try {
      expect(await isDatabaseEmpty(other)).to.equal(true);
      await seedDemo(other, { today: TODAY, clock: fixedClock(`${TODAY}T09:30:00`) });
      for (const table of ["clients", "attendance", "schedules", "allocations", "iwmo_messages"]) {
        const a = withoutStamps(await db(table).orderBy("id"));
        const b = withoutStamps(await other(table).orderBy("id"));
        expect(b, table).to.deep.equal(a);
      }
    } finally {
      await again.close();
    }
  });
});
