import { expect } from "chai";
import { expandSchedule, type SchedulePattern } from "../../src/domain/schedule";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { withNameKeys } from "../../src/db/name-keys";

// Issue 15.1: subsidie dagdelen are attributed by date, like inkoop ones. A village facility's
// subsidy is signed per calendar year; a schedule names one of them (often next year's, once it
// is signed), yet every dagdeel counts under the subsidy of the same gemeente and provider that
// runs on its date — across New Year, both ways.

const AT = "2026-11-01T08:00:00.000Z";

describe("HTTP: subsidie use attributed by date, across New Year", () => {
  let ctx: TestContext;
  let gemeente: Agent;
  const ids = { sub2026: 0, sub2027: 0 };
  // Sien comes on Tuesday mornings under next year's subsidy (booked in October, when it was signed);
  // Toon on Thursday afternoons under this year's, from September to the end of February.
  const sien: SchedulePattern = { valid_from: "2026-10-01", valid_until: null, week_parity: "elke", slots: [{ weekday: 2, dagdeel: "ochtend" }] };
  const toon: SchedulePattern = { valid_from: "2026-09-01", valid_until: "2027-02-28", week_parity: "elke", slots: [{ weekday: 4, dagdeel: "middag" }] };

  const insert = async (table: string, row: Record<string, unknown>) => {
    const [r] = await ctx.db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
    return typeof r === "object" ? r.id : r;
  };

  before(async () => {
    ctx = await startTestApp(); // today: Monday 2026-11-23
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    const w = ctx.world;
    const product = await insert("products", { code: "SUB-DB", name: "Dagbesteding (subsidie)", unit: "dagdeel", active: true });
    const subsidy = (reference: string, from: string, until: string) =>
      insert("contracts", { purchaser_id: w.gemeente, provider_id: w.providerB, reference, kind: "subsidie", valid_from: from, valid_until: until, status: "actief", subsidy_amount_cents: 4_000_000, subsidy_target_dagdelen: 400 });
    ids.sub2026 = await subsidy("PM-2026-SUB-B", "2026-01-01", "2026-12-31");
    ids.sub2027 = await subsidy("PM-2027-SUB-B", "2027-01-01", "2027-12-31");
    for (const [first, pattern, contract] of [["Sien", sien, ids.sub2027], ["Toon", toon, ids.sub2026]] as const) {
      const client = await insert("clients", { first_name: first, last_name: "Subsidie", village_id: w.village });
      const schedule = await insert("schedules", { client_id: client, location_id: w.locationB, funding: "subsidie", contract_id: contract, product_id: product, valid_from: pattern.valid_from, valid_until: pattern.valid_until, week_parity: "elke" });
      for (const s of pattern.slots) await insert("schedule_slots", { schedule_id: schedule, weekday: s.weekday, dagdeel: s.dagdeel });
      // Everybody came, up to last Friday.
      for (const o of expandSchedule(pattern, "2026-09-01", "2026-11-20")) await insert("attendance", { client_id: client, location_id: w.locationB, date: o.date, dagdeel: o.dagdeel, status: "aanwezig", recorded_at: AT });
    }
  });
  after(async () => ctx.close());

  /** The three figures of a subsidy's use page: realised, planned and forecast dagdelen. */
  async function figures(id: number): Promise<number[]> {
    const res = await gemeente.get(`/contracten/${id}`);
    expect(res.status).to.equal(200);
    return [...res.text.matchAll(/<span class="figure">(\d+)<\/span> dagdelen (gerealiseerd|gepland|prognose)/g)].map((m) => Number(m[1]));
  }

  it("counts this year's dagdelen under this year's subsidy, whichever year the schedule names", async () => {
    const realised = expandSchedule(sien, "2026-01-01", "2026-11-20").length + expandSchedule(toon, "2026-01-01", "2026-11-20").length;
    const planned = expandSchedule(sien, "2026-11-24", "2026-12-31").length + expandSchedule(toon, "2026-11-24", "2026-12-31").length;
    expect(realised).to.be.greaterThan(0);
    expect(await figures(ids.sub2026)).to.deep.equal([realised, planned, realised + planned]);
  });

  it("counts next year's dagdelen under next year's subsidy, also for a schedule naming this year's", async () => {
    const planned = expandSchedule(sien, "2027-01-01", "2027-12-31").length + expandSchedule(toon, "2027-01-01", "2027-12-31").length;
    expect(expandSchedule(toon, "2027-01-01", "2027-12-31").length).to.be.greaterThan(0);
    expect(await figures(ids.sub2027)).to.deep.equal([0, planned, planned]);
  });

  it("puts the dagdelen of December and January each in their own contract's months", async () => {
    const text2026 = (await gemeente.get(`/contracten/${ids.sub2026}`)).text;
    const text2027 = (await gemeente.get(`/contracten/${ids.sub2027}`)).text;
    expect(text2026).to.contain("dec 2026").and.to.not.contain("jan 2027");
    expect(text2027).to.contain("jan 2027").and.to.not.contain("dec 2026");
  });
});
