import { expect } from "chai";
import { csrfToken, loginAs, type Agent } from "../support/app";
import { buildAttendanceWorld, type AttendanceWorld } from "../support/attendance-fixtures";
import { atTheSameMoment, hasPostgres, startTwoApps, type RaceContext } from "../support/postgres-race";

// Attendance written from two app instances on one PostgreSQL database at the same moment
// (issue 12, point 1). On Monday 2026-11-23 Anna, Bert and Cor are expected at location A in
// the morning, Dina at location B; Els is planned nowhere. Skipped only without a PostgreSQL
// server (TEST_POSTGRES_URL); CI has one.

describe("HTTP on PostgreSQL: attendance recorded at the same moment by two app instances", function () {
  this.timeout(120_000);
  let ctx: RaceContext;
  let aw: AttendanceWorld;
  const TODAY = "2026-11-23";

  before(async function () {
    if (!hasPostgres()) this.skip();
    ctx = await startTwoApps();
    aw = await buildAttendanceWorld(ctx.db, ctx.world);
  });
  after(async () => ctx?.close());

  const listUrl = (location: number) => `/aanwezigheid/locaties/${location}?datum=${TODAY}`;
  async function formPoster(app: 0 | 1, email: string, location: number) {
    const agent: Agent = await loginAs(ctx.apps[app], email);
    const token = await csrfToken(agent, listUrl(location));
    return (path: string, body: Record<string, string>) => () => agent.post(`/aanwezigheid/locaties/${location}/${path}`).type("form").send({ ...body, _csrf: token });
  }
  const rowsOf = (clients: number[]) => ctx.db("attendance").whereIn("client_id", clients).where({ date: TODAY, dagdeel: "ochtend" }).orderBy("client_id");

  it("the same client as extra at two locations: exactly one succeeds, the other gets 422 and the row stays where it was written", async () => {
    const { locationA, locationB } = ctx.world;
    const atA = await formPoster(0, ctx.world.users.coordinator.email, locationA);
    const atB = await formPoster(1, ctx.world.users.coordinator.email, locationB);
    const body = { client_id: String(aw.els), date: TODAY, dagdeel: "ochtend" };

    const responses = await atTheSameMoment(ctx.control, "attendance", 2, [atA("extra", body), atB("extra", body)]);

    expect(responses.map((r) => r.status).sort()).to.deep.equal([303, 422]);
    const refused = responses.find((r) => r.status === 422)!;
    expect(refused.text).to.contain("al geregistreerd");
    const won = responses.findIndex((r) => r.status === 303);
    const rows = await rowsOf([aw.els]);
    expect(rows).to.have.length(1);
    expect(rows[0].location_id).to.equal(won === 0 ? locationA : locationB);
    expect(rows[0].status).to.equal("extra");
    const audits = await ctx.db("audit_log").where({ entity: "attendance", entity_id: rows[0].id });
    expect(audits).to.have.length(1);
  });

  it("'iedereen aanwezig' while a volunteer records three clients ziek: every ziek stays, the bulk writes only the rows nobody wrote", async () => {
    const { locationA } = ctx.world;
    const coordinator = await formPoster(0, ctx.world.users.coordinator.email, locationA);
    const volunteer = await formPoster(1, ctx.world.users.providerA.email, locationA);
    const sick = [aw.anna, aw.bert, aw.cor];
    await ctx.db("attendance").whereIn("client_id", sick).delete();

    const responses = await atTheSameMoment(ctx.control, "attendance", 1 + sick.length, [
      coordinator("iedereen-aanwezig", { date: TODAY, dagdeel: "ochtend" }),
      ...sick.map((id) => volunteer("registreren", { client_id: String(id), date: TODAY, dagdeel: "ochtend", status: "ziek" })),
    ]);

    expect(responses.map((r) => r.status)).to.deep.equal([303, 303, 303, 303]);
    const rows = await rowsOf(sick);
    expect(rows.map((r) => r.status)).to.deep.equal(["ziek", "ziek", "ziek"]);
    // The audit tells the true story: every ziek names what it replaced, and no aanwezig written
    // by the bulk is missing from the log (nor logged without having been written).
    const audits = (await ctx.db("audit_log").where({ entity: "attendance" }).whereIn("entity_id", rows.map((r) => r.id)).orderBy("id")).map((a) => JSON.parse(a.details));
    const bulk = audits.filter((d) => d.new === "aanwezig");
    const ziek = audits.filter((d) => d.new === "ziek");
    expect(ziek).to.have.length(3);
    for (const d of ziek) expect(d.old).to.equal(bulk.some((b) => b.client_id === d.client_id) ? "aanwezig" : null);
  });
});
