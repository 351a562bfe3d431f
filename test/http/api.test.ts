import { expect } from "chai";
import request from "supertest";
import { openApiDocument } from "../../src/api/openapi";
import { api, issueToken, validateDocument } from "../support/api";
import { loginAs, startTestApp, type TestContext } from "../support/app";
import { countedAsAtStart, dirtyVersion } from "../support/use-dirty";
import { buildAttendanceWorld, insertAttendance, type AttendanceWorld } from "../support/attendance-fixtures";

// The JSON API on the attendance world (Monday 2026-11-23): tokens and what they open, scope
// (another organisation's ids answer 404), roles (403), bad input (422), problem documents,
// pages, and recording attendance through the daily list's own services. Every answer is
// checked against the OpenAPI document by the `api` helper.

describe("HTTP: the JSON API (/api/v1)", () => {
  let ctx: TestContext;
  let aw: AttendanceWorld;
  let providerA: string;
  let providerAWrite: string;
  let providerB: string;
  let gemeente: string;
  let zorgkantoor: string;
  const TODAY = "2026-11-23";

  before(async () => {
    ctx = await startTestApp();
    aw = await buildAttendanceWorld(ctx.db, ctx.world);
    const w = ctx.world;
    providerA = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.providerA.id, label: "Boerderij-lezer" });
    providerAWrite = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.providerA.id, access: "write", label: "Boerderij-registratie" });
    providerB = await issueToken(ctx.db, { organisation_id: w.providerB, created_by: w.users.providerB.id });
    gemeente = await issueToken(ctx.db, { organisation_id: w.gemeente, created_by: w.users.purchaser.id, access: "write" });
    zorgkantoor = await issueToken(ctx.db, { organisation_id: w.zorgkantoor, created_by: w.users.zorgkantoor.id });
  });
  after(async () => ctx.close());

  const get = (url: string, token: string | null = providerA) => api(ctx.app, "get", `/api/v1${url}`, { token });
  const post = (url: string, body: unknown, token: string | null = providerAWrite) => api(ctx.app, "post", `/api/v1${url}`, { token, body });

  describe("the description", () => {
    it("is served without a token and is a valid OpenAPI 3.1 document", async () => {
      const res = await get("/openapi.json", null);
      expect(res.status).to.equal(200);
      expect(res.body.openapi).to.equal("3.1.0");
      const checked = await validateDocument(res.body);
      expect(checked.errors).to.equal(undefined);
      expect(checked.valid).to.equal(true);
      expect(checked.version).to.equal("3.1");
    });

    it("the validator does refuse a broken document (the check is not empty)", async () => {
      const broken = JSON.parse(JSON.stringify(openApiDocument));
      broken.paths["/locations"].get.responses = "none";
      expect((await validateDocument(broken)).valid).to.equal(false);
    });
  });

  describe("tokens", () => {
    it("no token, a malformed one or an unknown one: 401 with a problem document and a challenge", async () => {
      for (const token of [null, "not-a-token", `dgd_${"x".repeat(43)}`]) {
        const res = await get("/locations", token);
        expect(res.status).to.equal(401);
        expect(res.headers["www-authenticate"]).to.match(/^Bearer realm="dagdeel"/);
        expect(res.body.code).to.equal(token ? "invalid_token" : "unauthenticated");
      }
    });

    it("a revoked token, an expired one, and one whose creator was deactivated: 401", async () => {
      const w = ctx.world;
      const revoked = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.providerA.id, revoked_at: "2026-11-20T10:00:00.000Z" });
      const expired = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.providerA.id, expires_on: "2026-11-22" });
      const lastDay = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.providerA.id, expires_on: TODAY });
      expect((await get("/locations", revoked)).status).to.equal(401);
      expect((await get("/locations", expired)).status).to.equal(401);
      expect((await get("/locations", lastDay)).status, "expires_on is its last day").to.equal(200);
      const admin = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.admin.id });
      await ctx.db("users").where({ id: w.users.admin.id }).update({ active: false });
      try {
        expect((await get("/locations", admin)).status).to.equal(401);
      } finally {
        await ctx.db("users").where({ id: w.users.admin.id }).update({ active: true });
      }
    });

    it("a session cookie opens nothing in the API, and a token nothing on the pages", async () => {
      const agent = await loginAs(ctx.app, ctx.world.users.providerA.email);
      const res = await agent.get("/api/v1/locations");
      expect(res.status).to.equal(401);
      expect(res.headers["set-cookie"], "the API starts no session").to.equal(undefined);
      const page = await request(ctx.app).get("/clienten").set("Authorization", `Bearer ${providerA}`);
      expect(page.status).to.equal(303);
      expect(page.headers.location).to.match(/^\/login/);
    });

    it("the token's use is noted, not on every request", async () => {
      const before = await ctx.db("api_tokens").where({ label: "Boerderij-lezer" }).first();
      await get("/locations");
      const after = await ctx.db("api_tokens").where({ label: "Boerderij-lezer" }).first();
      expect(after.last_used_at).to.be.a("string");
      expect(before.token_hash).to.equal(after.token_hash);
    });

    it("an unknown path under the API is a 404 problem, never an HTML page", async () => {
      const res = await get("/nothing-here");
      expect(res.status).to.equal(404);
      expect(res.body.code).to.equal("not_found");
    });
  });

  describe("locations", () => {
    it("a provider sees its own; a purchaser those it contracts; capacity and closures on the detail", async () => {
      const own = await get("/locations");
      expect(own.body.items.map((l: { id: number }) => l.id)).to.deep.equal([ctx.world.locationA]);
      expect(own.body.page).to.deep.equal({ limit: 25, offset: 0, total: 1 });
      const zk = await get("/locations", zorgkantoor);
      expect(zk.body.items.map((l: { id: number }) => l.id)).to.deep.equal([ctx.world.locationB]);
      const detail = await get(`/locations/${ctx.world.locationA}`);
      expect(detail.status).to.equal(200);
      expect(detail.body.capacity.week[0]).to.deep.equal({ weekday: 1, ochtend: 10, middag: 10 });
      expect(detail.body.capacity.week[5]).to.deep.equal({ weekday: 6, ochtend: null, middag: null });
    });

    it("another provider's location, or no id at all: 404", async () => {
      expect((await get(`/locations/${ctx.world.locationB}`)).status).to.equal(404);
      expect((await get("/locations/abc")).status).to.equal(404);
      expect((await get("/locations/999999")).status).to.equal(404);
    });

    it("pages: limit above the maximum, zero or not a number, and a negative offset are 422 with the field named", async () => {
      for (const [query, field] of [["limit=101", "limit"], ["limit=0", "limit"], ["limit=tien", "limit"], ["offset=-1", "offset"]] as const) {
        const res = await get(`/locations?${query}`);
        expect(res.status, query).to.equal(422);
        expect(res.body.errors.map((e: { field: string }) => e.field), query).to.deep.equal([field]);
        expect(res.body.errors[0].message).to.be.a("string").and.not.equal("");
      }
      const far = await get("/locations?offset=5");
      expect(far.body.items).to.deep.equal([]);
      expect(far.body.page.total).to.equal(1);
    });

    it("messages follow Accept-Language", async () => {
      const nl = await get("/locations?limit=500");
      const en = await api(ctx.app, "get", "/api/v1/locations?limit=500", { token: providerA, headers: { "Accept-Language": "en" } });
      expect(nl.body.errors[0].code).to.equal(en.body.errors[0].code);
      expect(nl.body.errors[0].message).to.not.equal(en.body.errors[0].message);
    });
  });

  describe("free places", () => {
    it("answers the regional view, and refuses an unknown number of weeks", async () => {
      const res = await get("/free-places?weeks=2", gemeente);
      expect(res.status).to.equal(200);
      expect(res.body.weeks).to.have.length(2);
      expect(res.body.items.map((v: { village: string }) => v.village)).to.deep.equal(["Helden"]);
      const bad = await get("/free-places?weeks=5&subkind=kasteel", gemeente);
      expect(bad.status).to.equal(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).to.deep.equal(["subkind", "weeks"]);
    });
  });

  describe("clients and schedules", () => {
    it("a provider's clients are those at its locations or with its allocations; the BSN masked", async () => {
      const res = await get("/clients");
      const names = res.body.items.map((c: { first_name: string }) => c.first_name);
      expect(names).to.deep.equal(["Anna", "Bert", "Cor", "Els"]);
      const anna = res.body.items[0];
      expect(anna.bsn_masked).to.equal("******019");
      expect(JSON.stringify(res.body)).to.not.contain(aw.annaBsn);
      expect(anna.scheduled_at).to.deep.equal(["Boerderij A"]);
    });

    it("another provider's client is not found; a purchaser sees no notes and no attendance", async () => {
      expect((await get(`/clients/${aw.dina}`)).status).to.equal(404);
      const own = await get(`/clients/${aw.anna}`);
      expect(own.status).to.equal(200);
      expect(own.body.attendance).to.not.equal(null);
      const purchaser = await get(`/clients/${aw.anna}`, gemeente);
      expect(purchaser.status).to.equal(200);
      expect(purchaser.body.notes).to.equal(null);
      expect(purchaser.body.attendance).to.equal(null);
      expect((await get(`/clients/${aw.bert}`, gemeente)).status, "a PGB client has nothing to do with the gemeente").to.equal(404);
    });

    it("searches and pages like /clienten", async () => {
      const res = await get("/clients?q=aarts");
      expect(res.body.items.map((c: { id: number }) => c.id)).to.deep.equal([aw.anna]);
      const first = await get("/clients?limit=2");
      const second = await get("/clients?limit=2&offset=2");
      expect(first.body.page).to.deep.equal({ limit: 2, offset: 0, total: 4 });
      expect([...first.body.items, ...second.body.items].map((c: { id: number }) => c.id)).to.deep.equal([aw.anna, aw.bert, aw.cor, aw.els]);
      expect((await get("/clients?status=weg")).status).to.equal(422);
    });

    it("schedules: a provider's at its own locations, a purchaser's those it funds, filtered and paged", async () => {
      const own = await get("/schedules");
      expect(own.body.page.total).to.equal(3);
      expect(own.body.items.every((s: { location: { id: number } }) => s.location.id === ctx.world.locationA)).to.equal(true);
      const anna = await get(`/schedules?client_id=${aw.anna}`);
      expect(anna.body.items).to.have.length(1);
      expect(anna.body.items[0].slots).to.deep.equal([
        { weekday: 1, dagdeel: "ochtend" },
        { weekday: 1, dagdeel: "middag" },
        { weekday: 3, dagdeel: "ochtend" },
      ]);
      expect((await get(`/schedules?location_id=${ctx.world.locationB}`)).body.page.total).to.equal(0);
      const funded = await get("/schedules", gemeente);
      expect(funded.body.items.map((s: { client_id: number }) => s.client_id).sort()).to.deep.equal([aw.anna, aw.cor].sort());
      const paged = await get("/schedules?limit=2&offset=1");
      expect(paged.body.items).to.have.length(2);
      expect((await get("/schedules?active_on=2026-13-01")).status).to.equal(422);
    });
  });

  describe("attendance", () => {
    it("the daily list of a location: who is expected per dagdeel", async () => {
      const res = await get(`/locations/${ctx.world.locationA}/attendance?date=${TODAY}`);
      expect(res.status).to.equal(200);
      const ochtend = res.body.items.filter((e: { dagdeel: string }) => e.dagdeel === "ochtend").map((e: { name: string }) => e.name);
      expect(ochtend).to.have.members(["Anna Aarts", "Bert Bos", "Cor Claes"]);
      expect(res.body.dagdelen.map((d: { expected: number }) => d.expected)).to.deep.equal([3, 1]);
    });

    it("purchasers have no attendance (403); another provider's location is 404; a bad date 422", async () => {
      expect((await get(`/locations/${ctx.world.locationA}/attendance`, gemeente)).status).to.equal(403);
      expect((await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "aanwezig" }, gemeente)).status).to.equal(403);
      expect((await get(`/locations/${ctx.world.locationB}/attendance`)).status).to.equal(404);
      expect((await get(`/locations/${ctx.world.locationA}/attendance?date=23-11-2026`)).status).to.equal(422);
    });

    it("a read-only token records nothing (403)", async () => {
      const res = await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "aanwezig" }, providerA);
      expect(res.status).to.equal(403);
      expect(res.body.code).to.equal("read_only_token");
      expect(await ctx.db("attendance").where({ client_id: aw.anna, date: TODAY }).first()).to.equal(undefined);
    });

    it("records through the daily list's service, audited with the token's label and its creator", async () => {
      await countedAsAtStart(ctx.db);
      const marked = await dirtyVersion(ctx.db, aw.anna);
      const res = await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "aanwezig" });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ location_id: ctx.world.locationA, client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "aanwezig", changed: true });
      const row = await ctx.db("attendance").where({ client_id: aw.anna, date: TODAY, dagdeel: "ochtend" }).first();
      expect(row.status).to.equal("aanwezig");
      expect(row.recorded_by).to.equal(ctx.world.users.providerA.id);
      const audit = await ctx.db("audit_log").where({ entity: "attendance", entity_id: row.id }).first();
      expect(audit.user_id).to.equal(ctx.world.users.providerA.id);
      expect(JSON.parse(audit.details)).to.include({ client_id: aw.anna, old: null, new: "aanwezig" });
      expect(JSON.parse(audit.details).api_token.label).to.equal("Boerderij-registratie");
      expect(await dirtyVersion(ctx.db, aw.anna), "the use tallies' trigger marked Anna").to.be.greaterThan(marked);
      const again = await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: aw.anna, date: TODAY, dagdeel: "ochtend", status: "aanwezig" });
      expect(again.body.changed).to.equal(false);
      const list = await get(`/locations/${ctx.world.locationA}/attendance?date=${TODAY}`);
      const anna = list.body.items.find((e: { client_id: number; dagdeel: string }) => e.client_id === aw.anna && e.dagdeel === "ochtend");
      expect(anna.status).to.equal("aanwezig");
      expect(anna.recorded_by).to.equal("User providerA");
    });

    it("the daily list's rules hold: no future status but afgemeld, nobody unexpected, an extra as extra", async () => {
      const future = await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: aw.cor, date: "2026-11-30", dagdeel: "ochtend", status: "aanwezig" });
      expect(future.status).to.equal(422);
      expect(future.body.errors[0].code).to.equal("attendance.errors.future");
      const stranger = await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: aw.els, date: TODAY, dagdeel: "ochtend", status: "aanwezig" });
      expect(stranger.status).to.equal(422);
      expect(stranger.body.errors[0].code).to.equal("attendance.errors.notExpected");
      const extra = await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: aw.els, date: TODAY, dagdeel: "ochtend", status: "extra" });
      expect(extra.status).to.equal(200);
      expect((await ctx.db("attendance").where({ client_id: aw.els, date: TODAY }).first()).status).to.equal("extra");
    });

    it("a declared month is locked, as on the daily list", async () => {
      const res = await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: aw.anna, date: "2026-10-26", dagdeel: "ochtend", status: "ziek" });
      expect(res.status).to.equal(422);
      expect(res.body.errors[0].code).to.equal("attendance.errors.locked");
      expect(res.body.detail).to.contain("2026");
    });

    it("bad input: every wrong field named (422); not JSON 415; broken JSON 400", async () => {
      const res = await post(`/locations/${ctx.world.locationA}/attendance`, { client_id: "anna", date: "23-11-2026", status: "weg" });
      expect(res.status).to.equal(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).to.deep.equal(["client_id", "dagdeel", "date", "status"]);
      const form = await api(ctx.app, "post", `/api/v1/locations/${ctx.world.locationA}/attendance`, { token: providerAWrite, body: "client_id=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
      expect(form.status).to.equal(415);
      const broken = await api(ctx.app, "post", `/api/v1/locations/${ctx.world.locationA}/attendance`, { token: providerAWrite, body: "{ nope" });
      expect(broken.status).to.equal(400);
    });

    it("another provider's client or location: 404 / 422 as on the page; everyone present; undo", async () => {
      expect((await post(`/locations/${ctx.world.locationB}/attendance`, { client_id: aw.dina, date: TODAY, dagdeel: "ochtend", status: "aanwezig" })).status).to.equal(404);
      const bulk = await post(`/locations/${ctx.world.locationA}/attendance/everyone-present`, { date: TODAY, dagdeel: "ochtend" });
      expect(bulk.status).to.equal(200);
      expect(bulk.body.marked).to.equal(2); // Bert and Cor; Anna was recorded already
      const undo = await api(ctx.app, "delete", `/api/v1/locations/${ctx.world.locationA}/attendance?client_id=${aw.cor}&date=${TODAY}&dagdeel=ochtend`, { token: providerAWrite });
      expect(undo.status).to.equal(204);
      expect(await ctx.db("attendance").where({ client_id: aw.cor, date: TODAY }).first()).to.equal(undefined);
      const audit = await ctx.db("audit_log").where({ entity: "attendance", action: "undo" }).orderBy("id", "desc").first();
      expect(JSON.parse(audit.details).api_token.label).to.equal("Boerderij-registratie");
      const nothing = await api(ctx.app, "delete", `/api/v1/locations/${ctx.world.locationA}/attendance?client_id=${aw.cor}&date=${TODAY}&dagdeel=ochtend`, { token: providerAWrite });
      expect(nothing.status).to.equal(422);
    });

    it("history in the list is shown as it was recorded", async () => {
      await insertAttendance(ctx.db, [{ client_id: aw.anna, location_id: ctx.world.locationA, date: "2026-11-16", dagdeel: "middag", status: "ziek" }]);
      const res = await get(`/locations/${ctx.world.locationA}/attendance?date=2026-11-16`);
      const anna = res.body.items.find((e: { client_id: number; dagdeel: string }) => e.client_id === aw.anna && e.dagdeel === "middag");
      expect(anna.status).to.equal("ziek");
    });
  });

  describe("contracts and declarations", () => {
    it("each party sees its own contracts with their use; another's is 404", async () => {
      const own = await get("/contracts");
      expect(own.body.items.map((c: { id: number }) => c.id)).to.deep.equal([ctx.world.contractA]);
      expect(own.body.items[0].use).to.have.keys(["realised_cents", "forecast_cents", "realised_dagdelen", "forecast_dagdelen", "percent", "level"]);
      expect((await get(`/contracts/${ctx.world.contractZorgkantoorB}`)).status).to.equal(404);
      const detail = await get(`/contracts/${ctx.world.contractA}`, gemeente);
      expect(detail.status).to.equal(200);
      expect(detail.body.reference).to.equal("PM-A");
      expect((await get(`/contracts/${ctx.world.contractA}`, zorgkantoor)).status).to.equal(404);
    });

    it("declarations: the provider sees its concept, the purchaser only what was submitted to it", async () => {
      const own = await get("/declarations");
      expect(own.body.items.map((d: { month: string; status: string }) => `${d.month} ${d.status}`)).to.deep.equal(["2026-11 concept", "2026-10 ingediend"]);
      const purchaser = await get("/declarations", gemeente);
      expect(purchaser.body.items.map((d: { month: string }) => d.month)).to.deep.equal(["2026-10"]);
      const concept = own.body.items[0].id;
      expect((await get(`/declarations/${concept}`, gemeente)).status).to.equal(404);
      expect((await get(`/declarations/${concept}`, zorgkantoor)).status).to.equal(404);
      const detail = await get(`/declarations/${own.body.items[1].id}?limit=10`);
      expect(detail.status).to.equal(200);
      expect(detail.body.lines.page.limit).to.equal(10);
      expect((await get("/declarations", providerB)).body.items).to.deep.equal([]);
    });
  });
});

describe("HTTP: the API's rate limit per token", () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp({ env: { API_RATE_LIMIT: "3" } });
  });
  after(async () => ctx.close());

  it("refuses a token's fourth request in a minute with 429, while another token goes on", async () => {
    const w = ctx.world;
    const busy = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.providerA.id });
    const calm = await issueToken(ctx.db, { organisation_id: w.providerA, created_by: w.users.providerA.id });
    for (let i = 0; i < 3; i++) expect((await api(ctx.app, "get", "/api/v1/locations", { token: busy })).status).to.equal(200);
    const refused = await api(ctx.app, "get", "/api/v1/locations", { token: busy });
    expect(refused.status).to.equal(429);
    expect(refused.body.code).to.equal("rate_limited");
    expect(refused.headers).to.have.property("ratelimit");
    expect((await api(ctx.app, "get", "/api/v1/locations", { token: calm })).status).to.equal(200);
  });
});
